import Decimal from 'decimal.js';
import pg from 'pg';
import type { Worker } from '@temporalio/worker';
import { retentionWorkflow, rollupWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import type { RollupWorkflowInput } from '../../domain/contracts/rollup';
import { upsertDailyActions, upsertDailyMetrics, upsertMonthlyMetrics } from '../../src/db/metrics-upsert';
import { connectTestTemporal, createTestDatabase, createTestWorker, testConfig, type TestDatabase, type TestTemporal } from '../support/test-env';

let database: TestDatabase;
let temporal: TestTemporal;
let worker: Worker;
let running: Promise<void>;
let runCount = 0;

const LA = 'act_100';
const BERLIN = 'act_200';

beforeAll(async () => {
  [database, temporal] = await Promise.all([createTestDatabase(), connectTestTemporal()]);
  worker = await createTestWorker({ temporal, deps: { db: database.db, config: testConfig() } });
  running = worker.run();
  await seed();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all([temporal?.close(), database?.close()]);
});

function rollup(input: RollupWorkflowInput) {
  return temporal.client.workflow.execute(rollupWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: `${workflowIds.rollup(input.grain, input.from ?? input.asOf ?? 'now')}:${++runCount}`,
    args: [input],
  });
}

/**
 * Two accounts (Los Angeles, Berlin), two ads each, hourly rows for every instant of two
 * ranges that contain both zones' DST changes. Ad 1 is constant (1.25 spend, 100 impressions,
 * 3 clicks per hour) so local days have known totals: 23 or 25 hours on DST days. Ad 2 varies
 * per hour and never clicks (NULL cpc). Parent levels are sums of ads, as Meta reports them.
 */
async function seed(): Promise<void> {
  const db = database.db;
  await db.company.create({ data: { id: '00000000-0000-4000-8000-000000000002', name: 'Rollups' } });
  await db.$executeRaw`
    INSERT INTO ad_accounts (id, company_id, account_id, encrypted_access_token, token_key_id, timezone_name, updated_at)
    VALUES (${LA}, '00000000-0000-4000-8000-000000000002', '100', 'x', 'k', 'America/Los_Angeles', now()),
           (${BERLIN}, '00000000-0000-4000-8000-000000000002', '200', 'x', 'k', 'Europe/Berlin', now())`;
  for (const [start, end] of [['2026-03-05T00:00:00Z', '2026-04-02T00:00:00Z'], ['2026-10-22T00:00:00Z', '2026-11-04T00:00:00Z']]) {
    await db.$executeRaw`
      INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, campaign_id, adset_id,
                                  spend, impressions, clicks, inline_link_clicks)
      SELECT 'ad', a.id || '-ad' || n, t, a.id, (t AT TIME ZONE a.timezone_name)::date,
             extract(hour FROM t AT TIME ZONE a.timezone_name)::int, a.id || '-c', a.id || '-as',
             CASE n WHEN 1 THEN 1.25 ELSE 0.333333 + ((extract(epoch FROM t)::bigint / 3600) % 13) * 0.000007 END,
             CASE n WHEN 1 THEN 100 ELSE 7 + (extract(epoch FROM t)::bigint / 3600) % 5 END,
             CASE n WHEN 1 THEN 3 ELSE 0 END,
             CASE n WHEN 1 THEN 2 ELSE 0 END
        FROM ad_accounts a,
             generate_series(${start}::timestamptz, ${end}::timestamptz - interval '1 hour', interval '1 hour') t,
             generate_series(1, 2) n`;
  }
  await db.$executeRaw`
    INSERT INTO metrics_hourly_actions (level, entity_id, bucket_start, action_type, attribution_window, ad_account_id, local_date, count, value)
    SELECT level, entity_id, bucket_start, 'purchase', '7d_click', ad_account_id, local_date, 1, 2.5 FROM metrics_hourly WHERE entity_id LIKE '%-ad1'
    UNION ALL
    SELECT level, entity_id, bucket_start, 'link_click', 'value', ad_account_id, local_date, impressions % 3, NULL FROM metrics_hourly WHERE entity_id LIKE '%-ad2'`;
  // Parent levels: Meta reports each level; here they are the sums of the ads.
  for (const [level, entity, campaign, adset] of [
    ['adset', 'adset_id', 'campaign_id', 'adset_id'],
    ['campaign', 'campaign_id', 'campaign_id', 'NULL'],
    ['account', 'ad_account_id', 'NULL', 'NULL'],
  ]) {
    await db.$executeRawUnsafe(`
      INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, campaign_id, adset_id, spend, impressions, clicks, inline_link_clicks)
      SELECT '${level}', ${entity}, bucket_start, ad_account_id, local_date, local_hour, ${campaign}, ${adset}, sum(spend), sum(impressions), sum(clicks), sum(inline_link_clicks)
        FROM metrics_hourly WHERE level = 'ad' GROUP BY ${entity}, bucket_start, ad_account_id, local_date, local_hour, campaign_id, adset_id`);
    await db.$executeRawUnsafe(`
      INSERT INTO metrics_hourly_actions (level, entity_id, bucket_start, action_type, attribution_window, ad_account_id, local_date, count, value)
      SELECT '${level}', h.${entity}, a.bucket_start, a.action_type, a.attribution_window, a.ad_account_id, a.local_date, sum(a.count), sum(a.value)
        FROM metrics_hourly_actions a JOIN metrics_hourly h ON h.level = 'ad' AND h.entity_id = a.entity_id AND h.bucket_start = a.bucket_start
       WHERE a.level = 'ad' GROUP BY h.${entity}, a.bucket_start, a.action_type, a.attribution_window, a.ad_account_id, a.local_date`);
  }
}

