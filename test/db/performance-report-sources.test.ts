/**
 * Which stored rows a performance report reads, on rows written directly in the shapes the sync
 * and the rollups write: a whole past month from its monthly row (with the reach Meta reported
 * for the month, real for that period) unless a daily row of the month changed after it; part of
 * a month from daily rows (reach null); today from its hourly rows rather than today's rollup
 * daily row; and the comparison period from its own sources.
 */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { localDate } from '../../domain/calendar';
import { getPerformanceReport, getPerformanceSeries } from '../../src/operations/reports';
import type { ServiceContext } from '../../src/operations/service-context';
import { createTestDatabase, testConfig, type TestDatabase } from '../support/test-env';

let database: TestDatabase;
let ctx: ServiceContext;
const companyId = randomUUID();
const ACCOUNT = 'act_77001';
const CAMPAIGN = '7700101';
const actor = { tokenId: 't', companyId, scopes: ['read' as const] };
const today = localDate(Date.now(), 'UTC');
/** A whole month long past: October 2025. */
const MONTH = '2025-10-01';

beforeAll(async () => {
  database = await createTestDatabase();
  // Reports read the database only: no Temporal client is needed.
  ctx = { config: testConfig(), db: database.db, temporal: undefined as unknown as Client, runtime: { databaseMode: 'external', temporalAddress: '', startedAt: new Date() } };
  const db = database.db;
  await db.company.create({ data: { id: companyId, name: 'C' } });
  await db.$executeRawUnsafe(`INSERT INTO ad_accounts (id, company_id, account_id, name, currency, timezone_name, encrypted_access_token, token_key_id, updated_at)
    VALUES ('${ACCOUNT}', '${companyId}', '77001', 'Acc', 'EUR', 'UTC', 'x', 'k', now())`);
  await db.$executeRawUnsafe(`INSERT INTO campaigns (id, ad_account_id, name, status, effective_status) VALUES ('${CAMPAIGN}', '${ACCOUNT}', 'Camp', 'ACTIVE', 'ACTIVE')`);
  // October 2025: 31 daily rows of 10.00 and 1000 impressions, reach 400 a day; synced an hour ago.
  await db.$executeRawUnsafe(`INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, reach, source, synced_at)
    SELECT 'campaign', '${CAMPAIGN}', '${MONTH}'::date + d, '${ACCOUNT}', 10, 1000, 10, 400, 'meta', now() - interval '1 hour' FROM generate_series(0, 30) d`);
  // The monthly row: the same sums and the month's own reach from a Meta monthly read, written after.
  await db.$executeRawUnsafe(`INSERT INTO metrics_monthly (level, entity_id, month, ad_account_id, spend, impressions, clicks, reach, source, synced_at)
    VALUES ('campaign', '${CAMPAIGN}', '${MONTH}', '${ACCOUNT}', 310, 31000, 310, 5000, 'meta', now() - interval '30 minutes')`);
  // Today: hourly rows (3 hours of 2.00) and a provisional rollup daily row that lags behind them.
  await db.$executeRawUnsafe(`INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, spend, impressions, clicks)
    SELECT 'campaign', '${CAMPAIGN}', '${today}'::timestamptz + h * interval '1 hour', '${ACCOUNT}', '${today}', h, 2, 100, 1 FROM generate_series(0, 2) h`);
  await db.$executeRawUnsafe(`INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, source) VALUES ('campaign', '${CAMPAIGN}', '${today}', '${ACCOUNT}', 4, 200, 2, 'rollup')`);
});
afterAll(async () => database?.close());

const report = (input: Record<string, unknown>) => getPerformanceReport(ctx, actor, { adAccountId: ACCOUNT, level: 'campaign', metrics: ['spend', 'impressions', 'reach', 'frequency'], ...input });

test('a whole past month comes from its monthly row, with the reach Meta reported for the month', async () => {
  const r = await report({ from: '2025-10-01', to: '2025-10-31' });
  expect(r.data.map((row) => row.metrics)).toEqual([{ spend: '310', impressions: 31000, reach: 5000, frequency: '6.2' }]);
  expect(r.currency).toBe('EUR');
  expect(r.units.spend).toMatchObject({ unit: 'money', currency: 'EUR' });
});

test('part of a month comes from daily rows; a one-day period has that day\'s reach, a longer one none', async () => {
  expect((await report({ from: '2025-10-01', to: '2025-10-15' })).data[0]!.metrics).toEqual({ spend: '150', impressions: 15000, reach: null, frequency: null });
  expect((await report({ from: '2025-10-07', to: '2025-10-07' })).data[0]!.metrics).toEqual({ spend: '10', impressions: 1000, reach: 400, frequency: '2.5' });
  // A month and a few days: the month from its row, the rest from daily rows, reach none.
  expect((await report({ from: '2025-09-28', to: '2025-11-02' })).data[0]!.metrics).toEqual({ spend: '310', impressions: 31000, reach: null, frequency: null });
});

test("today comes from its hourly rows, not from today's lagging rollup row", async () => {
  const r = await report({ preset: 'TODAY' });
  expect(r.data[0]!.metrics).toEqual({ spend: '6', impressions: 300, reach: null, frequency: null });
  expect(r.notes.join(' ')).toMatch(/today .* counts the hours synced so far/);
});

test('the comparison period reads its own sources; the monthly series gives each month one row, the month from its monthly row', async () => {
  const r = await report({ from: '2025-10-01', to: '2025-10-31', compareFrom: '2025-10-01', compareTo: '2025-10-10' });
  expect(r.data[0]!.compare).toEqual({ spend: '100', impressions: 10000, reach: null, frequency: null });
  expect(r.data[0]!.change).toMatchObject({ spend: '210', impressions: '210' });
  const s = await getPerformanceSeries(ctx, actor, { adAccountId: ACCOUNT, level: 'campaign', from: '2025-09-15', to: '2025-10-31', grain: 'month', metrics: ['spend', 'reach'] });
  // September has no delivery: its bucket is there (cut to the period), with zero spend and no reach.
  expect(s.data).toEqual([
    { bucketStart: '2025-09-15', bucketEnd: '2025-09-30', currency: 'EUR', metrics: { spend: '0', reach: null } },
    { bucketStart: '2025-10-01', bucketEnd: '2025-10-31', currency: 'EUR', metrics: { spend: '310', reach: 5000 } },
  ]);
});

test('a daily row changed after the monthly row: the month is read from daily rows until the rollup runs again', async () => {
  await database.db.$executeRawUnsafe(`UPDATE metrics_daily SET spend = 11, synced_at = now() WHERE entity_id = '${CAMPAIGN}' AND date = '2025-10-05'`);
  expect((await report({ from: '2025-10-01', to: '2025-10-31' })).data[0]!.metrics).toEqual({ spend: '311', impressions: 31000, reach: null, frequency: null });
});
