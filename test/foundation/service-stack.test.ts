import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { retentionWorkflow } from '../../workflows';
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../support/infra';

// Boots the real stack the way `npm start` does (embedded PostgreSQL, the worker, Fastify) in a
// child process, against a Temporal dev server this test owns so it can kill and restart it.
const root = path.resolve(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-stack-'));
// PostgreSQL runs as its own user when we are root: it must be able to reach its data directory.
fs.chmodSync(dataDir, 0o755);
const temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-stack-temporal-'));
let stack: ChildProcess;
let temporal: RunningDevServer;
let temporalPort: number;
let baseUrl: string;
let output = '';

async function startTemporal(): Promise<RunningDevServer> {
  return startDevServer({ cliPath: process.env.TEST_TEMPORAL_CLI!, port: temporalPort, uiPort: false, dbFilename: path.join(temporalDir, 'external-temporal.db') });
}

async function status(): Promise<{ code: number; body: { ok: boolean; failing: string[] } }> {
  const response = await fetch(`${baseUrl}/status`);
  return { code: response.status, body: (await response.json()) as { ok: boolean; failing: string[] } };
}

async function waitForStatus(predicate: (s: { code: number; body: { ok: boolean; failing: string[] } }) => boolean, timeoutMs = 60_000): Promise<{ code: number; body: { ok: boolean; failing: string[] } }> {
  const deadline = Date.now() + timeoutMs;
  let last: { code: number; body: { ok: boolean; failing: string[] } } | undefined;
  while (Date.now() < deadline) {
    try {
      last = await status();
      if (predicate(last)) return last;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`status never matched; last: ${JSON.stringify(last)}; output:\n${output.slice(-3000)}`);
}

function postgresPids(): number[] {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  const children = execFileSync('pgrep', ['-P', String(postmaster)]).toString().trim().split('\n').map(Number);
  return [postmaster, ...children];
}

/** Command lines of running processes that mention `text` (pgrep exits 1 when there are none). */
function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  temporalPort = await freePort();
  temporal = await startTemporal();
  const [port, pgPort, simulatorPort] = await Promise.all([freePort(), freePort(), freePort()]);
  baseUrl = `http://127.0.0.1:${port}`;
  stack = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'src', 'main', 'start.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      SIMULATOR_PORT: String(simulatorPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitForStatus((s) => s.code === 200, 120_000);
});

afterAll(async () => {
  if (stack && stack.exitCode === null) stack.kill('SIGKILL');
  await temporal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(temporalDir, { recursive: true, force: true });
});

test('/health, /info and /status describe a healthy embedded stack', async () => {
  expect(await (await fetch(`${baseUrl}/health`)).json()).toEqual({ ok: true });
  const anonymous = (await (await fetch(`${baseUrl}/info`)).json()) as Record<string, unknown>;
  expect(anonymous).toMatchObject({ version: expect.any(String), mode: 'demo', metaApiVersion: 'v24.0', database: 'embedded' });
  // Where the parts listen is for token holders only (the demo prints its admin token once).
  expect(anonymous.temporal).toBeUndefined();
  const token = /admin API token (mao_[A-Za-z0-9_-]{43})/.exec(output)?.[1];
  const info = (await (await fetch(`${baseUrl}/info`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  expect(info).toMatchObject({ temporal: { address: `127.0.0.1:${temporalPort}`, namespace: 'default' } });
  expect(info.metaGraphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const healthy = await status();
  expect(healthy).toMatchObject({ code: 200, body: { ok: true, failing: [] } });
  expect(output).toMatch(/started embedded PostgreSQL on 127\.0\.0\.1:\d+, data in/);
  expect(output).toMatch(/worker polling task queue \\?"meta-ads\\?"/);
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
  const pids = postgresPids();
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    const down = await waitForStatus((s) => s.code === 503);
    expect(down.body.failing).toEqual(['database']);
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
  const up = await waitForStatus((s) => s.code === 200);
  expect(up.body.failing).toEqual([]);
});

test('/status names Temporal when it is killed, and recovers when it comes back', async () => {
  await temporal.stop();
  const down = await waitForStatus((s) => s.code === 503);
  expect(down.body.failing).toEqual(expect.arrayContaining(['temporal']));
  expect(down.body.failing).not.toContain('database');
  temporal = await startTemporal();
  const up = await waitForStatus((s) => s.code === 200, 90_000);
  expect(up.body.failing).toEqual([]);
});

test('SIGINT shuts everything down in order, leaves no child process and keeps the data directory', async () => {
  const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
  stack.kill('SIGINT');
  const code = await exited;
  if (code !== 0) console.log(output.slice(-2500));
  expect(code).toBe(0);
  const order = ['stopped HTTP API', 'stopped worker', 'stopped Temporal client', 'stopped database client', 'stopped embedded PostgreSQL', 'shutdown complete'].map((line) => output.indexOf(line));
  expect(order.every((index) => index >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b).slice(0, 4)).toEqual(order.slice(0, 4));
  expect(processesMentioning(dataDir)).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
});