/** Every row of a table as text, ordered: a full snapshot to compare. */
async function snapshot(table: string): Promise<string[]> {
  const rows = await database.db.$queryRawUnsafe<Array<{ row: string }>>(`SELECT t::text AS row FROM ${table} t ORDER BY t::text`);
  return rows.map((r) => r.row);
}

async function snapshotAll(): Promise<Record<string, string[]>> {
  const tables = ['metrics_daily', 'metrics_daily_actions', 'metrics_monthly', 'metrics_monthly_actions'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await snapshot(t)] as const)));
}

interface DailyText {
  level: string;
  entity_id: string;
  date: string;
  spend: string;
  impressions: string;
  clicks: string;
  ctr: string | null;
  cpc: string | null;
  cpm: string | null;
  reach: string | null;
  frequency: string | null;
  source: string;
}

async function dailyRow(level: string, entityId: string, date: string): Promise<DailyText | undefined> {
  const rows = await database.db.$queryRaw<DailyText[]>`
    SELECT level, entity_id, date::text, spend::text, impressions::text, clicks::text, ctr::text, cpc::text, cpm::text,
           reach::text, frequency::text, source
      FROM metrics_daily WHERE level = ${level} AND entity_id = ${entityId} AND date = ${date}::date`;
  return rows[0];
}

const ratio = (num: Decimal, den: Decimal, factor: number): string | null => (den.isZero() ? null : num.times(factor).div(den).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6));

