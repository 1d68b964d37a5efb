import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DefaultLogger, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { createActivities } from '../../activities';
import { createActivityDeps } from '../../activities/activity-deps';
import { tokenCipherFromConfig } from '../meta/token-crypto';
import { buildApp } from '../api/app';
import type { Config } from '../config';
import { ConfigurationError, NotFoundError } from '../errors';
import { assertEmbeddedPostgresReachable, startEmbeddedPostgres, stopOrphanedPostgres, type RunningEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateDatabase } from '../db/migrate';
import { createPrismaClient, type Db } from '../db/prisma-client';
import type { ServiceContext } from '../operations/service-context';
import { startDevServer, stopOrphanedDevServer, type RunningDevServer } from '../temporal/dev-server';
import { connectTemporalClient, ensureSearchAttributes, type TemporalClientHandle } from '../temporal/temporal-client';
import { findTemporalCli } from '../temporal/temporal-cli';
import { connectWorker, createWorker } from '../temporal/worker-factory';
import { startSimulator } from '../simulator/simulator-server';
import { bootstrapDemo } from './demo-bootstrap';
import { startCompanySync, startSync } from '../operations/syncs';
import { getWorkflowStatus } from '../operations/workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { ensureRollupSchedules } from '../temporal/rollup-schedules';
import { ensureTokenCheckSchedule } from '../temporal/token-check-schedules';
import { ensureAllAccountSchedules } from '../temporal/sync-schedules';
import { ensureAllRuleSchedules } from '../temporal/rule-schedules';
import { randomBytes } from 'node:crypto';
import { dataDirLayout, prepareDataDir, readOrCreateSecret, type DataDirLayout } from './data-dir';
import { claimInstance, type InstanceClaim, type InstanceRecord } from './instance-file';
import { startOrphanWatchdog, type OrphanWatchdog } from './orphan-watchdog';

/** Which parts this process runs; `npm start` runs them all, the other entrypoints a subset. */
export interface ServiceParts {
  worker: boolean;
  api: boolean;
  /** Start embedded PostgreSQL / Temporal when no external address is configured. */
  embedded: boolean;
}

export interface RunningService {
  ctx: ServiceContext;
  app?: FastifyInstance;
  worker?: Worker;
  logger: Logger;
  /** Stops everything in reverse order of start; safe to call twice. */
  stop(): Promise<void>;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Brings up database, Temporal, worker and API in order, logging what started where. */
export async function startService(config: Config, parts: ServiceParts, logger: Logger = createLogger(config)): Promise<RunningService> {
  const stack: Stack = [];
  const stop = async (): Promise<void> => {
    while (stack.length > 0) {
      const part = stack.pop()!;
      try {
        await part.stop();
        logger.info(`stopped ${part.name}`);
      } catch (error) {
        logger.error({ err: error }, `failed to stop ${part.name}`);
      }
    }
  };
  try {
    const local = await prepareLocal(config, parts, logger, stack);
    const databaseUrl = await startDatabase(config, parts, logger, stack, local);
    const migration = await migrateDatabase(databaseUrl);
    logger.info(migration.ran ? `applied ${migration.pending.length} database migration(s): ${migration.pending.join(', ')}` : 'database schema is up to date');
    // The fronts' requests wait at most these bounds on PostgreSQL, then answer 503.
    const db: Db = createPrismaClient({ url: databaseUrl, connectTimeoutMs: config.timeouts.databaseConnectMs, statementTimeoutMs: config.timeouts.databaseStatementMs });
    stack.push({ name: 'database client', stop: () => db.$disconnect() });
    // Activities run long set-based statements (rollups, retention): their own pool and bound.
    const activityDb: Db = parts.worker ? createPrismaClient({ url: databaseUrl, connectTimeoutMs: config.timeouts.databaseConnectMs, statementTimeoutMs: config.timeouts.activityStatementMs }) : db;
    if (activityDb !== db) stack.push({ name: 'activity database client', stop: () => activityDb.$disconnect() });

    const temporal = await startTemporal(config, parts, logger, stack, local);
    const demo = await startDemoSimulator(config, parts, logger, stack);
    // Built once: a bad TOKEN_ENCRYPTION_KEY stops start-up instead of failing the first sync.
    const tokenCipher = tokenCipherFromConfig(config);
    const ctx: ServiceContext = {
      config,
      db,
      temporal: temporal.handle.client,
      runtime: { databaseMode: config.database.mode, temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, startedAt: new Date() },
      tokenCipher,
    };

    let worker: Worker | undefined;
    if (parts.worker) {
      // Only a worker runs activities: an API-only process opens no bulk-write pool.
      const activityDeps = createActivityDeps({ db: activityDb, config, databaseUrl, tokenCipher });
      stack.push({ name: 'bulk-write database pool', stop: () => activityDeps.close() });
      installWorkerRuntime(logger);
      const connection = await connectWorker(temporal.address);
      worker = await createWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        activities: createActivities(activityDeps),
      });
      const running = worker.run();
      const started = worker;
      stack.push({
        name: 'worker',
        stop: async () => {
          if (started.getState() === 'RUNNING') started.shutdown();
          await running;
          await connection.close();
        },
      });
      logger.info(`worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"`);
      if (config.schedulesEnabled) {
        const rollups = await ensureRollupSchedules(ctx.temporal, config, config.temporal.taskQueue);
        const accounts = await ensureAllAccountSchedules(ctx.temporal, config, db);
        const rules = await ensureAllRuleSchedules(ctx.temporal, db, config.temporal.taskQueue);
        await ensureTokenCheckSchedule(ctx.temporal, config, config.temporal.taskQueue);
        logger.info(`schedules ready: ${rollups.length} rollup/retention, the daily token check, ${accounts.schedules} sync schedules for ${accounts.adAccounts} ad account(s), ${rules} rule schedule(s)`);
      }
    }

