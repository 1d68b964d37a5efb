import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { scheduleIds } from '../../domain/workflow-ids';
import { authenticate } from '../../src/operations/api-tokens';
import { previewChangeSet } from '../../src/operations/change-set-preview';
import { backtestRule } from '../../src/operations/rule-runs';
import { createRule } from '../../src/operations/rules';
import { bearer, COMPANY_B, createHarness, SIM_TOKEN, type Harness, type Tokens } from './support/harness';

/**
 * One table, one row per way a caller can name an object: every HTTP route and MCP tool (and
 * resource template) that takes an ad account, object, workflow, schedule, token, company or
 * change set id gets a row naming company B's object, called with company A's token holding the
 * right scope. Each row must answer 404 NOT_FOUND (or, for a list filter that only narrows the
 * caller's own data, an empty page), and change nothing: the database, the simulator's write log,
 * B's schedules and the set of workflows are compared before and after.
 *
 * The table is checked against what the app registers (the OpenAPI document and tools/list): a
 * new route or tool whose input has an id field fails here until it has a row, and one without
 * id fields must be named in ID_LESS.
 */
let h: Harness;
let accountA: string;
let accountB: string;
/** Company B's objects, from a real full sync of B's account. */
const b = {
  campaignId: '', adsetId: '', adId: '', creativeId: '', workflowId: '', scheduleId: '', tokenId: '', changeSetId: '', planHash: '', ruleId: '', backtestId: '',
  pageId: '', leadFormId: '', catalogId: '', retailerId: '',
};
/** Company A's own objects, for rows that name B's object inside A's own request. */
const a = { adsetId: '', creativeId: '', catalogId: '' };

/** A valid ad set create (the account's own campaign or not). */
const adSetCreate = (adAccountId: string, campaignId: string) => ({
  adAccountId, campaignId, name: 'T', optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: { geo_locations: { countries: ['US'] } }, dailyBudget: '20.00',
});
/** A rule of company A's: a list filter naming B's backtest narrows its history to nothing. */
let ruleA = '';
const clients = new Map<keyof Tokens, Client>();

type Scope = keyof Tokens;
/**
 * not-found: 404 NOT_FOUND, nothing changes. empty: a list filter narrows the caller's own data to
 * nothing. blocked: a preview on the caller's own account naming another company's object as an
 * item or parent: the caller's own plan is stored, blocked by a violation naming that id as
 * unknown in the account, with no workflow and nothing of the other company touched.
 */
/** `connected-elsewhere`: the caller proved access with its own valid Meta token, so it is told the account is held (409), and nothing moves. */
type Expect = 'not-found' | 'empty' | 'blocked' | 'connected-elsewhere';
interface HttpRow {
  /** `METHOD /openapi/path` as the OpenAPI document names it. */
  route: string;
  /** The input field that names B's object (a path parameter, a query or body property). */
  field: string;
  token: Scope;
  request: () => { method: string; url: string; payload?: unknown };
  expect?: Expect;
  /** The id sits inside the input (an item), beyond what the coverage check reads. */
  nested?: boolean;
}
interface McpRow {
  tool: string;
  field: string;
  token: Scope;
  args: () => Record<string, unknown>;
  expect?: Expect;
  nested?: boolean;
}
interface ResourceRow {
  template: string;
  uri: () => string;
}

