import type { LevelRollupCounts } from '../domain/contracts/rollup';
import { rollupLevel, type RollupLevelInput } from '../src/db/metrics-rollup';
import type { ActivityDeps } from './activity-deps';

/** Activities of the rollup workflow: set-based SQL only, counts back. */
export function createRollupActivities(deps: ActivityDeps) {
  return {
    /** Recomputes one level (metrics and action rows) of a daily or monthly window; returns counts. */
    async rollupLevel(input: RollupLevelInput): Promise<LevelRollupCounts> {
      return rollupLevel(deps.db, input);
    },
  };
}