    if (demo) await startDemo(ctx, demo, parts, logger);

    let app: FastifyInstance | undefined;
    if (parts.api) {
      app = await buildApp({ ctx, logger: logger.child({ component: 'api' }) });
      await app.listen({ host: config.http.host, port: config.http.port });
      const listening = app;
      stack.push({ name: 'HTTP API', stop: () => listening.close() });
      logger.info(`HTTP API listening on http://${config.http.host}:${config.http.port} (health: /health, status: /status, docs: /docs)`);
      local.claim?.update({ http: { url: `http://${config.http.host}:${config.http.port}` } });
    }
    return { ctx, app, worker, logger, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Routes the Temporal SDK's own logs (warnings and up) into our logger, and turns off its signal
 * handlers: our shutdown stops the API first, then drains the worker, then the servers.
 */
function installWorkerRuntime(logger: Logger): void {
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  try {
    Runtime.install({
      shutdownSignals: [],
      logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
        const method = (level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : 'info') satisfies keyof Logger;
        sdkLogger[method]({ ...(meta ?? {}), sdkLevel: level as LogLevel }, message);
      }),
    });
  } catch {
    // Installed already (a second service in the same process, as in tests).
  }
}

/** The process logger: JSON lines, with secrets redacted wherever they could appear. */
export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['*.accessToken', '*.access_token', '*.token', '*.authorization', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

type Stack = Array<{ name: string; stop: () => Promise<unknown> }>;

/** What this process keeps in DATA_DIR: its layout and, for `npm start`, its claim on it and the watchdog. */
interface LocalState {
  layout: DataDirLayout;
  claim?: InstanceClaim;
  watchdog?: OrphanWatchdog;
}

/**
 * Before anything starts: the embedded PostgreSQL can reach its cluster (checked before anything
 * is created), DATA_DIR exists and is private, no other `npm start` owns it, whatever a killed
 * run left running is stopped, and a watchdog will stop our servers if we are killed.
 */
async function prepareLocal(config: Config, parts: ServiceParts, logger: Logger, stack: Stack): Promise<LocalState> {
  const layout = dataDirLayout(config.dataDir);
  const embeddedPostgres = parts.embedded && !config.database.url;
  if (embeddedPostgres) assertEmbeddedPostgresReachable(layout.postgresCluster);
  const tightened = prepareDataDir({ dataDir: layout.root, traversableByOthers: embeddedPostgres && process.getuid?.() === 0 });
  if (tightened.length > 0) logger.warn(`made ${tightened.length} path(s) in DATA_DIR private to this user (${tightened.map((file) => path.relative(layout.root, file) || '.').join(', ')})`);
  if (!parts.embedded) return { layout };

  const claim = claimInstance(layout.root);
  stack.push({ name: 'instance record', stop: async () => claim.release() });
  if (claim.previous) await stopOrphans(claim.previous, layout, logger);
  const watchdog = startOrphanWatchdog(layout.root);
  stack.push({ name: 'orphan watchdog', stop: async () => watchdog.release() });
  return { layout, claim, watchdog };
}

/** Stops the servers a run that died (SIGKILL, crash, power cut) may have left running. */
async function stopOrphans(previous: InstanceRecord, layout: DataDirLayout, logger: Logger): Promise<void> {
  const devServerPid = previous.temporal?.devServerPid;
  if (devServerPid && (await stopOrphanedDevServer(devServerPid, layout.temporalDb))) {
    logger.warn(`stopped the Temporal dev server (pid ${devServerPid}) that the previous run (pid ${previous.pid}) left running`);
  }
  const postgresPid = await stopOrphanedPostgres(layout.postgresCluster);
  if (postgresPid) logger.warn(`stopped the embedded PostgreSQL (pid ${postgresPid}) that the previous run (pid ${previous.pid}) left running`);
}

async function startDatabase(config: Config, parts: ServiceParts, logger: Logger, stack: Stack, local: LocalState): Promise<string> {
  if (config.database.url) {
    logger.info(`using external PostgreSQL (DATABASE_URL, host ${safeHost(config.database.url)})`);
    local.claim?.update({ database: { mode: 'external' } });
    return config.database.url;
  }
  if (!parts.embedded) throw new ConfigurationError('DATABASE_URL is required for this entrypoint (only `npm start` runs an embedded PostgreSQL)');
  const { layout } = local;
  const started = Date.now();
  // Random per DATA_DIR: a fixed password would let any local user connect and mint tokens.
  const password = readOrCreateSecret(layout.postgresPassword);
  const server: RunningEmbeddedPostgres = await startEmbeddedPostgres({ dataDir: layout.postgresCluster, port: config.database.embeddedPort, password, logFile: layout.postgresLog });
  stack.push({ name: 'embedded PostgreSQL', stop: () => server.stop() });
  local.watchdog?.watch(server.pid, 'INT');
  local.claim?.update({ database: { mode: 'embedded', port: config.database.embeddedPort, pid: server.pid } });
  if (server.replacedLegacyPassword) logger.warn(`replaced the embedded PostgreSQL's former fixed password with the random one in ${layout.postgresPassword}`);
  logger.info(`started embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort}, data in ${layout.postgresCluster} (${Date.now() - started} ms)`);
  return server.url;
}

async function startTemporal(
  config: Config,
  parts: ServiceParts,
  logger: Logger,
  stack: Stack,
  local: LocalState,
): Promise<{ address: string; uiUrl?: string; handle: TemporalClientHandle }> {
  let address = config.temporal.address;
  let uiUrl = config.temporal.uiUrl;
  if (!address) {
    if (!parts.embedded) throw new ConfigurationError('TEMPORAL_ADDRESS is required for this entrypoint (only `npm start` runs a Temporal dev server)');
    const cliPath = findTemporalCli({ explicitPath: config.temporal.cliPath, projectRoot: PROJECT_ROOT, searchPath: process.env.PATH });
    if (!cliPath) throw new ConfigurationError('The Temporal CLI was not found: run `npm run setup`, or set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running Temporal');
    const dbFilename = local.layout.temporalDb;
    const started = Date.now();
    const server: RunningDevServer = await startDevServer({
      cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFilename,
      namespace: config.temporal.namespace,
      logFile: local.layout.temporalLog,
    });
    stack.push({ name: 'Temporal dev server', stop: () => server.stop() });
    local.watchdog?.watch(server.pid, 'TERM');
    local.claim?.update({ temporal: { address: server.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, devServerPid: server.pid } });
    address = server.address;
    uiUrl = uiUrl ?? server.uiUrl;
    logger.info(`started Temporal dev server on ${address} (Web UI ${server.uiUrl}, history in ${dbFilename}) (${Date.now() - started} ms)`);
  } else {
    logger.info(`using Temporal at ${address}, namespace "${config.temporal.namespace}"`);
    local.claim?.update({ temporal: { address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue } });
  }
  const handle = await connectTemporalClient({ address, namespace: config.temporal.namespace, callTimeoutMs: config.timeouts.temporalCallMs });
  stack.push({ name: 'Temporal client', stop: () => handle.close() });
  const added = await ensureSearchAttributes(handle.connection, config.temporal.namespace).catch((error: unknown) => {
    logger.warn({ err: error }, 'could not check custom search attributes (register CompanyId, AdAccountId, WorkflowKind as Keyword)');
    return [];
  });
  if (added.length > 0) logger.info(`registered search attributes ${added.join(', ')}`);
  return { address, uiUrl, handle };
}

/**
 * Demo mode (no Meta credentials): the Graph API simulator stands in for Meta, with a Meta
 * token generated once and kept in DATA_DIR so connected demo accounts survive restarts.
 */
async function startDemoSimulator(
  config: Config,
  parts: ServiceParts,
  logger: Logger,
  stack: Stack,
): Promise<{ url: string; metaToken: string } | undefined> {
  const localSimulator = `http://127.0.0.1:${config.meta.simulatorPort}`;
  if (config.meta.mode !== 'demo' || !parts.embedded || config.meta.graphUrl !== localSimulator) return undefined;
  const tokenFile = path.join(config.dataDir, 'demo-meta-token');
  if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, `sim-${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  const metaToken = fs.readFileSync(tokenFile, 'utf8').trim();
  // New leads (`POST /__sim/leads`) are notified to this service's webhook, signed with the demo app's secret.
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const webhookUrl = `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}/webhooks/meta`;
  const simulator = await startSimulator({
    profile: 'small', port: config.meta.simulatorPort, host: '127.0.0.1', tokens: [metaToken],
    webhooks: { url: webhookUrl, appSecret: config.oauth.appSecret },
  });
  stack.push({ name: 'Graph API simulator', stop: () => simulator.close() });
  logger.info(`demo mode: started the Graph API simulator (small profile) on ${simulator.url} in place of Meta; its new leads are notified to ${webhookUrl}`);
  return { url: simulator.url, metaToken };
}

/**
 * Demo bootstrap, then the syncs that are due: the first start syncs the whole demo company; a
 * restart only what never finished its first sync (the schedules keep the rest current, and an
 * interrupted run resumes by itself in Temporal).
 */
async function startDemo(ctx: ServiceContext, demo: { url: string; metaToken: string }, parts: ServiceParts, logger: Logger): Promise<void> {
  const bootstrap = await bootstrapDemo(ctx, { simulatorUrl: demo.url, simulatorToken: demo.metaToken });
  logger.info(`demo mode: company ${bootstrap.companyId} with ad accounts ${bootstrap.connectedAdAccountIds.join(', ')} connected`);
  if (bootstrap.tokenIssued) {
    // Printed on purpose, once, when issued: the demo's only way in; it is also in the file (mode 600).
    logger.info(`demo mode: admin API token ${bootstrap.token} (also in ${bootstrap.tokenFile}; it stays valid across restarts)`);
  } else {
    logger.info(`demo mode: admin API token ${bootstrap.token.slice(0, 10)}… kept from an earlier start (in ${bootstrap.tokenFile}; delete the file or revoke the token to rotate it)`);
  }
  if (!parts.worker || bootstrap.connectedAdAccountIds.length === 0) return;
  if (bootstrap.due.length === 0) {
    logger.info(`demo mode: nothing to sync at start-up: the ${bootstrap.connectedAdAccountIds.length} ad account(s) finished their first syncs and their schedules keep them current`);
    return;
  }
  // The first sync, interrupted by a stop, resumes by itself and covers what is due: starting
  // its account syncs beside it would collide with the child runs it is about to start.
  const first = await getWorkflowStatus(ctx, bootstrap.actor, { workflowId: workflowIds.companySync(bootstrap.companyId) }).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (first?.status === 'RUNNING') {
    logger.info(`demo mode: the first sync (workflow ${first.workflowId}) is still running and resumes where it was interrupted`);
    return;
  }
  if (bootstrap.due.length === bootstrap.connectedAdAccountIds.length && bootstrap.due.every((account) => account.full && account.metricsDaily && account.metricsHourly)) {
    const sync = await startCompanySync(ctx, bootstrap.actor, { kinds: ['full', 'metrics-daily', 'metrics-hourly'] });
    logger.info(`demo mode: first sync running as workflow ${sync.workflowId} (watch it in the Temporal UI)`);
    return;
  }
  const started: string[] = [];
  for (const account of bootstrap.due) {
    const kinds: Array<Record<string, string>> = [
      ...(account.full ? [{ kind: 'full' }] : []),
      ...(account.metricsDaily ? [{ kind: 'metrics', grain: 'daily' }] : []),
      ...(account.metricsHourly ? [{ kind: 'metrics', grain: 'hourly' }] : []),
    ];
    for (const kind of kinds) started.push((await startSync(ctx, bootstrap.actor, { adAccountId: account.adAccountId, ...kind })).workflowId);
  }
  logger.info(`demo mode: ${bootstrap.due.length} ad account(s) had not finished their first syncs: running ${started.join(', ')}`);
}

function safeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'unparseable URL';
  }
}