const HTTP_ROWS: HttpRow[] = [
  { route: 'GET /v1/ad-accounts', field: 'companyId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-accounts?companyId=${COMPANY_B}` }) },
  { route: 'POST /v1/ad-accounts', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ad-accounts', payload: { adAccountId: accountB, accessToken: SIM_TOKEN } }), expect: 'connected-elsewhere' },
  { route: 'POST /v1/ad-accounts', field: 'companyId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ad-accounts', payload: { companyId: COMPANY_B, adAccountId: accountA, accessToken: SIM_TOKEN } }) },
  { route: 'GET /v1/ad-accounts/{adAccountId}', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-accounts/${accountB}` }) },
  { route: 'DELETE /v1/ad-accounts/{adAccountId}', field: 'adAccountId', token: 'write', request: () => ({ method: 'DELETE', url: `/v1/ad-accounts/${accountB}` }) },
  { route: 'POST /v1/ad-accounts/{adAccountId}/syncs', field: 'adAccountId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/ad-accounts/${accountB}/syncs`, payload: { kind: 'full' } }) },
  { route: 'POST /v1/companies/{companyId}/syncs', field: 'companyId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/syncs`, payload: {} }) },
  { route: 'GET /v1/workflows', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/workflows?adAccountId=${accountB}` }) },
  { route: 'GET /v1/workflows/{workflowId}', field: 'workflowId', token: 'read', request: () => ({ method: 'GET', url: `/v1/workflows/${encodeURIComponent(b.workflowId)}` }) },
  { route: 'POST /v1/workflows/{workflowId}/cancel', field: 'workflowId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/workflows/${encodeURIComponent(b.workflowId)}/cancel` }) },
  { route: 'POST /v1/rollups', field: 'adAccountId', token: 'sync', request: () => ({ method: 'POST', url: '/v1/rollups', payload: { grain: 'daily', from: '2026-01-01', to: '2026-01-02', adAccountId: accountB } }) },
  { route: 'GET /v1/campaigns', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/campaigns?adAccountId=${accountB}` }) },
  { route: 'GET /v1/campaigns/{id}', field: 'id', token: 'read', request: () => ({ method: 'GET', url: `/v1/campaigns/${b.campaignId}` }) },
  { route: 'GET /v1/ad-sets', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-sets?adAccountId=${accountB}` }) },
  // Lists are scoped to the caller's company: another company's campaign id narrows them to nothing.
  { route: 'GET /v1/ad-sets', field: 'campaignId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-sets?campaignId=${b.campaignId}` }), expect: 'empty' },
  { route: 'GET /v1/ad-sets/{id}', field: 'id', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-sets/${b.adsetId}` }) },
  { route: 'GET /v1/ads', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ads?adAccountId=${accountB}` }) },
  { route: 'GET /v1/ads', field: 'campaignId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ads?campaignId=${b.campaignId}` }), expect: 'empty' },
  { route: 'GET /v1/ads', field: 'adsetId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ads?adsetId=${b.adsetId}` }), expect: 'empty' },
  { route: 'GET /v1/ads/{id}', field: 'id', token: 'read', request: () => ({ method: 'GET', url: `/v1/ads/${b.adId}` }) },
  { route: 'GET /v1/metrics', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/metrics?adAccountId=${accountB}&from=2026-01-01&to=2026-01-31` }) },
  {
    route: 'GET /v1/metrics',
    field: 'entityId',
    token: 'read',
    request: () => ({ method: 'GET', url: `/v1/metrics?adAccountId=${accountA}&level=campaign&entityId=${b.campaignId}&from=2026-01-01&to=2026-01-31` }),
    expect: 'empty',
  },
  // Reports: another company's account is not found; its object ids narrow one's own report to nothing.
  ...(['/v1/reports/performance', '/v1/reports/performance/series'] as const).flatMap((path): HttpRow[] => [
    { route: `GET ${path}`, field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `${path}?adAccountId=${accountB}&preset=LAST_7D` }) },
    { route: `GET ${path}`, field: 'ids', token: 'read', request: () => ({ method: 'GET', url: `${path}?adAccountId=${accountA}&level=campaign&preset=LAST_30D&ids=${b.campaignId}` }), expect: 'empty' },
  ]),
  { route: 'DELETE /v1/tokens/{tokenId}', field: 'tokenId', token: 'admin', request: () => ({ method: 'DELETE', url: `/v1/tokens/${b.tokenId}` }) },
  // Companies are an operator's (a token with the operator scope legitimately names any company,
  // so it has no row here): to a company token, its admin included, a named company does not exist.
  { route: 'GET /v1/companies/{companyId}', field: 'companyId', token: 'admin', request: () => ({ method: 'GET', url: `/v1/companies/${COMPANY_B}` }) },
  { route: 'PATCH /v1/companies/{companyId}', field: 'companyId', token: 'admin', request: () => ({ method: 'PATCH', url: `/v1/companies/${COMPANY_B}`, payload: { name: 'taken over' } }) },
  { route: 'POST /v1/companies/{companyId}/deactivate', field: 'companyId', token: 'admin', request: () => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/deactivate` }) },
  { route: 'POST /v1/companies/{companyId}/reactivate', field: 'companyId', token: 'admin', request: () => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/reactivate` }) },
  { route: 'POST /v1/companies/{companyId}/tokens', field: 'companyId', token: 'admin', request: () => ({ method: 'POST', url: `/v1/companies/${COMPANY_B}/tokens`, payload: { name: 'x', scopes: ['admin'] } }) },
  { route: 'POST /v1/schedules/{scheduleId}/pause', field: 'scheduleId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/pause`, payload: { note: 'x' } }) },
  { route: 'POST /v1/schedules/{scheduleId}/unpause', field: 'scheduleId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/unpause` }) },
  { route: 'POST /v1/schedules/{scheduleId}/trigger', field: 'scheduleId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/trigger` }) },
  {
    route: 'POST /v1/schedules/{scheduleId}/backfill',
    field: 'scheduleId',
    token: 'sync',
    request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/backfill`, payload: { from: '2026-01-01', to: '2026-01-02' } }),
  },
  // Change sets, creates and limits.
  { route: 'POST /v1/change-sets', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: accountB, items: [{ id: b.adId, level: 'ad', set: { status: 'PAUSED' } }], confirm: true } }) },
  {
    route: 'POST /v1/change-sets',
    field: 'selection',
    token: 'write',
    request: () => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: accountB, selection: { level: 'campaign', campaignIds: [b.campaignId] }, set: { status: 'PAUSED' } } }),
    nested: true,
  },
  {
    route: 'POST /v1/change-sets',
    field: 'items[].id',
    token: 'write',
    request: () => ({ method: 'POST', url: '/v1/change-sets', payload: { adAccountId: accountA, items: [{ id: b.adId, level: 'ad', set: { status: 'PAUSED' } }], confirm: true } }),
    expect: 'blocked',
    nested: true,
  },
  { route: 'GET /v1/change-sets', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/change-sets?adAccountId=${accountB}` }) },
  { route: 'GET /v1/change-sets/{changeSetId}', field: 'changeSetId', token: 'read', request: () => ({ method: 'GET', url: `/v1/change-sets/${b.changeSetId}` }) },
  { route: 'POST /v1/change-sets/{changeSetId}/confirm', field: 'changeSetId', token: 'write', request: () => ({ method: 'POST', url: `/v1/change-sets/${b.changeSetId}/confirm`, payload: { planHash: b.planHash } }) },
  { route: 'POST /v1/change-sets/{changeSetId}/cancel', field: 'changeSetId', token: 'write', request: () => ({ method: 'POST', url: `/v1/change-sets/${b.changeSetId}/cancel` }) },
  { route: 'POST /v1/campaigns', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/campaigns', payload: { adAccountId: accountB, name: 'T', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [] } }) },
  { route: 'POST /v1/ad-sets', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ad-sets', payload: adSetCreate(accountB, b.campaignId) }) },
  { route: 'POST /v1/ad-sets', field: 'campaignId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ad-sets', payload: adSetCreate(accountA, b.campaignId) }), expect: 'blocked' },
  { route: 'POST /v1/ads', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ads', payload: { adAccountId: accountB, adsetId: b.adsetId, name: 'T', creativeId: b.creativeId } }) },
  { route: 'POST /v1/ads', field: 'adsetId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ads', payload: { adAccountId: accountA, adsetId: b.adsetId, name: 'T', creativeId: a.creativeId } }), expect: 'blocked' },
  { route: 'POST /v1/ads', field: 'creativeId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ads', payload: { adAccountId: accountA, adsetId: a.adsetId, name: 'T', creativeId: b.creativeId } }), expect: 'blocked' },
  { route: 'GET /v1/ad-accounts/{adAccountId}/limits', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-accounts/${accountB}/limits` }) },
  { route: 'PUT /v1/ad-accounts/{adAccountId}/limits', field: 'adAccountId', token: 'admin', request: () => ({ method: 'PUT', url: `/v1/ad-accounts/${accountB}/limits`, payload: { maxDailyBudget: '1000000' } }) },
  { route: 'POST /v1/rules', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/rules', payload: { adAccountId: accountB, name: 'x', ...RULE_SPECS } }) },
  { route: 'GET /v1/rules', field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/rules?adAccountId=${accountB}` }) },
  { route: 'GET /v1/rules/{id}', field: 'id', token: 'read', request: () => ({ method: 'GET', url: `/v1/rules/${b.ruleId}` }) },
  { route: 'PATCH /v1/rules/{id}', field: 'id', token: 'write', request: () => ({ method: 'PATCH', url: `/v1/rules/${b.ruleId}`, payload: { name: 'taken over' } }) },
  { route: 'DELETE /v1/rules/{id}', field: 'id', token: 'write', request: () => ({ method: 'DELETE', url: `/v1/rules/${b.ruleId}` }) },
  { route: 'POST /v1/rules/{id}/enable', field: 'id', token: 'write', request: () => ({ method: 'POST', url: `/v1/rules/${b.ruleId}/enable` }) },
  { route: 'POST /v1/rules/{id}/disable', field: 'id', token: 'write', request: () => ({ method: 'POST', url: `/v1/rules/${b.ruleId}/disable` }) },
  { route: 'POST /v1/rules/{id}/preview', field: 'id', token: 'read', request: () => ({ method: 'POST', url: `/v1/rules/${b.ruleId}/preview` }) },
  { route: 'POST /v1/rules/{id}/backtest', field: 'id', token: 'read', request: () => ({ method: 'POST', url: `/v1/rules/${b.ruleId}/backtest`, payload: { from: '2026-11-01', to: '2026-11-03' } }) },
  { route: 'POST /v1/rules/{id}/run', field: 'id', token: 'write', request: () => ({ method: 'POST', url: `/v1/rules/${b.ruleId}/run` }) },
  { route: 'GET /v1/rules/{id}/executions', field: 'id', token: 'read', request: () => ({ method: 'GET', url: `/v1/rules/${b.ruleId}/executions` }) },
  // A's own rule filtered by B's backtest id: nothing of B's shows.
  { route: 'GET /v1/rules/{id}/executions', field: 'backtestId', token: 'read', request: () => ({ method: 'GET', url: `/v1/rules/${ruleA}/executions?backtestId=${b.backtestId}` }), expect: 'empty' },
  // Reads of the synced objects: B's account, object or parent answers 404; a filter naming B's object narrows A's own list to nothing.
  ...['creatives', 'custom-audiences', 'pixels', 'pages', 'instagram-accounts', 'lead-forms', 'product-catalogs', 'change-history'].map(
    (path): HttpRow => ({ route: `GET /v1/${path}`, field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/${path}?adAccountId=${accountB}` }) }),
  ),
  { route: 'GET /v1/creatives/{id}', field: 'id', token: 'read', request: () => ({ method: 'GET', url: `/v1/creatives/${b.creativeId}` }) },
  { route: 'GET /v1/instagram-accounts', field: 'pageId', token: 'read', request: () => ({ method: 'GET', url: `/v1/instagram-accounts?pageId=${b.pageId}` }), expect: 'empty' },
  { route: 'GET /v1/lead-forms', field: 'pageId', token: 'read', request: () => ({ method: 'GET', url: `/v1/lead-forms?pageId=${b.pageId}` }), expect: 'empty' },
  { route: 'GET /v1/leads', field: 'formId', token: 'leads', request: () => ({ method: 'GET', url: `/v1/leads?formId=${b.leadFormId}` }) },
  ...['feeds', 'products', 'product-sets'].map(
    (path): HttpRow => ({ route: `GET /v1/product-catalogs/{catalogId}/${path}`, field: 'catalogId', token: 'read', request: () => ({ method: 'GET', url: `/v1/product-catalogs/${b.catalogId}/${path}` }) }),
  ),
  // B's product's retailer id (SKU) on A's own catalog: A's products only, so nothing.
  { route: 'GET /v1/product-catalogs/{catalogId}/products', field: 'retailerId', token: 'read', request: () => ({ method: 'GET', url: `/v1/product-catalogs/${a.catalogId}/products?retailerId=${encodeURIComponent(b.retailerId)}` }), expect: 'empty' },
  { route: 'GET /v1/change-history', field: 'entityId', token: 'read', request: () => ({ method: 'GET', url: `/v1/change-history?entityId=${b.adId}` }), expect: 'empty' },
  { route: 'GET /v1/change-history/{entityId}', field: 'entityId', token: 'read', request: () => ({ method: 'GET', url: `/v1/change-history/${b.adId}` }) },
  ...['sync-runs', 'rate-limits', 'meta-rules'].map(
    (path): HttpRow => ({ route: `GET /v1/ad-accounts/{adAccountId}/${path}`, field: 'adAccountId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-accounts/${accountB}/${path}` }) }),
  ),
];

