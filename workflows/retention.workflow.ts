import { proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activitySummaries } from '../domain/workflow-summaries';
import { WorkflowKind } from '../domain/vocabulary';
import { SearchAttributes } from '../domain/search-attributes';
import { progressQuery, WorkUnit, type WorkflowProgress } from '../domain/progress';
import type { RetentionInput, RetentionResult } from '../domain/contracts/retention';
import { DAY_MS } from '../domain/calendar';
import { RETENTION_SQL_ACTIVITY } from './activity-policies';
import { scheduledOrStartTime } from './scheduled-time';

const { deleteCoveredHourlyRows } = proxyActivities<Activities>(RETENTION_SQL_ACTIVITY);

/**
 * Deletes hourly metric rows older than the retention age, but only for (account, level, local
 * day) groups whose daily rows cover every entity (a `meta` row, or a `rollup` row equal to the
 * hourly sums): hourly data is never dropped before it is rolled up or pulled at daily grain.
 */
export async function retentionWorkflow(input: RetentionInput = {}): Promise<RetentionResult> {
  const days = input.hourlyRetentionDays ?? 7;
  const asOf = input.asOf ? new Date(input.asOf) : scheduledOrStartTime();
  const cutoffDate = new Date(asOf.getTime() - days * DAY_MS).toISOString().slice(0, 10);
  let progress: WorkflowProgress = { kind: WorkflowKind.Retention, phase: `deleting covered hourly rows before ${cutoffDate}`, entities: {}, work: { done: 0, total: 1, unit: WorkUnit.Steps }, updatedAt: asOf.toISOString() };
  setHandler(progressQuery, () => progress);
  upsertSearchAttributes([{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.Retention }]);
  setCurrentDetails(progress.phase);
  const result = await deleteCoveredHourlyRows.executeWithOptions({ summary: activitySummaries.retention(cutoffDate) }, [{ cutoffDate }]);
  progress = {
    ...progress,
    phase: 'done',
    work: { done: 1, total: 1, unit: WorkUnit.Steps },
    counters: { deletedHourlyRows: result.deletedHourlyRows, keptUncoveredDays: result.keptUncoveredDays },
    updatedAt: new Date(workflowInfo().runStartTime.getTime()).toISOString(),
  };
  setCurrentDetails(`deleted ${result.deletedHourlyRows} hourly rows before ${cutoffDate}; ${result.keptUncoveredDays} uncovered account-days kept`);
  return result;
}
