import { createBulkPool } from '../../activities/activity-deps';
import { writeMetricsPageByCopy } from '../../src/db/metrics-page-copy';
import type { HourlyActionRow, HourlyMetricRow } from '../../src/db/metrics-upsert';
import { createTestDatabase, type TestDatabase } from '../support/test-env';
import type pg from 'pg';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createBulkPool(database.url, 2);
});

afterAll(async () => {
  await pool?.end();
  await database?.close();
});

const base = { level: 'ad', entityId: '120001', adAccountId: 'act_1' } as const;
const hour = (bucketStart: string, spend: string): HourlyMetricRow => ({
  ...base, bucketStart, localDate: '2026-05-01', localHour: Number(bucketStart.slice(11, 13)), spend, impressions: 10, clicks: '2',
});
const action = (bucketStart: string, actionType: string, count: string): HourlyActionRow => ({
  ...base, bucketStart, localDate: '2026-05-01', actionType, attributionWindow: '7d_click', count, value: null,
});

test('a COPY page keeps the upserts\' rules: last duplicate wins, a replay changes nothing, stale Meta actions go', async () => {
  const odd = 'odd\t"type"\\with\nescapes';
  await writeMetricsPageByCopy(pool, {
    grain: 'hourly',
    metrics: [hour('2026-05-01T00:00:00Z', '1.10'), hour('2026-05-01T01:00:00Z', '2.20'), hour('2026-05-01T00:00:00.000Z', '1.15')],
    actions: [action('2026-05-01T00:00:00Z', 'link_click', '1'), action('2026-05-01T00:00:00Z', 'purchase', '2'), action('2026-05-01T00:00:00.000Z', odd, '3')],
  });
  const read = () => database.db.$queryRaw<Array<{ spend: string; synced_at: Date }>>`SELECT spend::text, synced_at FROM metrics_hourly ORDER BY bucket_start`;
  const readActions = () => database.db.$queryRaw<Array<{ action_type: string; count: string }>>`SELECT action_type, count::text FROM metrics_hourly_actions ORDER BY action_type`;
  const before = await read();
  expect(before.map((r) => r.spend)).toEqual(['1.150000', '2.200000']);
  expect(await readActions()).toEqual([
    { action_type: 'link_click', count: '1.000000' },
    { action_type: odd, count: '3.000000' },
    { action_type: 'purchase', count: '2.000000' },
  ]);

  // The same page again: nothing is rewritten.
  await writeMetricsPageByCopy(pool, {
    grain: 'hourly',
    metrics: [hour('2026-05-01T00:00:00Z', '1.15'), hour('2026-05-01T01:00:00Z', '2.2')],
    actions: [action('2026-05-01T00:00:00Z', 'link_click', '1'), action('2026-05-01T00:00:00Z', 'purchase', '2'), action('2026-05-01T00:00:00Z', odd, '3')],
  });
  expect(await read()).toEqual(before);

  // Meta revised purchase (and the odd one) to zero: they disappear from the re-read bucket.
  await writeMetricsPageByCopy(pool, { grain: 'hourly', metrics: [hour('2026-05-01T00:00:00Z', '1.15')], actions: [action('2026-05-01T00:00:00Z', 'link_click', '1')] });
  expect(await readActions()).toEqual([{ action_type: 'link_click', count: '1.000000' }]);
});

