import { activityInfo } from '@temporalio/activity';
import { finishSyncRun, startSyncRun, type FinishSyncRunInput, type StartedSyncRun, type StartSyncRunInput } from '../src/db/sync-runs';
import type { ActivityDeps } from './activity-deps';

/** Activities that keep one sync_runs row per workflow run. */
export function createSyncRunActivities(deps: ActivityDeps) {
  return {
    /** Opens (or finds) the sync_runs row of the calling workflow run; workflowId/runId default to the caller's. */
    async startSyncRun(input: Omit<StartSyncRunInput, 'workflowId' | 'runId'> & Partial<Pick<StartSyncRunInput, 'workflowId' | 'runId'>>): Promise<StartedSyncRun> {
      const execution = activityInfo().workflowExecution ?? { workflowId: '', runId: '' };
      return startSyncRun(deps.db, { ...input, workflowId: input.workflowId ?? execution.workflowId, runId: input.runId ?? execution.runId });
    },
    /** Closes the sync_runs row of the calling workflow run. */
    async finishSyncRun(input: Omit<FinishSyncRunInput, 'workflowId' | 'runId'> & Partial<Pick<FinishSyncRunInput, 'workflowId' | 'runId'>>): Promise<void> {
      const execution = activityInfo().workflowExecution ?? { workflowId: '', runId: '' };
      await finishSyncRun(deps.db, { ...input, workflowId: input.workflowId ?? execution.workflowId, runId: input.runId ?? execution.runId });
    },
  };
}
