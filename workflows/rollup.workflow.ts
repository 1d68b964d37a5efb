import { ApplicationFailure, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activitySummaries } from '../domain/workflow-summaries';
import { METRIC_LEVELS, WorkflowKind, type MetricLevel } from '../domain/vocabulary';
import { SearchAttributes } from '../domain/search-attributes';
import { ErrorType } from '../domain/error-types';
import { progressQuery, WorkUnit, type WorkflowProgress } from '../domain/progress';
import type { LevelRollupCounts, RollupResult, RollupWindow, RollupWorkflowInput } from '../domain/contracts/rollup';
import { ROLLUP_SQL_ACTIVITY } from './activity-policies';
import { scheduledOrStartTime } from './scheduled-time';

const { rollupLevel } = proxyActivities<Activities>(ROLLUP_SQL_ACTIVITY);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Recomputes provisional daily rows from hourly rows (grain `daily`) or monthly rows from daily
 * rows (grain `monthly`) for every level, one set-based statement per level and table. The
 * window is explicit (`from`/`to`, account-local dates) or derived from the instant the run
 * stands for, never from "now", so late runs and backfills compute their own window, and a
 * rerun over unchanged data writes nothing.
 */
export async function rollupWorkflow(input: RollupWorkflowInput): Promise<RollupResult> {
  const window = resolveWindow(input);
  upsertSearchAttributes([{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.Rollup }]);
  const label = 'from' in window ? `${window.from}..${window.to}` : `as of ${window.asOf}`;
  let progress: WorkflowProgress = {
    kind: WorkflowKind.Rollup,
    phase: `rolling up ${input.grain} ${label}`,
    entities: Object.fromEntries(METRIC_LEVELS.map((level) => [level, { pages: 0, rows: 0, done: false }])),
    work: { done: 0, total: METRIC_LEVELS.length, unit: WorkUnit.Levels },
    counters: {},
    updatedAt: workflowInfo().runStartTime.toISOString(),
  };
  setHandler(progressQuery, () => progress);
  setCurrentDetails(progress.phase);

  const levels = {} as Record<MetricLevel, LevelRollupCounts>;
  // Levels touch disjoint rows: run them side by side (one connection each).
  await Promise.all(
    METRIC_LEVELS.map(async (level) => {
      const counts = await rollupLevel.executeWithOptions({ summary: activitySummaries.rollupLevel(input.grain, level, label) }, [{ grain: input.grain, level, window }]);
      levels[level] = counts;
      progress = {
        ...progress,
        entities: { ...progress.entities, [level]: { pages: 1, rows: counts.upserted + counts.actionsUpserted, done: true } },
        work: { done: (progress.work?.done ?? 0) + 1, total: METRIC_LEVELS.length, unit: WorkUnit.Levels },
        updatedAt: new Date().toISOString(),
      };
    }),
  );
  const totals: LevelRollupCounts = { upserted: 0, deleted: 0, actionsUpserted: 0, actionsDeleted: 0 };
  for (const counts of Object.values(levels)) {
    totals.upserted += counts.upserted;
    totals.deleted += counts.deleted;
    totals.actionsUpserted += counts.actionsUpserted;
    totals.actionsDeleted += counts.actionsDeleted;
  }
  progress = { ...progress, phase: 'done', counters: { ...totals }, updatedAt: new Date().toISOString() };
  setCurrentDetails(`${input.grain} ${label}: ${totals.upserted} rows written, ${totals.deleted} stale rows deleted`);
  return { grain: input.grain, window, levels, totals };
}

function resolveWindow(input: RollupWorkflowInput): RollupWindow {
  const invalid = (message: string): never => {
    throw ApplicationFailure.nonRetryable(message, ErrorType.Validation);
  };
  if (input.grain !== 'daily' && input.grain !== 'monthly') invalid(`grain must be daily or monthly, got ${String(input.grain)}`);
  // Absent means every account (the schedules' runs); an empty list means none, never everyone.
  const ids = input.adAccountIds ? [...input.adAccountIds] : undefined;
  if (input.from !== undefined || input.to !== undefined) {
    if (!input.from || !input.to || !DATE.test(input.from) || !DATE.test(input.to)) invalid('from and to go together, as YYYY-MM-DD local dates');
    if (input.from! > input.to!) invalid(`from (${input.from}) is after to (${input.to})`);
    return { from: input.from!, to: input.to!, adAccountIds: ids };
  }
  const asOf = input.asOf ? new Date(input.asOf) : scheduledOrStartTime();
  if (Number.isNaN(asOf.getTime())) invalid(`asOf must be an ISO instant, got ${input.asOf}`);
  return { asOf: asOf.toISOString(), adAccountIds: ids };
}