const RULE_SPECS = {
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' }, { field: 'spent', operator: 'GREATER_THAN', value: 100 }] },
  execution_spec: { execution_type: 'PAUSE' },
  schedule_spec: { schedule_type: 'DAILY' },
};

const MCP_ROWS: McpRow[] = [
  { tool: 'get_ad_account', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'list_campaigns', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'get_campaign', field: 'id', token: 'read', args: () => ({ id: b.campaignId }) },
  { tool: 'list_ad_sets', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'list_ad_sets', field: 'campaignId', token: 'read', args: () => ({ campaignId: b.campaignId }), expect: 'empty' },
  { tool: 'list_ads', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'list_ads', field: 'campaignId', token: 'read', args: () => ({ campaignId: b.campaignId }), expect: 'empty' },
  { tool: 'list_ads', field: 'adsetId', token: 'read', args: () => ({ adsetId: b.adsetId }), expect: 'empty' },
  { tool: 'get_metrics', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB, from: '2026-01-01', to: '2026-01-31' }) },
  { tool: 'get_metrics', field: 'entityId', token: 'read', args: () => ({ adAccountId: accountA, level: 'campaign', entityId: b.campaignId, from: '2026-01-01', to: '2026-01-31' }), expect: 'empty' },
  { tool: 'start_full_sync', field: 'adAccountId', token: 'sync', args: () => ({ adAccountId: accountB }) },
  { tool: 'start_incremental_sync', field: 'adAccountId', token: 'sync', args: () => ({ adAccountId: accountB }) },
  { tool: 'start_metrics_sync', field: 'adAccountId', token: 'sync', args: () => ({ adAccountId: accountB, grain: 'daily' }) },
  { tool: 'run_rollup', field: 'adAccountId', token: 'sync', args: () => ({ grain: 'daily', from: '2026-01-01', to: '2026-01-02', adAccountId: accountB }) },
  { tool: 'get_workflow_status', field: 'workflowId', token: 'read', args: () => ({ workflowId: b.workflowId }) },
  { tool: 'list_workflows', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'cancel_workflow', field: 'workflowId', token: 'sync', args: () => ({ workflowId: b.workflowId }) },
  { tool: 'pause_schedule', field: 'scheduleId', token: 'sync', args: () => ({ scheduleId: b.scheduleId, note: 'x' }) },
  { tool: 'resume_schedule', field: 'scheduleId', token: 'sync', args: () => ({ scheduleId: b.scheduleId }) },
  { tool: 'preview_changes', field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, items: [{ id: b.adId, level: 'ad', set: { status: 'PAUSED' } }], confirm: true }) },
  { tool: 'preview_changes', field: 'items[].id', token: 'write', args: () => ({ adAccountId: accountA, items: [{ id: b.adId, level: 'ad', set: { status: 'PAUSED' } }], confirm: true }), expect: 'blocked', nested: true },
  { tool: 'confirm_changes', field: 'changeSetId', token: 'write', args: () => ({ changeSetId: b.changeSetId, planHash: b.planHash }) },
  { tool: 'cancel_changes', field: 'changeSetId', token: 'write', args: () => ({ changeSetId: b.changeSetId }) },
  { tool: 'get_change_set', field: 'changeSetId', token: 'read', args: () => ({ changeSetId: b.changeSetId }) },
  { tool: 'list_change_sets', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'create_campaign', field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, name: 'T', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [] }) },
  { tool: 'create_ad_set', field: 'adAccountId', token: 'write', args: () => adSetCreate(accountB, b.campaignId) },
  { tool: 'create_ad_set', field: 'campaignId', token: 'write', args: () => adSetCreate(accountA, b.campaignId), expect: 'blocked' },
  { tool: 'create_ad', field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, adsetId: b.adsetId, name: 'T', creativeId: b.creativeId }) },
  { tool: 'create_ad', field: 'adsetId', token: 'write', args: () => ({ adAccountId: accountA, adsetId: b.adsetId, name: 'T', creativeId: a.creativeId }), expect: 'blocked' },
  { tool: 'create_ad', field: 'creativeId', token: 'write', args: () => ({ adAccountId: accountA, adsetId: a.adsetId, name: 'T', creativeId: b.creativeId }), expect: 'blocked' },
  ...(['update_campaign', 'update_ad_set', 'update_ad'] as const).flatMap((tool): McpRow[] => {
    const id = () => (tool === 'update_campaign' ? b.campaignId : tool === 'update_ad_set' ? b.adsetId : b.adId);
    return [
      { tool, field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, id: id(), set: { status: 'PAUSED' }, confirm: true }) },
      { tool, field: 'id', token: 'write', args: () => ({ adAccountId: accountA, id: id(), set: { status: 'PAUSED' }, confirm: true }), expect: 'blocked' },
    ];
  }),
  ...(['pause_objects', 'resume_objects', 'archive_objects'] as const).flatMap((tool): McpRow[] => [
    { tool, field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, level: 'ad', ids: [b.adId] }) },
    { tool, field: 'ids', token: 'write', args: () => ({ adAccountId: accountA, level: 'ad', ids: [b.adId] }), expect: 'blocked' },
    { tool, field: 'selection', token: 'write', args: () => ({ adAccountId: accountB, level: 'ad', selection: { campaignIds: [b.campaignId] } }), nested: true },
  ]),
  { tool: 'bulk_update_budgets', field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, level: 'adset', ids: [b.adsetId], dailyBudget: { percent: -10 }, confirm: true }) },
  { tool: 'bulk_update_budgets', field: 'ids', token: 'write', args: () => ({ adAccountId: accountA, level: 'adset', ids: [b.adsetId], dailyBudget: { percent: -10 }, confirm: true }), expect: 'blocked' },
  ...(['get_performance_report', 'get_performance_series'] as const).flatMap((tool): McpRow[] => [
    { tool, field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB, preset: 'LAST_7D' }) },
    { tool, field: 'ids', token: 'read', args: () => ({ adAccountId: accountA, level: 'campaign', preset: 'LAST_30D', ids: [b.campaignId] }), expect: 'empty' },
  ]),
  { tool: 'create_rule', field: 'adAccountId', token: 'write', args: () => ({ adAccountId: accountB, name: 'x', ...RULE_SPECS }) },
  { tool: 'list_rules', field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) },
  { tool: 'get_rule', field: 'ruleId', token: 'read', args: () => ({ ruleId: b.ruleId }) },
  { tool: 'update_rule', field: 'ruleId', token: 'write', args: () => ({ ruleId: b.ruleId, name: 'taken over' }) },
  { tool: 'enable_rule', field: 'ruleId', token: 'write', args: () => ({ ruleId: b.ruleId }) },
  { tool: 'disable_rule', field: 'ruleId', token: 'write', args: () => ({ ruleId: b.ruleId }) },
  { tool: 'preview_rule', field: 'ruleId', token: 'read', args: () => ({ ruleId: b.ruleId }) },
  { tool: 'backtest_rule', field: 'ruleId', token: 'read', args: () => ({ ruleId: b.ruleId, from: '2026-11-01', to: '2026-11-03' }) },
  { tool: 'run_rule', field: 'ruleId', token: 'write', args: () => ({ ruleId: b.ruleId }) },
  { tool: 'list_rule_executions', field: 'ruleId', token: 'read', args: () => ({ ruleId: b.ruleId }) },
  { tool: 'list_rule_executions', field: 'backtestId', token: 'read', args: () => ({ ruleId: ruleA, backtestId: b.backtestId }), expect: 'empty' },
  ...[
    'list_creatives', 'list_custom_audiences', 'list_pixels', 'list_pages', 'list_instagram_accounts', 'list_lead_forms', 'list_product_catalogs', 'list_change_history',
    'list_sync_runs', 'get_rate_limit_state', 'list_meta_rules',
  ].map((tool): McpRow => ({ tool, field: 'adAccountId', token: 'read', args: () => ({ adAccountId: accountB }) })),
  { tool: 'get_creative', field: 'id', token: 'read', args: () => ({ id: b.creativeId }) },
  { tool: 'list_instagram_accounts', field: 'pageId', token: 'read', args: () => ({ pageId: b.pageId }), expect: 'empty' },
  { tool: 'list_lead_forms', field: 'pageId', token: 'read', args: () => ({ pageId: b.pageId }), expect: 'empty' },
  { tool: 'list_leads', field: 'formId', token: 'leads', args: () => ({ formId: b.leadFormId }) },
  ...['list_product_feeds', 'list_products', 'list_product_sets'].map((tool): McpRow => ({ tool, field: 'catalogId', token: 'read', args: () => ({ catalogId: b.catalogId }) })),
  { tool: 'list_products', field: 'retailerId', token: 'read', args: () => ({ catalogId: a.catalogId, retailerId: b.retailerId }), expect: 'empty' },
  { tool: 'list_change_history', field: 'entityId', token: 'read', args: () => ({ entityId: b.adId }), expect: 'empty' },
];

