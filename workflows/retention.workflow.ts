import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERROR_TYPES, progressQuery, WorkflowKind, type RetentionInput, type RetentionResult, type WorkflowProgress } from './shared';
import { scheduledOrStartTime } from './scheduled-time';

const { deleteCoveredHourlyRows } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5s', maximumInterval: '2m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});

const DAY_MS = 86_400_000;

/**
 * Deletes hourly metric rows older than the retention age, but only where daily rows for the
 * same (level, entity, local day) exist: hourly data is never dropped before it is rolled up.
 */
export async function retentionWorkflow(input: RetentionInput = {}): Promise<RetentionResult> {
  const days = input.hourlyRetentionDays ?? 7;
  const asOf = input.asOf ? new Date(input.asOf) : scheduledOrStartTime();
  const cutoffDate = new Date(asOf.getTime() - days * DAY_MS).toISOString().slice(0, 10);
  let progress: WorkflowProgress = { kind: WorkflowKind.Retention, phase: `deleting covered hourly rows before ${cutoffDate}`, entities: {}, updatedAt: asOf.toISOString() };
  setHandler(progressQuery, () => progress);
  const result = await deleteCoveredHourlyRows({ cutoffDate });
  progress = {
    ...progress,
    phase: 'done',
    counters: { deletedHourlyRows: result.deletedHourlyRows, keptUncoveredDays: result.keptUncoveredDays },
    updatedAt: new Date(workflowInfo().runStartTime.getTime()).toISOString(),
  };
  return result;
}
