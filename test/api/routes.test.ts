import { randomUUID } from 'node:crypto';
import { scheduleIds } from '../../domain/workflow-ids';
import { issueApiToken } from '../../src/operations/api-tokens';
import { insertRule } from '../../src/db/rule-repository';
import { rollupScheduleDefinitions } from '../../src/temporal/rollup-schedules';
import { bearer, COMPANY_A, COMPANY_B, createHarness, SIM_TOKEN, type Harness, type InjectOptions, type InjectResponse } from './support/harness';

/**
 * Every HTTP route, table-driven, through both `app.inject()` and the listening server: 401
 * without a token, 403 with a token lacking the scope, 404 for another company's id (or, where a
 * route takes no id, none of the other company's data in the answer). Plus a representative set
 * of routes answered through `app.inject()`.
 */
let h: Harness;
let ownAccount: string;
let otherAccount: string;
/** A token of company A with the sync scope only (no read): the wrong scope for read routes. */
let syncOnly: string;

/** Ids a request is built from: company A's own, or company B's. */
interface Ids {
  company: string;
  account: string;
  campaign: string;
  adSet: string;
  ad: string;
  workflow: string;
  tokenId: string;
  /** A change set id (the tenancy table aims at a real one of the other company's). */
  changeSet: string;
  rule: string;
  creative: string;
  leadForm: string;
  catalog: string;
}
let own: Ids;
let other: Ids;

type Who = 'read' | 'leads' | 'sync' | 'write' | 'admin' | 'syncOnly';
interface RouteCase {
  /** `METHOD /path` as in the OpenAPI document. */
  route: string;
  /** A valid request naming these ids (validation runs before the handler checks the scope). */
  request(ids: Ids): InjectOptions;
  /** A token of company A that lacks the route's scope. */
  wrongScope: Who;
  /** A token of company A that holds it. */
  rightScope: Who;
  /** Routes that take no id: the other company's data must not appear in the answer. */
  noForeignId?: true;
  /** The answer to the other company's id where it is not 404: connecting an account another company holds (the caller's Meta token proved access) is 409. */
  foreignAnswer?: [number, string];
  /**
   * An operator route (companies): no company scope reaches it. A company token, admin included,
   * gets this answer naming its own company and the other's alike: 404 for a named company, 403
   * for the id-less list and create. An operator names any company legitimately (companies.test.ts).
   */
  operatorOnly?: { answer: [number, string] };
}

