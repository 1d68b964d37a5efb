import type { MetricsSyncInput, MetricsSyncSettings } from '../contracts/metrics-sync';
import { WorkflowKind, WorkflowType, type MetricsGrain } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { dayRange, startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type AccountStartRef, type WorkflowStartSpec } from './workflow-start';

export interface MetricsSyncStartInput extends AccountStartRef {
  grain: MetricsGrain;
  /** First and last local day; without them the workflow reads the lookback window up to today. */
  from?: string;
  to?: string;
  /**
   * The days the starter resolved `from`/`to` to (the account's today), for the summary only: the
   * run resolves them again itself. Without it the summary says what the run will resolve.
   */
  days?: { from: string; to: string };
  /** The configured lookback and attribution windows: required, so no start falls back to the built-in defaults. */
  settings: MetricsSyncSettings;
}

/** The start of a metrics sync of one ad account at one grain (`meta-metrics-sync:<adAccountId>:<grain>`). */
export function metricsSyncStart(input: MetricsSyncStartInput): WorkflowStartSpec<MetricsSyncInput> {
  const args: MetricsSyncInput = {
    companyId: input.companyId,
    adAccountId: input.adAccountId,
    grain: input.grain,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
    lookbackDays: input.settings.lookbackDays,
    attributionWindows: [...input.settings.attributionWindows],
  };
  const days = input.settings.lookbackDays;
  const range = input.days
    ? dayRange(input.days.from, input.days.to)
    : input.from
      ? `${input.from} → ${input.to ?? 'today'}`
      : input.to
        ? `${days} days up to ${input.to}`
        : `last ${days} days`;
  const windows = args.attributionWindows!;
  return {
    workflowType: WorkflowType.MetricsSync,
    workflowId: workflowIds.metricsSync(input.adAccountId, input.grain),
    args: [args],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.MetricsSync),
    memo: accountMemo(input, WorkflowKind.MetricsSync),
    staticSummary: workflowSummaries.metricsSync(input, input.grain, range, windows),
    staticDetails: startDetails(`${input.grain === 'daily' ? 'Daily' : 'Hourly'} metrics sync, ${range}`, input, workflowDetails.metricsSync(input.grain, windows)),
  };
}
