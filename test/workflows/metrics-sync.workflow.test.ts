import { WorkflowIdConflictPolicy } from '@temporalio/client';
import type { TruthAccount } from '../../src/simulator/truth';
import { metricsSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { progressQuery, type WorkflowProgress } from '../../domain/progress';
import type { SyncResult } from '../../domain/contracts/account-sync';
import type { MetricsSyncInput } from '../../domain/contracts/metrics-sync';
import { createSyncHarness, type RunningTestWorker, type SyncHarness } from '../support/sync-harness';
import { addDays } from '../../domain/calendar';
import { expectMatchesTruth, hiddenAdsWithSpend } from './metrics-sync-helpers';

let h: SyncHarness;
let worker: RunningTestWorker;
let la: TruthAccount;
let berlin: TruthAccount;

beforeAll(async () => {
  h = await createSyncHarness({ profile: 'small' });
  worker = await h.startWorker();
  const accounts = await Promise.all(h.adAccountIds.map((id) => h.truth(id)));
  la = accounts.find((a) => a.timezone === 'America/Los_Angeles')!;
  berlin = accounts.find((a) => a.timezone === 'Europe/Berlin')!;
});

afterAll(async () => {
  await h?.close();
});

const FAST_POLL = { reportPollInitialMs: 50, reportPollMaxMs: 200 };

async function runSync(input: Omit<MetricsSyncInput, 'companyId'>): Promise<SyncResult> {
  return h.temporal.client.workflow.execute(metricsSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.metricsSync(input.adAccountId, input.grain),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, ...input }],
  });
}

test('a clean daily metrics sync (async report runs) stores every level exactly as Meta reports it, archived and deleted ads included', async () => {
  const account = la;
  const from = account.historyStart;
  const to = account.today;
  expect(await hiddenAdsWithSpend(h, account, from, to)).not.toHaveLength(0);

  const handle = await h.temporal.client.workflow.start(metricsSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.metricsSync(account.id, 'daily'),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId: account.id, grain: 'daily', from, to, ...FAST_POLL }],
  });
  // What the progress query (and so the workflow status and MCP notifications) shows meanwhile.
  const seen: Array<NonNullable<WorkflowProgress['work']> & { percent?: number }> = [];
  let finished = false;
  const resultPromise = handle.result().finally(() => (finished = true));
  while (!finished) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.work) seen.push({ ...p.work, percent: p.reports?.percent });
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const result = await resultPromise;
  expect(seen.length).toBeGreaterThan(0);
  for (const [i, w] of seen.entries()) {
    expect(w.unit).toBe('days');
    expect(w.done).toBeLessThanOrEqual(w.total);
    if (i > 0) expect(w.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
  }
  // Meta's completion percentage of the running reports, as the simulator reports it (0, 33, 66 %…).
  expect(seen.some((w) => w.percent !== undefined && w.percent > 0 && w.percent < 100)).toBe(true);
  expect((await handle.query(progressQuery)).work).toEqual({ done: result.counts.daysPlanned, total: result.counts.daysPlanned, unit: 'days' });

  if (process.env.DEBUG_HISTORY) {
    const history = await h.temporal.client.workflow.getHandle(workflowIds.metricsSync(account.id, 'daily')).fetchHistory();
    for (const e of history.events ?? []) {
      const f = e.activityTaskFailedEventAttributes?.failure ?? e.workflowTaskFailedEventAttributes?.failure;
      console.log(String(e.eventTime?.seconds), e.eventType, f?.message ?? '');
    }
  }
  expect(result.counts.reportRuns).toBeGreaterThanOrEqual(4);
  expect(result.counts.daysDone).toBe(result.counts.daysPlanned);
  await expectMatchesTruth(h, account.id, 'daily', from, to);
  const checkpoints = await h.database.db.metricsSyncCheckpoint.count({ where: { adAccountId: account.id, grain: 'daily' } });
  expect(checkpoints).toBe(result.counts.daysPlanned);
  const run = await h.database.db.syncRun.findFirstOrThrow({ where: { adAccountId: account.id, kind: 'metrics' } });
  expect(run.status).toBe('completed');
  const stored = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: account.id } });
  expect(stored.lastMetricsSyncAt).not.toBeNull();
});

