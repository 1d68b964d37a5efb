/**
 * Issue 13, item 9: Ctrl-C stops `npm start` cleanly, every time. A terminal's Ctrl-C signals the
 * whole process group (npm, node, and whatever shares the group); the service must drain the
 * worker, stop the embedded servers and leave nothing behind, and the next start must pick up
 * the workflows the stop interrupted. Run as a person runs it: `npm start` in demo mode, with a
 * DATA_DIR and ports of its own, interrupted during a sync, ten times in a row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { progressQuery } from '../../domain/progress';
import { freePort } from '../support/infra';
import { processesMentioning, processGroup, spawnStack, waitFor, waitForStatus, type StackProcess } from './stack-process';

const INTERRUPTS = 10;
/** The issue's bound on a clean exit after Ctrl-C. */
const CLEAN_EXIT_MS = 15_000;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-npm-start-'));
// PostgreSQL runs as its own user when we are root: it must be able to pass through to DATA_DIR.
fs.chmodSync(base, 0o755);
const dataDir = path.join(base, 'data');
let env: Record<string, string>;
let baseUrl: string;
let simulatorUrl: string;
let temporalAddress: string;
let stack: StackProcess | undefined;

beforeAll(async () => {
  const [port, pgPort, simulatorPort, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  baseUrl = `http://127.0.0.1:${port}`;
  simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
  temporalAddress = `127.0.0.1:${temporalPort}`;
  env = {
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(pgPort),
    SIMULATOR_PORT: String(simulatorPort),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_CLI!,
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  // Only what this test started: its process group, then anything still naming its DATA_DIR.
  if (stack?.child.pid && stack.child.exitCode === null) {
    try {
      process.kill(-stack.child.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  for (const line of processesMentioning(dataDir)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  fs.rmSync(base, { recursive: true, force: true });
});

interface Run {
  workflowId: string;
  runId: string;
}

/** `npm start` in its own process group (as a terminal runs a job), healthy. */
async function start(): Promise<StackProcess> {
  const started = spawnStack({ how: 'npm-start', env, detached: true });
  stack = started;
  await waitForStatus(baseUrl, (s) => s.code === 200, { timeoutMs: 180_000, output: started.output, exited: started.exited });
  return started;
}

async function withTemporal<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

/** The run's progress query answer as JSON (its counters and phase), or its status once it has closed. */
async function progressOf(client: Client, run: Run): Promise<string> {
  const handle = client.workflow.getHandle(run.workflowId, run.runId);
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') return status.name;
  const progress = (await handle.query(progressQuery)) as unknown as Record<string, unknown>;
  const { updatedAt: _time, ...rest } = progress;
  return JSON.stringify(rest);
}

/** Every workflow run Temporal has running now. */
async function runningRuns(): Promise<Run[]> {
  return withTemporal(async (client) => {
    const runs: Run[] = [];
    for await (const execution of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) runs.push({ workflowId: execution.workflowId, runId: execution.runId });
    return runs;
  });
}

async function api(url: string, init: RequestInit = {}): Promise<any> {
  const token = fs.readFileSync(path.join(dataDir, 'demo-admin-token'), 'utf8').trim();
  const response = await fetch(`${baseUrl}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Makes sure a sync is under way when Ctrl-C comes: a slow Meta (simulator latency) and a metrics
 * sync of one account that the worker has begun (its progress query answers).
 */
async function syncUnderWay(round: number): Promise<void> {
  const faults = await fetch(`${simulatorUrl}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 150 }) });
  expect(faults.ok).toBe(true);
  const accounts = (await api('/v1/ad-accounts')).data as Array<{ id: string }>;
  expect(accounts.length).toBeGreaterThan(0);
  const account = accounts[round % accounts.length]!.id;
  const started = await api(`/v1/ad-accounts/${account}/syncs`, { method: 'POST', body: JSON.stringify({ kind: 'metrics', grain: round % 2 === 0 ? 'daily' : 'hourly' }) });
  await waitFor('the sync to be under way', async () => {
    const status = await api(`/v1/workflows/${encodeURIComponent(started.workflowId)}`);
    return status.status === 'RUNNING' && status.progress ? true : undefined;
  });
}

/** Ctrl-C: SIGINT to the whole process group. Answers how long until the group and every DATA_DIR process were gone. */
async function interrupt(stopped: StackProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; goneAfterMs: number; left: string[] }> {
  const pgid = stopped.child.pid!;
  const sent = Date.now();
  process.kill(-pgid, 'SIGINT');
  const exit = await stopped.exited;
  let left: string[] = [];
  for (;;) {
    left = [...processGroup(pgid), ...processesMentioning(dataDir)];
    if (left.length === 0 || Date.now() - sent > CLEAN_EXIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { ...exit, goneAfterMs: Date.now() - sent, left };
}

/**
 * npm's own exit: 0, or, as npm reports a script its shell ended because of the Ctrl-C, SIGINT
 * (a terminal shows 130, the status of an interrupted command). Either comes only after the
 * service itself has finished (npm waits for its script).
 */
function cleanExit(stop: { code: number | null; signal: NodeJS.Signals | null }): string {
  return stop.code === 0 || (stop.code === null && stop.signal === 'SIGINT') || stop.code === 130 ? 'clean' : `code ${stop.code}, signal ${stop.signal}`;
}

/** "message ← cause ← cause" of an error. */
function failureChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) parts.push(String(e.message));
  return parts.join(' ← ');
}

/** The service's last log message (pino JSON lines; npm prints nothing after it). */
function lastLogMessage(output: string): string | undefined {
  const messages = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return (JSON.parse(line) as { msg?: string }).msg;
      } catch {
        return undefined;
      }
    })
    .filter((msg): msg is string => typeof msg === 'string');
  return messages[messages.length - 1];
}

