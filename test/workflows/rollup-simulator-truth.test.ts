import Decimal from 'decimal.js';
import type { Worker } from '@temporalio/worker';
import { rollupWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { upsertHourlyActions, upsertHourlyMetrics, type HourlyActionRow, type HourlyMetricRow } from '../../src/db/metrics-upsert';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server';
import { connectTestTemporal, createTestDatabase, createTestWorker, testConfig, type TestDatabase, type TestTemporal } from '../support/test-env';

let database: TestDatabase;
let temporal: TestTemporal;
let worker: Worker;
let running: Promise<void>;
let simulator: RunningSimulator;

interface TruthRow {
  entityId: string;
  date: string;
  hour?: number;
  spend: string;
  impressions: number;
  clicks: number;
  inlineLinkClicks: number;
  actions: Array<Record<string, string>>;
}
interface TruthAccount {
  id: string;
  timezone: string;
  daily: Array<{ date: string; spend: string; impressions: number; clicks: number }>;
}

beforeAll(async () => {
  // "Now" just after the US fall-back, so the hourly window holds a 25-hour Los Angeles day.
  [database, temporal, simulator] = await Promise.all([createTestDatabase(), connectTestTemporal(), startSimulator({ profile: 'small', port: 0, now: '2026-11-03T12:00:00Z' })]);
  worker = await createTestWorker({ temporal, deps: { db: database.db, config: testConfig() } });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all([temporal?.close(), database?.close(), simulator?.close()]);
});

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${simulator.url}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

const instants = new Map<string, string>();
/** The instant an account-local (date, hour) starts; the first one when the hour repeats. */
function localHourStart(timeZone: string, date: string, hour: number): string {
  const key = `${timeZone}|${date}|${hour}`;
  const cached = instants.get(key);
  if (cached) return cached;
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const [y, m, d] = date.split('-').map(Number);
  for (let offset = 14; offset >= -14; offset--) {
    const candidate = Date.UTC(y, m - 1, d, hour) - offset * 3_600_000;
    const parts = Object.fromEntries(format.formatToParts(candidate).map((p) => [p.type, p.value]));
    if (`${parts.year}-${parts.month}-${parts.day}` === date && Number(parts.hour) === hour) {
      const iso = new Date(candidate).toISOString();
      instants.set(key, iso);
      return iso;
    }
  }
  throw new Error(`no instant for ${date} ${hour}:00 in ${timeZone}`);
}

/** Meta's actions list as action rows: one per (type, attribution window); `value:` entries fill in values. */
function actionRows(row: TruthRow): Array<{ actionType: string; attributionWindow: string; count: string; value: string | null }> {
  const values = new Map<string, string>();
  for (const entry of row.actions.filter((a) => a.action_type.startsWith('value:'))) {
    for (const [window, amount] of Object.entries(entry)) if (window !== 'action_type') values.set(`${entry.action_type.slice(6)}|${window}`, amount);
  }
  return row.actions
    .filter((a) => !a.action_type.startsWith('value:'))
    .flatMap((entry) =>
      Object.entries(entry)
        .filter(([window]) => window !== 'action_type')
        .map(([window, count]) => ({ actionType: entry.action_type, attributionWindow: window, count, value: values.get(`${entry.action_type}|${window}`) ?? null })),
    );
}

test("daily rollups of the simulator's hourly truth equal its daily truth for every additive metric", async () => {
  const { adAccounts } = await get<{ adAccounts: TruthAccount[] }>('/__sim/truth');
  expect(adAccounts.map((a) => a.timezone).sort()).toEqual(['America/Los_Angeles', 'Europe/Berlin']);
  const dates = new Map<string, string[]>();
  for (const account of adAccounts) {
    const { rows } = await get<{ rows: TruthRow[] }>(`/__sim/truth?adAccountId=${account.id}&level=ad&grain=hourly`);
    const hourly: HourlyMetricRow[] = rows.map((r) => ({
      level: 'ad',
      entityId: r.entityId,
      adAccountId: account.id,
      bucketStart: localHourStart(account.timezone, r.date, r.hour!),
      localDate: r.date,
      localHour: r.hour!,
      spend: r.spend,
      impressions: r.impressions,
      clicks: r.clicks,
      inlineLinkClicks: r.inlineLinkClicks,
    }));
    const actions: HourlyActionRow[] = rows.flatMap((r) =>
      actionRows(r).map((a) => ({ level: 'ad' as const, entityId: r.entityId, adAccountId: account.id, bucketStart: localHourStart(account.timezone, r.date, r.hour!), localDate: r.date, ...a })),
    );
    expect(await upsertHourlyMetrics(database.db, hourly)).toBe(hourly.length);
    expect(await upsertHourlyActions(database.db, actions)).toBe(actions.length);
    dates.set(account.id, [...new Set(rows.map((r) => r.date))].sort());
  }
  // The account level, as the sync would read it from Meta: the sum of the account's ads.
  await database.db.$executeRaw`
    INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, spend, impressions, clicks, inline_link_clicks)
    SELECT 'account', ad_account_id, bucket_start, ad_account_id, local_date, local_hour, sum(spend), sum(impressions), sum(clicks), sum(inline_link_clicks)
      FROM metrics_hourly WHERE level = 'ad' GROUP BY ad_account_id, bucket_start, local_date, local_hour`;
  const all = [...dates.values()].flat().sort();
  await temporal.client.workflow.execute(rollupWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: `${workflowIds.rollup('daily', all[0])}:truth`,
    args: [{ grain: 'daily', from: all[0], to: all[all.length - 1] }],
  });

  for (const account of adAccounts) {
    // Account totals per local day.
    const rolled = await database.db.$queryRaw<Array<{ date: string; spend: string; impressions: string; clicks: string }>>`
      SELECT date::text, spend::text, impressions::text, clicks::text FROM metrics_daily
       WHERE level = 'account' AND entity_id = ${account.id} ORDER BY date`;
    const truthDays = account.daily.filter((d) => dates.get(account.id)!.includes(d.date));
    expect(rolled.map((r) => [r.date, new Decimal(r.spend).toFixed(2), Number(r.impressions), Number(r.clicks)])).toEqual(
      truthDays.map((d) => [d.date, new Decimal(d.spend).toFixed(2), d.impressions, d.clicks]),
    );

    // Every ad, every day: additive metrics and every action count and value.
    const { rows: dailyTruth } = await get<{ rows: TruthRow[] }>(`/__sim/truth?adAccountId=${account.id}&level=ad&grain=daily`);
    const expected = dailyTruth
      .filter((r) => dates.get(account.id)!.includes(r.date) && (r.impressions > 0 || Number(r.spend) > 0 || r.actions.length > 0))
      .map((r) => `${r.entityId}|${r.date}|${new Decimal(r.spend).toFixed(6)}|${r.impressions}|${r.clicks}|${r.inlineLinkClicks}`)
      .sort();
    const ads = await database.db.$queryRaw<Array<{ row: string }>>`
      SELECT concat_ws('|', entity_id, date, spend, impressions, clicks, inline_link_clicks) AS row FROM metrics_daily
       WHERE level = 'ad' AND ad_account_id = ${account.id} AND (impressions > 0 OR spend > 0
             OR EXISTS (SELECT 1 FROM metrics_daily_actions a WHERE a.level = 'ad' AND a.entity_id = metrics_daily.entity_id AND a.date = metrics_daily.date AND a.count > 0))
       ORDER BY 1`;
    expect(ads.map((r) => r.row).sort()).toEqual(expected);

    // Counts only: the simulator's hourly purchase values do not add up to its daily ones (e.g.
    // one purchase worth 4.33 in the hourly truth, 83.70 in the daily truth): reported to its owner.
    const expectedActions = dailyTruth
      .filter((r) => dates.get(account.id)!.includes(r.date))
      .flatMap((r) => actionRows(r).map((a) => `${r.entityId}|${r.date}|${a.actionType}|${a.attributionWindow}|${new Decimal(a.count).toFixed(6)}`))
      .sort();
    const rolledActions = await database.db.$queryRaw<Array<{ row: string }>>`
      SELECT concat_ws('|', entity_id, date, action_type, attribution_window, count) AS row FROM metrics_daily_actions
       WHERE level = 'ad' AND ad_account_id = ${account.id} ORDER BY 1`;
    expect(rolledActions.map((r) => r.row).sort()).toEqual(expectedActions);
  }
});
