import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDeps, type ActivityDepsOptions } from '../../activities';
import { createActivityDeps } from '../../activities/activity-deps';
import { loadConfig, type Config, type RawEnv } from '../../src/config';
import { createPrismaClient, type Db } from '../../src/db/prisma-client';
import { connectTemporalClient } from '../../src/temporal/temporal-client';
import { connectWorker, createWorker } from '../../src/temporal/worker-factory';
import { withDatabase } from './infra';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run the tests through jest (its globalSetup starts the shared infrastructure)`);
  return value;
}

export interface TestDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** A fresh, migrated database for one test file (cloned from the run's template in ~100 ms). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requireEnv('TEST_PG_ADMIN_URL');
  const name = `t_${requireEnv('TEST_RUN_ID')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${requireEnv('TEST_PG_TEMPLATE')}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const db = createPrismaClient({ url, poolSize: 8 });
  return {
    url,
    db,
    async close() {
      await db.$disconnect();
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** Config for tests: defaults plus overrides, exactly as the service would load it. */
export function testConfig(overrides: RawEnv = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: '.test-data',
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    SCHEDULES_ENABLED: 'false',
    ...overrides,
  });
}

export interface TestTemporal {
  client: Client;
  nativeConnection: NativeConnection;
  taskQueue: string;
  namespace: string;
  close(): Promise<void>;
}

/** A Temporal client and native connection to the run's dev server, with a task queue of its own. */
export async function connectTestTemporal(address: string = requireEnv('TEST_TEMPORAL_ADDRESS')): Promise<TestTemporal> {
  const handle = await connectTemporalClient({ address, namespace: 'default' });
  const nativeConnection = await connectWorker(address);
  return {
    client: handle.client,
    nativeConnection,
    taskQueue: `test-${randomBytes(4).toString('hex')}`,
    namespace: 'default',
    async close() {
      await nativeConnection.close();
      await handle.close();
    },
  };
}

/** The workflow bundle global-setup built once for the whole run. */
export function workflowBundle(): { code: string } {
  return { code: fs.readFileSync(requireEnv('TEST_WORKFLOW_BUNDLE'), 'utf8') };
}

/**
 * A real worker on the test file's task queue, with real (or given) activities. `deps` are either
 * resolved already (a harness that uses them too) or options this worker resolves, once.
 */
export async function createTestWorker(options: { temporal: TestTemporal; deps: ActivityDeps | ActivityDepsOptions; activities?: Partial<Activities> }): Promise<Worker> {
  const deps = 'close' in options.deps ? options.deps : createActivityDeps(options.deps);
  return createWorker({
    connection: options.temporal.nativeConnection,
    namespace: options.temporal.namespace,
    taskQueue: options.temporal.taskQueue,
    activities: { ...createActivities(deps), ...options.activities } as Activities,
    workflowBundle: workflowBundle(),
    shutdownGraceSeconds: 1,
  });
}

// Worker state changes are logged at INFO for every test file; keep test output to warnings.
import { DefaultLogger, Runtime } from '@temporalio/worker';
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this worker process by another test file.
}
