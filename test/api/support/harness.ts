import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { createActivityDeps } from '../../../activities/activity-deps';
import { buildApp } from '../../../src/api/app';
import { issueApiToken } from '../../../src/operations/api-tokens';
import { removeAdAccountSyncSchedules } from '../../../src/temporal/sync-schedules';
import type { ServiceContext } from '../../../src/operations/service-context';
import type { ProfileSpec } from '../../../src/simulator/profiles';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/simulator-server';
import type { RawEnv } from '../../../src/config';
import { connectTestTemporal, createTestDatabase, createTestWorker, testConfig, type TestDatabase, type TestTemporal } from '../../support/test-env';

export const SIM_TOKEN = 'sim-token-0123456789abcdef';
/** A second valid simulator token: a test can expire it alone (`expireTokens: [SIM_TOKEN_2]`). */
export const SIM_TOKEN_2 = 'sim-token-second-0123456789';
// Workflow and schedule ids are global on the run's shared Temporal server: each test file (its
// own module registry) gets companies and, through a random simulator seed, ad accounts of its own.
export const COMPANY_A = randomUUID();
export const COMPANY_B = randomUUID();

export interface Tokens {
  admin: string;
  read: string;
  /** `read` and `leads`: may read leads (personal data). */
  leads: string;
  sync: string;
  write: string;
}

export interface InjectOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

export interface InjectResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  json(): any;
}

export interface Harness {
  /** Base URL of the app listening on a random port. */
  url: string;
  /** One request over real HTTP to the listening app. */
  inject(options: InjectOptions): Promise<InjectResponse>;
  /** The same request through Fastify's `app.inject()` (no socket), answered in the same shape. */
  appInject(options: InjectOptions): Promise<InjectResponse>;
  database: TestDatabase;
  temporal: TestTemporal;
  simulator: RunningSimulator;
  /** POST to the simulator's control API (`/__sim/faults`, ...). */
  simControl(path: string, body?: unknown): Promise<void>;
  simulatorAccounts: string[];
  ctx: ServiceContext;
  app: FastifyInstance;
  logs: string[];
  a: Tokens;
  b: Tokens;
  dataDir: string;
  close(): Promise<void>;
}

/** The simulator's small profile plus a third, smaller account (two per company in the tests, one spare). */
const API_TEST_PROFILE: ProfileSpec = {
  name: 'api-tests',
  adAccounts: [
    { timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 5, adsetsPerCampaign: 3, adsPerAdset: 4 },
    { timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 5, adsetsPerCampaign: 3, adsPerAdset: 4 },
    { timezone: 'Asia/Tokyo', currency: 'JPY', campaigns: 2, adsetsPerCampaign: 2, adsPerAdset: 2 },
  ],
  insightsDays: 30,
  hourlyDays: 7,
};

export interface HarnessOptions {
  env?: RawEnv;
  /** Run a real worker (real workflows and activities) on the file's task queue. @default true */
  worker?: boolean;
  /** Simulator latency per Graph request, so syncs stay RUNNING long enough to watch. @default 5 */
  latencyMs?: number;
  /**
   * Simulator seed, for a file that needs data of a known shape (e.g. active ads with delivery).
   * Ad account ids follow the seed and workflow ids follow them, so each file picks its own.
   * @default a random seed
   */
  seed?: number;
}

