import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { retentionWorkflow } from '../../workflows';
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../support/infra';
import { fetchStatus, postgresPids, processesMentioning, spawnStack, waitForStatus, type StackProcess, type StatusAnswer } from './stack-process';

// Boots the real stack the way `npm start` does (embedded PostgreSQL, the worker, Fastify) in a
// child process, against a Temporal dev server this test owns so it can kill and restart it.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-stack-'));
// PostgreSQL runs as its own user when we are root: it must be able to pass through to DATA_DIR.
fs.chmodSync(base, 0o755);
const dataDir = path.join(base, 'data');
const temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-stack-temporal-'));
let stack: StackProcess;
let temporal: RunningDevServer;
let temporalPort: number;
let baseUrl: string;
const output = (): string => stack.output();

async function startTemporal(): Promise<RunningDevServer> {
  return startDevServer({ cliPath: process.env.TEST_TEMPORAL_CLI!, port: temporalPort, uiPort: false, dbFilename: path.join(temporalDir, 'external-temporal.db') });
}

const status = (): Promise<StatusAnswer> => fetchStatus(baseUrl);
const waitForStatusOf = (predicate: (s: StatusAnswer) => boolean, timeoutMs = 60_000): Promise<StatusAnswer> => waitForStatus(baseUrl, predicate, { timeoutMs, output });

beforeAll(async () => {
  temporalPort = await freePort();
  temporal = await startTemporal();
  const [port, pgPort, simulatorPort] = await Promise.all([freePort(), freePort(), freePort()]);
  baseUrl = `http://127.0.0.1:${port}`;
  stack = spawnStack({
    how: 'entrypoint',
    env: {
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      SIMULATOR_PORT: String(simulatorPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      LOG_LEVEL: 'info',
    },
  });
  await waitForStatusOf((s) => s.code === 200, 120_000);
});

afterAll(async () => {
  if (stack && stack.child.exitCode === null) stack.child.kill('SIGKILL');
  await temporal?.stop();
  fs.rmSync(base, { recursive: true, force: true });
  fs.rmSync(temporalDir, { recursive: true, force: true });
});

test('/health, /info and /status describe a healthy embedded stack', async () => {
  expect(await (await fetch(`${baseUrl}/health`)).json()).toEqual({ ok: true });
  const anonymous = (await (await fetch(`${baseUrl}/info`)).json()) as Record<string, unknown>;
  expect(anonymous).toMatchObject({ version: expect.any(String), mode: 'demo', metaApiVersion: 'v24.0', database: 'embedded' });
  // Where the parts listen is for token holders only (the demo prints its admin token once).
  expect(anonymous.temporal).toBeUndefined();
  const token = /admin API token (mao_[A-Za-z0-9_-]{43})/.exec(output())?.[1];
  const info = (await (await fetch(`${baseUrl}/info`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  expect(info).toMatchObject({ temporal: { address: `127.0.0.1:${temporalPort}`, namespace: 'default' } });
  expect(info.metaGraphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const healthy = await status();
  expect(healthy).toMatchObject({ code: 200, body: { ok: true, failing: [] } });
  expect(output()).toMatch(/started embedded PostgreSQL on 127\.0\.0\.1:\d+, data in/);
  expect(output()).toMatch(/worker polling task queue \\?"meta-ads\\?"/);
});

test('a workflow started through the Temporal client runs on the stack\'s worker and completes', async () => {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    const client = new Client({ connection });
    const result = await client.workflow.execute(retentionWorkflow, {
      taskQueue: 'meta-ads',
      workflowId: `stack-test-retention-${Date.now()}`,
      args: [{ hourlyRetentionDays: 7, asOf: '2026-01-10T00:00:00Z' }],
    });
    expect(result).toEqual({ cutoffDate: '2026-01-03', deletedHourlyRows: 0, deletedHourlyActionRows: 0, keptUncoveredDays: 0 });
  } finally {
    await connection.close();
  }
});

test('/status names PostgreSQL when it stops answering, and recovers when it answers again', async () => {
  const pids = postgresPids(path.join(dataDir, 'postgres'));
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    const down = await waitForStatusOf((s) => s.code === 503);
    expect(down.body.failing).toEqual(['database']);
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
  const up = await waitForStatusOf((s) => s.code === 200);
  expect(up.body.failing).toEqual([]);
});

test('/status names Temporal when it is killed, and recovers when it comes back', async () => {
  await temporal.stop();
  const down = await waitForStatusOf((s) => s.code === 503);
  expect(down.body.failing).toEqual(expect.arrayContaining(['temporal']));
  expect(down.body.failing).not.toContain('database');
  temporal = await startTemporal();
  const up = await waitForStatusOf((s) => s.code === 200, 90_000);
  expect(up.body.failing).toEqual([]);
});

test('SIGINT shuts everything down in order, leaves no child process and keeps the data directory', async () => {
  stack.child.kill('SIGINT');
  const { code } = await stack.exited;
  if (code !== 0) console.log(output().slice(-2500));
  expect(code).toBe(0);
  const order = ['stopped HTTP API', 'stopped worker', 'stopped Temporal client', 'stopped database client', 'stopped embedded PostgreSQL', 'shutdown complete'].map((line) => output().indexOf(line));
  expect(order.every((index) => index >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b).slice(0, 4)).toEqual(order.slice(0, 4));
  expect(processesMentioning(dataDir)).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
});
