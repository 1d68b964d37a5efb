/**
 * Shared integration harness for sync tests (entity and metrics): an in-process Graph simulator,
 * a fresh migrated database, the run's Temporal dev server with a task queue of its own, a
 * company with every simulator ad account connected (token encrypted as in production), and
 * helpers to run workers and to talk to the simulator's control API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps, Activities } from '../../activities';
import { createActivityDeps, createBulkPool, defaultMetaClientFactory, type MetaClientFactory } from '../../activities/activity-deps';
import type { Config, RawEnv } from '../../src/config';
import { createTokenCipher, type TokenCipher } from '../../src/meta';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/simulator-server';
import type { CallStats } from '../../src/simulator/simulator-state';
import type { TruthAccount } from '../../src/simulator/truth';
import { connectTestTemporal, createTestDatabase, createTestWorker, testConfig, type TestDatabase, type TestTemporal } from './test-env';

export const SIM_TOKEN = 'sim-token';
/** Each connected account gets its own token, so a test can expire one account's token only. */
export function accountToken(index: number): string {
  return `sim-token-account-${index}`;
}

export interface SyncHarnessOptions {
  /** @default 'small' */
  profile?: SimulatorOptions['profile'];
  /**
   * Simulator seed; it also decides the ad account ids. Workflow ids are global on the shared
   * Temporal server, so test files running in parallel must not share a seed. @default random
   */
  seed?: number;
  /** @default 0 */
  latencyMs?: number;
  limits?: SimulatorOptions['limits'];
  quota?: SimulatorOptions['quota'];
  /** Extra env for the config (e.g. META_USAGE_THROTTLE_PCT). */
  env?: RawEnv;
  /** A Temporal server of the test file's own (e.g. with other dynamic config). @default the run's shared server */
  temporalAddress?: string;
  /** The simulator's "now" at start (it then ticks with real time). @default the real clock */
  now?: string;
}

/** A worker started by the harness; `stop()` shuts it down and waits for it. */
export interface RunningTestWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export interface SyncHarness {
  sim: RunningSimulator;
  database: TestDatabase;
  temporal: TestTemporal;
  config: Config;
  tokenCipher: TokenCipher;
  deps: ActivityDeps;
  companyId: string;
  /** `act_<n>` of every simulator account, all connected to `companyId`. */
  adAccountIds: string[];
  /** Graph responses seen by activity clients, per account (failed = error answers, e.g. injected faults). */
  metaResponses: Record<string, { ok: number; failed: number }>;
  /** Starts a real worker on the harness task queue (optionally overriding activities). */
  startWorker(options?: { activities?: Partial<Activities> }): Promise<RunningTestWorker>;
  /** POST to the simulator control API (`/__sim/faults`, `/__sim/reset`, ...). */
  simControl(path: string, body?: unknown): Promise<unknown>;
  /** A Graph write as a user would make it in Ads Manager (form-encoded, with the token). */
  graphPost(path: string, params: Record<string, string>): Promise<unknown>;
  graphDelete(path: string): Promise<unknown>;
  truth(adAccountId: string): Promise<TruthAccount>;
  stats(): Promise<CallStats>;
  resetStats(): Promise<void>;
  /** Stops every worker still running, the simulator, Temporal connections; drops the database. */
  close(): Promise<void>;
}

