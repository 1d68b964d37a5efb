/**
 * What every benchmark stands on, started the same way: its own database on the machine's
 * PostgreSQL (or BENCH_DATABASE_URL's server) with the committed migrations, its own headless
 * Temporal dev server, a client, and a worker on a task queue of its own. `close()` removes it all.
 */
import path from 'node:path';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createActivityDeps, type ActivityDepsOptions } from '../activities/activity-deps';
import { loadConfig, type Config, type RawEnv } from '../src/config';
import { runPrismaMigrateDeploy } from '../src/db/migrate';
import { createPrismaClient, type Db } from '../src/db/prisma-client';
import { startDevServer, type RunningDevServer } from '../src/temporal/dev-server';
import { findTemporalCli } from '../src/temporal/temporal-cli';
import { connectWorker, createWorker } from '../src/temporal/worker-factory';
import { freePort, withDatabase } from '../test/support/infra';

const ROOT = path.resolve(__dirname, '..');

export interface BenchStack {
  url: string;
  db: Db;
  config: Config;
  server: RunningDevServer;
  client: Client;
  nativeConnection: NativeConnection;
  taskQueue: string;
  /** Starts a real worker with the real activities (deps overridable). */
  startWorker(overrides?: Partial<ActivityDepsOptions>): Promise<Worker>;
  close(): Promise<void>;
}

/** Starts a benchmark's database, Temporal dev server and client; `name` keeps runs apart. */
export async function startBenchStack(name: string, env: RawEnv = {}): Promise<BenchStack> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `bench_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = withDatabase(adminUrl, dbName);

  const cliPath = findTemporalCli({ projectRoot: ROOT, searchPath: process.env.PATH, explicitPath: process.env.TEMPORAL_CLI_PATH });
  if (!cliPath) throw new Error('The Temporal CLI is missing: run `npm run setup` or set TEMPORAL_CLI_PATH');
  const [server] = await Promise.all([freePort().then((port) => startDevServer({ cliPath, port, uiPort: false })), runPrismaMigrateDeploy(url)]);

  const db = createPrismaClient({ url, poolSize: 10 });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await connectWorker(server.address);
  const taskQueue = `bench-${name}-${process.pid}`;
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, SCHEDULES_ENABLED: 'false', DATA_DIR: path.join(ROOT, '.data', 'bench'), ...env });
  const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
  const depsToClose: Array<{ close(): Promise<void> }> = [];

  return {
    url,
    db,
    config,
    server,
    client,
    nativeConnection,
    taskQueue,
    async startWorker(overrides = {}) {
      const deps = createActivityDeps({ db, config, ...overrides });
      depsToClose.push(deps);
      const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, activities: createActivities(deps), shutdownGraceSeconds: 1 });
      workers.push({ worker, running: worker.run() });
      return worker;
    },
    async close() {
      for (const { worker, running } of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      }
      for (const deps of depsToClose) await deps.close();
      await db.$disconnect();
      await nativeConnection.close();
      await connection.close();
      await server.stop();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Middle value of a sample (upper middle for even sizes). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
