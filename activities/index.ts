import type { ActivityDeps } from './activity-deps';
import { createRetentionActivities } from './retention.activities';
import { createMetricsSyncActivities } from './metrics-sync.activities';
import { createRollupActivities } from './rollup.activities';
import { createSyncRunActivities } from './sync-run.activities';
import { createEntitySyncActivities } from './entity-sync.activities';
import { createRuleEvaluationActivities } from './rule-evaluation.activities';
import { createChangeSetActivities } from './change-set.activities';
import { createLeadActivities } from './lead.activities';
import { createAudienceUploadActivities } from './audience-upload.activities';
import { createTokenCheckActivities } from './token-check.activities';

export type { ActivityDeps, ActivityDepsOptions } from './activity-deps';

/** Every activity the worker registers, closed over the process's dependencies (resolved once by createActivityDeps). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRetentionActivities(deps),
    ...createMetricsSyncActivities(deps),
    ...createRollupActivities(deps),
    ...createSyncRunActivities(deps),
    ...createEntitySyncActivities(deps),
    ...createRuleEvaluationActivities(deps),
    ...createChangeSetActivities(deps),
    ...createLeadActivities(deps),
    ...createAudienceUploadActivities(deps),
    ...createTokenCheckActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
