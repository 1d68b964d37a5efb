import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../domain/search-attributes';
import { ServiceUnavailableError } from '../errors';
import { isProcessRunning, signalAndWait } from '../processes';

export interface DevServerOptions {
  cliPath: string;
  /** gRPC port. @default 7233 */
  port?: number;
  /** Web UI port; `false` runs headless. @default 8233 */
  uiPort?: number | false;
  /** SQLite file; without it the server keeps everything in memory. */
  dbFilename?: string;
  /** @default 'default' */
  namespace?: string;
  /** @default '127.0.0.1' */
  ip?: string;
  /** Where the server's own log goes. @default 'ignore' */
  logFile?: string;
  /** @default 30_000 */
  startTimeoutMs?: number;
  /** Extra dynamic config (`--dynamic-config-value key=value`), e.g. a low continue-as-new suggestion for a test. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  pid: number;
  /** Stops the server gracefully (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev`: a real single-process Temporal server with its UI and the
 * project's custom search attributes, persisted in SQLite when `dbFilename` is given.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  if (options.uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort ?? 8233), '--ui-ip', ip);
  if (options.dbFilename) {
    // The history holds every workflow's inputs and results: private to this user.
    fs.mkdirSync(path.dirname(options.dbFilename), { recursive: true, mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm']) chmodIfExists(`${options.dbFilename}${suffix}`, 0o600);
    args.push('--db-filename', options.dbFilename);
  }
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=Keyword`);
  // Workflow updates and Update-With-Start (sync starts, change set confirms) are off by default in
  // older servers; the CLI's dev server takes any key.
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  args.push('--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true');
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  if (await isPortOpen(ip, port)) {
    throw new ServiceUnavailableError(`Port ${port} is already in use: another Temporal server? Set TEMPORAL_ADDRESS to use it, or TEMPORAL_DEV_PORT to pick another port`);
  }
  const out = options.logFile ? fs.openSync(options.logFile, 'a', 0o600) : 'ignore';
  // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the server after
  // the worker has drained. If this process dies without stopping it, the exit hook still kills it.
  // SQLite creates the history (and its -wal, -shm) with the server's umask: owner-only.
  const umask = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn(options.cliPath, args, { stdio: ['ignore', out, out], detached: true });
  } finally {
    process.umask(umask);
    if (typeof out === 'number') fs.closeSync(out);
  }
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `${ip}:${port}`;
  await waitForServer(address, namespace, options.startTimeoutMs ?? 30_000, exited);
  return {
    address,
    uiUrl: options.uiPort === false ? undefined : `http://${ip}:${options.uiPort ?? 8233}`,
    pid: child.pid ?? -1,
    stop: async () => {
      await stopChild(child, exited);
      process.removeListener('exit', killOnExit);
    },
  };
}

async function waitForServer(address: string, namespace: string, timeoutMs: number, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let early: number | null | undefined;
  void exited.then((code) => (early = code));
  while (Date.now() < deadline) {
    if (early !== undefined) throw new ServiceUnavailableError(`The Temporal dev server exited during start-up (exit code ${early})`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new ServiceUnavailableError(`The Temporal dev server did not answer on ${address} within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A dev server left running by a run that died, recognised by its pid and its history file on
 * the command line: SIGTERM, then SIGKILL. True when one was stopped.
 */
export async function stopOrphanedDevServer(pid: number, dbFilename: string): Promise<boolean> {
  if (!isProcessRunning(pid, dbFilename)) return false;
  if (!(await signalAndWait(pid, 'SIGTERM', 10_000))) await signalAndWait(pid, 'SIGKILL', 5_000);
  return true;
}

function chmodIfExists(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
