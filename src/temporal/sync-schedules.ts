import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { scheduleIds } from '../../domain/workflow-ids';
import { incrementalSyncStart } from '../../domain/starts/incremental-sync';
import type { WorkflowStartSpec } from '../../domain/starts/workflow-start';
import type { Config } from '../config';
import { listConnectedAdAccounts } from '../db/ad-account-repository';
import { listDeactivatedCompanyIds } from '../db/company-repository';
import type { Db } from '../db/prisma-client';
import { ensureSchedule, type EnsureScheduleResult } from './schedules';
import { configuredMetricsSyncStart, scheduleStartAction } from './workflow-starts';

/** Runs missed while the cluster was down are caught up only within this window. */
export const SYNC_CATCHUP_WINDOW = '10 minutes';

export interface AdAccountScheduleRef {
  companyId: string;
  adAccountId: string;
  /** Shown in the runs' summaries, details and memo when known. */
  accountName?: string | null;
  companyName?: string | null;
}

function dailyAt(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour ?? 4, minute: minute ?? 0 };
}

/** A schedule starting `spec` on its timetable; the schedule itself carries the run's memo and search attributes. */
function scheduleOf(scheduleId: string, spec: WorkflowStartSpec<unknown>, taskQueue: string, rest: Pick<ScheduleOptions, 'spec' | 'policies' | 'state'>): ScheduleOptions {
  // No action workflowId: each run is named after its schedule (`<scheduleId>-workflow-<time>`), as before.
  return { scheduleId, action: scheduleStartAction(spec, taskQueue), memo: spec.memo, typedSearchAttributes: spec.searchAttributes, ...rest };
}

/**
 * The three schedules of one connected ad account (incremental sync, hourly metrics, daily
 * metrics re-settle), their runs started by the same builders as the fronts' starts, so the
 * metrics runs get the configured lookback and attribution windows.
 */
export function adAccountSyncSchedules(config: Config, ref: AdAccountScheduleRef): ScheduleOptions[] {
  const taskQueue = config.temporal.taskQueue;
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: SYNC_CATCHUP_WINDOW, pauseOnFailure: false };
  const { hour, minute } = dailyAt(config.sync.dailyMetricsAt);
  return [
    scheduleOf(scheduleIds.incrementalSync(ref.adAccountId), incrementalSyncStart(ref), taskQueue, {
      spec: { intervals: [{ every: config.sync.incrementalEvery }] },
      policies,
      state: { note: `Incremental entity sync of ${ref.adAccountId} every ${config.sync.incrementalEvery}` },
    }),
    scheduleOf(scheduleIds.hourlyMetrics(ref.adAccountId), configuredMetricsSyncStart(config, { ...ref, grain: 'hourly' }), taskQueue, {
      spec: { intervals: [{ every: config.sync.hourlyMetricsEvery, offset: '5m' }] },
      policies,
      state: { note: `Hourly metrics of ${ref.adAccountId} every ${config.sync.hourlyMetricsEvery}` },
    }),
    scheduleOf(scheduleIds.dailyMetrics(ref.adAccountId), configuredMetricsSyncStart(config, { ...ref, grain: 'daily' }), taskQueue, {
      spec: { calendars: [{ hour, minute, comment: 'daily metrics re-settle' }] },
      policies,
      state: { note: `Daily metrics re-settle of ${ref.adAccountId} at ${config.sync.dailyMetricsAt} UTC` },
    }),
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
 * are skipped), or of one company's (its reactivation); the accounts come from the ad account
 * repository on `db`. A deactivated company's accounts are skipped too: a schedule of theirs that
 * went missing (a new Temporal cluster, a delete in the UI) would be created running; its
 * reactivation ensures them.
 */
export async function ensureAllAccountSchedules(client: Client, config: Config, db: Db, filter: { companyId?: string } = {}): Promise<{ adAccounts: number; schedules: number }> {
  const deactivated = await listDeactivatedCompanyIds(db);
  const accounts = (await listConnectedAdAccounts(db, filter)).filter((account) => !deactivated.has(account.companyId));
  let schedules = 0;
  for (const account of accounts) schedules += (await ensureAdAccountSyncSchedules(client, config, { companyId: account.companyId, adAccountId: account.id, accountName: account.name, companyName: account.companyName })).length;
  return { adAccounts: accounts.length, schedules };
}
