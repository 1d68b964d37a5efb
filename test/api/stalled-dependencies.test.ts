// A stalled or dead dependency answers 503 naming it, never a hang or an empty 500 (issue 13,
// item 15). The test owns its Temporal dev server and PostgreSQL (never the run's shared ones)
// so it can SIGSTOP, kill and restart them; every stop is undone in a finally block.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { SearchAttributes } from '../../domain/search-attributes';
import { buildApp } from '../../src/api/app';
import { runPrismaMigrateDeploy } from '../../src/db/migrate';
import { createPrismaClient, type Db } from '../../src/db/prisma-client';
import { issueApiToken } from '../../src/operations/api-tokens';
import type { ServiceContext } from '../../src/operations/service-context';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server';
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { connectTemporalClient, type TemporalClientHandle } from '../../src/temporal/temporal-client';
import { freePort } from '../support/infra';
import { startOwnedPostgres, type OwnedPostgres } from '../support/owned-postgres';
import { testConfig } from '../support/test-env';

const SIM_TOKEN = 'sim-token-stalled-0123456789';
/** Long enough that only a hang reaches it: the service's own bounds below are 2-3 s. */
const HANG_MS = 40_000;

let postgres: OwnedPostgres;
let temporal: RunningDevServer;
let temporalHandle: TemporalClientHandle;
let simulator: RunningSimulator;
let db: Db;
let app: FastifyInstance;
let baseUrl: string;
let token: string;
let account: string;
let workflowId: string;
let dataDir: string;
let ctx: ServiceContext;
const companyId = randomUUID();

interface Answer {
  status: number;
  body: any;
}

