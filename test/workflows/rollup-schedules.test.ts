import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { rollupWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { backfillRollups, ensureRollupSchedules, rollupScheduleDefinitions } from '../../src/temporal/rollup-schedules';
import { describeSchedule, listSchedules, pauseSchedule, triggerSchedule, unpauseSchedule } from '../../src/temporal/schedule-admin';
import { ensureSchedule } from '../../src/temporal/schedules';
import { connectTestTemporal, createTestDatabase, createTestWorker, testConfig, type TestDatabase, type TestTemporal } from '../support/test-env';

let database: TestDatabase;
let temporal: TestTemporal;
let worker: Worker;
let running: Promise<void>;
const suffix = randomBytes(4).toString('hex');
const ids = { daily: `test-rollup-daily-${suffix}`, monthly: `test-rollup-monthly-${suffix}`, retention: `test-retention-${suffix}` };
const created: string[] = [];

const LA = 'act_100';
const BERLIN = 'act_200';

beforeAll(async () => {
  [database, temporal] = await Promise.all([createTestDatabase(), connectTestTemporal()]);
  worker = await createTestWorker({ temporal, deps: { db: database.db, config: testConfig() } });
  running = worker.run();
  const db = database.db;
  await db.company.create({ data: { id: '00000000-0000-4000-8000-000000000003', name: 'Backfills' } });
  await db.$executeRaw`
    INSERT INTO ad_accounts (id, company_id, account_id, encrypted_access_token, token_key_id, timezone_name, updated_at)
    VALUES (${LA}, '00000000-0000-4000-8000-000000000003', '100', 'x', 'k', 'America/Los_Angeles', now()),
           (${BERLIN}, '00000000-0000-4000-8000-000000000003', '200', 'x', 'k', 'Europe/Berlin', now())`;
  // 66 days of hourly rows around both spring DST changes, two ads and the account level.
  await db.$executeRaw`
    INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, spend, impressions, clicks)
    SELECT 'ad', a.id || '-ad' || n, t, a.id, (t AT TIME ZONE a.timezone_name)::date, extract(hour FROM t AT TIME ZONE a.timezone_name)::int,
           round(0.5 + ((extract(epoch FROM t)::bigint / 3600 * n) % 17) * 0.031, 6), 50 + (extract(epoch FROM t)::bigint / 3600) % 11, n % 2
      FROM ad_accounts a, generate_series('2026-01-30T00:00:00Z'::timestamptz, '2026-04-05T00:00:00Z', interval '1 hour') t, generate_series(1, 2) n`;
  await db.$executeRaw`
    INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, spend, impressions, clicks)
    SELECT 'account', ad_account_id, bucket_start, ad_account_id, local_date, local_hour, sum(spend), sum(impressions), sum(clicks)
      FROM metrics_hourly WHERE level = 'ad' GROUP BY ad_account_id, bucket_start, local_date, local_hour`;
  await db.$executeRaw`
    INSERT INTO metrics_hourly_actions (level, entity_id, bucket_start, action_type, attribution_window, ad_account_id, local_date, count, value)
    SELECT level, entity_id, bucket_start, 'purchase', '7d_click', ad_account_id, local_date, clicks, spend * 3 FROM metrics_hourly WHERE clicks > 0`;
});

afterAll(async () => {
  for (const id of created) await temporal.client.schedule.getHandle(id).delete().catch(() => undefined);
  worker?.shutdown();
  await running;
  await Promise.all([temporal?.close(), database?.close()]);
});

async function dailyRowsBetween(from: string, to: string): Promise<string[]> {
  // Every column but synced_at, which records when a row was written.
  const rows = await database.db.$queryRaw<Array<{ row: string }>>`
    SELECT concat_ws('|', level, entity_id, date, ad_account_id, spend, impressions, clicks, inline_link_clicks, unique_clicks, reach, frequency, ctr, cpc, cpm, source) AS row
      FROM metrics_daily WHERE date BETWEEN ${from}::date AND ${to}::date
    UNION ALL
    SELECT concat_ws('|', 'action', level, entity_id, date, action_type, attribution_window, ad_account_id, count, value, source)
      FROM metrics_daily_actions WHERE date BETWEEN ${from}::date AND ${to}::date
    ORDER BY 1`;
  return rows.map((r) => r.row);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('a 60-day backfill through a real Schedule produces the same rows as a direct run over the range', async () => {
  const direct = await temporal.client.workflow.execute(rollupWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: `${workflowIds.rollup('daily', '2026-02-01')}:${suffix}`,
    args: [{ grain: 'daily', from: '2026-02-01', to: '2026-04-01' }],
  });
  expect(direct.totals.upserted).toBeGreaterThan(0);
  const expected = await dailyRowsBetween('2026-02-01', '2026-04-01');
  expect(expected.filter((r) => r.startsWith('ad|')).length).toBe(2 * 2 * 60);
  await database.db.$executeRaw`DELETE FROM metrics_daily`;
  await database.db.$executeRaw`DELETE FROM metrics_daily_actions`;

  // The production definition, with a test id and one run a day at 00:05 UTC so 60 days are
  // about 60 runs; each run recomputes the local days of T and T−1h in every account's zone.
  const [daily] = rollupScheduleDefinitions(testConfig(), temporal.taskQueue, { ids });
  await ensureSchedule(temporal.client, { ...daily, spec: { calendars: [{ hour: 0, minute: 5 }], timezone: 'UTC' } });
  created.push(ids.daily);
  const backfill = await backfillRollups(temporal.client, { grain: 'daily', from: '2026-02-01', to: '2026-04-01', scheduleId: ids.daily });
  expect(backfill).toEqual({ scheduleId: ids.daily, start: '2026-01-31T00:00:00.000Z', end: '2026-04-02T23:59:59.999Z' });

  const runs = 62; // 00:05 UTC on 31 January … 2 April
  await waitFor('the backfilled runs', async () => {
    const d = await describeSchedule(temporal.client, ids.daily);
    return d.numActionsTaken >= runs && d.runningWorkflowIds.length === 0 ? d : undefined;
  });
  const statuses = await waitFor('visibility of the runs', async () => {
    const seen: string[] = [];
    for await (const wf of temporal.client.workflow.list({ query: `TemporalScheduledById = '${ids.daily}'` })) seen.push(wf.status.name);
    // Visibility trails the schedule's own view by a moment.
    return seen.length >= runs && !seen.includes('RUNNING') ? seen : undefined;
  });
  expect(statuses.length).toBe(runs);
  expect(new Set(statuses)).toEqual(new Set(['COMPLETED']));
  expect(await dailyRowsBetween('2026-02-01', '2026-04-01')).toEqual(expected);
});

test('a backfill through the production spec (every hour at :05) finalizes each local day like the live runs', async () => {
  await database.db.$executeRaw`DELETE FROM metrics_daily`;
  await database.db.$executeRaw`DELETE FROM metrics_daily_actions`;
  await temporal.client.workflow.execute(rollupWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: `${workflowIds.rollup('daily', '2026-03-28')}:${suffix}`,
    args: [{ grain: 'daily', from: '2026-03-28', to: '2026-03-29' }],
  });
  const expected = await dailyRowsBetween('2026-03-28', '2026-03-29');
  await database.db.$executeRaw`DELETE FROM metrics_daily`;
  await database.db.$executeRaw`DELETE FROM metrics_daily_actions`;

  const id = `${ids.daily}-hourly`;
  const [daily] = rollupScheduleDefinitions(testConfig(), temporal.taskQueue, { ids: { daily: id } });
  expect(daily.spec.calendars).toEqual([expect.objectContaining({ hour: '*', minute: 5 })]);
  await ensureSchedule(temporal.client, daily);
  created.push(id);
  // Berlin's spring-forward day and the day before, in both zones: 00:05 UTC on the 27th … 23:05 on the 30th.
  await backfillRollups(temporal.client, { grain: 'daily', from: '2026-03-28', to: '2026-03-29', scheduleId: id });
  const runs = 4 * 24;
  await waitFor('the backfilled runs', async () => {
    const d = await describeSchedule(temporal.client, id);
    return d.numActionsTaken >= runs && d.runningWorkflowIds.length === 0 ? d : undefined;
  });
  expect(await dailyRowsBetween('2026-03-28', '2026-03-29')).toEqual(expected);
});

