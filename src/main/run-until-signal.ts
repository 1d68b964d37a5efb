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
