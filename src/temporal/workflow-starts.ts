/**
 * The config-filled side of the workflow start builders (domain/starts/): what the service's
 * configuration decides for a start is read here, once, so a front, a schedule and a company
 * sync's children all start a workflow with the same settings. Also turns a start into client
 * start options or a schedule action.
 */
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { ScheduleOptionsStartWorkflowAction, Workflow, WorkflowStartOptions } from '@temporalio/client';
import type { MetricsSyncSettings } from '../../domain/contracts/metrics-sync';
import { companySyncStart, type CompanySyncStartInput } from '../../domain/starts/company-sync';
import { metricsSyncStart, type MetricsSyncStartInput } from '../../domain/starts/metrics-sync';
import { scheduledRetentionStart } from '../../domain/starts/retention';
import type { WorkflowStartSpec } from '../../domain/starts/workflow-start';
import type { Config } from '../config';

/** METRICS_LOOKBACK_DAYS and METRICS_ATTRIBUTION_WINDOWS as every metrics sync gets them. */
export function metricsSyncSettings(config: Pick<Config, 'sync'>): MetricsSyncSettings {
  return { lookbackDays: config.sync.lookbackDays, attributionWindows: [...config.sync.attributionWindows] };
}

/** A metrics sync start with the configured lookback and attribution windows. */
export function configuredMetricsSyncStart(config: Pick<Config, 'sync'>, input: Omit<MetricsSyncStartInput, 'settings'>): ReturnType<typeof metricsSyncStart> {
  return metricsSyncStart({ ...input, settings: metricsSyncSettings(config) });
}

/** A company sync start whose metrics children get the configured settings; `maxParallel` defaults to SYNC_MAX_PARALLEL_ACCOUNTS. */
export function configuredCompanySyncStart(
  config: Pick<Config, 'sync'>,
  input: Omit<CompanySyncStartInput, 'metrics' | 'maxParallel'> & { maxParallel?: number },
): ReturnType<typeof companySyncStart> {
  return companySyncStart({ ...input, maxParallel: input.maxParallel ?? config.sync.maxParallelAccounts, metrics: metricsSyncSettings(config) });
}

/** The retention schedule's start with HOURLY_RETENTION_DAYS. */
export function configuredRetentionStart(config: Pick<Config, 'rollup'>): ReturnType<typeof scheduledRetentionStart> {
  return scheduledRetentionStart({ hourlyRetentionDays: config.rollup.hourlyRetentionDays });
}

/** Client start options of a start: a repeated request attaches to the running job (USE_EXISTING). */
export function workflowStartOptions(spec: WorkflowStartSpec<unknown>, taskQueue: string): WorkflowStartOptions<Workflow> {
  return {
    taskQueue,
    workflowId: spec.workflowId,
    args: spec.args,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: spec.searchAttributes,
    memo: spec.memo,
    staticSummary: spec.staticSummary,
    ...(spec.staticDetails ? { staticDetails: spec.staticDetails } : {}),
  };
}

/**
 * A schedule's action for a start. `workflowId` is the prefix of each run's id (the schedule
 * appends the action time); without it Temporal uses `<scheduleId>-workflow`.
 */
export function scheduleStartAction(spec: WorkflowStartSpec<unknown>, taskQueue: string, options: { workflowId?: string } = {}): ScheduleOptionsStartWorkflowAction<Workflow> {
  return {
    type: 'startWorkflow',
    workflowType: spec.workflowType,
    taskQueue,
    args: spec.args,
    typedSearchAttributes: spec.searchAttributes,
    memo: spec.memo,
    staticSummary: spec.staticSummary,
    ...(spec.staticDetails ? { staticDetails: spec.staticDetails } : {}),
    ...(options.workflowId ? { workflowId: options.workflowId } : {}),
  };
}
