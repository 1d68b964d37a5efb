import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { issueApiToken } from '../../src/operations/api-tokens';
import { bearer, COMPANY_A, COMPANY_B, createHarness, SIM_TOKEN, type Harness } from './support/harness';

/**
 * Generated invalid input against every HTTP route and MCP tool: wrong types, huge strings,
 * unknown fields, injection strings, other tenants' ids. Expect zero 5xx, zero database writes
 * and zero workflow starts.
 */
let h: Harness;
let own: string;
let foreign: string;
/** A rule of company A (disabled) and one of company B. */
let ownRule: string;
let foreignRule: string;
/** A token with the operator scope (of company A's, as `npm run token:create` would make it). */
let operator: string;

beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '100000', API_AUTH_FAILURES_PER_MINUTE: '100000' } });
  [own, foreign] = h.simulatorAccounts;
  operator = (await issueApiToken(h.database.db, { companyId: COMPANY_A, name: 'operator', scopes: ['operator'] })).token;
  for (const [token, id] of [[h.a.write, own], [h.b.write, foreign]] as const) {
    expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(token), payload: { adAccountId: id, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  }
  await h.database.db.campaign.create({ data: { id: '2001', adAccountId: foreign, status: 'ACTIVE' } });
  for (const [token, id] of [[h.a.write, own], [h.b.write, foreign]] as const) {
    const created = await h.inject({ method: 'POST', url: '/v1/rules', headers: bearer(token), payload: { adAccountId: id, name: 'r', ...RULE_SPECS } });
    expect(created.statusCode).toBe(201);
    if (id === own) ownRule = created.json().ruleId;
    else foreignRule = created.json().ruleId;
  }
});

const RULE_SPECS = {
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' }, { field: 'spent', operator: 'GREATER_THAN', value: 100 }] },
  execution_spec: { execution_type: 'PAUSE' },
  schedule_spec: { schedule_type: 'DAILY' },
};
afterAll(async () => h?.close());

const BAD_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, 'x'.repeat(100_000), '', ' ', "' OR 1=1 --", "'; DROP TABLE ad_accounts; --", '${7*7}', '<script>alert(1)</script>', '../../etc/passwd',
  '%00', '\u0000', 'act_', 'act_-1', 'act_1 OR 1=1', "CompanyId = 'x'", [], ['act_1'], {}, { $gt: '' }, { __proto__: { polluted: true } }, 'NaN', '2026-13-45', '2026-02-30',
  'mao_' + 'a'.repeat(43), COMPANY_B, '00000000-0000-0000-0000-000000000000',
];

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length];
}