test('provisional daily rows equal the sums of hourly rows on each account-local day, DST days included', async () => {
  const result = await rollup({ grain: 'daily', from: '2026-03-01', to: '2026-11-30' });
  expect(result.totals.deleted).toBe(0);

  // Known totals: ad 1 bills 1.25 / 100 impressions / 3 clicks every hour of the local day.
  const expectDay = async (entity: string, date: string, hours: number) => {
    const row = await dailyRow('ad', entity, date);
    expect(row).toMatchObject({
      spend: new Decimal('1.25').times(hours).toFixed(6),
      impressions: String(100 * hours),
      clicks: String(3 * hours),
      ctr: '3.000000',
      cpc: '0.416667',
      cpm: '12.500000',
      reach: null,
      frequency: null,
      source: 'rollup',
    });
  };
  await expectDay(`${BERLIN}-ad1`, '2026-03-28', 24);
  await expectDay(`${BERLIN}-ad1`, '2026-03-29', 23); // CET → CEST
  await expectDay(`${BERLIN}-ad1`, '2026-10-25', 25); // CEST → CET
  await expectDay(`${LA}-ad1`, '2026-03-08', 23); // PST → PDT
  await expectDay(`${LA}-ad1`, '2026-03-09', 24);
  await expectDay(`${LA}-ad1`, '2026-11-01', 25); // PDT → PST

  // Every daily row equals the sum of its hourly rows, at every level (Decimal arithmetic).
  const hourly = await database.db.$queryRaw<Array<{ level: string; entity_id: string; local_date: string; spend: string; impressions: string; clicks: string }>>`
    SELECT level, entity_id, local_date::text, spend::text, impressions::text, clicks::text FROM metrics_hourly`;
  const sums = new Map<string, { spend: Decimal; impressions: Decimal; clicks: Decimal }>();
  for (const h of hourly) {
    const key = `${h.level}|${h.entity_id}|${h.local_date}`;
    const s = sums.get(key) ?? { spend: new Decimal(0), impressions: new Decimal(0), clicks: new Decimal(0) };
    sums.set(key, { spend: s.spend.plus(h.spend), impressions: s.impressions.plus(h.impressions), clicks: s.clicks.plus(h.clicks) });
  }
  const daily = await database.db.$queryRaw<DailyText[]>`
    SELECT level, entity_id, date::text, spend::text, impressions::text, clicks::text, ctr::text, cpc::text, cpm::text, reach::text, frequency::text, source
      FROM metrics_daily`;
  expect(daily.length).toBe(sums.size);
  for (const d of daily) {
    const s = sums.get(`${d.level}|${d.entity_id}|${d.date}`)!;
    expect({ key: `${d.level}|${d.entity_id}|${d.date}`, spend: d.spend, impressions: d.impressions, clicks: d.clicks, ctr: d.ctr, cpc: d.cpc, cpm: d.cpm, reach: d.reach }).toEqual({
      key: `${d.level}|${d.entity_id}|${d.date}`,
      spend: s.spend.toFixed(6),
      impressions: s.impressions.toFixed(0),
      clicks: s.clicks.toFixed(0),
      ctr: ratio(s.clicks, s.impressions, 100),
      cpc: ratio(s.spend, s.clicks, 1),
      cpm: ratio(s.spend, s.impressions, 1000),
      reach: null,
    });
  }
  // Account level equals the sum of its ads; action rows are summed too.
  const [berlinDst] = await database.db.$queryRaw<Array<{ spend: string; purchases: string; value: string }>>`
    SELECT d.spend::text,
           (SELECT count::text FROM metrics_daily_actions WHERE level = 'account' AND entity_id = ${BERLIN} AND date = '2026-03-29' AND action_type = 'purchase') AS purchases,
           (SELECT value::text FROM metrics_daily_actions WHERE level = 'account' AND entity_id = ${BERLIN} AND date = '2026-03-29' AND action_type = 'purchase') AS value
      FROM metrics_daily d WHERE d.level = 'account' AND d.entity_id = ${BERLIN} AND d.date = '2026-03-29'`;
  expect(berlinDst.purchases).toBe('23.000000');
  expect(berlinDst.value).toBe('57.500000');
  expect(berlinDst.spend).toBe(sums.get(`account|${BERLIN}|2026-03-29`)!.spend.toFixed(6));
});

test('a scheduled instant rolls up the local days of T and T−1h in each account time zone', async () => {
  const before = await snapshotAll();
  await database.db.$executeRaw`DELETE FROM metrics_daily`;
  await database.db.$executeRaw`DELETE FROM metrics_daily_actions`;
  // 22:30Z on 29 March: Berlin (CEST, +2) is at 00:30 on the 30th, an hour earlier on the 29th;
  // Los Angeles (PDT, −7) is at 15:30 on the 29th.
  // An account whose zone name PostgreSQL would reject is left out instead of failing every account.
  await database.db.$executeRaw`
    INSERT INTO ad_accounts (id, company_id, account_id, encrypted_access_token, token_key_id, timezone_name, updated_at)
    VALUES ('act_300', '00000000-0000-4000-8000-000000000002', '300', 'x', 'k', 'Mars/Olympus_Mons', now())`;
  await rollup({ grain: 'daily', asOf: '2026-03-29T22:30:00Z' });
  await database.db.$executeRaw`DELETE FROM ad_accounts WHERE id = 'act_300'`;
  const days = await database.db.$queryRaw<Array<{ ad_account_id: string; date: string }>>`
    SELECT DISTINCT ad_account_id, date::text FROM metrics_daily ORDER BY 1, 2`;
  expect(days).toEqual([
    { ad_account_id: LA, date: '2026-03-29' },
    { ad_account_id: BERLIN, date: '2026-03-29' },
    { ad_account_id: BERLIN, date: '2026-03-30' },
  ]);
  // Berlin's DST day is complete once T−1h is in it.
  expect((await dailyRow('ad', `${BERLIN}-ad1`, '2026-03-29'))?.impressions).toBe('2300');

  // Restore the full window: the rows equal the ones of the first run.
  await rollup({ grain: 'daily', from: '2026-03-01', to: '2026-11-30' });
  const after = await snapshotAll();
  const stripSynced = (rows: string[]) => rows.map((r) => r.replace(/,"?\d{4}-\d{2}-\d{2} [\d:.+]+"?\)$/, ')'));
  expect(stripSynced(after.metrics_daily)).toEqual(stripSynced(before.metrics_daily));
  expect(after.metrics_daily_actions).toEqual(before.metrics_daily_actions);
});