const RESOURCE_ROWS: ResourceRow[] = [
  { template: 'meta://ad-accounts/{id}', uri: () => `meta://ad-accounts/${accountB}` },
  { template: 'meta://campaigns/{id}', uri: () => `meta://campaigns/${b.campaignId}` },
  { template: 'meta://workflows/{workflowId}', uri: () => `meta://workflows/${encodeURIComponent(b.workflowId)}` },
  { template: 'meta://ad-accounts/{id}/campaigns', uri: () => `meta://ad-accounts/${accountB}/campaigns` },
  { template: 'meta://ad-accounts/{id}/sync-runs', uri: () => `meta://ad-accounts/${accountB}/sync-runs` },
  { template: 'meta://ad-sets/{id}', uri: () => `meta://ad-sets/${b.adsetId}` },
  { template: 'meta://ads/{id}', uri: () => `meta://ads/${b.adId}` },
  { template: 'meta://creatives/{id}', uri: () => `meta://creatives/${b.creativeId}` },
];

/** Registered routes and tools whose input names no id at all: nothing of another company to reach. */
const ID_LESS = {
  routes: ['POST /v1/tokens', 'GET /v1/tokens', 'GET /v1/schedules', 'GET /v1/rollups', 'POST /v1/companies', 'GET /v1/companies'],
  tools: ['list_ad_accounts', 'start_company_sync', 'list_schedules'],
};

