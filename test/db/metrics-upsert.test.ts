import { upsertDailyActions, upsertDailyMetrics, upsertHourlyMetrics, upsertMonthlyActions, type HourlyMetricRow } from '../../src/db/metrics-upsert';
import { createTestDatabase, type TestDatabase } from '../support/test-env';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

const hour = (bucketStart: string, spend: string): HourlyMetricRow => ({
  level: 'ad', entityId: '120001', adAccountId: 'act_1', bucketStart, localDate: '2026-05-01', localHour: Number(bucketStart.slice(11, 13)), spend, impressions: 10, clicks: '2',
});

test('a page of hourly rows is one upsert: the last duplicate wins and a replayed page changes nothing', async () => {
  const written = await upsertHourlyMetrics(database.db, [hour('2026-05-01T00:00:00Z', '1.10'), hour('2026-05-01T01:00:00Z', '2.20'), hour('2026-05-01T00:00:00.000Z', '1.15')]);
  expect(written).toBe(2);
  const before = await database.db.$queryRaw<Array<{ spend: string; synced_at: Date }>>`SELECT spend::text, synced_at FROM metrics_hourly ORDER BY bucket_start`;
  expect(before.map((r) => r.spend)).toEqual(['1.150000', '2.200000']);
  expect(await upsertHourlyMetrics(database.db, [hour('2026-05-01T00:00:00Z', '1.15'), hour('2026-05-01T01:00:00Z', '2.2')])).toBe(0);
  const after = await database.db.$queryRaw<Array<{ spend: string; synced_at: Date }>>`SELECT spend::text, synced_at FROM metrics_hourly ORDER BY bucket_start`;
  expect(after).toEqual(before);
});

test('a daily row from Meta replaces a rollup row and its rollup action rows; monthly action rows upsert', async () => {
  await database.db.$executeRaw`
    INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, source) VALUES ('ad', '120001', '2026-05-01', 'act_1', 3.3, 20, 4, 'rollup')`;
  await database.db.$executeRaw`
    INSERT INTO metrics_daily_actions (level, entity_id, date, action_type, attribution_window, ad_account_id, count, source)
    VALUES ('ad', '120001', '2026-05-01', 'link_click', 'value', 'act_1', 4, 'rollup')`;
  await upsertDailyActions(database.db, [{ level: 'ad', entityId: '120001', adAccountId: 'act_1', date: '2026-05-01', actionType: 'purchase', attributionWindow: '7d_click', count: '1', value: '9.99' }]);
  expect(await upsertDailyMetrics(database.db, [{ level: 'ad', entityId: '120001', adAccountId: 'act_1', date: '2026-05-01', spend: '3.35', impressions: 20, clicks: 0, reach: 18 }])).toBe(1);
  const [daily] = await database.db.$queryRaw<Array<Record<string, string | null>>>`
    SELECT spend::text, reach::text, ctr::text, cpc::text, cpm::text, source FROM metrics_daily`;
  expect(daily).toEqual({ spend: '3.350000', reach: '18', ctr: '0.000000', cpc: null, cpm: '167.500000', source: 'meta' });
  const actions = await database.db.$queryRaw<Array<Record<string, string>>>`SELECT action_type, source FROM metrics_daily_actions`;
  expect(actions).toEqual([{ action_type: 'purchase', source: 'meta' }]);
  expect(await upsertMonthlyActions(database.db, [{ level: 'ad', entityId: '120001', adAccountId: 'act_1', month: '2026-05-17', actionType: 'purchase', attributionWindow: '7d_click', count: '3' }])).toBe(1);
  const [monthly] = await database.db.$queryRaw<Array<Record<string, string>>>`SELECT month::text, count::text, source FROM metrics_monthly_actions`;
  expect(monthly).toEqual({ month: '2026-05-01', count: '3.000000', source: 'meta' });
});
