import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/api/app';
import { bearer, createHarness, httpInject, SIM_TOKEN, type Harness, type InjectResponse, connectAndFullSync } from './support/harness';

/**
 * The change-set routes over real HTTP against the real worker, PostgreSQL and the simulator:
 * preview (items and selection forms, dryRun by default), confirm, cancel, read, list, creates
 * and the account's limits; every refusal in the one error shape with nothing changed.
 */
let h: Harness;
let account: string;
/** The same app with CHANGE_SET_PREVIEW_TTL of 1.5 s. */
let shortLived: { app: FastifyInstance; url: string };

beforeAll(async () => {
  h = await createHarness({ seed: 11 }); // a fixed seed: about one seed in eight gives the first account no ACTIVE ad set with its own daily budget
  account = h.simulatorAccounts[0]!;
  await connectAndFullSync(h, account);
  const ctx = { ...h.ctx, config: { ...h.ctx.config, changeSets: { ...h.ctx.config.changeSets, previewTtlMs: 1_500 } } };
  const app = await buildApp({ ctx, logger: pino({ level: 'silent' }) });
  shortLived = { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
});
afterAll(async () => {
  await shortLived?.app.close();
  await h?.close();
});

function expectError(response: InjectResponse, status: number, code: string): { message: string; details?: Record<string, unknown> } {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  expect(response.json().error.requestId).toBe(response.headers['x-request-id']);
  return response.json().error;
}

async function writesTotal(): Promise<number> {
  return ((await (await fetch(`${h.simulator.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
}

async function finished(changeSetId: string): Promise<any> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const view = (await h.inject({ url: `/v1/change-sets/${changeSetId}`, headers: bearer(h.a.read) })).json();
    if (!['previewed', 'applying', 'confirmed'].includes(view.status) || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const post = (url: string, token: string, payload?: unknown) => h.inject({ method: 'POST', url, headers: bearer(token), payload });

test('the routes are documented in OpenAPI with their request and response schemas', async () => {
  const doc = (await h.inject({ url: '/docs/json' })).json();
  for (const [path, method] of [
    ['/v1/change-sets', 'post'], ['/v1/change-sets', 'get'], ['/v1/change-sets/{changeSetId}', 'get'], ['/v1/change-sets/{changeSetId}/confirm', 'post'], ['/v1/change-sets/{changeSetId}/cancel', 'post'],
    ['/v1/campaigns', 'post'], ['/v1/ad-sets', 'post'], ['/v1/ads', 'post'], ['/v1/ad-accounts/{adAccountId}/limits', 'get'], ['/v1/ad-accounts/{adAccountId}/limits', 'put'],
  ] as const) {
    const operation = doc.paths[path]?.[method];
    expect({ path, method, summary: typeof operation?.summary }).toEqual({ path, method, summary: 'string' });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['4XX']));
  }
  expect(doc.paths['/v1/change-sets'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('selection');
});

test('items form: a dry run by default, then confirm answers the workflow; a second confirm the same run', async () => {
  const ads = await h.database.db.ad.findMany({ where: { adAccountId: account, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' }, take: 2 });
  const before = await writesTotal();
  const preview = await post('/v1/change-sets', h.a.write, { adAccountId: account, items: ads.map((ad) => ({ id: ad.id, level: 'ad', set: { status: 'PAUSED' } })) });
  expect(preview.statusCode).toBe(201);
  const body = preview.json();
  expect(body).toMatchObject({ status: 'previewed', itemCount: 2, confirmation: { state: 'not_requested' }, planHash: expect.stringMatching(/^[0-9a-f]{64}$/), totals: { objectsTurnedOff: 2 } });
  expect(await writesTotal()).toBe(before);

  expectError(await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.write, { planHash: '0'.repeat(64) }), 409, 'CONFLICT');
  expectError(await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.read, { planHash: body.planHash }), 403, 'FORBIDDEN');
  expectError(await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.write, { planHash: body.planHash, extra: 1 }), 400, 'VALIDATION_ERROR');
  expect(await writesTotal()).toBe(before);

  const first = await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.write, { planHash: body.planHash });
  expect(first.statusCode).toBe(202);
  expect(first.json()).toMatchObject({ changeSetId: body.changeSetId, workflowId: `meta-change-set:${body.changeSetId}`, runId: expect.any(String) });
  const second = await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.write, { planHash: body.planHash });
  expect(second.json()).toMatchObject({ workflowId: first.json().workflowId, runId: first.json().runId });
  const done = await finished(body.changeSetId);
  expect(done).toMatchObject({ status: 'completed', counts: { applied: 2 }, workflow: { status: 'COMPLETED' } });
  expect(done.items.map((i: { status: string }) => i.status)).toEqual(['succeeded', 'succeeded']);
  expect((await h.database.db.ad.findMany({ where: { id: { in: ads.map((ad) => ad.id) } } })).map((ad) => ad.status)).toEqual(['PAUSED', 'PAUSED']);
  expect(expectError(await post(`/v1/change-sets/${body.changeSetId}/cancel`, h.a.write), 409, 'CONFLICT').message).toMatch(/nothing to cancel/);
});

test('selection form: a budget raise needs the separate confirm; cancel ends it; list and get page', async () => {
  const campaign = await h.database.db.adSet.findFirstOrThrow({ where: { adAccountId: account, status: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' } });
  const before = await writesTotal();
  const preview = await post('/v1/change-sets', h.a.write, { adAccountId: account, selection: { level: 'adset', campaignIds: [campaign.campaignId], statuses: ['ACTIVE'] }, set: { dailyBudget: { percent: 10 } }, dryRun: false, confirm: true });
  expect(preview.statusCode).toBe(201);
  const body = preview.json();
  expect(body).toMatchObject({ status: 'previewed', requiresConfirmation: true, confirmation: { state: 'required' } });
  expect(body.confirmation.message).toContain(`/v1/change-sets/${body.changeSetId}/confirm`);
  const page = (await h.inject({ url: `/v1/change-sets/${body.changeSetId}?itemsLimit=1`, headers: bearer(h.a.read) })).json();
  expect(page.items).toHaveLength(body.itemCount > 0 ? 1 : 0);
  expect(page.itemsNextCursor === null).toBe(body.itemCount <= 1);
  const listed = (await h.inject({ url: `/v1/change-sets?adAccountId=${account}&status=previewed`, headers: bearer(h.a.read) })).json();
  expect(listed.data.map((s: { changeSetId: string }) => s.changeSetId)).toContain(body.changeSetId);
  expectError(await post(`/v1/change-sets/${body.changeSetId}/cancel`, h.a.read), 403, 'FORBIDDEN');
  expect((await post(`/v1/change-sets/${body.changeSetId}/cancel`, h.a.write)).json()).toMatchObject({ changeSetId: body.changeSetId, status: expect.stringMatching(/^cancel(ed|_requested)$/) });
  expect((await finished(body.changeSetId)).status).toBe('canceled');
  expectError(await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.write, { planHash: body.planHash }), 409, 'CONFLICT');
  expect(await writesTotal()).toBe(before);
  expectError(await post('/v1/change-sets', h.a.write, { adAccountId: account, selection: { level: 'adset', nameContains: 'no such name anywhere' }, set: { status: 'PAUSED' } }), 400, 'VALIDATION_ERROR');
  expectError(await post('/v1/change-sets', h.a.write, { adAccountId: account, selection: { level: 'adset' } }), 400, 'VALIDATION_ERROR');
});

test('limits: read with read, changed only with admin; a cap blocks the preview; an expired plan is refused', async () => {
  const adset = await h.database.db.adSet.findFirstOrThrow({ where: { adAccountId: account, status: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'desc' } });
  expect((await h.inject({ url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.read) })).json()).toMatchObject({ adAccountId: account, currency: 'USD' });
  expectError(await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.write), payload: { maxDailyBudget: '1.00' } }), 403, 'FORBIDDEN');
  expectError(await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.admin), payload: {} }), 400, 'VALIDATION_ERROR');
  const put = await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.admin), payload: { maxDailyBudget: '1.00' } });
  expect(put.json()).toMatchObject({ maxDailyBudget: '1' });
  const before = await writesTotal();
  const blocked = (await post('/v1/change-sets', h.a.write, { adAccountId: account, items: [{ id: adset.id, level: 'adset', set: { dailyBudget: '5.00' } }] })).json();
  expect(blocked).toMatchObject({ status: 'blocked', confirmation: { state: 'blocked' } });
  expect(blocked.violations.map((v: { code: string }) => v.code)).toContain('ABOVE_MAX_DAILY_BUDGET');
  expectError(await post(`/v1/change-sets/${blocked.changeSetId}/confirm`, h.a.write, { planHash: blocked.planHash }), 400, 'VALIDATION_ERROR');
  await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.admin), payload: { maxDailyBudget: null } });

  const expiring = (await httpInject(shortLived.url, { method: 'POST', url: '/v1/change-sets', headers: bearer(h.a.write), payload: { adAccountId: account, items: [{ id: adset.id, level: 'adset', set: { status: 'PAUSED' } }] } })).json();
  await h.temporal.client.workflow.getHandle(expiring.workflowId).result();
  expect(expectError(await post(`/v1/change-sets/${expiring.changeSetId}/confirm`, h.a.write, { planHash: expiring.planHash }), 409, 'CONFLICT').message).toMatch(/expired/);
  expect(await writesTotal()).toBe(before);
  expect((await h.database.db.adSet.findUniqueOrThrow({ where: { id: adset.id } })).status).toBe('ACTIVE');
});

test('creates: POST /v1/campaigns previews, confirm creates it PAUSED; missing required fields are named', async () => {
  const missing = expectError(await post('/v1/campaigns', h.a.write, { adAccountId: account, name: 'No objective', specialAdCategories: [] }), 400, 'VALIDATION_ERROR');
  expect(missing.message).toContain('objective');
  const preview = await post('/v1/campaigns', h.a.write, { adAccountId: account, name: 'HTTP launch', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [], dailyBudget: '40.00' });
  expect(preview.statusCode).toBe(201);
  const body = preview.json();
  expect(body).toMatchObject({ kind: 'create', status: 'previewed', items: [{ action: 'create', objectId: null }] });
  await post(`/v1/change-sets/${body.changeSetId}/confirm`, h.a.write, { planHash: body.planHash });
  const done = await finished(body.changeSetId);
  expect(done).toMatchObject({ status: 'completed' });
  const campaign = await h.database.db.campaign.findUniqueOrThrow({ where: { id: done.items[0].objectId } });
  expect(campaign).toMatchObject({ name: 'HTTP launch', status: 'PAUSED' });
  expect(campaign.dailyBudget?.toString()).toBe('40');
  // An ad set under a campaign with its own budget may not have one.
  const conflict = (await post('/v1/ad-sets', h.a.write, { adAccountId: account, campaignId: campaign.id, name: 'x', optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: { geo_locations: { countries: ['US'] } }, dailyBudget: '10.00' })).json();
  expect(conflict.violations.map((v: { code: string }) => v.code)).toContain('CAMPAIGN_BUDGET_CONFLICT');
  const ad = (await post('/v1/ads', h.a.write, { adAccountId: account, adsetId: '1', name: 'x', creativeId: '1' })).json();
  expect(ad.status).toBe('blocked');
});
