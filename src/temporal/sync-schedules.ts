import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { WorkflowKind, WorkflowType } from '../../domain/vocabulary';
import { scheduleIds } from '../../domain/workflow-ids';
import { SearchAttributes } from '../../domain/search-attributes';
import type { IncrementalSyncInput } from '../../domain/contracts/incremental-sync';
import type { MetricsSyncInput } from '../../domain/contracts/metrics-sync';
import type { Config } from '../config';
import { listConnectedAdAccounts } from '../db/ad-account-repository';
import type { Db } from '../db/prisma-client';
import { ensureSchedule, type EnsureScheduleResult } from './schedules';

/** Runs missed while the cluster was down are caught up only within this window. */
export const SYNC_CATCHUP_WINDOW = '10 minutes';

export interface AdAccountScheduleRef {
  companyId: string;
  adAccountId: string;
}

function metadata(ref: AdAccountScheduleRef, kind: string): Pick<ScheduleOptions, 'memo' | 'typedSearchAttributes'> {
  return {
    memo: { companyId: ref.companyId, adAccountId: ref.adAccountId, kind },
    typedSearchAttributes: [
      { key: SearchAttributes.CompanyId, value: ref.companyId },
      { key: SearchAttributes.AdAccountId, value: ref.adAccountId },
      { key: SearchAttributes.WorkflowKind, value: kind },
    ],
  };
}

function dailyAt(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour ?? 4, minute: minute ?? 0 };
}

/** The three schedules of one connected ad account (incremental sync, hourly metrics, daily metrics re-settle). */
export function adAccountSyncSchedules(config: Config, ref: AdAccountScheduleRef): ScheduleOptions[] {
  const taskQueue = config.temporal.taskQueue;
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: SYNC_CATCHUP_WINDOW, pauseOnFailure: false };
  const incremental: IncrementalSyncInput = { companyId: ref.companyId, adAccountId: ref.adAccountId };
  const hourly: MetricsSyncInput = { companyId: ref.companyId, adAccountId: ref.adAccountId, grain: 'hourly' };
  const daily: MetricsSyncInput = { companyId: ref.companyId, adAccountId: ref.adAccountId, grain: 'daily' };
  const { hour, minute } = dailyAt(config.sync.dailyMetricsAt);
  return [
    {
      scheduleId: scheduleIds.incrementalSync(ref.adAccountId),
      spec: { intervals: [{ every: config.sync.incrementalEvery }] },
      action: { type: 'startWorkflow', workflowType: WorkflowType.IncrementalSync, taskQueue, args: [incremental], ...metadata(ref, WorkflowKind.IncrementalSync) },
      policies,
      state: { note: `Incremental entity sync of ${ref.adAccountId} every ${config.sync.incrementalEvery}` },
      ...metadata(ref, WorkflowKind.IncrementalSync),
    },
    {
      scheduleId: scheduleIds.hourlyMetrics(ref.adAccountId),
      spec: { intervals: [{ every: config.sync.hourlyMetricsEvery, offset: '5m' }] },
      action: { type: 'startWorkflow', workflowType: WorkflowType.MetricsSync, taskQueue, args: [hourly], ...metadata(ref, WorkflowKind.MetricsSync) },
      policies,
      state: { note: `Hourly metrics of ${ref.adAccountId} every ${config.sync.hourlyMetricsEvery}` },
      ...metadata(ref, WorkflowKind.MetricsSync),
    },
    {
      scheduleId: scheduleIds.dailyMetrics(ref.adAccountId),
      spec: { calendars: [{ hour, minute, comment: 'daily metrics re-settle' }] },
      action: { type: 'startWorkflow', workflowType: WorkflowType.MetricsSync, taskQueue, args: [daily], ...metadata(ref, WorkflowKind.MetricsSync) },
      policies,
      state: { note: `Daily metrics re-settle of ${ref.adAccountId} at ${config.sync.dailyMetricsAt} UTC` },
      ...metadata(ref, WorkflowKind.MetricsSync),
    },
  ];
}

/**
 * Creates (or updates, keeping an operator's pause) the incremental sync, hourly metrics and daily
 * metrics schedules of one connected ad account. Idempotent.
 */
export async function ensureAdAccountSyncSchedules(client: Client, config: Config, ref: AdAccountScheduleRef): Promise<EnsureScheduleResult[]> {
  const results: EnsureScheduleResult[] = [];
  for (const definition of adAccountSyncSchedules(config, ref)) results.push(await ensureSchedule(client, definition));
  return results;
}

/** Deletes the account's schedules (on disconnect); missing ones are ignored. Returns the ids deleted. */
export async function removeAdAccountSyncSchedules(client: Client, adAccountId: string): Promise<string[]> {
  const deleted: string[] = [];
  for (const id of [scheduleIds.incrementalSync(adAccountId), scheduleIds.hourlyMetrics(adAccountId), scheduleIds.dailyMetrics(adAccountId)]) {
    try {
      await client.schedule.getHandle(id).delete();
      deleted.push(id);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return deleted;
}

/**
 * Worker start-up: ensures the schedules of every connected account (disconnected and deleted ones
 * are skipped); the accounts come from the ad account repository on `db`.
 */
export async function ensureAllAccountSchedules(client: Client, config: Config, db: Db): Promise<{ adAccounts: number; schedules: number }> {
  const accounts = await listConnectedAdAccounts(db);
  let schedules = 0;
  for (const account of accounts) schedules += (await ensureAdAccountSyncSchedules(client, config, { companyId: account.companyId, adAccountId: account.id })).length;
  return { adAccounts: accounts.length, schedules };
}
