import { AppError } from '../errors';

/** Prints why start-up failed in one readable message (no stack for known errors) and exits 1. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof AppError) console.error(`start-up failed: ${error.message}`);
  else console.error('start-up failed:', error);
  process.exit(1);
}
