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
const b = { campaignId: '', adsetId: '', adId: '', creativeId: '', workflowId: '', scheduleId: '', tokenId: '', changeSetId: '', planHash: '', ruleId: '', backtestId: '' };
/** A rule of company A's: a list filter naming B's backtest narrows its history to nothing. */
let ruleA = '';
const clients = new Map<keyof Tokens, Client>();

type Scope = keyof Tokens;
type Expect = 'not-found' | 'empty';
interface HttpRow {
  /** `METHOD /openapi/path` as the OpenAPI document names it. */
  route: string;
  /** The input field that names B's object (a path parameter, a query or body property). */
  field: string;
  token: Scope;
  request: () => { method: string; url: string; payload?: unknown };
  expect?: Expect;
}
interface McpRow {
  tool: string;
  field: string;
  token: Scope;
  args: () => Record<string, unknown>;
  expect?: Expect;
}
interface ResourceRow {
  template: string;
  uri: () => string;
}

const HTTP_ROWS: HttpRow[] = [
  { route: 'GET /v1/ad-accounts', field: 'companyId', token: 'read', request: () => ({ method: 'GET', url: `/v1/ad-accounts?companyId=${COMPANY_B}` }) },
  { route: 'POST /v1/ad-accounts', field: 'adAccountId', token: 'write', request: () => ({ method: 'POST', url: '/v1/ad-accounts', payload: { adAccountId: accountB, accessToken: SIM_TOKEN } }) },
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
  { route: 'DELETE /v1/tokens/{tokenId}', field: 'tokenId', token: 'admin', request: () => ({ method: 'DELETE', url: `/v1/tokens/${b.tokenId}` }) },
  { route: 'POST /v1/schedules/{scheduleId}/pause', field: 'scheduleId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/pause`, payload: { note: 'x' } }) },
  { route: 'POST /v1/schedules/{scheduleId}/unpause', field: 'scheduleId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/unpause` }) },
  { route: 'POST /v1/schedules/{scheduleId}/trigger', field: 'scheduleId', token: 'sync', request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/trigger` }) },
  {
    route: 'POST /v1/schedules/{scheduleId}/backfill',
    field: 'scheduleId',
    token: 'sync',
    request: () => ({ method: 'POST', url: `/v1/schedules/${b.scheduleId}/backfill`, payload: { from: '2026-01-01', to: '2026-01-02' } }),
  },
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
];

const RESOURCE_ROWS: ResourceRow[] = [
  { template: 'meta://ad-accounts/{id}', uri: () => `meta://ad-accounts/${accountB}` },
  { template: 'meta://campaigns/{id}', uri: () => `meta://campaigns/${b.campaignId}` },
  { template: 'meta://workflows/{workflowId}', uri: () => `meta://workflows/${encodeURIComponent(b.workflowId)}` },
];

/** Registered routes and tools whose input names no id at all: nothing of another company to reach. */
const ID_LESS = {
  routes: ['POST /v1/tokens', 'GET /v1/tokens', 'GET /v1/schedules', 'GET /v1/rollups'],
  tools: ['list_ad_accounts', 'start_company_sync', 'list_schedules'],
};

/** Input fields that carry an id: `id`, `...Id`, `...Ids`. */
const ID_FIELD = /^(id|[a-z][A-Za-z]*Ids?)$/;

beforeAll(async () => {
  // Schedules on (B's account gets its own) but far apart, so none fires during the file.
  h = await createHarness({ env: { SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1d', SYNC_HOURLY_METRICS_EVERY: '1d', API_RATE_LIMIT_PER_MINUTE: '100000' } });
  [accountA, accountB] = h.simulatorAccounts;
  for (const [token, id] of [[h.a.write, accountA], [h.b.write, accountB]] as const) {
    expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(token), payload: { adAccountId: id, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  }
  // B's objects come from a real full sync of B's account (a real workflow of B's to aim at).
  const started = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accountB}/syncs`, headers: bearer(h.b.sync), payload: { kind: 'full' } });
  expect(started.statusCode).toBe(202);
  b.workflowId = started.json().workflowId;
  for (let i = 0; i < 240; i++) {
    const status = (await h.inject({ url: `/v1/workflows/${encodeURIComponent(b.workflowId)}`, headers: bearer(h.b.read) })).json().status;
    if (status !== 'RUNNING') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const db = h.database.db;
  const adset = await db.adSet.findFirstOrThrow({ where: { adAccountId: accountB, deletedAt: null }, orderBy: { id: 'asc' } });
  const ad = await db.ad.findFirstOrThrow({ where: { adAccountId: accountB, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
  Object.assign(b, { campaignId: adset.campaignId, adsetId: adset.id, adId: ad.id, creativeId: ad.creativeId ?? '' });
  b.scheduleId = scheduleIds.incrementalSync(accountB);
  b.tokenId = (await authenticate(h.ctx, `Bearer ${h.b.read}`)).tokenId;
  // A change set of B's (a previewed pause; its workflow waits for a confirm or the expiry).
  const bWriter = await authenticate(h.ctx, `Bearer ${h.b.write}`);
  const preview = await previewChangeSet(h.ctx, bWriter, { adAccountId: accountB, items: [{ id: ad.id, level: 'ad', set: { status: 'PAUSED' } }] });
  Object.assign(b, { changeSetId: preview.changeSetId, planHash: preview.planHash });
  // A rule of B's with a backtest of its own (inline: a few daily ticks), and a rule of A's.
  const bRule = await createRule(h.ctx, bWriter, { adAccountId: accountB, name: "B's rule", ...RULE_SPECS });
  const bBacktest = await backtestRule(h.ctx, bWriter, { ruleId: bRule.ruleId, from: '2026-11-01', to: '2026-11-03' });
  Object.assign(b, { ruleId: bRule.ruleId, backtestId: bBacktest.backtestId });
  ruleA = (await createRule(h.ctx, await authenticate(h.ctx, `Bearer ${h.a.write}`), { adAccountId: accountA, name: "A's rule", ...RULE_SPECS })).ruleId;

  for (const scope of ['read', 'sync', 'write', 'admin'] as const) {
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
    const covered = new Set(HTTP_ROWS.map((row) => `${row.route} ${row.field}`));
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
    const covered = new Set(MCP_ROWS.map((row) => `${row.tool} ${row.field}`));
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
    if (row.expect === 'empty') {
      expect({ status: response.statusCode, data: response.json().data }).toEqual({ status: 200, data: [] });
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
