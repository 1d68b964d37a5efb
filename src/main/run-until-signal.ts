import type { Logger } from 'pino';

/**
 * Keeps the process alive until SIGINT/SIGTERM, then runs `stop` once. A second signal while
 * stopping forces exit, as people expect from a second Ctrl-C.
 */
export function runUntilSignal(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`received ${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
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
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
