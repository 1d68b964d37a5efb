import { AppError } from '../errors';

/**
 * Prints why start-up failed in one readable message and exits 1: the message alone for known
 * errors, the message and stack for bugs, and never a bare "undefined" when a library rejects
 * with nothing.
 */
export function exitOnStartupError(error: unknown): never {
  console.error(`start-up failed: ${describeStartupError(error)}`);
  process.exit(1);
}

/** The message a person reads when start-up fails. */
export function describeStartupError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  if (error === undefined || error === null) return 'an unknown error (a component failed without saying why; run with LOG_LEVEL=debug for more)';
  return typeof error === 'string' ? error : JSON.stringify(error);
}
