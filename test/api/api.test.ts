import { ScheduleNotFoundError } from '@temporalio/client';
import { scheduleIds } from '../../domain/workflow-ids';
import { bearer, COMPANY_A, COMPANY_B, createHarness, SIM_TOKEN, SIM_TOKEN_2, type Harness, type InjectResponse } from './support/harness';

let h: Harness;
let accountA: string;
let accountB: string;
/** Company A's second account, connected with SIM_TOKEN_2 so the simulator can expire it alone. */
let accountC: string;

const accountScheduleIds = (adAccountId: string): string[] => [scheduleIds.incrementalSync(adAccountId), scheduleIds.hourlyMetrics(adAccountId), scheduleIds.dailyMetrics(adAccountId)];

beforeAll(async () => {
  // Schedules on (as in production) but far apart, so none fires during the file.
  h = await createHarness({ env: { SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1d', SYNC_HOURLY_METRICS_EVERY: '1d' } });
  [accountA, accountB, accountC] = h.simulatorAccounts;
});
afterAll(async () => {
  await h?.close();
});

function expectError(response: InjectResponse, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  const body = response.json();
  expect(typeof body.error.message).toBe('string');
  expect(body.error.requestId).toBe(response.headers['x-request-id']);
  expect(response.body).not.toMatch(/\n\s+at /); // never a stack trace
}

/** A UTC date `days` before today (inside the simulator's 30 days of insights). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

async function waitFor<T>(load: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await load();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('access', () => {
  test('public routes answer without a token; everything else needs one (401 in the one error shape)', async () => {
    for (const url of ['/health', '/info', '/status']) expect((await h.inject({ url })).statusCode).not.toBe(401);
    expect((await h.inject({ url: '/docs/json' })).statusCode).toBe(200);
    const missing = await h.inject({ url: '/v1/ad-accounts' });
    expectError(missing, 401, 'UNAUTHENTICATED');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expectError(await h.inject({ url: '/v1/ad-accounts', headers: { authorization: 'Bearer nope' } }), 401, 'UNAUTHENTICATED');
    expectError(await h.inject({ url: '/v1/ad-accounts', headers: bearer(`mao_${'x'.repeat(43)}`) }), 401, 'UNAUTHENTICATED');
    expectError(await h.inject({ url: '/v1/ad-accounts', headers: { authorization: `Basic ${h.a.read}` } }), 401, 'UNAUTHENTICATED');
  });

  test('security headers and the request id are on every response', async () => {
    const response = await h.inject({ url: '/health', headers: { 'x-request-id': 'req-123' } });
    expect(response.headers['x-request-id']).toBe('req-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
  });

  test('tokens: admin creates, lists and revokes; a revoked token gets 401; last use is recorded', async () => {
    expectError(await h.inject({ method: 'POST', url: '/v1/tokens', headers: bearer(h.a.write), payload: { name: 'x', scopes: ['read'] } }), 403, 'FORBIDDEN');
    const created = await h.inject({ method: 'POST', url: '/v1/tokens', headers: bearer(h.a.admin), payload: { name: 'reporting', scopes: ['read'] } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^mao_[A-Za-z0-9_-]{43}$/);
    expect((await h.inject({ url: '/v1/ad-accounts', headers: bearer(token) })).statusCode).toBe(200);
    const row = await h.database.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.tokenHash).not.toContain(token);
    const listed = await h.inject({ url: '/v1/tokens', headers: bearer(h.a.admin) });
    expect(listed.json().data.map((t: { id: string }) => t.id)).toContain(id);
    expect(listed.body).not.toContain(token);
    // Company B cannot see or revoke A's token.
    expect((await h.inject({ url: '/v1/tokens', headers: bearer(h.b.admin) })).json().data.map((t: { id: string }) => t.id)).not.toContain(id);
    expectError(await h.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: bearer(h.b.admin) }), 404, 'NOT_FOUND');
    expect((await h.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: bearer(h.a.admin) })).json().revokedAt).not.toBeNull();
    expectError(await h.inject({ url: '/v1/ad-accounts', headers: bearer(token) }), 401, 'UNAUTHENTICATED');
  });
});

describe('ad accounts', () => {
  test('connect validates the token with Meta, stores it encrypted and never returns it', async () => {
    expectError(await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.read), payload: { adAccountId: accountA, accessToken: SIM_TOKEN } }), 403, 'FORBIDDEN');
    const bad = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accountA, accessToken: 'not-a-valid-token-xyz' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('META_AUTH_ERROR');
    expect(bad.body).not.toContain('not-a-valid-token-xyz');

    const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { companyId: COMPANY_A, adAccountId: accountA, accessToken: SIM_TOKEN } });
    expect(connected.statusCode).toBe(201);
    expect(connected.json()).toMatchObject({ id: accountA, companyId: COMPANY_A, status: 'connected' });
    expect(connected.body).not.toContain(SIM_TOKEN);
    const stored = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: accountA } });
    expect(stored.encryptedAccessToken).not.toContain(SIM_TOKEN);
    expect(stored.encryptedAccessToken.length).toBeGreaterThan(20);
    // Connecting scheduled the account's syncs (src/temporal/sync-schedules.ts), tagged with ids only.
    for (const id of accountScheduleIds(accountA)) {
      const schedule = await h.temporal.client.schedule.getHandle(id).describe();
      expect(schedule.memo).toMatchObject({ companyId: COMPANY_A, adAccountId: accountA });
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', taskQueue: h.temporal.taskQueue, args: [expect.objectContaining({ companyId: COMPANY_A, adAccountId: accountA })] });
      expect(JSON.stringify(schedule.raw)).not.toContain(SIM_TOKEN);
    }

    const connectedB = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.b.write), payload: { adAccountId: accountB, accessToken: SIM_TOKEN } });
    expect(connectedB.statusCode).toBe(201);
    // A cannot take over B's connected account (a conflict: A's own token reached it on Meta), nor connect into B's company ("not found").
    expectError(await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accountB, accessToken: SIM_TOKEN } }), 409, 'CONFLICT');
    expectError(await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { companyId: COMPANY_B, adAccountId: accountA, accessToken: SIM_TOKEN } }), 404, 'NOT_FOUND');
  });

  test('list pages with cursor and limit; get; tenancy', async () => {
    const list = await h.inject({ url: '/v1/ad-accounts?limit=1', headers: bearer(h.a.read) });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ data: [expect.objectContaining({ id: accountA, companyId: COMPANY_A, name: expect.anything(), status: 'connected' })], nextCursor: null });
    expect((await h.inject({ url: `/v1/ad-accounts?companyId=${COMPANY_B}`, headers: bearer(h.a.read) })).statusCode).toBe(404);
    expect((await h.inject({ url: `/v1/ad-accounts/${accountA}`, headers: bearer(h.a.read) })).json().id).toBe(accountA);
    expectError(await h.inject({ url: `/v1/ad-accounts/${accountB}`, headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ url: '/v1/ad-accounts/act_404', headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    // A cross-tenant 404 and a missing one read the same.
    const cross = (await h.inject({ url: `/v1/ad-accounts/${accountB}`, headers: bearer(h.a.read) })).json().error.message;
    expect(cross).toBe(`Ad account ${accountB} was not found`);
  });
});

describe('entities and metrics', () => {
  beforeAll(async () => {
    const db = h.database.db;
    await db.campaign.createMany({
      data: [
        { id: '1001', adAccountId: accountA, name: 'A active', status: 'ACTIVE', effectiveStatus: 'ACTIVE', dailyBudget: '12.34' },
        { id: '1002', adAccountId: accountA, name: 'A paused', status: 'PAUSED', effectiveStatus: 'PAUSED' },
        { id: '1003', adAccountId: accountA, name: 'A deleted', status: 'DELETED', effectiveStatus: 'DELETED', deletedAt: new Date() },
        { id: '2001', adAccountId: accountB, name: 'B active', status: 'ACTIVE', effectiveStatus: 'ACTIVE' },
      ],
    });
    await db.adSet.createMany({ data: [{ id: '1101', adAccountId: accountA, campaignId: '1001', status: 'ACTIVE', effectiveStatus: 'ACTIVE' }, { id: '2101', adAccountId: accountB, campaignId: '2001', status: 'ACTIVE', effectiveStatus: 'ACTIVE' }] });
    await db.ad.createMany({ data: [{ id: '1201', adAccountId: accountA, campaignId: '1001', adsetId: '1101', status: 'ACTIVE', effectiveStatus: 'ACTIVE' }, { id: '2201', adAccountId: accountB, campaignId: '2001', adsetId: '2101', status: 'ACTIVE', effectiveStatus: 'ACTIVE' }] });
    await db.$executeRaw`INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, reach, source) VALUES
      ('campaign', '1001', '2026-01-01', ${accountA}, 12.34, 1000, 10, 800, 'meta'),
      ('campaign', '1001', '2026-01-02', ${accountA}, 1.5, 100, 1, NULL, 'rollup'),
      ('campaign', '1002', '2026-01-01', ${accountA}, 3, 300, 3, 250, 'meta'),
      ('campaign', '2001', '2026-01-01', ${accountB}, 99, 9, 9, 9, 'meta')`;
    await db.$executeRaw`INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, spend, impressions, clicks) VALUES
      ('campaign', '1001', '2026-01-01T05:00:00Z', ${accountA}, '2026-01-01', 5, 0.5, 10, 1)`;
    await db.$executeRaw`INSERT INTO metrics_monthly (level, entity_id, month, ad_account_id, spend, impressions, clicks, source) VALUES
      ('campaign', '1001', '2026-01-01', ${accountA}, 13.84, 1100, 11, 'rollup')`;
  });

  test('campaigns, ad sets and ads: filters, includeDeleted, cursor paging, get, tenancy', async () => {
    const page1 = (await h.inject({ url: `/v1/campaigns?adAccountId=${accountA}&limit=1`, headers: bearer(h.a.read) })).json();
    expect(page1.data).toEqual([expect.objectContaining({ id: '1001', status: 'ACTIVE', effectiveStatus: 'ACTIVE', dailyBudget: '12.34' })]);
    const page2 = (await h.inject({ url: `/v1/campaigns?adAccountId=${accountA}&limit=1&cursor=${page1.nextCursor}`, headers: bearer(h.a.read) })).json();
    expect(page2).toEqual({ data: [expect.objectContaining({ id: '1002' })], nextCursor: null });
    const withDeleted = (await h.inject({ url: `/v1/campaigns?adAccountId=${accountA}&includeDeleted=true`, headers: bearer(h.a.read) })).json();
    expect(withDeleted.data.map((c: { id: string }) => c.id)).toEqual(['1001', '1002', '1003']);
    expect((await h.inject({ url: '/v1/campaigns?effectiveStatus=PAUSED', headers: bearer(h.a.read) })).json().data.map((c: { id: string }) => c.id)).toEqual(['1002']);
    expect((await h.inject({ url: '/v1/campaigns', headers: bearer(h.b.read) })).json().data.map((c: { id: string }) => c.id)).toEqual(['2001']);
    expectError(await h.inject({ url: `/v1/campaigns?adAccountId=${accountB}`, headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    expect((await h.inject({ url: '/v1/campaigns/1001', headers: bearer(h.a.read) })).json().id).toBe('1001');
    expectError(await h.inject({ url: '/v1/campaigns/2001', headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ url: '/v1/campaigns?cursor=bm9wZQ', headers: bearer(h.a.read) }), 400, 'VALIDATION_ERROR');

    expect((await h.inject({ url: `/v1/ad-sets?adAccountId=${accountA}&includeDeleted=true`, headers: bearer(h.a.read) })).json().data).toEqual([expect.objectContaining({ id: '1101', status: 'ACTIVE', effectiveStatus: 'ACTIVE' })]);
    expect((await h.inject({ url: '/v1/ad-sets/1101', headers: bearer(h.a.read) })).json().campaignId).toBe('1001');
    expectError(await h.inject({ url: '/v1/ad-sets/2101', headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    expect((await h.inject({ url: `/v1/ads?adAccountId=${accountA}&includeDeleted=true`, headers: bearer(h.a.read) })).json().data).toEqual([expect.objectContaining({ id: '1201', status: 'ACTIVE', effectiveStatus: 'ACTIVE' })]);
    expect((await h.inject({ url: '/v1/ads/1201', headers: bearer(h.a.read) })).json().adsetId).toBe('1101');
    expectError(await h.inject({ url: '/v1/ads/2201', headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
  });

  test('metrics by level, entity, grain and range; money as decimal strings; reach only from Meta', async () => {
    const daily = (await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&level=campaign&grain=daily&from=2026-01-01&to=2026-01-31`, headers: bearer(h.a.read) })).json();
    expect(daily.nextCursor).toBeNull();
    expect(daily.data).toEqual([
      expect.objectContaining({ entityId: '1001', level: 'campaign', bucketStart: '2026-01-01', spend: '12.34', impressions: 1000, clicks: 10, reach: 800, reachSource: 'meta', source: 'meta' }),
      expect.objectContaining({ entityId: '1001', bucketStart: '2026-01-02', spend: '1.5', reach: null, reachSource: null, source: 'rollup' }),
      expect.objectContaining({ entityId: '1002', spend: '3' }),
    ]);
    const paged = (await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&level=campaign&from=2026-01-01&to=2026-01-31&limit=2`, headers: bearer(h.a.read) })).json();
    expect(paged.data).toHaveLength(2);
    const rest = (await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&level=campaign&from=2026-01-01&to=2026-01-31&limit=2&cursor=${paged.nextCursor}`, headers: bearer(h.a.read) })).json();
    expect(rest).toEqual({ data: [expect.objectContaining({ entityId: '1002' })], nextCursor: null });
    const one = (await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&level=campaign&entityId=1002&grain=daily&from=2026-01-01&to=2026-01-01`, headers: bearer(h.a.read) })).json();
    expect(one.data.map((r: { entityId: string }) => r.entityId)).toEqual(['1002']);
    const hourly = (await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&level=campaign&grain=hourly&from=2026-01-01&to=2026-01-01`, headers: bearer(h.a.read) })).json();
    expect(hourly.data).toEqual([expect.objectContaining({ bucketStart: '2026-01-01T05:00:00.000Z', spend: '0.5', reach: null })]);
    const monthly = (await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&level=campaign&grain=monthly&from=2026-01-01&to=2026-01-31`, headers: bearer(h.a.read) })).json();
    expect(monthly.data).toEqual([expect.objectContaining({ bucketStart: '2026-01-01', spend: '13.84', source: 'rollup', reach: null })]);
    expectError(await h.inject({ url: `/v1/metrics?adAccountId=${accountB}&level=campaign&from=2026-01-01&to=2026-01-31`, headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&from=2026-02-01&to=2026-01-01`, headers: bearer(h.a.read) }), 400, 'VALIDATION_ERROR');
    expectError(await h.inject({ url: `/v1/metrics?adAccountId=${accountA}&from=2026-02-30&to=2026-03-01`, headers: bearer(h.a.read) }), 400, 'VALIDATION_ERROR');
  });
});

describe('syncs and workflows', () => {
  let workflowId: string;

  test('start returns 202 {workflowId, runId, attached, covers}; a repeat returns the running one and says it attached', async () => {
    expectError(await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.read), payload: { kind: 'full' } }), 403, 'FORBIDDEN');
    const first = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ workflowId: `meta-full-sync:${accountA}`, runId: expect.any(String), attached: false, covers: { kind: 'full', summary: expect.stringContaining(accountA) } });
    const again = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } });
    expect(again.json()).toEqual({ ...first.json(), attached: true });
    workflowId = first.json().workflowId;
    expectError(await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountB}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } }), 404, 'NOT_FOUND');
  });

  test('status follows the workflow to completion with progress and times', async () => {
    const running = await h.inject({ url: `/v1/workflows/${workflowId}`, headers: bearer(h.a.read) });
    expect(running.statusCode).toBe(200);
    expect(running.json()).toMatchObject({ workflowId, kind: 'full-sync', status: 'RUNNING', closedAt: null, failure: null });
    // Many agents polling one running job at once: every answer carries the live progress.
    const polled = await Promise.all(Array.from({ length: 25 }, () => h.inject({ url: `/v1/workflows/${workflowId}`, headers: bearer(h.a.read) })));
    for (const answer of polled) expect(answer.json().progress).toEqual(expect.objectContaining({ kind: 'full-sync', phase: expect.any(String) }));
    const done = await waitFor(
      async () => (await h.inject({ url: `/v1/workflows/${workflowId}`, headers: bearer(h.a.read) })).json(),
      (body) => body.status !== 'RUNNING',
    );
    expect(done).toMatchObject({ workflowId, runId: expect.any(String), kind: 'full-sync', status: 'COMPLETED', failure: null, startedAt: expect.any(String), closedAt: expect.any(String) });
    expect(done.progress).toMatchObject({ kind: 'full-sync', phase: 'done', entities: { campaigns: { done: true, rows: expect.any(Number) } } });
    // What the status reported is what landed in PostgreSQL, and it is the simulator's truth.
    const truth = (await (await fetch(`${h.simulator.url}/__sim/truth?adAccountId=${accountA}`)).json()) as { adAccounts: Array<{ objects: { campaigns: Array<{ id: string }> } }> };
    const stored = await h.database.db.campaign.findMany({ where: { adAccountId: accountA, deletedAt: null }, select: { id: true } });
    expect(stored.map((row) => row.id).sort()).toEqual(truth.adAccounts[0].objects.campaigns.map((c) => c.id).sort());
    const campaigns = stored.length;
    expect(done.progress.entities.campaigns.rows).toBe(campaigns);
    expect((await h.inject({ url: `/v1/ad-accounts/${accountA}`, headers: bearer(h.a.read) })).json().lastFullSyncAt).toEqual(expect.any(String));
    expectError(await h.inject({ url: `/v1/workflows/${workflowId}`, headers: bearer(h.b.read) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ url: '/v1/workflows/meta-full-sync:act_000', headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
  });

  test('the access token is in no workflow history, search attribute, response or log line', async () => {
    const history = await h.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    // A real sync: activities ran (scheduled and completed) and none of them carried the token.
    expect(history.events!.filter((event) => event.activityTaskCompletedEventAttributes).length).toBeGreaterThan(5);
    expect(JSON.stringify(history)).not.toContain(SIM_TOKEN);
    expect(Buffer.from(JSON.stringify(history)).toString('base64')).not.toContain(Buffer.from(SIM_TOKEN).toString('base64'));
    const description = await h.temporal.client.workflow.getHandle(workflowId).describe();
    expect(JSON.stringify(description.raw)).not.toContain(SIM_TOKEN);
    expect(h.logs.length).toBeGreaterThan(10);
    expect(h.logs.join('\n')).not.toContain(SIM_TOKEN);
    expect(h.logs.join('\n')).not.toContain(h.a.write);
  });

  test('a real full sync whose token Meta expired fails with META_AUTH_ERROR, naming the account', async () => {
    expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accountC, accessToken: SIM_TOKEN_2 } })).statusCode).toBe(201);
    await h.simControl('/__sim/faults', { expireTokens: [SIM_TOKEN_2] });
    try {
      const failing = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountC}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } });
      expect(failing.statusCode).toBe(202);
      const failed = await waitFor(
        async () => (await h.inject({ url: `/v1/workflows/${failing.json().workflowId}`, headers: bearer(h.a.read) })).json(),
        (body) => body.status !== 'RUNNING',
      );
      expect(failed).toMatchObject({ status: 'FAILED', closedAt: expect.any(String), failure: { code: 'META_AUTH_ERROR', message: expect.stringContaining(accountC) } });
      expect(failed.failure.message).toMatch(/re-authori[sz]ation/);
      expect(JSON.stringify(failed)).not.toContain(SIM_TOKEN_2);
      expect((await h.inject({ url: `/v1/ad-accounts/${accountC}`, headers: bearer(h.a.read) })).json()).toMatchObject({ status: 'needs_reauth' });
    } finally {
      await h.simControl('/__sim/faults', {});
    }
  });

  test('metrics, incremental and company syncs; rollups; cancel', async () => {
    const metrics = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'daily', from: daysAgo(25), to: daysAgo(1) } });
    expect(metrics.statusCode).toBe(202);
    expect(metrics.json().workflowId).toBe(`meta-metrics-sync:${accountA}:daily`);
    const incremental = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'incremental' } });
    expect(incremental.json().workflowId).toBe(`meta-incremental-sync:${accountA}`);

    // Cancel the metrics sync while it reads (a month of days over a simulator with latency).
    const cancel = await h.inject({ method: 'POST', url: `/v1/workflows/${metrics.json().workflowId}/cancel`, headers: bearer(h.a.sync) });
    expect(cancel.statusCode).toBe(202);
    expectError(await h.inject({ method: 'POST', url: `/v1/workflows/${incremental.json().workflowId}/cancel`, headers: bearer(h.b.sync) }), 404, 'NOT_FOUND');
    const canceled = await waitFor(
      async () => (await h.inject({ url: `/v1/workflows/${metrics.json().workflowId}`, headers: bearer(h.a.read) })).json(),
      (body) => body.status !== 'RUNNING',
    );
    expect(canceled).toMatchObject({ status: 'CANCELED', failure: { code: 'CANCELED' } });
    expectError(await h.inject({ method: 'POST', url: `/v1/workflows/${metrics.json().workflowId}/cancel`, headers: bearer(h.a.sync) }), 409, 'CONFLICT');

    const company = await h.inject({ method: 'POST', url: `/v1/companies/${COMPANY_A}/syncs`, headers: bearer(h.a.sync), payload: { kinds: ['full'] } });
    expect(company.statusCode).toBe(202);
    expect(company.json().workflowId).toBe(`meta-company-sync:${COMPANY_A}`);
    expectError(await h.inject({ method: 'POST', url: `/v1/companies/${COMPANY_B}/syncs`, headers: bearer(h.a.sync), payload: {} }), 404, 'NOT_FOUND');
    const rollup = await h.inject({ method: 'POST', url: '/v1/rollups', headers: bearer(h.a.sync), payload: { grain: 'daily', from: '2026-01-01', to: '2026-01-07' } });
    expect(rollup.statusCode).toBe(202);
    expect(rollup.json().workflowId).toContain('meta-rollup:daily:2026-01-01..2026-01-07');
    const rollups = await waitFor(
      async () => (await h.inject({ url: '/v1/rollups', headers: bearer(h.a.read) })).json(),
      (body) => body.data.length > 0,
    );
    expect(rollups.data[0]).toMatchObject({ workflowId: rollup.json().workflowId, kind: 'rollup' });
    expect((await h.inject({ url: '/v1/rollups', headers: bearer(h.b.read) })).json().data).toEqual([]);

    // The company sync runs every connected account as a child; the one needing re-authorisation fails alone.
    const companyDone = await waitFor(
      async () => (await h.inject({ url: `/v1/workflows/${company.json().workflowId}`, headers: bearer(h.a.read) })).json(),
      (body) => body.status !== 'RUNNING',
      60_000,
    );
    expect(companyDone).toMatchObject({ kind: 'company-sync', status: 'COMPLETED', failure: null });
  });

  test('list workflows through visibility by account, kind and status, paged', async () => {
    const all = await waitFor(
      async () => (await h.inject({ url: `/v1/workflows?adAccountId=${accountA}&limit=2`, headers: bearer(h.a.read) })).json(),
      (body) => body.data.length === 2,
    );
    expect(all.data).toHaveLength(2);
    expect(all.nextCursor).toEqual(expect.any(String));
    const next = (await h.inject({ url: `/v1/workflows?adAccountId=${accountA}&limit=2&cursor=${all.nextCursor}`, headers: bearer(h.a.read) })).json();
    expect(next.data.length).toBeGreaterThan(0);
    // Runs, not ids: the company sync's child ran a second full sync under the same workflow id.
    expect(next.data.map((w: { runId: string }) => w.runId)).not.toContain(all.data[0].runId);
    const full = await waitFor(
      async () => (await h.inject({ url: `/v1/workflows?kind=full-sync&status=COMPLETED`, headers: bearer(h.a.read) })).json(),
      (body) => body.data.length >= 1,
    );
    expect(full.data.every((w: { kind: string; status: string }) => w.kind === 'full-sync' && w.status === 'COMPLETED')).toBe(true);
    expect((await h.inject({ url: '/v1/workflows', headers: bearer(h.b.read) })).json().data).toEqual([]);
    expectError(await h.inject({ url: `/v1/workflows?adAccountId=${accountA}`, headers: bearer(h.b.read) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ url: `/v1/workflows?kind=x' OR CompanyId != '`, headers: bearer(h.a.read) }), 400, 'VALIDATION_ERROR');
  });
});

describe('schedules', () => {
  test('list, pause, unpause and trigger; other tenants get 404; global schedules do not exist for company tokens', async () => {
    const id = scheduleIds.incrementalSync(accountA);
    // The schedules connect created (no test set-up): three per connected account.
    const listed = (await h.inject({ url: '/v1/schedules', headers: bearer(h.a.read) })).json();
    expect(listed.data.filter((s: { adAccountId: string }) => s.adAccountId === accountA)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scheduleId: id, adAccountId: accountA, paused: false, kind: 'incremental-sync' }),
        expect.objectContaining({ scheduleId: scheduleIds.hourlyMetrics(accountA), kind: 'hourly-metrics' }),
        expect.objectContaining({ scheduleId: scheduleIds.dailyMetrics(accountA), kind: 'daily-metrics' }),
      ]),
    );
    const forB = (await h.inject({ url: '/v1/schedules', headers: bearer(h.b.read) })).json().data.map((s: { adAccountId: string }) => s.adAccountId);
    expect(forB).toEqual([accountB, accountB, accountB]);
    expectError(await h.inject({ method: "POST", url: `/v1/schedules/${id}/pause`, headers: bearer(h.a.read) }), 403, "FORBIDDEN");
    expectError(await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: bearer(h.b.sync) }), 404, 'NOT_FOUND');
    expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: bearer(h.a.sync), payload: { note: 'maintenance' } })).json()).toEqual({ scheduleId: id, action: 'paused' });
    expect((await h.inject({ url: '/v1/schedules', headers: bearer(h.a.read) })).json().data.find((s: { scheduleId: string }) => s.scheduleId === id)).toMatchObject({ paused: true, description: `Incremental entity sync of ${accountA} every 1d`, note: `Incremental entity sync of ${accountA} every 1d — paused: maintenance` });
    expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/unpause`, headers: bearer(h.a.sync) })).json().action).toBe('unpaused');
    expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/trigger`, headers: bearer(h.a.sync) })).json().action).toBe('triggered');
    expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/backfill`, headers: bearer(h.a.sync), payload: { from: '2026-01-01', to: '2026-01-01' } })).json().action).toBe('backfilled');
    expectError(await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleIds.retention}/pause`, headers: bearer(h.a.sync) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleIds.retention}/pause`, headers: bearer(h.a.admin) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ method: 'POST', url: '/v1/schedules/meta-incremental-sync-schedule:act_1/pause', headers: bearer(h.a.sync) }), 404, 'NOT_FOUND');
  });
});

describe('errors', () => {
  test('bad input is a 400 with the field named and no echo of the value; unknown routes 404', async () => {
    const secretish = 'fake-meta-token-for-echo-check-1234567890';
    const response = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: 'nope', accessToken: secretish, extra: 1 } });
    expectError(response, 400, 'VALIDATION_ERROR');
    expect(response.json().error.message).toContain('adAccountId');
    expect(response.json().error.message).toContain('extra');
    expect(response.body).not.toContain(secretish);
    const wrongType = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accountA, accessToken: 12345678901234 } });
    expectError(wrongType, 400, 'VALIDATION_ERROR');
    expect(wrongType.body).not.toContain('12345678901234');
    expectError(await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: { ...bearer(h.a.write), 'content-type': 'application/json' }, payload: '{"adAccountId":' }), 400, 'VALIDATION_ERROR');
    expectError(await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'weekly' } }), 400, 'VALIDATION_ERROR');
    const big = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accountA, accessToken: 'x'.repeat(2 * 1024 * 1024) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expectError(await h.inject({ url: '/v1/nothing-here', headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
    expect(h.logs.join('\n')).not.toContain(secretish);
  });

  test('OpenAPI at /docs is generated from the same schemas', async () => {
    const spec = (await h.inject({ url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/ad-accounts', '/v1/ad-accounts/{adAccountId}/syncs', '/v1/workflows/{workflowId}', '/v1/metrics', '/v1/rollups', '/v1/schedules']));
    expect(JSON.stringify(spec.paths['/v1/ad-accounts/{adAccountId}/syncs'].post.requestBody)).toContain('metrics');
  });

  test('a real listening server answers the same way', async () => {
    const address = h.url;
    const response = await fetch(`${address}/v1/ad-accounts`, { headers: bearer(h.a.read) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect((await fetch(`${address}/v1/ad-accounts`)).status).toBe(401);
  });
});

describe('disconnect', () => {
  test('disconnect removes the token; syncs then conflict; other tenants get 404', async () => {
    expectError(await h.inject({ method: 'DELETE', url: `/v1/ad-accounts/${accountA}`, headers: bearer(h.b.write) }), 404, 'NOT_FOUND');
    expectError(await h.inject({ method: 'DELETE', url: `/v1/ad-accounts/${accountA}`, headers: bearer(h.a.sync) }), 403, 'FORBIDDEN');
    const gone = await h.inject({ method: 'DELETE', url: `/v1/ad-accounts/${accountA}`, headers: bearer(h.a.write) });
    expect(gone.json()).toMatchObject({ id: accountA, status: 'disconnected' });
    expect((await h.database.db.adAccount.findUniqueOrThrow({ where: { id: accountA } })).encryptedAccessToken).toBe('');
    for (const id of accountScheduleIds(accountA)) await expect(h.temporal.client.schedule.getHandle(id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    // Company B's account keeps its schedules.
    await expect(h.temporal.client.schedule.getHandle(scheduleIds.incrementalSync(accountB)).describe()).resolves.toBeDefined();
    expectError(await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountA}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } }), 409, 'CONFLICT');
    expect((await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.a.read) })).json().data.map((a: { id: string }) => a.id)).not.toContain(accountA);
    expect((await h.inject({ url: '/v1/ad-accounts?includeDisconnected=true', headers: bearer(h.a.read) })).json().data.map((a: { id: string }) => a.id)).toContain(accountA);
    const audit = await h.database.db.auditEvent.findMany({ where: { companyId: COMPANY_A } });
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(['ad_account.connect', 'sync.start.full', 'workflow.cancel', 'ad_account.disconnect']));
    expect(JSON.stringify(audit, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(SIM_TOKEN);
  });
});
