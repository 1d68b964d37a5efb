import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { ValidationError } from '../errors';
import { DAY_MS } from '../../domain/calendar';
import type { RollupGrain } from '../../domain/vocabulary';
import { scheduleIds } from '../../domain/workflow-ids';
import { scheduledRollupStart } from '../../domain/starts/rollup';
import { backfillSchedule } from './schedule-admin';
import { ensureSchedules, type EnsureScheduleResult, type ScheduleDefinition } from './schedules';
import { configuredRetentionStart, scheduleStartAction } from './workflow-starts';

export interface RollupScheduleOptions {
  /** Time zone of the calendar specs (IANA). Rollup windows are per account either way. @default 'UTC' */
  timeZone?: string;
  /** Ids of the three schedules (tests use their own). @default scheduleIds.dailyRollup / monthlyRollup / retention */
  ids?: Partial<Record<'daily' | 'monthly' | 'retention', string>>;
  /** How late a missed run may still start after an outage. @default '1 day' */
  catchupWindow?: string;
}

function hourMinute(value: string): { hour: number; minute: number } {
  const [hour, minute] = value.split(':').map(Number);
  return { hour, minute };
}

/**
 * The rollup and retention schedules, replacing the old node-cron process: hourly → daily every
 * hour at :dailyMinute (default :05), daily → monthly every day at monthlyAt (02:00), retention
 * every day at retentionAt (03:00). Live runs buffer one run behind a running one (BUFFER_ONE):
 * a slow run never piles up, and the run after it still happens. Each run's window comes from
 * its TemporalScheduledStartTime, so catch-up runs and backfills compute their own window.
 */
export function rollupScheduleDefinitions(config: Pick<Config, 'rollup'>, taskQueue: string, options: RollupScheduleOptions = {}): ScheduleDefinition[] {
  const timezone = options.timeZone ?? 'UTC';
  const policies = { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: options.catchupWindow ?? '1 day', pauseOnFailure: false };
  const monthlyAt = hourMinute(config.rollup.monthlyAt);
  const retentionAt = hourMinute(config.rollup.retentionAt);
  const rollup = (grain: RollupGrain) => {
    const start = scheduledRollupStart({ grain });
    return scheduleStartAction(start, taskQueue, { workflowId: start.workflowId });
  };
  const retention = configuredRetentionStart(config);
  return [
    {
      scheduleId: options.ids?.daily ?? scheduleIds.dailyRollup,
      spec: { calendars: [{ hour: '*', minute: config.rollup.dailyMinute, comment: 'hourly → daily' }], timezone },
      action: rollup('daily'),
      policies,
      state: { note: 'Recomputes provisional daily metrics from hourly rows (today and yesterday, account-local).' },
    },
    {
      scheduleId: options.ids?.monthly ?? scheduleIds.monthlyRollup,
      spec: { calendars: [{ ...monthlyAt, comment: 'daily → monthly' }], timezone },
      action: rollup('monthly'),
      policies,
      state: { note: "Recomputes monthly metrics from daily rows (the account-local month of yesterday)." },
    },
    {
      scheduleId: options.ids?.retention ?? scheduleIds.retention,
      spec: { calendars: [{ ...retentionAt, comment: 'hourly retention' }], timezone },
      action: scheduleStartAction(retention, taskQueue, { workflowId: retention.workflowId }),
      policies,
      state: { note: `Deletes hourly metrics older than ${config.rollup.hourlyRetentionDays} days once daily rows cover them.` },
    },
  ];
}

/** Creates the three schedules, or updates them when their spec changed; keeps a paused one paused. */
export function ensureRollupSchedules(client: Client, config: Pick<Config, 'rollup'>, taskQueue: string, options: RollupScheduleOptions = {}): Promise<EnsureScheduleResult[]> {
  return ensureSchedules(client, rollupScheduleDefinitions(config, taskQueue, options));
}

export interface BackfillRollupsInput {
  grain: RollupGrain;
  /** First and last account-local date to recompute (YYYY-MM-DD, inclusive). */
  from: string;
  to: string;
  /** @default scheduleIds.dailyRollup or scheduleIds.monthlyRollup */
  scheduleId?: string;
  /** @default ALLOW_ALL (BUFFER_ALL is capped at 1,000 buffered runs by the server) */
  overlap?: ScheduleOverlapPolicy;
}

export interface BackfillRollupsResult {
  scheduleId: string;
  start: string;
  end: string;
}

/**
 * Backfills a past range through the rollup schedule, so each run is exactly a scheduled run
 * of that time (same window logic, visible in the UI under the schedule). Local dates are
 * widened to instants covering every time zone (UTC−12 to UTC+14): the first run of a local day
 * anywhere to the run after its last local midnight. Neighbouring days may be recomputed too,
 * which is harmless: rollups are idempotent.
 */
export async function backfillRollups(client: Client, input: BackfillRollupsInput): Promise<BackfillRollupsResult> {
  const from = Date.parse(`${input.from}T00:00:00Z`);
  const to = Date.parse(`${input.to}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.from) || !/^\d{4}-\d{2}-\d{2}$/.test(input.to) || Number.isNaN(from) || Number.isNaN(to) || from > to) {
    throw new ValidationError('from and to must be YYYY-MM-DD dates with from <= to', { from: input.from, to: input.to });
  }
  const scheduleId = input.scheduleId ?? (input.grain === 'daily' ? scheduleIds.dailyRollup : scheduleIds.monthlyRollup);
  // daily: local day D spans [D 00:00 UTC+14, D+1 00:00 UTC−12] = [D−1 10:00Z, D+1 12:00Z], plus the run after.
  // monthly: each run covers the month of its own yesterday, so runs on from+1 .. to+1 cover the range.
  const start = new Date(input.grain === 'daily' ? from - DAY_MS : from + DAY_MS - 3_600_000);
  const end = new Date(input.grain === 'daily' ? to + 2 * DAY_MS - 1 : to + 2 * DAY_MS);
  await backfillSchedule(client, { scheduleId, start, end, overlap: input.overlap });
  return { scheduleId, start: start.toISOString(), end: end.toISOString() };
}