test('a rollup never overwrites a meta row; a later daily pull replaces rollup rows; reruns change nothing', async () => {
  // A daily pull from Meta for one Berlin day: reach and unique counts only Meta knows.
  const metaDay = { level: 'ad' as const, entityId: `${BERLIN}-ad1`, adAccountId: BERLIN, date: '2026-03-10', campaignId: `${BERLIN}-c`, adsetId: `${BERLIN}-as` };
  const rollupBefore = await dailyRow('ad', metaDay.entityId, metaDay.date);
  expect(rollupBefore?.source).toBe('rollup');
  expect(await upsertDailyMetrics(database.db, [{ ...metaDay, spend: '31.420000', impressions: 2410, clicks: 71, inlineLinkClicks: 50, reach: 1900, frequency: '1.268421', uniqueClicks: 60 }])).toBe(1);
  await upsertDailyActions(database.db, [{ level: 'ad', entityId: metaDay.entityId, adAccountId: BERLIN, date: metaDay.date, actionType: 'purchase', attributionWindow: '7d_click', count: '26', value: '70.25' }]);

  const replaced = await dailyRow('ad', metaDay.entityId, metaDay.date);
  expect(replaced).toMatchObject({ spend: '31.420000', impressions: '2410', clicks: '71', reach: '1900', frequency: '1.268421', ctr: '2.946058', cpc: '0.442535', cpm: '13.037344', source: 'meta' });

  // The rollup of that day leaves the meta row and its action rows exactly as Meta said.
  await rollup({ grain: 'daily', from: '2026-03-10', to: '2026-03-10' });
  expect(await dailyRow('ad', metaDay.entityId, metaDay.date)).toEqual(replaced);
  const actions = await database.db.$queryRaw<Array<{ action_type: string; count: string; source: string }>>`
    SELECT action_type, count::text, source FROM metrics_daily_actions WHERE level = 'ad' AND entity_id = ${metaDay.entityId} AND date = '2026-03-10'`;
  expect(actions).toEqual([{ action_type: 'purchase', count: '26.000000', source: 'meta' }]);

  // Running the same windows again changes nothing at all (synced_at included).
  await rollup({ grain: 'monthly', from: '2026-03-01', to: '2026-11-30' });
  const before = await snapshotAll();
  const daily = await rollup({ grain: 'daily', from: '2026-03-01', to: '2026-11-30' });
  const monthly = await rollup({ grain: 'monthly', from: '2026-03-01', to: '2026-11-30' });
  expect(daily.totals).toEqual({ upserted: 0, deleted: 0, actionsUpserted: 0, actionsDeleted: 0 });
  expect(monthly.totals).toEqual({ upserted: 0, deleted: 0, actionsUpserted: 0, actionsDeleted: 0 });
  expect(await snapshotAll()).toEqual(before);
});