async function snapshot(): Promise<Record<string, number | string>> {
  const db = h.database.db;
  const [accounts, audits, tokens, companies, campaigns, updated, changeSets, limits, rules, ruleUpdated, executions] = await Promise.all([
    db.adAccount.count(),
    db.auditEvent.count(),
    db.apiToken.count({ where: { revokedAt: null } }),
    db.company.count(),
    db.campaign.count(),
    db.adAccount.aggregate({ _max: { updatedAt: true } }),
    db.bulkRequest.count(),
    db.adAccountLimit.findMany({ orderBy: { adAccountId: 'asc' } }),
    db.adRule.count(),
    db.adRule.aggregate({ _max: { updatedAt: true } }),
    db.adRuleExecution.count(),
  ]);
  const writes = ((await (await fetch(`${h.simulator.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
  return { accounts, audits, tokens, companies, campaigns, updated: updated._max.updatedAt?.getTime() ?? 0, changeSets, limits: JSON.stringify(limits), writes, rules, ruleUpdated: ruleUpdated._max.updatedAt?.getTime() ?? 0, executions };
}

async function workflowCount(): Promise<number> {
  return (await h.temporal.client.workflow.count(`TaskQueue = '${h.temporal.taskQueue}'`)).count;
}

test('2,000+ invalid HTTP requests and MCP calls: no 5xx, no writes, no workflow starts', async () => {
  const before = await snapshot();
  const workflowsBefore = await workflowCount();
  const statuses = new Map<number, number>();
  const record = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  const routes: Array<(v: unknown, i: number) => { method: string; url: string; payload?: unknown; token: string }> = [
    (v) => ({ method: 'POST', url: '/v1/ad-accounts', payload: { adAccountId: v, accessToken: SIM_TOKEN }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/ad-accounts', payload: { adAccountId: own, accessToken: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/ad-accounts', payload: { adAccountId: foreign, accessToken: SIM_TOKEN, [String(v).slice(0, 20)]: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/ad-accounts', payload: { companyId: v, adAccountId: own, accessToken: 'bad-token-' + String(v).slice(0, 5) }, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/ad-accounts/${encodeURIComponent(String(v).slice(0, 200))}/syncs`, payload: { kind: 'full' }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/ad-accounts/${own}/syncs`, payload: { kind: v }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/ad-accounts/${own}/syncs`, payload: { kind: 'metrics', grain: 'daily', from: v, to: '2026-01-01' }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/ad-accounts/${foreign}/syncs`, payload: { kind: 'full', extra: v }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/ad-accounts/${foreign}/syncs`, payload: { kind: 'full' }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}/syncs`, payload: { kinds: [v] }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/syncs`, payload: { kinds: ['full'], junk: v }, token: h.a.sync }),
    (v) => ({ method: 'GET', url: `/v1/workflows/${encodeURIComponent(String(v).slice(0, 300))}`, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/workflows/${encodeURIComponent(String(v).slice(0, 300))}/cancel`, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/workflows/meta-full-sync:${foreign}/cancel`, payload: v, token: h.a.sync }),
    (v) => ({ method: 'GET', url: `/v1/workflows?kind=${encodeURIComponent(String(v).slice(0, 300))}&status=${encodeURIComponent(String(v).slice(0, 50))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/workflows?adAccountId=${encodeURIComponent(String(v).slice(0, 100))}&cursor=${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/campaigns?adAccountId=${encodeURIComponent(String(v).slice(0, 300))}&limit=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/campaigns/${encodeURIComponent(String(v).slice(0, 300))}`, token: h.a.read }),
    () => ({ method: 'GET', url: '/v1/campaigns/2001', token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/ad-sets?cursor=${encodeURIComponent(String(v).slice(0, 300))}&includeDeleted=${encodeURIComponent(String(v).slice(0, 10))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/ads?adsetId=${encodeURIComponent(String(v).slice(0, 300))}&unknown=1`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/metrics?adAccountId=${foreign}&from=2026-01-01&to=2026-01-02&level=${encodeURIComponent(String(v).slice(0, 50))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/metrics?adAccountId=${own}&from=${encodeURIComponent(String(v).slice(0, 50))}&to=2026-01-02&grain=hourly`, token: h.a.read }),
    (v) => ({ method: 'POST', url: '/v1/rollups', payload: { grain: v, from: '2026-01-01', to: '2026-01-02' }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: '/v1/rollups', payload: { grain: 'daily', from: '2026-01-01', to: '2026-01-02', adAccountId: foreign, x: v }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: '/v1/rollups', payload: { grain: 'daily', from: '2026-01-01', to: '2026-01-02', adAccountId: foreign }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: `/v1/schedules/${encodeURIComponent(String(v).slice(0, 300))}/pause`, payload: { note: v }, token: h.a.sync }),
    () => ({ method: 'POST', url: `/v1/schedules/meta-incremental-sync-schedule:${foreign}/trigger`, token: h.a.sync }),
    (v) => ({ method: 'POST', url: '/v1/schedules/meta-retention-schedule/backfill', payload: { from: v, to: v }, token: h.a.sync }),
    (v) => ({ method: 'POST', url: '/v1/tokens', payload: { name: v, scopes: [v] }, token: h.a.admin }),
    (v) => ({ method: 'POST', url: '/v1/tokens', payload: { name: 'x', scopes: ['admin'] }, token: String(v).slice(0, 60).replace(/[^\x21-\x7e]/g, 'x') || 'x' }),
    (v) => ({ method: 'DELETE', url: `/v1/tokens/${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.admin }),
    (v) => ({ method: 'DELETE', url: `/v1/ad-accounts/${foreign}`, payload: v, token: h.a.write }),
    (v) => ({ method: 'GET', url: `/v1/schedules?limit=${encodeURIComponent(String(v).slice(0, 30))}`, token: h.a.read }),
    // Change sets, creates and limits.
    (v) => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: own, items: [{ id: v, level: 'ad', set: { status: 'PAUSED' } }], confirm: true }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: own, items: [{ id: '1', level: v, set: { dailyBudget: v } }] }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: own, selection: { level: 'ad', nameContains: v, statuses: [v] }, set: { status: 'PAUSED' }, confirm: true }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: foreign, selection: { level: 'campaign' }, set: { status: 'PAUSED', name: v }, confirm: true }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: own, items: [{ id: '1', level: 'adset', set: { dailyBudget: { percent: v, floor: v } } }], dryRun: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/change-sets', payload: v, token: h.a.write }),
    (v) => ({ method: 'POST', url: `/v1/change-sets/${encodeURIComponent(String(v).slice(0, 100))}/confirm`, payload: { planHash: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/change-sets/00000000-0000-4000-8000-000000000000/confirm', payload: { planHash: 'a'.repeat(64), x: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: `/v1/change-sets/${encodeURIComponent(String(v).slice(0, 100))}/cancel`, payload: v, token: h.a.write }),
    (v) => ({ method: 'GET', url: `/v1/change-sets/${encodeURIComponent(String(v).slice(0, 100))}?itemsLimit=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/change-sets?adAccountId=${encodeURIComponent(String(v).slice(0, 60))}&status=${encodeURIComponent(String(v).slice(0, 30))}&cursor=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.read }),
    (v) => ({ method: 'POST', url: '/v1/campaigns', payload: { adAccountId: own, name: v, objective: v, specialAdCategories: [v] }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/campaigns', payload: { adAccountId: foreign, name: 'x', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [], dailyBudget: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/ad-sets', payload: { adAccountId: own, campaignId: v, name: 'x', optimizationGoal: v, billingEvent: 'IMPRESSIONS', targeting: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/ads', payload: { adAccountId: own, adsetId: v, name: v, creativeId: v, trackingSpecs: v }, token: h.a.write }),
    (v) => ({ method: 'GET', url: `/v1/ad-accounts/${encodeURIComponent(String(v).slice(0, 60))}/limits`, token: h.a.read }),
    (v) => ({ method: 'PUT', url: `/v1/ad-accounts/${own}/limits`, payload: { maxBudgetIncreasePct: v, maxDailyBudget: 'ten dollars', maxLifetimeBudget: v }, token: h.a.admin }),
    (v) => ({ method: 'PUT', url: `/v1/ad-accounts/${foreign}/limits`, payload: { maxDailyBudget: v === null ? null : '10' }, token: h.a.admin }),
    // Rules: bad specs, bad ids, other tenants' rules and accounts, bad ranges; none may write.
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: v, name: 'r', ...RULE_SPECS }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: own, name: v, ...RULE_SPECS, execution_spec: { execution_type: v } }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: own, name: 'r', ...RULE_SPECS, evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [{ field: v, operator: 'EQUAL', value: v }] } }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: own, name: 'r', ...RULE_SPECS, evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [...RULE_SPECS.evaluation_spec.filters.slice(0, 2), { field: 'spent', operator: v, value: v }] } }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: own, name: 'r', ...RULE_SPECS, execution_spec: { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: v }] } }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: own, name: 'r', ...RULE_SPECS, schedule_spec: { schedule_type: v } }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: foreign, name: 'r', ...RULE_SPECS, webhookUrl: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: own, name: 'r', ...RULE_SPECS }, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/rules?adAccountId=${encodeURIComponent(String(v).slice(0, 100))}&limit=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/rules/${encodeURIComponent(String(v).slice(0, 200))}`, token: h.a.read }),
    () => ({ method: 'GET', url: `/v1/rules/${foreignRule}`, token: h.a.read }),
    (v) => ({ method: 'PATCH', url: `/v1/rules/${ownRule}`, payload: { name: v, evaluation_spec: v }, token: h.a.write }),
    (v) => ({ method: 'PATCH', url: `/v1/rules/${foreignRule}`, payload: { name: String(v).slice(0, 50) || 'x' }, token: h.a.write }),
    (v) => ({ method: 'DELETE', url: `/v1/rules/${encodeURIComponent(String(v).slice(0, 200))}`, token: h.a.write }),
    () => ({ method: 'DELETE', url: `/v1/rules/${foreignRule}`, token: h.a.write }),
    () => ({ method: 'DELETE', url: `/v1/rules/${ownRule}`, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/rules/${ownRule}/enable`, payload: { confirmSpecHash: v }, token: h.a.write }),
    (v) => ({ method: 'POST', url: `/v1/rules/${foreignRule}/enable`, payload: v === null || typeof v !== 'object' || Array.isArray(v) ? undefined : v, token: h.a.write }),
    () => ({ method: 'POST', url: `/v1/rules/${ownRule}/enable`, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/rules/${encodeURIComponent(String(v).slice(0, 200))}/disable`, token: h.a.write }),
    () => ({ method: 'POST', url: `/v1/rules/${foreignRule}/disable`, token: h.a.write }),
    (v) => ({ method: 'POST', url: `/v1/rules/${encodeURIComponent(String(v).slice(0, 200))}/preview`, token: h.a.read }),
    () => ({ method: 'POST', url: `/v1/rules/${foreignRule}/preview`, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/rules/${ownRule}/backtest`, payload: { from: v, to: v }, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/rules/${ownRule}/backtest`, payload: { from: '2026-01-01', to: '2025-01-01', x: v }, token: h.a.read }),
    () => ({ method: 'POST', url: `/v1/rules/${foreignRule}/backtest`, payload: { from: '2026-11-01', to: '2026-11-02' }, token: h.a.read }),
    (v) => ({ method: 'POST', url: `/v1/rules/${encodeURIComponent(String(v).slice(0, 200))}/run`, token: h.a.write }),
    () => ({ method: 'POST', url: `/v1/rules/${foreignRule}/run`, token: h.a.write }),
    () => ({ method: 'POST', url: `/v1/rules/${ownRule}/run`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/rules/${ownRule}/executions?mode=${encodeURIComponent(String(v).slice(0, 50))}&cursor=${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.read }),
    () => ({ method: 'GET', url: `/v1/rules/${foreignRule}/executions`, token: h.a.read }),
    // Reports: bad periods, metrics, sorts, lists and ids; another company's account.
    (v) => ({ method: 'GET', url: `/v1/reports/performance?adAccountId=${own}&preset=${encodeURIComponent(String(v).slice(0, 50))}&from=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/reports/performance?adAccountId=${own}&preset=LAST_7D&metrics=spend,${encodeURIComponent(String(v).slice(0, 200))}&sort=${encodeURIComponent(String(v).slice(0, 50))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/reports/performance?adAccountId=${own}&from=2026-11-10&to=2026-11-01&ids=${encodeURIComponent(String(v).slice(0, 300))}&limit=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/reports/performance?adAccountId=${own}&preset=LAST_7D&compareFrom=${encodeURIComponent(String(v).slice(0, 20))}&nameContains=${encodeURIComponent(String(v).slice(0, 300))}&statuses=${encodeURIComponent(String(v).slice(0, 50))}&level=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    () => ({ method: 'GET', url: `/v1/reports/performance?adAccountId=${foreign}&preset=LAST_7D`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/reports/performance/series?adAccountId=${encodeURIComponent(String(v).slice(0, 100))}&preset=LAST_7D&grain=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/reports/performance/series?adAccountId=${own}&preset=LAST_7D&from=2026-11-01&attributionWindow=${encodeURIComponent(String(v).slice(0, 50))}`, token: h.a.read }),
    () => ({ method: 'GET', url: `/v1/reports/performance/series?adAccountId=${foreign}&preset=LAST_30D&grain=week`, token: h.a.read }),
    // Companies (operator) and token expiry: every input below is wrong for whoever sends it, so none may write.
    (v) => ({ method: 'POST', url: '/v1/companies', payload: { name: v, junk: v }, token: operator }),
    (v) => ({ method: 'POST', url: '/v1/companies', payload: v, token: operator }),
    (v) => ({ method: 'POST', url: '/v1/companies', payload: { name: String(v).slice(0, 50) || 'x' }, token: h.a.admin }),
    (v) => ({ method: 'GET', url: `/v1/companies?status=${encodeURIComponent(String(v).slice(0, 50))}&cursor=${encodeURIComponent(String(v).slice(0, 100))}&limit=${encodeURIComponent(String(v).slice(0, 20))}`, token: operator }),
    (v) => ({ method: 'GET', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.admin }),
    (v) => ({ method: 'PATCH', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}`, payload: { name: v, extra: v }, token: operator }),
    (v) => ({ method: 'PATCH', url: `/v1/companies/${COMPANY_B}`, payload: v, token: operator }),
    (v) => ({ method: 'PATCH', url: `/v1/companies/${COMPANY_B}`, payload: { name: String(v).slice(0, 50) || 'x' }, token: h.a.admin }),
    (v) => ({ method: 'POST', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}x/deactivate`, payload: v, token: operator }),
    (v) => ({ method: 'POST', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}/deactivate`, token: h.a.admin }),
    (v) => ({ method: 'POST', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}x/reactivate`, token: operator }),
    (v) => ({ method: 'POST', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}/reactivate`, payload: v, token: h.a.admin }),
    (v) => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/tokens`, payload: { name: v, scopes: [v] }, token: operator }),
    (v) => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/tokens`, payload: { name: 'x', scopes: ['read'], expiresAt: v }, token: operator }),
    (v) => ({ method: 'POST', url: `/v1/companies/${encodeURIComponent(String(v).slice(0, 100))}/tokens`, payload: { name: 'x', scopes: ['admin'] }, token: h.a.admin }),
    (v) => ({ method: 'POST', url: '/v1/tokens', payload: { name: 'x', scopes: ['read'], expiresAt: v }, token: h.a.admin }),
    // Reads of the synced objects: bad ids, filters, ranges and cursors; other tenants' accounts.
    ...['creatives', 'custom-audiences', 'pixels', 'pages', 'instagram-accounts', 'lead-forms', 'product-catalogs', 'change-history'].flatMap((path) => [
      (v: unknown) => ({ method: 'GET', url: `/v1/${path}?adAccountId=${encodeURIComponent(String(v).slice(0, 100))}&includeDeleted=${encodeURIComponent(String(v).slice(0, 10))}`, token: h.a.read }),
      (v: unknown) => ({ method: 'GET', url: `/v1/${path}?adAccountId=${foreign}&cursor=${encodeURIComponent(String(v).slice(0, 200))}&limit=${encodeURIComponent(String(v).slice(0, 20))}`, token: h.a.read }),
    ]),
    (v) => ({ method: 'GET', url: `/v1/creatives/${encodeURIComponent(String(v).slice(0, 200))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/creatives?status=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/custom-audiences?subtype=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/instagram-accounts?pageId=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/lead-forms?pageId=${encodeURIComponent(String(v).slice(0, 60))}&status=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/leads?formId=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.leads }),
    (v) => ({ method: 'GET', url: `/v1/leads?formId=1&from=${encodeURIComponent(String(v).slice(0, 60))}&to=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.leads }),
    (v) => ({ method: 'GET', url: `/v1/leads?formId=1&cursor=${encodeURIComponent(String(v).slice(0, 200))}`, token: h.a.read }),
    ...['feeds', 'products', 'product-sets'].map((path) => (v: unknown) => ({
      method: 'GET', url: `/v1/product-catalogs/${encodeURIComponent(String(v).slice(0, 60))}/${path}?cursor=${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.read,
    })),
    (v) => ({ method: 'GET', url: `/v1/product-catalogs/1/products?availability=${encodeURIComponent(String(v).slice(0, 60))}&retailerId=${encodeURIComponent(String(v).slice(0, 200))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/change-history?entityType=${encodeURIComponent(String(v).slice(0, 30))}&source=${encodeURIComponent(String(v).slice(0, 30))}&actor=${encodeURIComponent(String(v).slice(0, 120))}&field=${encodeURIComponent(String(v).slice(0, 80))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/change-history?from=${encodeURIComponent(String(v).slice(0, 60))}&to=${encodeURIComponent(String(v).slice(0, 60))}&entityId=${encodeURIComponent(String(v).slice(0, 60))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/change-history/${encodeURIComponent(String(v).slice(0, 60))}?cursor=${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.read }),
    () => ({ method: 'GET', url: '/v1/change-history/2001', token: h.a.read }),
    ...['sync-runs', 'rate-limits', 'meta-rules'].flatMap((path) => [
      (v: unknown) => ({ method: 'GET', url: `/v1/ad-accounts/${encodeURIComponent(String(v).slice(0, 60))}/${path}`, token: h.a.read }),
      () => ({ method: 'GET', url: `/v1/ad-accounts/${foreign}/${path}`, token: h.a.read }),
    ]),
    (v) => ({ method: 'GET', url: `/v1/ad-accounts/${own}/sync-runs?kind=${encodeURIComponent(String(v).slice(0, 30))}&status=${encodeURIComponent(String(v).slice(0, 30))}&cursor=${encodeURIComponent(String(v).slice(0, 100))}`, token: h.a.read }),
    (v) => ({ method: 'GET', url: `/v1/ad-accounts/${own}/meta-rules?cursor=${encodeURIComponent(String(v).slice(0, 100))}&includeDeleted=${encodeURIComponent(String(v).slice(0, 10))}`, token: h.a.read }),
  ];

  let sent = 0;
  const jobs: Array<() => Promise<void>> = [];
  for (let i = 0; i < 1700; i++) {
    const route = pick(routes, i)(pick(BAD_VALUES, Math.floor(i / routes.length) + i), i);
    jobs.push(async () => {
      const response = await h.inject({ method: route.method, url: route.url, headers: { authorization: `Bearer ${route.token}` }, payload: route.payload === undefined ? undefined : route.payload });
      record(response.statusCode);
      sent++;
      if (response.statusCode >= 500) throw new Error(`${route.method} ${route.url.slice(0, 120)} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      if (typeof response.json().error?.code !== "string") throw new Error(`${route.method} ${route.url.slice(0, 100)} ${JSON.stringify(route.payload)?.slice(0, 100)}: ${response.body.slice(0, 200)}`);
    });
  }
  for (let i = 0; i < jobs.length; i += 20) await Promise.all(jobs.slice(i, i + 20).map((job) => job()));

  // MCP tools with the same kinds of junk.
  const client = new Client({ name: 'fuzz', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(h.a.admin) } }));
  const tools = (await client.listTools()).tools.map((tool) => tool.name);
  let toolCalls = 0;
  for (let i = 0; i < 720; i++) {
    const name = pick(tools, i);
    const v = pick(BAD_VALUES, i * 7 + 3);
    const args = pick<Record<string, unknown>>(
      [
        { adAccountId: v }, { adAccountId: foreign }, { workflowId: v }, { workflowId: `meta-full-sync:${foreign}` }, { id: v }, { id: '2001' }, { scheduleId: v, note: v }, { unknownField: v },
        { grain: v, from: v, to: v }, { cursor: v, limit: v }, { changeSetId: v, planHash: v }, { adAccountId: own, ids: [v], level: 'ad', confirm: true },
        { adAccountId: foreign, level: 'ad', ids: ['2001'], confirm: true }, { adAccountId: own, id: v, set: { status: v } }, { adAccountId: own, items: v, confirm: true },
        { adAccountId: own, name: v, objective: v, specialAdCategories: v }, { adAccountId: own, level: 'adset', selection: v, dailyBudget: v },
        { grain: v, from: v, to: v }, { cursor: v, limit: v }, { ruleId: v }, { ruleId: foreignRule }, { ruleId: foreignRule, from: '2026-11-01', to: '2026-11-02' },
        { ruleId: ownRule, from: v, to: v }, { ruleId: ownRule, confirmSpecHash: v }, { adAccountId: foreign, name: 'r', ...RULE_SPECS }, { adAccountId: own, name: v, ...RULE_SPECS, schedule_spec: { schedule_type: v } },
      ],
      i,
    );
    const result = await client.callTool({ name, arguments: args });
    toolCalls++;
    expect(result.isError).toBe(true);
    const error = JSON.parse((result.content as Array<{ text: string }>)[0].text).error;
    expect(['VALIDATION_ERROR', 'NOT_FOUND', 'FORBIDDEN']).toContain(error.code);
  }
  await client.close();

  expect(sent + toolCalls).toBeGreaterThanOrEqual(1000);
  expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
  expect(await snapshot()).toEqual(before);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // visibility is eventually consistent
  expect(await workflowCount()).toBe(workflowsBefore);
});
