import { activityInfo, heartbeat } from '@temporalio/activity';
import type { LevelRollupCounts } from '../domain/contracts/rollup';
import { rollupLevel, rollupWindowChunks, type RollupLevelInput } from '../src/db/metrics-rollup';
import type { ActivityDeps } from './activity-deps';

/** Heartbeat of a chunked level: the next chunk to run and what the committed ones counted. */
interface RollupCheckpoint {
  next: number;
  counts: LevelRollupCounts;
}

/** Activities of the rollup workflow: set-based SQL only, counts back. */
export function createRollupActivities(deps: ActivityDeps) {
  return {
    /**
     * Recomputes one level (metrics and action rows) of a daily or monthly window; returns counts.
     * A tenant's long window commits one bounded chunk at a time (see rollupWindowChunks), so the
     * scheduled rollups waiting on the same lock get in between; a retry resumes at the first
     * chunk not committed.
     */
    async rollupLevel(input: RollupLevelInput): Promise<LevelRollupCounts> {
      const chunks = rollupWindowChunks(input.grain, input.window);
      const saved = activityInfo().heartbeatDetails as RollupCheckpoint | undefined;
      const cp: RollupCheckpoint = saved ?? { next: 0, counts: { upserted: 0, deleted: 0, actionsUpserted: 0, actionsDeleted: 0 } };
      for (; cp.next < chunks.length; cp.next++) {
        const counts = await rollupLevel(deps.db, { ...input, window: chunks[cp.next]! });
        cp.counts = {
          upserted: cp.counts.upserted + counts.upserted,
          deleted: cp.counts.deleted + counts.deleted,
          actionsUpserted: cp.counts.actionsUpserted + counts.actionsUpserted,
          actionsDeleted: cp.counts.actionsDeleted + counts.actionsDeleted,
        };
        if (chunks.length > 1) heartbeat({ next: cp.next + 1, counts: cp.counts });
      }
      return cp.counts;
    },
  };
}
