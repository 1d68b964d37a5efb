import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

export interface OrphanWatchdog {
  pid: number;
  /** Stops `pid` with `signal` if this process dies without stopping it. */
  watch(pid: number, signal: 'INT' | 'TERM'): void;
  /** Clean shutdown done: the watchdog leaves without signalling anything. */
  release(): void;
}

// Reads "SIGNAL PID" lines until its stdin closes, which happens when our process is gone, however
// it went (SIGKILL, OOM killer, a crash): then it signals the most recently watched process first
// (Temporal before PostgreSQL), each only if its command line, where /proc shows it, still names
// this DATA_DIR ($0), so a pid reused meanwhile is left alone.
const SCRIPT = `
list=""
while read -r sig pid; do list="$sig:$pid $list"; done
for entry in $list; do
  sig="\${entry%%:*}"; pid="\${entry#*:}"
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$0"; then continue; fi
  kill -"$sig" "$pid" 2>/dev/null
done
`;

/**
 * A tiny `sh` process in its own process group (a Ctrl-C does not reach it) that outlives us and
 * stops the embedded PostgreSQL and Temporal dev server if we are killed before stopping them.
 * Without it they would run on, orphaned, holding their ports and DATA_DIR.
 */
export function startOrphanWatchdog(dataDir: string): OrphanWatchdog {
  const child = spawn('/bin/sh', ['-c', SCRIPT, dataDir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.unref();
  const stdin = child.stdin!;
  (stdin as unknown as Socket).unref?.();
  stdin.on('error', () => undefined);
  return {
    pid: child.pid ?? -1,
    watch: (pid, signal) => {
      if (pid > 0) stdin.write(`${signal} ${pid}\n`);
    },
    release: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