test('monthly rows are the sums of daily rows, ratios recomputed, reach only from a Meta monthly read', async () => {
  await upsertMonthlyMetrics(database.db, [
    { level: 'account', entityId: LA, adAccountId: LA, month: '2026-03-01', spend: '1', impressions: 1, clicks: 1, reach: 5000, frequency: '1.700000' },
  ]);
  await rollup({ grain: 'monthly', from: '2026-03-01', to: '2026-11-30' });
  const rows = await database.db.$queryRaw<Array<{ level: string; entity_id: string; month: string; spend: string; impressions: string; clicks: string; ctr: string | null; cpc: string | null; cpm: string | null; reach: string | null; frequency: string | null; source: string; d_spend: string; d_impressions: string; d_clicks: string }>>`
    SELECT m.level, m.entity_id, m.month::text, m.spend::text, m.impressions::text, m.clicks::text, m.ctr::text, m.cpc::text, m.cpm::text,
           m.reach::text, m.frequency::text, m.source, d.spend::text AS d_spend, d.impressions::text AS d_impressions, d.clicks::text AS d_clicks
      FROM metrics_monthly m
      JOIN (SELECT level, entity_id, date_trunc('month', date)::date AS month, sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks
              FROM metrics_daily GROUP BY 1, 2, 3) d ON (d.level, d.entity_id, d.month) = (m.level, m.entity_id, m.month)`;
  expect(rows.length).toBe(Number((await database.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM metrics_monthly`)[0].n));
  expect(rows.length).toBe(2 * 5 * 4); // 2 accounts × 5 entities × (March, April, October, November)
  for (const m of rows) {
    expect([m.spend, m.impressions, m.clicks]).toEqual([new Decimal(m.d_spend).toFixed(6), m.d_impressions, m.d_clicks]);
    const spend = new Decimal(m.spend);
    expect([m.ctr, m.cpc, m.cpm]).toEqual([ratio(new Decimal(m.clicks), new Decimal(m.impressions), 100), ratio(spend, new Decimal(m.clicks), 1), ratio(spend, new Decimal(m.impressions), 1000)]);
    if (m.level === 'account' && m.entity_id === LA && m.month === '2026-03-01') {
      // Meta's monthly reach and frequency stay; the additive columns are the daily sums.
      expect([m.reach, m.frequency, m.source]).toEqual(['5000', '1.700000', 'rollup']);
    } else {
      expect([m.reach, m.frequency]).toEqual([null, null]);
    }
  }
  // The Meta daily row written above is in Berlin's March sum: sums of daily rows, whatever their source.
  const [berlinMarch] = rows.filter((m) => m.level === 'ad' && m.entity_id === `${BERLIN}-ad1` && m.month === '2026-03-01');
  expect(berlinMarch.impressions).toBe(berlinMarch.d_impressions);
  const [actions] = await database.db.$queryRaw<Array<{ count: string }>>`
    SELECT count::text FROM metrics_monthly_actions WHERE level = 'ad' AND entity_id = ${`${BERLIN}-ad1`} AND month = '2026-03-01' AND action_type = 'purchase'`;
  const [dailyActions] = await database.db.$queryRaw<Array<{ count: string }>>`
    SELECT sum(count)::text AS count FROM metrics_daily_actions WHERE level = 'ad' AND entity_id = ${`${BERLIN}-ad1`} AND date BETWEEN '2026-03-01' AND '2026-03-31' AND action_type = 'purchase'`;
  expect(actions.count).toBe(dailyActions.count);
});

test('a rollup deletes the stale rollup row of an entity whose hourly rows disappeared', async () => {
  await database.db.$executeRaw`DELETE FROM metrics_hourly WHERE entity_id = ${`${LA}-ad2`} AND local_date = '2026-03-20'`;
  await database.db.$executeRaw`DELETE FROM metrics_hourly_actions WHERE entity_id = ${`${LA}-ad2`} AND local_date = '2026-03-20'`;
  const result = await rollup({ grain: 'daily', from: '2026-03-20', to: '2026-03-20' });
  expect(result.levels.ad).toMatchObject({ upserted: 0, deleted: 1, actionsDeleted: 1 });
  expect(await dailyRow('ad', `${LA}-ad2`, '2026-03-20')).toBeUndefined();
  expect(await dailyRow('ad', `${LA}-ad1`, '2026-03-20')).toBeDefined();
});

test('retention deletes only hourly rows whose daily rows cover them, whole account-days at a time', async () => {
  // Berlin 2026-03-11: a late hourly row arrives after the rollup, so the rollup row no longer covers the day.
  await database.db.$executeRaw`
    UPDATE metrics_hourly SET spend = spend + 1 WHERE level = 'ad' AND entity_id = ${`${BERLIN}-ad2`} AND local_date = '2026-03-11' AND local_hour = 23`;
  // Los Angeles 2026-03-12: no daily row at the campaign level.
  await database.db.$executeRaw`DELETE FROM metrics_daily WHERE level = 'campaign' AND ad_account_id = ${LA} AND date = '2026-03-12'`;
  const countHourly = async (account: string, date: string, level: string) =>
    Number((await database.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM metrics_hourly WHERE ad_account_id = ${account} AND local_date = ${date}::date AND level = ${level}`)[0].n);

  const result = await temporal.client.workflow.execute(retentionWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: `${workflowIds.retention('2026-03-13')}:test`,
    args: [{ hourlyRetentionDays: 7, asOf: '2026-03-20T03:00:00Z' }],
  });
  expect(result.cutoffDate).toBe('2026-03-13');
  expect(result.keptUncoveredDays).toBe(2);
  expect(await countHourly(BERLIN, '2026-03-11', 'ad')).toBe(48); // kept: ad 2's rollup is stale
  expect(await countHourly(BERLIN, '2026-03-11', 'account')).toBe(0); // the account level is covered
  expect(await countHourly(LA, '2026-03-12', 'campaign')).toBe(24); // kept: no daily row
  expect(await countHourly(LA, '2026-03-12', 'ad')).toBe(0);
  expect(await countHourly(BERLIN, '2026-03-10', 'ad')).toBe(0); // a meta daily row covers ad 1
  expect(await countHourly(BERLIN, '2026-03-13', 'ad')).toBe(48); // not older than the cutoff
  const [{ n: actionsLeft }] = await database.db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM metrics_hourly_actions WHERE local_date < '2026-03-13' AND NOT (ad_account_id = ${BERLIN} AND local_date = '2026-03-11' AND level = 'ad')
                                                      AND NOT (ad_account_id = ${LA} AND local_date = '2026-03-12' AND level = 'campaign')`;
  expect(Number(actionsLeft)).toBe(0);

  // A later rollup over those days keeps the daily rows whose hourly rows retention removed.
  const dailyBefore = await snapshot('metrics_daily');
  const again = await rollup({ grain: 'daily', from: '2026-03-05', to: '2026-03-12' });
  expect(again.totals.deleted).toBe(0);
  expect(again.levels.ad.upserted).toBe(1); // Berlin ad 2 on the 11th, now with the late hour
  expect((await snapshot('metrics_daily')).length).toBe(dailyBefore.length + 1); // the LA campaign row comes back
});

test('an empty account list rolls up nothing: it never means every account', async () => {
  const before = await snapshotAll();
  for (const grain of ['daily', 'monthly'] as const) {
    const result = await rollup({ grain, from: '2026-03-01', to: '2026-11-30', adAccountIds: [] });
    expect(result.totals).toEqual({ upserted: 0, deleted: 0, actionsUpserted: 0, actionsDeleted: 0 });
  }
  expect(await snapshotAll()).toEqual(before);
});

test("a tenant's long rollup lets the scheduled rollup in between bounded chunks instead of holding its lock to the end", async () => {
  // The lock every rollup of (daily, campaign) takes, the scheduled one of every tenant included.
  const key = 'meta-rollup:daily:campaign';
  const waiting = async (): Promise<number> =>
    (await database.db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM pg_locks
       WHERE locktype = 'advisory' AND NOT granted AND objid = (hashtext(${key})::bigint & 4294967295)::oid`)[0].n;
  const untilWaiting = async (n: number): Promise<void> => {
    while ((await waiting()) < n) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  await database.db.$executeRaw`DELETE FROM metrics_daily WHERE ad_account_id = ${LA} AND level = 'campaign'`;
  const holder = new pg.Client({ connectionString: database.url });
  const scheduled = new pg.Client({ connectionString: database.url });
  await Promise.all([holder.connect(), scheduled.connect()]);
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    // One tenant's rollup over eight and a half months (hourly rows in March and in October-November).
    const run = rollup({ grain: 'daily', from: '2026-03-13', to: '2026-11-30', adAccountIds: [LA] });
    await untilWaiting(1);
    // The scheduled rollup asks for the lock next, behind the tenant's run.
    await scheduled.query('BEGIN');
    const granted = scheduled.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    await untilWaiting(2);
    await holder.query('COMMIT');
    await granted;
    // The scheduled rollup holds the lock: the tenant's run has committed its first chunk, not its window.
    const { rows: [seen] } = await scheduled.query<{ first: string | null; last: string | null }>(
      `SELECT min(date)::text AS first, max(date)::text AS last FROM metrics_daily WHERE ad_account_id = $1 AND level = 'campaign'`,
      [LA],
    );
    await scheduled.query('COMMIT');
    expect(seen.first).toBe('2026-03-13');
    expect(seen.last! < '2026-10-01').toBe(true);
    const result = await run;
    expect(result.levels.campaign.upserted).toBeGreaterThan(0);
    const [after] = await database.db.$queryRaw<Array<{ last: string }>>`
      SELECT max(date)::text AS last FROM metrics_daily WHERE ad_account_id = ${LA} AND level = 'campaign'`;
    expect(after.last >= '2026-11-03').toBe(true);
  } finally {
    await Promise.all([holder.end(), scheduled.end()]);
  }
});