/**
 * Everything real: PostgreSQL, Temporal with a worker running the real workflows and activities,
 * the Graph simulator as Meta, and the app listening on a random port.
 */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [database, temporal, simulator] = await Promise.all([
    createTestDatabase(),
    connectTestTemporal(),
    startSimulator({ profile: API_TEST_PROFILE, port: 0, seed: options.seed ?? 1 + Math.floor(Math.random() * 1_000_000), tokens: [SIM_TOKEN, SIM_TOKEN_2], latencyMs: options.latencyMs ?? 5 }),
  ]);
  const truth = (await (await fetch(`${simulator.url}/__sim/truth`)).json()) as { adAccounts: Array<{ id: string }> };
  const simulatorAccounts = truth.adAccounts.map((account) => (account.id.startsWith('act_') ? account.id : `act_${account.id}`));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mao-api-'));
  // One key for the app (which encrypts on connect) and the worker's activities (which decrypt).
  const TOKEN_ENCRYPTION_KEY = `test:${randomBytes(32).toString('base64')}`;
  const config = testConfig({ TEMPORAL_TASK_QUEUE: temporal.taskQueue, META_GRAPH_URL: simulator.url, META_MODE: 'demo', DATA_DIR: dataDir, LOG_LEVEL: 'info', TOKEN_ENCRYPTION_KEY, ...options.env });
  const ctx: ServiceContext = {
    config,
    db: database.db,
    temporal: temporal.client,
    runtime: { databaseMode: 'external', temporalAddress: process.env.TEST_TEMPORAL_ADDRESS ?? '', startedAt: new Date() },
  };
  const logs: string[] = [];
  const logger = pino(
    { level: 'info', redact: { paths: ['req.headers.authorization', '*.accessToken', '*.token'], censor: '[redacted]' } },
    new Writable({
      write(chunk, _encoding, callback) {
        logs.push(String(chunk));
        callback();
      },
    }),
  );
  const app = await buildApp({ ctx, logger });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  if (options.worker !== false) {
    worker = await createTestWorker({ temporal, deps: createActivityDeps({ db: database.db, config }) });
    running = worker.run();
  }

  await database.db.company.createMany({ data: [{ id: COMPANY_A, name: 'Company A' }, { id: COMPANY_B, name: 'Company B' }] });
  const tokensFor = async (companyId: string): Promise<Tokens> => ({
    admin: (await issueApiToken(database.db, { companyId, name: 'admin', scopes: ['admin'] })).token,
    read: (await issueApiToken(database.db, { companyId, name: 'read', scopes: ['read'] })).token,
    leads: (await issueApiToken(database.db, { companyId, name: 'leads', scopes: ['read', 'leads'] })).token,
    sync: (await issueApiToken(database.db, { companyId, name: 'sync', scopes: ['read', 'sync'] })).token,
    write: (await issueApiToken(database.db, { companyId, name: 'write', scopes: ['read', 'write'] })).token,
  });
  const a = await tokensFor(COMPANY_A);
  const b = await tokensFor(COMPANY_B);

  return {
    url,
    inject: (options) => httpInject(url, options),
    async appInject(options) {
      const response = await app.inject({ method: (options.method ?? 'GET') as 'GET', url: options.url, headers: options.headers, payload: options.payload as string | object | undefined });
      const headers = Object.fromEntries(Object.entries(response.headers).map(([key, value]) => [key, String(value)]));
      return { statusCode: response.statusCode, headers, body: response.body, json: () => JSON.parse(response.body) };
    },
    database,
    temporal,
    simulator,
    async simControl(controlPath, body) {
      const response = await fetch(`${simulator.url}${controlPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      if (!response.ok) throw new Error(`simulator POST ${controlPath} answered ${response.status}: ${await response.text()}`);
    },
    simulatorAccounts,
    ctx,
    app,
    logs,
    a,
    b,
    dataDir,
    async close() {
      await app.close();
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      // Schedules live on the run's shared Temporal server: leave none behind.
      await Promise.all(simulatorAccounts.map((id) => removeAdAccountSyncSchedules(temporal.client, id).catch(() => undefined)));
      await Promise.all([temporal.close(), database.close(), simulator.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** One HTTP request against the listening app, answered in the shape tests assert on. */
export async function httpInject(base: string, options: InjectOptions): Promise<InjectResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.payload !== undefined) {
    body = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
    if (!Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${base}${options.url}`, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  return { statusCode: response.status, headers: responseHeaders, body: text, json: () => JSON.parse(text) };
}

/** Connects one simulator account to company A over HTTP and waits for its full sync, as a user would. */
export async function connectAndFullSync(h: Harness, adAccountId: string): Promise<void> {
  const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId, accessToken: SIM_TOKEN } });
  if (connected.statusCode !== 201) throw new Error(`connecting ${adAccountId} answered ${connected.statusCode}: ${connected.body}`);
  const started = (await h.inject({ method: 'POST', url: `/v1/ad-accounts/${adAccountId}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } })).json();
  await h.temporal.client.workflow.getHandle(started.workflowId).result();
}