const days = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const ROUTES: RouteCase[] = [
  { route: 'GET /v1/ad-accounts', request: (x) => ({ url: `/v1/ad-accounts?companyId=${x.company}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'POST /v1/ad-accounts', request: (x) => ({ method: 'POST', url: '/v1/ad-accounts', payload: { adAccountId: x.account, accessToken: SIM_TOKEN } }), wrongScope: 'sync', rightScope: 'write', foreignAnswer: [409, 'CONFLICT'] },
  { route: 'GET /v1/ad-accounts/{adAccountId}', request: (x) => ({ url: `/v1/ad-accounts/${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'DELETE /v1/ad-accounts/{adAccountId}', request: (x) => ({ method: 'DELETE', url: `/v1/ad-accounts/${x.account}` }), wrongScope: 'sync', rightScope: 'write' },
  { route: 'POST /v1/ad-accounts/{adAccountId}/syncs', request: (x) => ({ method: 'POST', url: `/v1/ad-accounts/${x.account}/syncs`, payload: { kind: 'full' } }), wrongScope: 'read', rightScope: 'sync' },
  { route: 'POST /v1/companies/{companyId}/syncs', request: (x) => ({ method: 'POST', url: `/v1/companies/${x.company}/syncs`, payload: { kinds: ['full'] } }), wrongScope: 'read', rightScope: 'sync' },
  { route: 'POST /v1/tokens', request: () => ({ method: 'POST', url: '/v1/tokens', payload: { name: 'table', scopes: ['read'] } }), wrongScope: 'write', rightScope: 'admin', noForeignId: true },
  { route: 'GET /v1/tokens', request: () => ({ url: '/v1/tokens' }), wrongScope: 'write', rightScope: 'admin', noForeignId: true },
  { route: 'DELETE /v1/tokens/{tokenId}', request: (x) => ({ method: 'DELETE', url: `/v1/tokens/${x.tokenId}` }), wrongScope: 'write', rightScope: 'admin' },
  { route: 'GET /v1/schedules', request: () => ({ url: '/v1/schedules' }), wrongScope: 'syncOnly', rightScope: 'read', noForeignId: true },
  ...(['pause', 'unpause', 'trigger'] as const).map(
    (action): RouteCase => ({ route: `POST /v1/schedules/{scheduleId}/${action}`, request: (x) => ({ method: 'POST', url: `/v1/schedules/${scheduleIds.incrementalSync(x.account)}/${action}`, payload: {} }), wrongScope: 'read', rightScope: 'sync' }),
  ),
  {
    route: 'POST /v1/schedules/{scheduleId}/backfill',
    request: (x) => ({ method: 'POST', url: `/v1/schedules/${scheduleIds.incrementalSync(x.account)}/backfill`, payload: { from: days(2), to: days(1) } }),
    wrongScope: 'read',
    rightScope: 'sync',
  },
  { route: 'GET /v1/campaigns', request: (x) => ({ url: `/v1/campaigns?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/campaigns/{id}', request: (x) => ({ url: `/v1/campaigns/${x.campaign}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/ad-sets', request: (x) => ({ url: `/v1/ad-sets?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/ad-sets/{id}', request: (x) => ({ url: `/v1/ad-sets/${x.adSet}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/ads', request: (x) => ({ url: `/v1/ads?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/ads/{id}', request: (x) => ({ url: `/v1/ads/${x.ad}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/metrics', request: (x) => ({ url: `/v1/metrics?adAccountId=${x.account}&level=campaign&from=${days(7)}&to=${days(1)}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/reports/performance', request: (x) => ({ url: `/v1/reports/performance?adAccountId=${x.account}&level=campaign&preset=LAST_7D` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/reports/performance/series', request: (x) => ({ url: `/v1/reports/performance/series?adAccountId=${x.account}&preset=LAST_7D&grain=day` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/workflows', request: (x) => ({ url: `/v1/workflows?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/workflows/{workflowId}', request: (x) => ({ url: `/v1/workflows/${x.workflow}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'POST /v1/workflows/{workflowId}/cancel', request: (x) => ({ method: 'POST', url: `/v1/workflows/${x.workflow}/cancel` }), wrongScope: 'read', rightScope: 'sync' },
  { route: 'POST /v1/rollups', request: (x) => ({ method: 'POST', url: '/v1/rollups', payload: { grain: 'daily', from: days(3), to: days(1), adAccountId: x.account } }), wrongScope: 'read', rightScope: 'sync' },
  { route: 'GET /v1/rollups', request: () => ({ url: '/v1/rollups' }), wrongScope: 'syncOnly', rightScope: 'read', noForeignId: true },
  {
    route: 'POST /v1/change-sets',
    request: (x) => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: x.account, items: [{ id: x.ad, level: 'ad', set: { status: 'PAUSED' } }] } }),
    wrongScope: 'sync',
    rightScope: 'write',
  },
  { route: 'GET /v1/change-sets', request: (x) => ({ url: `/v1/change-sets?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/change-sets/{changeSetId}', request: (x) => ({ url: `/v1/change-sets/${x.changeSet}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'POST /v1/change-sets/{changeSetId}/confirm', request: (x) => ({ method: 'POST', url: `/v1/change-sets/${x.changeSet}/confirm`, payload: { planHash: 'a'.repeat(64) } }), wrongScope: 'sync', rightScope: 'write' },
  { route: 'POST /v1/change-sets/{changeSetId}/cancel', request: (x) => ({ method: 'POST', url: `/v1/change-sets/${x.changeSet}/cancel` }), wrongScope: 'sync', rightScope: 'write' },
  {
    route: 'POST /v1/campaigns',
    request: (x) => ({ method: 'POST', url: '/v1/campaigns', payload: { adAccountId: x.account, name: 'table', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [] } }),
    wrongScope: 'sync',
    rightScope: 'write',
  },
  {
    route: 'POST /v1/ad-sets',
    request: (x) => ({
      method: 'POST',
      url: '/v1/ad-sets',
      payload: { adAccountId: x.account, campaignId: x.campaign, name: 'table', optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: { geo_locations: { countries: ['US'] } }, dailyBudget: '20.00' },
    }),
    wrongScope: 'sync',
    rightScope: 'write',
  },
  { route: 'POST /v1/ads', request: (x) => ({ method: 'POST', url: '/v1/ads', payload: { adAccountId: x.account, adsetId: x.adSet, name: 'table', creativeId: '1' } }), wrongScope: 'sync', rightScope: 'write' },
  { route: 'GET /v1/ad-accounts/{adAccountId}/limits', request: (x) => ({ url: `/v1/ad-accounts/${x.account}/limits` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'PUT /v1/ad-accounts/{adAccountId}/limits', request: (x) => ({ method: 'PUT', url: `/v1/ad-accounts/${x.account}/limits`, payload: { maxDailyBudget: '500.00' } }), wrongScope: 'write', rightScope: 'admin' },
  { route: 'POST /v1/rules', request: (x) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: x.account, name: 'table', ...RULE_SPECS } }), wrongScope: 'read', rightScope: 'write' },
  { route: 'GET /v1/rules', request: (x) => ({ url: `/v1/rules?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/rules/{id}', request: (x) => ({ url: `/v1/rules/${x.rule}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'PATCH /v1/rules/{id}', request: (x) => ({ method: 'PATCH', url: `/v1/rules/${x.rule}`, payload: { name: 'renamed' } }), wrongScope: 'read', rightScope: 'write' },
  { route: 'DELETE /v1/rules/{id}', request: (x) => ({ method: 'DELETE', url: `/v1/rules/${x.rule}` }), wrongScope: 'read', rightScope: 'write' },
  ...(['enable', 'disable', 'run'] as const).map((action): RouteCase => ({ route: `POST /v1/rules/{id}/${action}`, request: (x) => ({ method: 'POST', url: `/v1/rules/${x.rule}/${action}` }), wrongScope: 'read', rightScope: 'write' })),
  { route: 'POST /v1/rules/{id}/preview', request: (x) => ({ method: 'POST', url: `/v1/rules/${x.rule}/preview` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'POST /v1/rules/{id}/backtest', request: (x) => ({ method: 'POST', url: `/v1/rules/${x.rule}/backtest`, payload: { from: days(3), to: days(1) } }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/rules/{id}/executions', request: (x) => ({ url: `/v1/rules/${x.rule}/executions` }), wrongScope: 'syncOnly', rightScope: 'read' },
  // Reads of the synced objects: `read`, but leads (personal data) need `leads`.
  ...['creatives', 'custom-audiences', 'pixels', 'pages', 'instagram-accounts', 'lead-forms', 'product-catalogs', 'change-history'].map(
    (path): RouteCase => ({ route: `GET /v1/${path}`, request: (x) => ({ url: `/v1/${path}?adAccountId=${x.account}` }), wrongScope: 'syncOnly', rightScope: 'read' }),
  ),
  { route: 'GET /v1/creatives/{id}', request: (x) => ({ url: `/v1/creatives/${x.creative}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  { route: 'GET /v1/leads', request: (x) => ({ url: `/v1/leads?formId=${x.leadForm}` }), wrongScope: 'read', rightScope: 'leads' },
  ...['feeds', 'products', 'product-sets'].map(
    (path): RouteCase => ({ route: `GET /v1/product-catalogs/{catalogId}/${path}`, request: (x) => ({ url: `/v1/product-catalogs/${x.catalog}/${path}` }), wrongScope: 'syncOnly', rightScope: 'read' }),
  ),
  { route: 'GET /v1/change-history/{entityId}', request: (x) => ({ url: `/v1/change-history/${x.ad}` }), wrongScope: 'syncOnly', rightScope: 'read' },
  ...['sync-runs', 'rate-limits', 'meta-rules'].map(
    (path): RouteCase => ({ route: `GET /v1/ad-accounts/{adAccountId}/${path}`, request: (x) => ({ url: `/v1/ad-accounts/${x.account}/${path}` }), wrongScope: 'syncOnly', rightScope: 'read' }),
  ),
    // Companies: operator routes.
  { route: 'POST /v1/companies', request: () => ({ method: 'POST', url: '/v1/companies', payload: { name: 'table' } }), wrongScope: 'admin', rightScope: 'admin', operatorOnly: { answer: [403, 'FORBIDDEN'] } },
  { route: 'GET /v1/companies', request: () => ({ url: '/v1/companies' }), wrongScope: 'admin', rightScope: 'admin', operatorOnly: { answer: [403, 'FORBIDDEN'] } },
  { route: 'GET /v1/companies/{companyId}', request: (x) => ({ url: `/v1/companies/${x.company}` }), wrongScope: 'admin', rightScope: 'admin', operatorOnly: { answer: [404, 'NOT_FOUND'] } },
  { route: 'PATCH /v1/companies/{companyId}', request: (x) => ({ method: 'PATCH', url: `/v1/companies/${x.company}`, payload: { name: 'renamed' } }), wrongScope: 'admin', rightScope: 'admin', operatorOnly: { answer: [404, 'NOT_FOUND'] } },
  ...(['deactivate', 'reactivate'] as const).map(
    (action): RouteCase => ({ route: `POST /v1/companies/{companyId}/${action}`, request: (x) => ({ method: 'POST', url: `/v1/companies/${x.company}/${action}` }), wrongScope: 'admin', rightScope: 'admin', operatorOnly: { answer: [404, 'NOT_FOUND'] } }),
  ),
  {
    route: 'POST /v1/companies/{companyId}/tokens',
    request: (x) => ({ method: 'POST', url: `/v1/companies/${x.company}/tokens`, payload: { name: 'table', scopes: ['read'] } }),
    wrongScope: 'admin',
    rightScope: 'admin',
    operatorOnly: { answer: [404, 'NOT_FOUND'] },
  },
];

const RULE_SPECS = {
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' }, { field: 'spent', operator: 'GREATER_THAN', value: 100 }] },
  execution_spec: { execution_type: 'PAUSE' },
  schedule_spec: { schedule_type: 'DAILY' },
};

function tokenOf(who: Who): string {
  return who === 'syncOnly' ? syncOnly : h.a[who];
}

function expectError(response: InjectResponse, status: number, code: string, route: string): void {
  expect({ route, status: response.statusCode, code: response.json().error?.code }).toEqual({ route, status, code });
  expect(response.json().error.requestId).toBe(response.headers['x-request-id']);
}

async function waitFor<T>(load: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await load();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '100000', API_AUTH_FAILURES_PER_MINUTE: '100000' } });
  [ownAccount, otherAccount] = h.simulatorAccounts;
  syncOnly = (await issueApiToken(h.database.db, { companyId: COMPANY_A, name: 'sync only', scopes: ['sync'] })).token;
  for (const [token, id] of [[h.a.write, ownAccount], [h.b.write, otherAccount]] as const) {
    expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(token), payload: { adAccountId: id, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  }
  // Company B's data comes from a real full sync of its account.
  const started = (await h.inject({ method: 'POST', url: `/v1/ad-accounts/${otherAccount}/syncs`, headers: bearer(h.b.sync), payload: { kind: 'full' } })).json();
  const done = await waitFor(
    async () => (await h.inject({ url: `/v1/workflows/${started.workflowId}`, headers: bearer(h.b.read) })).json(),
    (body) => body.status !== 'RUNNING',
  );
  expect(done.status).toBe('COMPLETED');
  const db = h.database.db;
  const idsOf = async (companyId: string, adAccountId: string, workflow: string): Promise<Ids> => ({
    company: companyId,
    account: adAccountId,
    campaign: (await db.campaign.findFirst({ where: { adAccountId }, select: { id: true } }))?.id ?? '1',
    adSet: (await db.adSet.findFirst({ where: { adAccountId }, select: { id: true } }))?.id ?? '1',
    ad: (await db.ad.findFirst({ where: { adAccountId }, select: { id: true } }))?.id ?? '1',
    workflow,
    tokenId: (await db.apiToken.findFirstOrThrow({ where: { companyId, name: 'read' }, select: { id: true } })).id,
    changeSet: randomUUID(),
    // Stored directly (no audit event): the last test counts company B's audit events.
    rule: (await insertRule(db, {
      companyId, adAccountId, name: 'table rule', evaluationSpec: RULE_SPECS.evaluation_spec, executionSpec: RULE_SPECS.execution_spec, scheduleSpec: RULE_SPECS.schedule_spec,
      specHash: 'a'.repeat(64), raisesSpend: false, webhookUrl: null, webhookSecret: null, createdBy: 'test',
    })).id,
    creative: (await db.adCreative.findFirst({ where: { adAccountId }, select: { id: true } }))?.id ?? '1',
    leadForm: (await db.leadForm.findFirst({ where: { page: { adAccounts: { some: { adAccountId } } } }, select: { id: true } }))?.id ?? '1',
    catalog: (await db.productCatalog.findFirst({ where: { business: { id: (await db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })).businessId ?? '-' } }, select: { id: true } }))?.id ?? '1',
  });
  other = await idsOf(COMPANY_B, otherAccount, started.workflowId);
  expect(other.campaign).not.toBe('1');
  expect([other.creative, other.leadForm, other.catalog]).not.toContain('1');
  own = await idsOf(COMPANY_A, ownAccount, `meta-full-sync:${ownAccount}`);
});
afterAll(async () => h?.close());

test('the table covers every route of the OpenAPI document', async () => {
  const spec = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  const protectedRoutes = documented.filter((route) => route.includes(' /v1/'));
  expect(protectedRoutes.length).toBeGreaterThanOrEqual(25);
  expect(ROUTES.map((r) => r.route).sort()).toEqual(protectedRoutes.sort());
  // Public: service routes and the docs (Swagger UI); nothing else answers without a token.
  expect(documented.filter((route) => !route.includes(' /v1/')).sort()).toEqual(['GET /health', 'GET /info', 'GET /status']);
});

describe.each([
  ['app.inject()', (options: InjectOptions) => h.appInject(options)],
  ['the listening server', (options: InjectOptions) => h.inject(options)],
])('through %s', (_transport, send) => {
  test.each(ROUTES.map((r) => [r.route, r] as const))('%s: 401 without a token, 401 with a bad one', async (route, r) => {
    const request = r.request(own);
    const missing = await send(request);
    expectError(missing, 401, 'UNAUTHENTICATED', route);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expectError(await send({ ...request, headers: bearer(`mao_${'x'.repeat(43)}`) }), 401, 'UNAUTHENTICATED', route);
  });

  test.each(ROUTES.map((r) => [r.route, r] as const))('%s: 403 with a token lacking the scope', async (route, r) => {
    const [status, code] = r.operatorOnly?.answer ?? [403, 'FORBIDDEN'];
    expectError(await send({ ...r.request(own), headers: bearer(tokenOf(r.wrongScope)) }), status, code, route);
  });

  test.each(ROUTES.map((r) => [r.route, r] as const))('%s: 404 for the other company\'s id', async (route, r) => {
    const response = await send({ ...r.request(other), headers: bearer(tokenOf(r.rightScope)) });
    if (r.operatorOnly) {
      expectError(response, r.operatorOnly.answer[0], r.operatorOnly.answer[1], route);
    } else if (r.noForeignId) {
      expect(response.statusCode).toBeLessThan(300);
      for (const id of [COMPANY_B, otherAccount, other.workflow, other.tokenId]) expect(response.body).not.toContain(id);
    } else {
      expectError(response, r.foreignAnswer?.[0] ?? 404, r.foreignAnswer?.[1] ?? 'NOT_FOUND', route);
    }
  });
});

test('none of those requests changed company B: account connected, sync not canceled, token valid, nothing started', async () => {
  const account = (await h.appInject({ url: `/v1/ad-accounts/${otherAccount}`, headers: bearer(h.b.read) })).json();
  expect(account).toMatchObject({ id: otherAccount, status: 'connected' });
  expect((await h.appInject({ url: `/v1/workflows/${other.workflow}`, headers: bearer(h.b.read) })).json().status).toBe('COMPLETED');
  const workflows = (await h.appInject({ url: '/v1/workflows', headers: bearer(h.b.read) })).json().data;
  expect(workflows.map((w: { workflowId: string }) => w.workflowId)).toEqual([other.workflow]);
  expect(await h.database.db.auditEvent.count({ where: { companyId: COMPANY_B, action: { not: { in: ['ad_account.connect', 'sync.start.full'] } } } })).toBe(0);
  expect(await h.database.db.apiToken.count({ where: { companyId: COMPANY_B, revokedAt: { not: null } } })).toBe(0);
});

describe('representative routes through app.inject()', () => {
  test('service routes and the docs (Swagger UI from @fastify/swagger-ui) need no token', async () => {
    expect((await h.appInject({ url: '/health' })).json()).toEqual({ ok: true });
    expect((await h.appInject({ url: '/info' })).statusCode).toBe(200);
    expect((await h.appInject({ url: '/status' })).statusCode).toBeLessThan(600);
    const docs = await h.appInject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.body).toContain('swagger');
    const assets = [...docs.body.matchAll(/(?:src|href)="\.?\/?((?:docs\/)?static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect((await h.appInject({ url: `/docs/${asset.replace(/^docs\//, '')}` })).statusCode).toBe(200);
    const spec = (await h.appInject({ url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
  });

  test('reads, a sync start with dedup and its status, validation, unknown routes, body limit', async () => {
    const list = await h.appInject({ url: '/v1/ad-accounts', headers: bearer(h.a.read) });
    expect(list.json()).toEqual({ data: [expect.objectContaining({ id: ownAccount, companyId: COMPANY_A, status: 'connected' })], nextCursor: null });
    expect(list.headers['x-request-id']).toEqual(expect.any(String));
    const first = await h.appInject({ method: 'POST', url: `/v1/ad-accounts/${ownAccount}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'incremental' } });
    expect(first.statusCode).toBe(202);
    const again = await h.appInject({ method: 'POST', url: `/v1/ad-accounts/${ownAccount}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'incremental' } });
    expect(first.json()).toMatchObject({ attached: false, covers: { kind: 'incremental', overlapSeconds: 300, followUp: false } });
    expect(again.json()).toEqual({ ...first.json(), attached: true });
    const status = await waitFor(
      async () => (await h.appInject({ url: `/v1/workflows/${first.json().workflowId}`, headers: bearer(h.a.read) })).json(),
      (body) => body.status !== 'RUNNING',
    );
    expect(status).toMatchObject({ kind: 'incremental-sync', status: 'COMPLETED', progress: { phase: 'done' } });
    const campaigns = (await h.appInject({ url: `/v1/campaigns?adAccountId=${ownAccount}&limit=2`, headers: bearer(h.a.read) })).json();
    expect(campaigns.data).toHaveLength(2);
    expect(campaigns.nextCursor).toEqual(expect.any(String));
    const invalid = await h.appInject({ method: 'POST', url: `/v1/ad-accounts/${ownAccount}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'weekly' } });
    expectError(invalid, 400, 'VALIDATION_ERROR', 'POST syncs');
    expectError(await h.appInject({ url: '/v1/nothing-here', headers: bearer(h.a.read) }), 404, 'NOT_FOUND', 'unknown');
    const big = await h.appInject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: ownAccount, accessToken: 'x'.repeat(2 * 1024 * 1024) } });
    expect(big.statusCode).toBe(413);
  });
});

describe('global schedules (rollups, retention) are an operator\'s, never a company\'s', () => {
  const GLOBAL_IDS = [scheduleIds.dailyRollup, scheduleIds.monthlyRollup, scheduleIds.retention];
  let operator: string;

  const removeGlobals = () => Promise.all(GLOBAL_IDS.map((id) => h.temporal.client.schedule.getHandle(id).delete().catch(() => undefined)));
  beforeAll(async () => {
    // The real global schedules, paused so that none fires during the test; removed afterwards.
    await removeGlobals();
    for (const definition of rollupScheduleDefinitions(h.ctx.config, h.temporal.taskQueue)) {
      await h.temporal.client.schedule.create({ ...definition, state: { paused: true, note: 'created by the routes test' } });
    }
  });
  afterAll(removeGlobals);

  const describeGlobal = (id: string) => h.temporal.client.schedule.getHandle(id).describe();

  test('a company token, even admin, sees 404 for every action on them and no global schedule in the list', async () => {
    for (const id of GLOBAL_IDS) {
      for (const token of [h.a.admin, h.a.sync, h.b.admin]) {
        for (const action of ['pause', 'unpause', 'trigger'] as const) {
          expectError(await h.inject({ method: 'POST', url: `/v1/schedules/${id}/${action}`, headers: bearer(token), payload: {} }), 404, 'NOT_FOUND', `${action} ${id}`);
        }
        expectError(await h.inject({ method: 'POST', url: `/v1/schedules/${id}/backfill`, headers: bearer(token), payload: { from: days(2), to: days(1) } }), 404, 'NOT_FOUND', `backfill ${id}`);
      }
      const described = await describeGlobal(id);
      expect({ id, paused: described.state.paused, note: described.state.note, actions: described.info.numActionsTaken }).toEqual({ id, paused: true, note: 'created by the routes test', actions: 0 });
    }
    const listed = (await h.inject({ url: '/v1/schedules?limit=200', headers: bearer(h.a.admin) })).json();
    expect(listed.data.filter((s: { scope: string }) => s.scope === 'global')).toEqual([]);
  });

  test('an operator token (granted by the CLI) lists them and pauses and resumes them', async () => {
    operator = (await issueApiToken(h.database.db, { companyId: COMPANY_A, name: 'operator', scopes: ['read', 'sync', 'operator'] })).token;
    const listed = (await h.inject({ url: '/v1/schedules?limit=200', headers: bearer(operator) })).json();
    expect(listed.data.filter((s: { scope: string }) => s.scope === 'global').map((s: { scheduleId: string }) => s.scheduleId).sort()).toEqual([...GLOBAL_IDS].sort());
    const id = scheduleIds.retention;
    expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/unpause`, headers: bearer(operator), payload: {} })).json()).toEqual({ scheduleId: id, action: 'unpaused' });
    expect((await describeGlobal(id)).state.paused).toBe(false);
    expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: bearer(operator), payload: {} })).json()).toEqual({ scheduleId: id, action: 'paused' });
    expect((await describeGlobal(id)).state.paused).toBe(true);
    // A rollup run recomputes the window of its own time: a backfill runs every time, one after another.
    const monthly = scheduleIds.monthlyRollup;
    const backfill = await h.inject({ method: 'POST', url: `/v1/schedules/${monthly}/backfill`, headers: bearer(operator), payload: { from: days(4), to: days(2) } });
    expect(backfill.json()).toEqual({ scheduleId: monthly, action: 'backfilled', scheduledTimes: 3, willStart: 3, overlap: 'buffer_all' });
    const runs = await waitFor(
      async () => (await h.temporal.client.workflow.count(`TemporalScheduledById = '${monthly}' AND ExecutionStatus = 'Completed'`)).count,
      (count) => count >= 3,
    );
    expect(runs).toBe(3);
    const spans: Array<{ start: number; close: number }> = [];
    for await (const run of h.temporal.client.workflow.list({ query: `TemporalScheduledById = '${monthly}'` })) spans.push({ start: run.startTime.getTime(), close: run.closeTime!.getTime() });
    spans.sort((x, y) => x.start - y.start);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].close);
    // Far more times than a backfill may cover (the daily rollup runs hourly: 240 in ten days).
    const tooMany = await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleIds.dailyRollup}/backfill`, headers: bearer(operator), payload: { from: days(11), to: days(2) } });
    expectError(tooMany, 400, 'VALIDATION_ERROR', 'backfill cap');
    // The operator scope is about global schedules only: with sync it still does not open another company's account.
    expectError(await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleIds.incrementalSync(otherAccount)}/pause`, headers: bearer(operator), payload: {} }), 404, 'NOT_FOUND', 'operator on B');
    expectError(await h.inject({ url: '/v1/tokens', headers: bearer(operator) }), 403, 'FORBIDDEN', 'operator is not admin');
  });

  test('the API never grants the operator scope, not even to an admin', async () => {
    const refused = await h.inject({ method: 'POST', url: '/v1/tokens', headers: bearer(h.a.admin), payload: { name: 'escalate', scopes: ['admin', 'operator'] } });
    expectError(refused, 400, 'VALIDATION_ERROR', 'grant operator');
    expect(refused.json().error.message).toContain('token:create');
    expect(await h.database.db.apiToken.count({ where: { name: 'escalate' } })).toBe(0);
  });
});
