import { randomUUID } from 'node:crypto';
import { scheduleIds } from '../../domain/workflow-ids';
import { issueApiToken } from '../../src/operations/api-tokens';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness, type InjectResponse } from './support/harness';

/**
 * Starts that would do more than the caller's company or the caller's range: a rollup from a
 * company without accounts, schedule backfills that multiply runs, a metrics range given by
 * one bound only. Each is refused (or bounded) before anything starts.
 */
let h: Harness;
let account: string;
/** A company with tokens but no ad account. */
let empty: { companyId: string; sync: string };

beforeAll(async () => {
  // Schedules on, the incremental one hourly (the issue's reproduction), the metrics ones far apart.
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '100000', SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1h', SYNC_HOURLY_METRICS_EVERY: '1d' } });
  account = h.simulatorAccounts[0];
  expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  const companyId = randomUUID();
  await h.database.db.company.create({ data: { id: companyId, name: 'No accounts yet' } });
  empty = { companyId, sync: (await issueApiToken(h.database.db, { companyId, name: 'sync', scopes: ['read', 'sync'] })).token };
});
afterAll(async () => h?.close());

function expectError(response: InjectResponse, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
}

const day = (daysAgo: number): string => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

async function workflowCount(query = ''): Promise<number> {
  return (await h.temporal.client.workflow.count(`TaskQueue = '${h.temporal.taskQueue}'${query}`)).count;
}

describe('rollups', () => {
  test('a company without ad accounts is refused, and no rollup starts over anyone else\'s rows', async () => {
    await h.database.db.$executeRaw`
      INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, inline_link_clicks, source)
      VALUES ('account', ${account}, '2026-01-05', ${account}, 10, 1000, 10, 5, 'meta')`;
    for (const grain of ['daily', 'monthly']) {
      const refused = await h.inject({ method: 'POST', url: '/v1/rollups', headers: bearer(empty.sync), payload: { grain, from: '2026-01-01', to: '2026-01-31' } });
      expectError(refused, 400, 'VALIDATION_ERROR');
      expect(refused.json().error.message).toContain('no ad accounts');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000)); // visibility is eventually consistent
    expect(await workflowCount(` AND CompanyId = '${empty.companyId}'`)).toBe(0);
    expect(await h.database.db.metricMonthly.count()).toBe(0);
    // The company that has an account still rolls up its own.
    expect((await h.inject({ method: 'POST', url: '/v1/rollups', headers: bearer(h.a.sync), payload: { grain: 'monthly', from: '2026-01-01', to: '2026-01-31' } })).statusCode).toBe(202);
    expect(COMPANY_A).not.toBe(empty.companyId);
  });
});

describe('schedule backfills', () => {
  test('a one-day backfill of an hourly incremental schedule starts one run, not 24, and the answer says so', async () => {
    const scheduleId = scheduleIds.incrementalSync(account);
    const response = await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleId}/backfill`, headers: bearer(h.a.sync), payload: { from: day(2), to: day(2) } });
    expect(response.statusCode).toBe(200);
    // Every run the backfill started: scheduled by this schedule for a time before today.
    const backfilled = ` AND TemporalScheduledById = '${scheduleId}' AND TemporalScheduledStartTime < '${day(0)}T00:00:00Z'`;
    for (let i = 0; i < 100 && (await workflowCount(backfilled)) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 150 && (await workflowCount(`${backfilled} AND ExecutionStatus = 'Running'`)) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // visibility is eventually consistent
    expect(await workflowCount(backfilled)).toBe(1);
    expect(response.json()).toEqual({ scheduleId, action: 'backfilled', scheduledTimes: 24, willStart: 1, overlap: 'skip' });
  });

  test('a backfill covering more scheduled times than the cap is refused before anything starts', async () => {
    const scheduleId = scheduleIds.incrementalSync(account);
    const before = await workflowCount();
    const refused = await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleId}/backfill`, headers: bearer(h.a.sync), payload: { from: day(9), to: day(5) } });
    expectError(refused, 400, 'VALIDATION_ERROR');
    expect(refused.json().error.message).toContain('120 scheduled times');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await workflowCount()).toBe(before);
  });
});
