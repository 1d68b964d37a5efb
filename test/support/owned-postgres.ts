/**
 * A PostgreSQL server a test file owns (an embedded one in a child process), so it can stop
 * (SIGSTOP), resume, kill and restart it without touching the run's shared server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface OwnedPostgres {
  /** postgresql:// URL of its `postgres` database. */
  url: string;
  /** Postmaster and every backend: SIGSTOP them all to make the server stop answering. */
  pids(): number[];
  signalAll(signal: NodeJS.Signals): void;
  /** SIGKILL of the postmaster: connections drop, new ones are refused. */
  kill(): Promise<void>;
  /** Starts it again on the same data directory (after kill). */
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

/** Starts an embedded PostgreSQL on `port` with its data in a new temporary directory. */
export async function startOwnedPostgres(port: number): Promise<OwnedPostgres> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'owned-pg-'));
  // PostgreSQL runs as its own user when we are root: it must be able to reach its data directory.
  fs.chmodSync(parent, 0o755);
  const dataDir = path.join(parent, 'postgres');
  let child: ChildProcess | undefined;
  let url = '';
  const start = async (): Promise<void> => {
    const started = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'test', 'support', 'embedded-postgres-process.ts'), dataDir, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = started;
    url = await new Promise<string>((resolve, reject) => {
      started.stdout!.on('data', (chunk: Buffer) => {
        const match = /READY (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
      started.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited during start-up (${code})`)));
    });
  };
  const postmaster = (): number => Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const stopChild = async (): Promise<void> => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill('SIGKILL');
    });
  };
  const pids = (): number[] => {
    const main = postmaster();
    let children: number[] = [];
    try {
      children = execFileSync('pgrep', ['-P', String(main)]).toString().trim().split('\n').filter(Boolean).map(Number);
    } catch {
      // no backends
    }
    return [main, ...children];
  };
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const pid of pids()) {
      try {
        process.kill(pid, signal);
      } catch {
        // exited meanwhile
      }
    }
  };
  await start();
  return {
    get url() {
      return url;
    },
    pids,
    signalAll,
    async kill() {
      const all = pids();
      process.kill(all[0]!, 'SIGKILL');
      // The backends notice the postmaster's death and exit; wait until none is left.
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && all.some((pid) => alive(pid))) await new Promise((resolve) => setTimeout(resolve, 100));
      await stopChild();
    },
    async restart() {
      await stopChild();
      await start();
    },
    async close() {
      try {
        signalAll('SIGCONT');
      } catch {
        // not running
      }
      const current = child;
      if (current && current.exitCode === null && current.signalCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
          current.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          current.kill('SIGTERM');
        });
      }
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
