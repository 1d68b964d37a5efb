import { deleteCoveredHourlyRows } from '../src/db/metrics-retention';
import type { RetentionResult } from '../domain/contracts/retention';
import type { ActivityDeps } from './activity-deps';

/** Activities of the retention workflow. */
export function createRetentionActivities(deps: ActivityDeps) {
  return {
    /** Deletes hourly rows before the cutoff that daily rows already cover. */
    async deleteCoveredHourlyRows(input: { cutoffDate: string }): Promise<RetentionResult> {
      return deleteCoveredHourlyRows(deps.db, input.cutoffDate);
    },
  };
}