test('schedules are created idempotently, updated when their spec changes, and stay paused when paused', async () => {
  const first = await ensureRollupSchedules(temporal.client, testConfig(), temporal.taskQueue, { ids });
  for (const id of [ids.monthly, ids.retention]) if (!created.includes(id)) created.push(id);
  expect(first.map((r) => r.scheduleId)).toEqual([ids.daily, ids.monthly, ids.retention]);
  // The daily one existed (previous test, with another spec): updated back to every hour at :05.
  expect(first.map((r) => r.outcome)).toEqual(['updated', 'created', 'created']);
  const daily = await temporal.client.schedule.getHandle(ids.daily).describe();
  expect(daily.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 0, end: 23, step: 1 }], minute: [{ start: 5, end: 5, step: 1 }] })]);
  expect(daily.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 86_400_000 });
  const retention = await temporal.client.schedule.getHandle(ids.retention).describe();
  expect(retention.action).toMatchObject({ workflowType: 'retentionWorkflow', args: [{ hourlyRetentionDays: 7 }] });
  expect(retention.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });

  await pauseSchedule(temporal.client, { scheduleId: ids.monthly, note: 'paused by the test' });
  const again = await ensureRollupSchedules(temporal.client, testConfig({ ROLLUP_MONTHLY_AT: '02:30' }), temporal.taskQueue, { ids });
  expect(again.map((r) => r.outcome)).toEqual(['updated', 'updated', 'updated']);
  const monthly = await describeSchedule(temporal.client, ids.monthly);
  expect(monthly).toMatchObject({ paused: true, note: 'paused by the test', workflowType: 'rollupWorkflow' });
  const spec = (await temporal.client.schedule.getHandle(ids.monthly).describe()).spec.calendars?.[0];
  expect(spec).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
  await unpauseSchedule(temporal.client, { scheduleId: ids.monthly });
  expect((await describeSchedule(temporal.client, ids.monthly)).paused).toBe(false);

  // Triggered now: one monthly rollup run, visible under the schedule.
  await triggerSchedule(temporal.client, { scheduleId: ids.monthly });
  const triggered = await waitFor('the triggered run', async () => {
    const d = await describeSchedule(temporal.client, ids.monthly);
    return d.numActionsTaken >= 1 && d.runningWorkflowIds.length === 0 ? d : undefined;
  });
  expect(triggered.recentActions[0].workflowId).toMatch(new RegExp(`^meta-rollup:monthly-`));
  expect((await listSchedules(temporal.client, { prefix: `test-rollup-monthly-${suffix}` })).map((s) => s.scheduleId)).toEqual([ids.monthly]);
});
