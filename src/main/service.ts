import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DefaultLogger, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { createActivities } from '../../activities';
import { createActivityDeps } from '../../activities/activity-deps';
import { buildApp } from '../api/app';
import type { Config } from '../config';
import { ConfigurationError } from '../errors';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateDatabase } from '../db/migrate';
import { createPrismaClient, type Db } from '../db/prisma-client';
import type { ServiceContext } from '../operations/service-context';
import { startDevServer, type RunningDevServer } from '../temporal/dev-server';
import { connectTemporalClient, ensureSearchAttributes, type TemporalClientHandle } from '../temporal/temporal-client';
import { findTemporalCli } from '../temporal/temporal-cli';
import { connectWorker, createWorker } from '../temporal/worker-factory';
import { startSimulator } from '../simulator/simulator-server';
import { bootstrapDemo } from '../operations/demo-bootstrap';
import { startCompanySync } from '../operations/syncs';
import { ensureRollupSchedules } from '../temporal/rollup-schedules';
import { ensureAllAccountSchedules } from '../temporal/sync-schedules';
import { ensureAllRuleSchedules } from '../temporal/rule-schedules';
import { randomBytes } from 'node:crypto';

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
  const stack: Array<{ name: string; stop: () => Promise<unknown> }> = [];
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
    fs.mkdirSync(config.dataDir, { recursive: true });
    const databaseUrl = await startDatabase(config, parts, logger, stack);
    const migration = await migrateDatabase(databaseUrl);
    logger.info(migration.ran ? `applied ${migration.pending.length} database migration(s): ${migration.pending.join(', ')}` : 'database schema is up to date');
    const db: Db = createPrismaClient({ url: databaseUrl });
    stack.push({ name: 'database client', stop: () => db.$disconnect() });

    const temporal = await startTemporal(config, parts, logger, stack);
    const demo = await startDemoSimulator(config, parts, logger, stack);
    // Built once: a bad TOKEN_ENCRYPTION_KEY stops start-up instead of failing the first sync.
    const activityDeps = createActivityDeps({ db, config, databaseUrl });
    stack.push({ name: 'bulk-write database pool', stop: () => activityDeps.close() });
    const ctx: ServiceContext = {
      config,
      db,
      temporal: temporal.handle.client,
      runtime: { databaseMode: config.database.mode, temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, startedAt: new Date() },
      tokenCipher: activityDeps.tokenCipher,
    };

    let worker: Worker | undefined;
    if (parts.worker) {
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
        logger.info(`schedules ready: ${rollups.length} rollup/retention, ${accounts.schedules} sync schedules for ${accounts.adAccounts} ad account(s), ${rules} rule schedule(s)`);
      }
    }

    if (demo) {
      const bootstrap = await bootstrapDemo(ctx, { simulatorUrl: demo.url, simulatorToken: demo.metaToken });
      logger.info(`demo mode: company ${bootstrap.companyId} with ad accounts ${bootstrap.connectedAdAccountIds.join(', ')} connected`);
      // Printed on purpose, once: the demo's only way in; it is also in the file (mode 600).
      logger.info(`demo mode: admin API token ${bootstrap.token} (also in ${bootstrap.tokenFile})`);
      if (parts.worker && bootstrap.connectedAdAccountIds.length > 0) {
        const sync = await startCompanySync(ctx, bootstrap.actor, { kinds: ['full', 'metrics-daily', 'metrics-hourly'] });
        logger.info(`demo mode: first sync running as workflow ${sync.workflowId} (watch it in the Temporal UI)`);
      }
    }

    let app: FastifyInstance | undefined;
    if (parts.api) {
      app = await buildApp({ ctx, logger: logger.child({ component: 'api' }) });
      await app.listen({ host: config.http.host, port: config.http.port });
      const listening = app;
      stack.push({ name: 'HTTP API', stop: () => listening.close() });
      logger.info(`HTTP API listening on http://${config.http.host}:${config.http.port} (health: /health, status: /status, docs: /docs)`);
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

async function startDatabase(config: Config, parts: ServiceParts, logger: Logger, stack: Array<{ name: string; stop: () => Promise<unknown> }>): Promise<string> {
  if (config.database.url) {
    logger.info(`using external PostgreSQL (DATABASE_URL, host ${safeHost(config.database.url)})`);
    return config.database.url;
  }
  if (!parts.embedded) throw new ConfigurationError('DATABASE_URL is required for this entrypoint (only `npm start` runs an embedded PostgreSQL)');
  const dataDir = path.join(config.dataDir, 'postgres');
  const started = Date.now();
  const server: RunningEmbeddedPostgres = await startEmbeddedPostgres({ dataDir, port: config.database.embeddedPort, onLog: (line) => logger.debug({ component: 'postgres' }, line) });
  stack.push({ name: 'embedded PostgreSQL', stop: () => server.stop() });
  logger.info(`started embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort}, data in ${dataDir} (${Date.now() - started} ms)`);
  return server.url;
}

async function startTemporal(
  config: Config,
  parts: ServiceParts,
  logger: Logger,
  stack: Array<{ name: string; stop: () => Promise<unknown> }>,
): Promise<{ address: string; uiUrl?: string; handle: TemporalClientHandle }> {
  let address = config.temporal.address;
  let uiUrl = config.temporal.uiUrl;
  if (!address) {
    if (!parts.embedded) throw new ConfigurationError('TEMPORAL_ADDRESS is required for this entrypoint (only `npm start` runs a Temporal dev server)');
    const cliPath = findTemporalCli({ explicitPath: config.temporal.cliPath, projectRoot: PROJECT_ROOT, searchPath: process.env.PATH });
    if (!cliPath) throw new ConfigurationError('The Temporal CLI was not found: run `npm run setup`, or set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running Temporal');
    const dbFilename = path.join(config.dataDir, 'temporal', 'dev.db');
    const started = Date.now();
    const server: RunningDevServer = await startDevServer({
      cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFilename,
      namespace: config.temporal.namespace,
      logFile: path.join(config.dataDir, 'temporal', 'server.log'),
    });
    stack.push({ name: 'Temporal dev server', stop: () => server.stop() });
    address = server.address;
    uiUrl = uiUrl ?? server.uiUrl;
    logger.info(`started Temporal dev server on ${address} (Web UI ${server.uiUrl}, history in ${dbFilename}) (${Date.now() - started} ms)`);
  } else {
    logger.info(`using Temporal at ${address}, namespace "${config.temporal.namespace}"`);
  }
  const handle = await connectTemporalClient({ address, namespace: config.temporal.namespace });
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
  stack: Array<{ name: string; stop: () => Promise<unknown> }>,
): Promise<{ url: string; metaToken: string } | undefined> {
  const localSimulator = `http://127.0.0.1:${config.meta.simulatorPort}`;
  if (config.meta.mode !== 'demo' || !parts.embedded || config.meta.graphUrl !== localSimulator) return undefined;
  const tokenFile = path.join(config.dataDir, 'demo-meta-token');
  if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, `sim-${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  const metaToken = fs.readFileSync(tokenFile, 'utf8').trim();
  const simulator = await startSimulator({ profile: 'small', port: config.meta.simulatorPort, host: '127.0.0.1', tokens: [metaToken] });
  stack.push({ name: 'Graph API simulator', stop: () => simulator.close() });
  logger.info(`demo mode: started the Graph API simulator (small profile) on ${simulator.url} in place of Meta`);
  return { url: simulator.url, metaToken };
}

function safeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'unparseable URL';
  }
}