/** One request; a hang becomes a failed test (the abort), not a stuck run. */
async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${baseUrl}${url}`, { ...init, signal: AbortSignal.timeout(HANG_MS) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
const authorized = (url: string, init: RequestInit = {}): Promise<Answer> =>
  request(url, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  [postgres, temporal, simulator] = await Promise.all([
    startOwnedPostgres(pgPort),
    startDevServer({ cliPath: process.env.TEST_TEMPORAL_CLI!, port: temporalPort, uiPort: false }),
    startSimulator({ profile: 'small', port: 0, seed: 4242, tokens: [SIM_TOKEN] }),
  ]);
  await runPrismaMigrateDeploy(postgres.url);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mao-stalled-'));
  const config = testConfig({
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    META_MODE: 'demo',
    META_GRAPH_URL: simulator.url,
    DATA_DIR: dataDir,
    TOKEN_ENCRYPTION_KEY: `test:${randomBytes(32).toString('base64')}`,
    DATABASE_CONNECT_TIMEOUT_MS: '2000',
    DATABASE_STATEMENT_TIMEOUT_MS: '2000',
    TEMPORAL_CALL_TIMEOUT_MS: '2000',
    TEMPORAL_UPDATE_TIMEOUT_MS: '3000',
  });
  // Built as src/main/service.ts builds them, from the same config.
  db = createPrismaClient({ url: postgres.url, connectTimeoutMs: config.timeouts.databaseConnectMs, statementTimeoutMs: config.timeouts.databaseStatementMs });
  temporalHandle = await connectTemporalClient({ address: temporal.address, namespace: 'default', callTimeoutMs: config.timeouts.temporalCallMs });
  ctx = { config, db, temporal: temporalHandle.client, runtime: { databaseMode: 'external', temporalAddress: temporal.address, startedAt: new Date() } };
  app = await buildApp({ ctx });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  await db.company.create({ data: { id: companyId, name: 'Stalled Co' } });
  token = (await issueApiToken(db, { companyId, name: 'admin', scopes: ['admin'] })).token;
  account = [...simulator.state.accounts.values()][0]!.id;
  expect((await authorized('/v1/ad-accounts', { method: 'POST', body: JSON.stringify({ adAccountId: account, accessToken: SIM_TOKEN }) })).status).toBe(201);
  // A workflow of the company to read (no worker: it simply stays RUNNING).
  workflowId = `stalled-test-workflow:${account}`;
  await temporalHandle.client.workflow.start('fullSyncWorkflow', {
    taskQueue: 'stalled-test-no-worker',
    workflowId,
    args: [{ companyId, adAccountId: account }],
    typedSearchAttributes: [{ key: SearchAttributes.CompanyId, value: companyId }],
  });
  expect((await authorized(`/v1/workflows/${workflowId}`)).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await temporalHandle?.close().catch(() => undefined);
  await db?.$disconnect().catch(() => undefined);
  await Promise.all([temporal?.stop(), postgres?.close(), simulator?.close()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('Temporal stopped (SIGSTOP): starting a sync, reading a workflow and the MCP tool answer 503 TEMPORAL_UNAVAILABLE; /status names Temporal', async () => {
  const mcp = new McpClient({ name: 'test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  process.kill(temporal.pid, 'SIGSTOP');
  try {
    const start = await authorized(`/v1/ad-accounts/${account}/syncs`, { method: 'POST', body: JSON.stringify({ kind: 'full' }) });
    expect({ status: start.status, code: start.body.error.code }).toEqual({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
    expect(start.body.error.message).toMatch(/^Temporal /);
    const read = await authorized(`/v1/workflows/${workflowId}`);
    expect({ status: read.status, code: read.body.error.code }).toEqual({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
    const list = await authorized('/v1/workflows');
    expect({ status: list.status, code: list.body.error.code }).toEqual({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });

    const tool = (await mcp.callTool({ name: 'get_workflow_status', arguments: { workflowId } }, undefined, { timeout: HANG_MS })) as CallToolResult;
    expect(tool.isError).toBe(true);
    expect(JSON.parse((tool.content[0] as { text: string }).text).error.code).toBe('TEMPORAL_UNAVAILABLE');

    const status = await request('/status');
    expect(status.status).toBe(503);
    expect(status.body.failing).toEqual(expect.arrayContaining(['temporal']));
    expect(status.body.failing).not.toContain('database');
    expect(status.body.components.temporal.error).toMatch(/Temporal/);
    // The database still answers meanwhile.
    expect((await authorized('/v1/ad-accounts')).status).toBe(200);
  } finally {
    process.kill(temporal.pid, 'SIGCONT');
    await mcp.close().catch(() => undefined);
  }
  await until(async () => (await authorized(`/v1/workflows/${workflowId}`)).status === 200);
});

test('PostgreSQL stopped (SIGSTOP): listing ad accounts answers 503 DATABASE_UNAVAILABLE; /status names the database', async () => {
  // Connections in the pool and new ones alike: a few requests first, so some are pooled.
  await Promise.all([authorized('/v1/ad-accounts'), authorized('/v1/ad-accounts'), authorized('/v1/ad-accounts')]);
  postgres.signalAll('SIGSTOP');
  try {
    const answers = await Promise.all([authorized('/v1/ad-accounts'), authorized(`/v1/ad-accounts/${account}`), authorized('/v1/ad-accounts')]);
    for (const answer of answers) expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(answers[0]!.body.error.message).toMatch(/^PostgreSQL /);
    const status = await request('/status');
    expect(status.status).toBe(503);
    // (No worker polls this file's task queue, so "worker" is down throughout.)
    expect(status.body.failing).toContain('database');
    expect(status.body.failing).not.toContain('temporal');
    expect(status.body.components.database.error).toMatch(/PostgreSQL/);
  } finally {
    postgres.signalAll('SIGCONT');
  }
  await until(async () => (await authorized('/v1/ad-accounts')).status === 200);
});

test('PostgreSQL killed: the API answers 503 DATABASE_UNAVAILABLE and /status names the database (no address); a restart recovers', async () => {
  await postgres.kill();
  try {
    const list = await authorized('/v1/ad-accounts');
    expect({ status: list.status, code: list.body.error.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    const status = await request('/status');
    expect(status.status).toBe(503);
    // (No worker polls this file's task queue, so "worker" is down throughout.)
    expect(status.body.failing).toContain('database');
    expect(status.body.failing).not.toContain('temporal');
    expect(status.body.components.database.error).toBe('PostgreSQL cannot be reached (refused or dropped the connection)');
    expect(JSON.stringify(status.body)).not.toContain(new URL(postgres.url).port);
  } finally {
    await postgres.restart();
  }
  await until(async () => (await authorized('/v1/ad-accounts')).status === 200);
  expect((await request('/status')).body.components.database.ok).toBe(true);
});

test('a request no bound answers in time gets 503 from the HTTP request timeout instead of waiting', async () => {
  // The same service with a request timeout shorter than its database bounds: the backstop answers first.
  const impatient = await buildApp({ ctx: { ...ctx, config: testConfig({ ...rawEnvOf(ctx), HTTP_REQUEST_TIMEOUT_MS: '500' }) } });
  const url = await impatient.listen({ port: 0, host: '127.0.0.1' });
  postgres.signalAll('SIGSTOP');
  try {
    const response = await fetch(`${url}/v1/ad-accounts`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(HANG_MS) });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('No answer within 500 ms') });
  } finally {
    postgres.signalAll('SIGCONT');
    await impatient.close();
  }
  await until(async () => (await authorized('/v1/ad-accounts')).status === 200);
});

/** The env this file's config was loaded from, to load a variant of it. */
function rawEnvOf(context: ServiceContext): Record<string, string> {
  return {
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    META_MODE: 'demo',
    META_GRAPH_URL: simulator.url,
    DATA_DIR: dataDir,
    TOKEN_ENCRYPTION_KEY: context.config.tokenEncryptionKey!,
    DATABASE_STATEMENT_TIMEOUT_MS: '2000',
  };
}