/** Input fields that carry an id: `id`, `ids`, `...Id`, `...Ids`. */
const ID_FIELD = /^(ids?|[a-z][A-Za-z]*Ids?)$/;

beforeAll(async () => {
  // Schedules on (B's account gets its own) but far apart, so none fires during the file.
  h = await createHarness({ env: { SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1d', SYNC_HOURLY_METRICS_EVERY: '1d', API_RATE_LIMIT_PER_MINUTE: '100000' } });
  [accountA, accountB] = h.simulatorAccounts;
  for (const [token, id] of [[h.a.write, accountA], [h.b.write, accountB]] as const) {
    expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(token), payload: { adAccountId: id, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  }
  // Both companies' objects come from real full syncs (B's is a real workflow of B's to aim at).
  const fullSync = async (adAccountId: string, tokens: Tokens): Promise<string> => {
    const started = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${adAccountId}/syncs`, headers: bearer(tokens.sync), payload: { kind: 'full' } });
    expect(started.statusCode).toBe(202);
    const workflowId: string = started.json().workflowId;
    for (let i = 0; i < 480; i++) {
      const status = (await h.inject({ url: `/v1/workflows/${encodeURIComponent(workflowId)}`, headers: bearer(tokens.read) })).json().status;
      if (status !== 'RUNNING') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return workflowId;
  };
  [b.workflowId] = await Promise.all([fullSync(accountB, h.b), fullSync(accountA, h.a)]);
  const db = h.database.db;
  const ownAd = await db.ad.findFirstOrThrow({ where: { adAccountId: accountA, creativeId: { not: null }, deletedAt: null }, orderBy: { id: 'asc' } });
  Object.assign(a, { adsetId: ownAd.adsetId, creativeId: ownAd.creativeId });
  const adset = await db.adSet.findFirstOrThrow({ where: { adAccountId: accountB, deletedAt: null }, orderBy: { id: 'asc' } });
  const ad = await db.ad.findFirstOrThrow({ where: { adAccountId: accountB, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
  Object.assign(b, { campaignId: adset.campaignId, adsetId: adset.id, adId: ad.id, creativeId: ad.creativeId ?? '' });
  // Pages, lead forms and catalogs of each side, as their syncs stored them.
  const catalogOf = async (adAccountId: string) => {
    const businessId = (await db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })).businessId!;
    return db.productCatalog.findFirstOrThrow({ where: { businessId }, orderBy: { id: 'asc' } });
  };
  const bPage = await db.adAccountPage.findFirstOrThrow({ where: { adAccountId: accountB }, orderBy: { pageId: 'asc' } });
  const bForm = await db.leadForm.findFirstOrThrow({ where: { pageId: bPage.pageId }, orderBy: { id: 'asc' } });
  const bCatalog = await catalogOf(accountB);
  const aCatalog = await catalogOf(accountA);
  // The simulator numbers every catalog's SKUs alike; a real advertiser's SKU is its own.
  const bProduct = await db.product.findFirstOrThrow({ where: { catalogId: bCatalog.id }, orderBy: { id: 'asc' } });
  await db.product.update({ where: { id: bProduct.id }, data: { retailerId: `B-ONLY-${bProduct.id}` } });
  Object.assign(b, { pageId: bPage.pageId, leadFormId: bForm.id, catalogId: bCatalog.id, retailerId: `B-ONLY-${bProduct.id}` });
  a.catalogId = aCatalog.id;
  b.scheduleId = scheduleIds.incrementalSync(accountB);
  b.tokenId = (await authenticate(h.ctx, `Bearer ${h.b.read}`)).tokenId;
  // A change set of B's (a previewed pause; its workflow waits for a confirm or the expiry).
  const bWriter = await authenticate(h.ctx, `Bearer ${h.b.write}`);
  const preview = await previewChangeSet(h.ctx, bWriter, { adAccountId: accountB, items: [{ id: ad.id, level: 'ad', set: { status: 'PAUSED' } }] });
  Object.assign(b, { changeSetId: preview.changeSetId, planHash: preview.planHash });
  // A's first preview caches Meta's minimum budgets of A's account; done here, so rows compare after it.
  const aWriter = await authenticate(h.ctx, `Bearer ${h.a.write}`);
  await previewChangeSet(h.ctx, aWriter, { adAccountId: accountA, items: [{ id: '1', level: 'ad', set: { status: 'PAUSED' } }] });
  // A rule of B's with a backtest of its own (inline: a few daily ticks), and a rule of A's.
  const bRule = await createRule(h.ctx, bWriter, { adAccountId: accountB, name: "B's rule", ...RULE_SPECS });
  const bBacktest = await backtestRule(h.ctx, bWriter, { ruleId: bRule.ruleId, from: '2026-11-01', to: '2026-11-03' });
  Object.assign(b, { ruleId: bRule.ruleId, backtestId: bBacktest.backtestId });
  ruleA = (await createRule(h.ctx, await authenticate(h.ctx, `Bearer ${h.a.write}`), { adAccountId: accountA, name: "A's rule", ...RULE_SPECS })).ruleId;

  for (const scope of ['read', 'leads', 'sync', 'write', 'admin'] as const) {
    const client = new Client({ name: `tenancy-${scope}`, version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(h.a[scope]) } }));
    clients.set(scope, client);
  }
});
afterAll(async () => {
  for (const client of clients.values()) await client.close().catch(() => undefined);
  await h?.close();
});

/** Every table's rows, hashed (an API token's last-use time moves with every request and is left out). */
async function databaseSnapshot(): Promise<Record<string, string>> {
  const tables = await h.database.db.$queryRawUnsafe<Array<{ tablename: string }>>(
    "SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename",
  );
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    const [row] = await h.database.db.$queryRawUnsafe<Array<{ digest: string; n: bigint }>>(
      `SELECT md5(coalesce(string_agg(j, '|' ORDER BY j), '')) AS digest, count(*)::int AS n FROM (SELECT (to_jsonb(t) - 'last_used_at' - 'lastUsedAt')::text AS j FROM "${tablename}" t) s`,
    );
    out[tablename] = `${row!.n}:${row!.digest}`;
  }
  return out;
}

async function simulatorWrites(): Promise<number> {
  return ((await (await fetch(`${h.simulator.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
}

/** Workflows on the file's task queue (ids, runs and states), and the state of B's schedules. */
async function temporalSnapshot(): Promise<{ workflows: string[]; schedules: unknown[] }> {
  const workflows: string[] = [];
  for await (const execution of h.temporal.client.workflow.list({ query: `TaskQueue = '${h.temporal.taskQueue}'` })) {
    workflows.push(`${execution.workflowId}/${execution.runId}/${execution.status.name}`);
  }
  const schedules = await Promise.all(
    [scheduleIds.incrementalSync(accountB), scheduleIds.hourlyMetrics(accountB), scheduleIds.dailyMetrics(accountB)].map(async (id) => {
      const d = await h.temporal.client.schedule.getHandle(id).describe();
      return { id, paused: d.state.paused, note: d.state.note, actions: d.info.recentActions.length, running: d.info.runningActions.length };
    }),
  );
  return { workflows: workflows.sort(), schedules };
}

/** Company B's ids anywhere in the table: none of them may appear as an object of a plan. */
const bIds = () => new Set([b.campaignId, b.adsetId, b.adId, b.creativeId]);

/**
 * A preview on A's own account that named B's object: A's plan is stored blocked (the id is
 * unknown in A's account), no workflow runs, Meta saw no write, and only A's change-set rows (and
 * their audit event) are new.
 */
async function expectBlockedOwnPlan(preview: Record<string, any>, dbBefore: Record<string, string>, writesBefore: number): Promise<void> {
  expect(preview).toMatchObject({ adAccountId: accountA, status: 'blocked', workflowId: null, confirmation: { state: 'blocked' } });
  expect(preview.violations.map((v: { code: string }) => v.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^UNKNOWN_(OBJECT|PARENT)$/)]));
  expect(preview.violations.some((v: { message: string; objectId?: string }) => (v.objectId !== undefined && bIds().has(v.objectId)) || [...bIds()].some((id) => v.message.includes(id)))).toBe(true);
  const stored = await h.database.db.bulkRequest.findUniqueOrThrow({ where: { id: preview.changeSetId } });
  expect(stored.adAccountId).toBe(accountA);
  const after = await databaseSnapshot();
  const changed = Object.keys(after).filter((table) => after[table] !== dbBefore[table]);
  expect(changed.filter((table) => !['bulk_requests', 'bulk_request_items', 'audit_events'].includes(table))).toEqual([]);
  expect(await simulatorWrites()).toBe(writesBefore);
}

async function settled<T>(take: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 1500)); // visibility is eventually consistent
  return take();
}

/** Names of a JSON schema's properties, through unions and intersections. */
function propertyNames(schema: any): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const own = schema.properties ? Object.keys(schema.properties) : [];
  const nested = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => (Array.isArray(schema[k]) ? schema[k].flatMap(propertyNames) : []));
  return [...new Set([...own, ...nested])];
}

describe('the table covers every registered route, tool and resource that takes an id', () => {
  test('HTTP: every /v1 route with an id field has a row per field; the others are named id-less', async () => {
    const doc = h.app.swagger() as { paths: Record<string, Record<string, any>> };
    const required = new Set<string>();
    const idLess: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        const fields = [
          ...(operation.parameters ?? []).map((p: { name: string }) => p.name),
          ...propertyNames(operation.requestBody?.content?.['application/json']?.schema),
        ].filter((name) => ID_FIELD.test(name));
        if (fields.length === 0) idLess.push(route);
        for (const field of fields) required.add(`${route} ${field}`);
      }
    }
    const covered = new Set(HTTP_ROWS.filter((row) => !row.nested).map((row) => `${row.route} ${row.field}`));
    expect([...required].filter((key) => !covered.has(key)).sort()).toEqual([]);
    expect([...covered].filter((key) => !required.has(key)).sort()).toEqual([]); // a row for a route that no longer exists
    expect(idLess.sort()).toEqual([...ID_LESS.routes].sort());
  });

  test('MCP: every tool with an id argument has a row per argument; every resource template has a row', async () => {
    const { tools } = await clients.get('admin')!.listTools();
    const required = new Set<string>();
    const idLess: string[] = [];
    for (const tool of tools) {
      const fields = propertyNames(tool.inputSchema).filter((name) => ID_FIELD.test(name));
      if (fields.length === 0) idLess.push(tool.name);
      for (const field of fields) required.add(`${tool.name} ${field}`);
    }
    const covered = new Set(MCP_ROWS.filter((row) => !row.nested).map((row) => `${row.tool} ${row.field}`));
    expect([...required].filter((key) => !covered.has(key)).sort()).toEqual([]);
    expect([...covered].filter((key) => !required.has(key)).sort()).toEqual([]);
    expect(idLess.sort()).toEqual([...ID_LESS.tools].sort());
    const { resourceTemplates } = await clients.get('admin')!.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(RESOURCE_ROWS.map((row) => row.template).sort());
  });
});

