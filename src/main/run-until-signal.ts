import type { Logger } from 'pino';

/**
 * A terminal's Ctrl-C signals the whole process group, and a wrapper (npm, tsx) may relay the
 * same signal once more: repeats within this window are that one Ctrl-C, not a second one.
 */
const REPEAT_WINDOW_MS = 1000;

/**
 * Keeps the process alive until SIGINT/SIGTERM, then runs `stop` once and exits 0 after logging
 * "shutdown complete". A second Ctrl-C (more than a second later) while stopping forces exit, as
 * people expect; the embedded servers then still get their stop signal (their exit hooks and
 * the orphan watchdog).
 */
export function runUntilSignal(stop: () => Promise<void>, logger: Logger): void {
  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < REPEAT_WINDOW_MS) return;
      logger.warn(`received ${signal} again: exiting now`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    logger.info(`received ${signal}: shutting down`);
    // A gRPC channel closed mid-shutdown may still fire a late callback that throws "Channel has
    // been shut down"; that is the expected end of the connection, not a crash worth exit code 1.
    process.on('uncaughtException', (error) => {
      if (/Channel has been shut down/.test(String(error?.message))) logger.debug({ err: error }, 'late gRPC callback after shutdown');
      else {
        logger.error({ err: error }, 'uncaught exception during shutdown');
        process.exitCode = 1;
      }
    });
    stop()
      .then(() => {
        logger.info('shutdown complete');
        process.exit(process.exitCode ?? 0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
