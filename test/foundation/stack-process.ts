import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The service as a person runs it: a child process (`npm start`, or the entrypoint through tsx),
 * its output collected, its HTTP API polled. Shared by the tests that start real stacks.
 */
export const ROOT = path.resolve(__dirname, '..', '..');

export interface StackProcess {
  child: ChildProcess;
  /** Everything the process tree printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the spawned process (npm, or node) exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnStackOptions {
  /** `npm-start` runs `npm start` exactly as the README says; `entrypoint` runs src/main/<entry>.ts through tsx. */
  how: 'npm-start' | 'entrypoint';
  /** @default 'start' */
  entry?: string;
  env: Record<string, string>;
  /** Its own process group, as a terminal gives it (so the test can signal the whole group). */
  detached?: boolean;
}

/** Starts the service; PATH and HOME are passed on, nothing else of this process's environment. */
export function spawnStack(options: SpawnStackOptions): StackProcess {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
  const [command, args] =
    options.how === 'npm-start'
      ? ['npm', ['start']]
      : [process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'main', `${options.entry ?? 'start'}.ts`)]];
  const child = spawn(command, args as string[], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

export interface StatusAnswer {
  code: number;
  body: { ok: boolean; failing: string[] };
}

/** GET /status. */
export async function fetchStatus(baseUrl: string): Promise<StatusAnswer> {
  const response = await fetch(`${baseUrl}/status`);
  return { code: response.status, body: (await response.json()) as StatusAnswer['body'] };
}

/** Polls /status until `predicate` holds; fails with the last answer and the process output. */
export async function waitForStatus(baseUrl: string, predicate: (s: StatusAnswer) => boolean, options: { timeoutMs?: number; output?: () => string; exited?: Promise<unknown> } = {}): Promise<StatusAnswer> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: StatusAnswer | undefined;
  let gone = false;
  void options.exited?.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      last = await fetchStatus(baseUrl);
      if (predicate(last)) return last;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`status never matched${gone ? ' (the process exited)' : ''}; last: ${JSON.stringify(last)}; output:\n${options.output?.().slice(-4000) ?? ''}`);
}

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, intervalMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Running processes whose command line mentions `text`, as "pid command" lines (pgrep exits 1 when there are none). */
export function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      // pgrep's own shell, when there is one, is not a process of the stack.
      .filter((line) => !/\bpgrep\b/.test(line));
  } catch {
    return [];
  }
}

/** Processes still in a process group (a terminal's job: `npm start` and all it did not detach). */
export function processGroup(pgid: number): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-g', String(pgid)]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Kills, by pid, every process whose command line mentions `text` (test cleanup of what the test started). */
export function killProcessesMentioning(text: string): void {
  for (const line of processesMentioning(text)) {
    const pid = Number(line.split(' ')[0]);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** The embedded PostgreSQL's postmaster and its children. */
export function postgresPids(clusterDir: string): number[] {
  const postmaster = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = execFileSync('pgrep', ['-P', String(postmaster)]).toString().trim().split('\n').map(Number);
  return [postmaster, ...children];
}