test('a COPY daily page replaces a rollup row and its rollup action rows; monthly pages upsert', async () => {
  await database.db.$executeRaw`
    INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, source) VALUES ('ad', '120001', '2026-05-01', 'act_1', 3.3, 20, 4, 'rollup')`;
  await database.db.$executeRaw`
    INSERT INTO metrics_daily_actions (level, entity_id, date, action_type, attribution_window, ad_account_id, count, source)
    VALUES ('ad', '120001', '2026-05-01', 'link_click', 'value', 'act_1', 4, 'rollup')`;
  await writeMetricsPageByCopy(pool, {
    grain: 'daily',
    metrics: [{ ...base, date: '2026-05-01', spend: '3.35', impressions: 20, clicks: 0, reach: 18 }],
    actions: [{ ...base, date: '2026-05-01', actionType: 'purchase', attributionWindow: '7d_click', count: '1', value: '9.99' }],
  });
  const [daily] = await database.db.$queryRaw<Array<Record<string, string | null>>>`
    SELECT spend::text, reach::text, ctr::text, cpc::text, cpm::text, source FROM metrics_daily`;
  expect(daily).toEqual({ spend: '3.350000', reach: '18', ctr: '0.000000', cpc: null, cpm: '167.500000', source: 'meta' });
  expect(await database.db.$queryRaw`SELECT action_type, value::text, source FROM metrics_daily_actions`).toEqual([{ action_type: 'purchase', value: '9.990000', source: 'meta' }]);

  await writeMetricsPageByCopy(pool, {
    grain: 'monthly',
    metrics: [{ ...base, month: '2026-05-01', spend: '10', impressions: 100, clicks: 5, reach: 80, frequency: '1.25' }],
    actions: [{ ...base, month: '2026-05-17', actionType: 'purchase', attributionWindow: '7d_click', count: '3' }],
  });
  expect(await database.db.$queryRaw`SELECT month::text, reach::text, ctr::text, source FROM metrics_monthly`).toEqual([{ month: '2026-05-01', reach: '80', ctr: '5.000000', source: 'meta' }]);
  expect(await database.db.$queryRaw`SELECT month::text, count::text, source FROM metrics_monthly_actions`).toEqual([{ month: '2026-05-01', count: '3.000000', source: 'meta' }]);
});

test('action rows of a new bucket go straight in; rows left in a bucket without its metric row are upserted or removed instead', async () => {
  const day = (entityId: string) => ({ ...base, entityId, date: '2026-05-02', spend: '1', impressions: 10, clicks: 1 });
  const act = (entityId: string, actionType: string, count: string) => ({ ...base, entityId, date: '2026-05-02', actionType, attributionWindow: '7d_click', count, value: null });
  // Action rows whose metric row is gone: one the page carries again, one it no longer does.
  await database.db.$executeRaw`
    INSERT INTO metrics_daily_actions (level, entity_id, date, action_type, attribution_window, ad_account_id, count, source)
    VALUES ('ad', '120002', '2026-05-02', 'link_click', '7d_click', 'act_1', 9, 'meta'), ('ad', '120002', '2026-05-02', 'purchase', '7d_click', 'act_1', 1, 'meta')`;
  await writeMetricsPageByCopy(pool, {
    grain: 'daily',
    metrics: [day('120002'), day('120003'), day('120004')],
    actions: [act('120002', 'link_click', '2'), act('120003', 'link_click', '5'), act('120003', 'purchase', '1'), act('120004', 'lead', '7')],
  });
  const actions = () => database.db.$queryRaw<Array<{ entity_id: string; action_type: string; count: string }>>`
    SELECT entity_id, action_type, count::text FROM metrics_daily_actions WHERE date = '2026-05-02' ORDER BY 1, 2`;
  expect(await actions()).toEqual([
    { entity_id: '120002', action_type: 'link_click', count: '2.000000' },
    { entity_id: '120003', action_type: 'link_click', count: '5.000000' },
    { entity_id: '120003', action_type: 'purchase', count: '1.000000' },
    { entity_id: '120004', action_type: 'lead', count: '7.000000' },
  ]);

  // Read again after Meta revised them: existing buckets are upserted, a dropped action goes.
  await writeMetricsPageByCopy(pool, {
    grain: 'daily',
    metrics: [day('120003'), day('120004')],
    actions: [act('120003', 'link_click', '6'), act('120004', 'lead', '7')],
  });
  expect(await actions()).toEqual([
    { entity_id: '120002', action_type: 'link_click', count: '2.000000' },
    { entity_id: '120003', action_type: 'link_click', count: '6.000000' },
    { entity_id: '120004', action_type: 'lead', count: '7.000000' },
  ]);
});