describe("company A's tokens cannot reach company B's objects, and nothing changes", () => {
  let temporalBefore: Awaited<ReturnType<typeof temporalSnapshot>>;
  beforeAll(async () => {
    temporalBefore = await settled(temporalSnapshot);
  });

  test.each(HTTP_ROWS.map((row) => [`${row.route} (${row.field})`, row] as const))('HTTP %s', async (_name, row) => {
    const [dbBefore, writesBefore] = await Promise.all([databaseSnapshot(), simulatorWrites()]);
    const { method, url, payload } = row.request();
    const response = await h.inject({ method, url, headers: bearer(h.a[row.token]), payload });
    if (row.expect === 'blocked') {
      expect(response.statusCode).toBe(201);
      await expectBlockedOwnPlan(response.json(), dbBefore, writesBefore);
      return;
    }
    if (row.expect === 'empty') {
      expect({ status: response.statusCode, data: response.json().data }).toEqual({ status: 200, data: [] });
    } else if (row.expect === 'connected-elsewhere') {
      expect({ status: response.statusCode, code: response.json().error?.code, message: response.json().error?.message }).toEqual({ status: 409, code: 'CONFLICT', message: expect.stringMatching(/connected by another company/) });
    } else {
      // The same answer a missing id gets: nothing tells that the object exists elsewhere.
      expect({ status: response.statusCode, code: response.json().error?.code, message: response.json().error?.message }).toEqual({ status: 404, code: 'NOT_FOUND', message: expect.stringMatching(/not found/) });
    }
    expect(await databaseSnapshot()).toEqual(dbBefore);
    expect(await simulatorWrites()).toBe(writesBefore);
  });

  test.each(MCP_ROWS.map((row) => [`${row.tool} (${row.field})`, row] as const))('MCP %s', async (_name, row) => {
    const [dbBefore, writesBefore] = await Promise.all([databaseSnapshot(), simulatorWrites()]);
    const result = (await clients.get(row.token)!.callTool({ name: row.tool, arguments: row.args() })) as CallToolResult;
    if (row.expect === 'blocked') {
      expect(result.isError ?? false).toBe(false);
      await expectBlockedOwnPlan(result.structuredContent as Record<string, any>, dbBefore, writesBefore);
      return;
    }
    if (row.expect === 'empty') {
      expect({ isError: result.isError ?? false, data: (result.structuredContent as { data?: unknown[] } | undefined)?.data }).toEqual({ isError: false, data: [] });
    } else {
      expect(result.isError).toBe(true);
      expect(JSON.parse((result.content[0] as { text: string }).text).error.code).toBe('NOT_FOUND');
    }
    expect(await databaseSnapshot()).toEqual(dbBefore);
    expect(await simulatorWrites()).toBe(writesBefore);
  });

  test.each(RESOURCE_ROWS.map((row) => [row.template, row] as const))('MCP resource %s', async (_name, row) => {
    await expect(clients.get('read')!.readResource({ uri: row.uri() })).rejects.toThrow(/NOT_FOUND/);
  });

  test('no workflow was started, canceled or signalled, and B\'s schedules are as they were', async () => {
    expect(await settled(temporalSnapshot)).toEqual(temporalBefore);
  });
});
