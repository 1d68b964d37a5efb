import { classifyDatabaseFailure, describeDatabaseFailure } from '../db/database-errors';
import { AppError, DependencyUnavailableError } from '../errors';
import { isTemporalUnavailable, temporalUnavailable } from './temporal-errors';

/**
 * A raw failure of a dependency as the 503 both fronts answer: DATABASE_UNAVAILABLE when
 * PostgreSQL is down, stopped or too slow, TEMPORAL_UNAVAILABLE when Temporal is. Anything else
 * (our errors, bugs) is left to the caller's mapping. Each front calls this in its one mapping.
 */
export function dependencyErrorOf(error: unknown): DependencyUnavailableError | undefined {
  if (error instanceof DependencyUnavailableError) return error;
  if (error instanceof AppError) return undefined;
  const database = classifyDatabaseFailure(error);
  if (database) return new DependencyUnavailableError('database', `${describeDatabaseFailure(database)}; try again shortly`, { cause: error });
  if (isTemporalUnavailable(error)) return temporalUnavailable(error);
  return undefined;
}