/** Builds the harness; call `close()` in afterAll. */
export async function createSyncHarness(options: SyncHarnessOptions = {}): Promise<SyncHarness> {
  const sim = await startSimulator({
    profile: options.profile ?? 'small',
    seed: options.seed ?? 1 + Math.floor(Math.random() * 1_000_000),
    port: 0,
    tokens: [SIM_TOKEN, ...Array.from({ length: 16 }, (_, i) => accountToken(i))],
    latencyMs: options.latencyMs ?? 0,
    limits: options.limits,
    quota: options.quota,
    now: options.now,
  });
  const [database, temporal] = await Promise.all([createTestDatabase(), connectTestTemporal(options.temporalAddress)]);
  const key = randomBytes(32);
  const config = testConfig({ META_MODE: 'demo', META_GRAPH_URL: sim.url, TOKEN_ENCRYPTION_KEY: `test:${key.toString('base64')}`, ...options.env });
  const tokenCipher = createTokenCipher({ keys: { test: key }, activeKeyId: 'test' });
  const metaResponses: Record<string, { ok: number; failed: number }> = {};
  const defaultFactory = defaultMetaClientFactory(config);
  // Counts every Graph response per account (failures included) so tests can bound retries.
  const createMetaClient: MetaClientFactory = (accessToken, context) =>
    defaultFactory(accessToken, {
      ...context,
      onUsage: (usage, info) => {
        const counter = (metaResponses[context.adAccountId] ??= { ok: 0, failed: 0 });
        if (info.ok) counter.ok++;
        else counter.failed++;
        context.onUsage?.(usage, info);
      },
    });
  // Every non-empty metric page takes the COPY path (copyMinRows 1), the one the service uses for real pages.
  const pgPool = createBulkPool(database.url, 4);
  const deps = createActivityDeps({ db: database.db, config, tokenCipher, createMetaClient, pgPool, copyMinRows: 1 });

  const companyId = randomUUID();
  await database.db.company.create({ data: { id: companyId, name: 'Sim Company' } });
  const accounts = [...sim.state.accounts.values()];
  for (const [index, account] of accounts.entries()) {
    const encrypted = tokenCipher.encrypt(accountToken(index));
    await database.db.adAccount.create({
      data: {
        id: account.id,
        companyId,
        accountId: account.accountId,
        name: account.name,
        currency: account.currency,
        timezoneName: account.timezone,
        encryptedAccessToken: encrypted.ciphertext,
        tokenKeyId: encrypted.keyId,
      },
    });
  }

  const workers = new Set<RunningTestWorker>();
  const request = async (method: string, path: string, body?: string, contentType?: string): Promise<unknown> => {
    const res = await fetch(`${sim.url}${path}`, { method, body, headers: contentType ? { 'content-type': contentType } : undefined });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new Error(`simulator ${method} ${path} answered ${res.status}: ${text}`);
    return parsed;
  };

  const harness: SyncHarness = {
    sim,
    database,
    temporal,
    config,
    tokenCipher,
    deps,
    companyId,
    adAccountIds: accounts.map((a) => a.id),
    metaResponses,
    async startWorker(workerOptions = {}) {
      const worker = await createTestWorker({ temporal, deps, activities: workerOptions.activities });
      const running = worker.run();
      const handle: RunningTestWorker = {
        worker,
        async stop() {
          workers.delete(handle);
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running.catch(() => undefined);
        },
      };
      workers.add(handle);
      return handle;
    },
    simControl: (path, body) => request('POST', path, JSON.stringify(body ?? {}), 'application/json'),
    graphPost: (path, params) =>
      request('POST', `/v24.0/${path}`, new URLSearchParams({ ...params, access_token: SIM_TOKEN }).toString(), 'application/x-www-form-urlencoded'),
    graphDelete: (path) => request('DELETE', `/v24.0/${path}?access_token=${SIM_TOKEN}`),
    async truth(adAccountId) {
      const doc = (await request('GET', `/__sim/truth?adAccountId=${encodeURIComponent(adAccountId)}`)) as { adAccounts: TruthAccount[] };
      return doc.adAccounts[0]!;
    },
    stats: async () => (await request('GET', '/__sim/stats')) as CallStats,
    resetStats: async () => void (await request('POST', '/__sim/stats/reset', '{}', 'application/json')),
    async close() {
      for (const w of [...workers]) await w.stop();
      await sim.close();
      await pgPool.end();
      await Promise.all([temporal.close(), database.close()]);
    },
  };
  return harness;
}
