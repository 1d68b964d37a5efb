import fs from 'node:fs';

/**
 * Facts about other processes of this machine, for the start-up checks that must tell a live
 * PostgreSQL, Temporal dev server or `npm start` from a pid file left behind by a dead one.
 */

/** True while a process with this pid exists (also one of another user, which answers EPERM). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process's command line with arguments joined by spaces, or undefined where /proc cannot
 * tell (another OS, or the process is gone).
 */
export function commandLineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` is alive and, where /proc can tell, its command line contains `marker` (a
 * path of this DATA_DIR): a pid recorded by an earlier run may since belong to another program.
 */
export function isProcessRunning(pid: number, marker: string): boolean {
  if (!isProcessAlive(pid)) return false;
  const commandLine = commandLineOf(pid);
  return commandLine === undefined || commandLine.includes(marker);
}

/** Sends `signal` and waits up to `timeoutMs` for the process to go; true when it went. */
export async function signalAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(pid, signal);
  } catch {
    return !isProcessAlive(pid);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isProcessAlive(pid);
}