test('a re-run re-reads the lookback window only and ends equal to the revised truth', async () => {
  const account = la;
  const from = account.historyStart;
  const to = account.today;
  const before = JSON.stringify((await h.truth(account.id)).daily.slice(-3));
  await h.simControl('/__sim/revise', { adAccountId: account.id, days: 3 });
  expect(JSON.stringify((await h.truth(account.id)).daily.slice(-3))).not.toBe(before);

  // Synchronous reads this time (asyncMinDays 0), three days per request.
  const result = await runSync({ adAccountId: account.id, grain: 'daily', from, to, lookbackDays: 5, asyncMinDays: 0, daysPerChunk: 3 });

  expect(result.counts.daysPlanned).toBe(5);
  expect(result.counts.daysSkipped).toBe(Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1 - 5);
  expect(result.counts.reportRuns ?? 0).toBe(0);
  await expectMatchesTruth(h, account.id, 'daily', from, to);
  // What an operator or agent sees: per level, days done and rows written.
  const progress = await h.temporal.client.workflow.getHandle(workflowIds.metricsSync(account.id, 'daily')).query(progressQuery);
  expect(progress.phase).toBe('done');
  for (const level of ['account', 'campaign', 'adset', 'ad']) {
    expect(progress.entities[level]).toMatchObject({ days: 5, done: true, cursor: to });
    expect(progress.entities[level]!.rows).toBeGreaterThan(0);
  }
});

test('monthlyReach reads reach and frequency at month grain from Meta (never a sum of days) into metrics_monthly', async () => {
  const to = la.today;
  const from = addDays(to, -1);
  const result = await runSync({ adAccountId: la.id, grain: 'daily', from, to, lookbackDays: 2, asyncMinDays: 0, monthlyReach: true });
  expect(result.counts.daysDone).toBe(2);

  const monthStart = `${from.slice(0, 7)}-01`;
  const params = new URLSearchParams({
    level: 'ad', time_increment: 'monthly', time_range: JSON.stringify({ since: monthStart, until: to }), fields: 'ad_id,date_start,reach,frequency', limit: '5000',
    filtering: JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED'] }]),
    access_token: 'sim-token',
  });
  const meta = (await (await fetch(`${h.sim.url}/v24.0/${la.id}/insights?${params}`)).json()) as { data: Array<{ ad_id: string; date_start: string; reach: string }> };
  const stored = await h.database.db.$queryRaw<Array<{ entity_id: string; month: string; reach: bigint; source: string }>>`
    SELECT entity_id, to_char(month, 'YYYY-MM-DD') AS month, reach, source FROM metrics_monthly WHERE ad_account_id = ${la.id} AND level = 'ad'`;
  expect(meta.data.length).toBeGreaterThan(0);
  expect(stored.map((r) => [r.entity_id, r.month, String(r.reach), r.source]).sort()).toEqual(
    meta.data.map((r) => [r.ad_id, `${r.date_start.slice(0, 7)}-01`, r.reach, 'meta']).sort(),
  );
});

test('an hourly metrics sync across DST changes stores one row per local hour whose sums equal the truth (Berlin and Los Angeles)', async () => {
  // The simulator's clock only moves forward, to days whose last 7 (the hourly history) hold a
  // change: Berlin skips 02:00 on 2027-03-28 and repeats it on 2027-10-31; LA repeats 01:00 on 2027-11-07.
  const hoursOf = async (adAccountId: string, day: string) =>
    h.database.db.$queryRaw<Array<{ local_hour: number; bucket_start: Date }>>`
      SELECT DISTINCT local_hour, bucket_start FROM metrics_hourly
       WHERE ad_account_id = ${adAccountId} AND level = 'account' AND local_date = ${day}::date ORDER BY local_hour`;
  const instantOf = (rows: Array<{ local_hour: number; bucket_start: Date }>, hour: number) => rows.find((r) => r.local_hour === hour)?.bucket_start.toISOString();
  for (const [account, now] of [[berlin, '2027-03-30T10:05:00Z'], [berlin, '2027-11-02T10:05:00Z'], [la, '2027-11-09T20:05:00Z']] as const) {
    await h.simControl('/__sim/clock', { now });
    const today = (await h.truth(account.id)).today;
    const from = addDays(today, -6);
    const result = await runSync({ adAccountId: account.id, grain: 'hourly', from, to: today });
    expect(result.counts.daysDone).toBe(7);
    await expectMatchesTruth(h, account.id, 'hourly', from, today);
  }
  const spring = await hoursOf(berlin.id, '2027-03-28');
  expect(spring.map((r) => r.local_hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
  expect([instantOf(spring, 1), instantOf(spring, 3)]).toEqual(['2027-03-28T00:00:00.000Z', '2027-03-28T01:00:00.000Z']);
  const autumn = await hoursOf(berlin.id, '2027-10-31');
  expect(autumn.map((r) => r.local_hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  // The repeated hour is one row, at its earlier instant (02:00 CEST = 00:00Z); 03:00 CET = 02:00Z.
  expect([instantOf(autumn, 2), instantOf(autumn, 3)]).toEqual(['2027-10-31T00:00:00.000Z', '2027-10-31T02:00:00.000Z']);
  const laAutumn = await hoursOf(la.id, '2027-11-07');
  expect([instantOf(laAutumn, 1), instantOf(laAutumn, 2)]).toEqual(['2027-11-07T08:00:00.000Z', '2027-11-07T10:00:00.000Z']);
});