test(`Ctrl-C (SIGINT to the process group) during a sync, ${INTERRUPTS} times in a row: a clean exit within 15 s, nothing left of the DATA_DIR, "shutdown complete"; each next start resumes the interrupted workflows`, async () => {
  const interrupted: Run[] = [];
  let lastInterrupted: Array<Run & { progress: string }> = [];
  for (let round = 0; round < INTERRUPTS; round++) {
    const running = await start();
    // What the last stop interrupted is still there, running or done by now: never failed, canceled or terminated.
    await withTemporal(async (client) => {
      for (const run of interrupted) {
        const handle = client.workflow.getHandle(run.workflowId, run.runId);
        const { status } = await handle.describe();
        // A run that ended badly says why (its failure's chain of causes).
        const why = status.name === 'FAILED' ? await handle.result().then(() => '', (error: unknown) => failureChain(error)) : '';
        expect({ ...run, round, status: status.name, why }).toEqual({ ...run, round, status: expect.stringMatching(/^(RUNNING|COMPLETED|CONTINUED_AS_NEW)$/), why: '' });
      }
    });
    await syncUnderWay(round);
    const runs = await runningRuns();
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) if (!interrupted.some((r) => r.runId === run.runId)) interrupted.push(run);
    lastInterrupted = await withTemporal((client) => Promise.all(runs.map(async (run) => ({ ...run, progress: await progressOf(client, run) }))));

    const stop = await interrupt(running);
    const log = running.output();
    expect({ round, left: stop.left, withinIssueBound: stop.goneAfterMs <= CLEAN_EXIT_MS, exit: cleanExit(stop), lastLine: lastLogMessage(log) }).toEqual({
      round,
      left: [],
      withinIssueBound: true,
      exit: 'clean',
      lastLine: 'shutdown complete',
    });
    expect(log).not.toMatch(/terminating connection due to administrator command|already in use|shutdown failed|exiting now/);
  }

  // One more start: every run the last stop interrupted goes on from where it was (its progress
  // moves or it completes); none of the earlier ones ended badly (checked at each start above).
  const last = await start();
  await withTemporal(async (client) => {
    for (const run of lastInterrupted) {
      await waitFor(`${run.workflowId} to go on after the restart`, async () => ((await progressOf(client, run)) !== run.progress ? true : undefined), 180_000, 1_000);
      const { status } = await client.workflow.getHandle(run.workflowId, run.runId).describe();
      expect({ ...run, status: status.name }).toEqual({ ...run, status: expect.stringMatching(/^(RUNNING|COMPLETED|CONTINUED_AS_NEW)$/) });
    }
  });
  const stop = await interrupt(last);
  expect({ left: stop.left, exit: cleanExit(stop), lastLine: lastLogMessage(last.output()) }).toEqual({ left: [], exit: 'clean', lastLine: 'shutdown complete' });
}, 30 * 60_000);
