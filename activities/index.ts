import type { ActivityDeps } from './activity-deps';
import { createRetentionActivities } from './retention.activities';

export type { ActivityDeps } from './activity-deps';

/** Every activity the worker registers, closed over the process's dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRetentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
