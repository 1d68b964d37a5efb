import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolSpecs } from '../../src/mcp/tools';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness } from '../api/support/harness';

let h: Harness;
let client: Client;
let account: string;

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: 'test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(token) } }));
  return c;
}

beforeAll(async () => {
  // Real workflows against the simulator; its latency keeps a sync RUNNING for a few polls.
  h = await createHarness({ latencyMs: 25 });
  account = h.simulatorAccounts[0];
  const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } });
  expect(connected.statusCode).toBe(201);
  await h.database.db.campaign.create({ data: { id: '1001', adAccountId: account, name: 'C', status: 'ACTIVE', effectiveStatus: 'ACTIVE' } });
  client = await connect(h.a.admin);
});
afterAll(async () => {
  await client?.close();
  await h?.close();
});

const specs = () => new Map(toolSpecs(h.ctx, { tokenId: 't', companyId: COMPANY_A, scopes: ['admin'] }).map((spec) => [spec.name, spec]));

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError) {
    // structuredContent must satisfy the tool's own outputSchema (the SDK client checks the JSON Schema too).
    expect(specs().get(name)!.output.safeParse(result.structuredContent).success).toBe(true);
  }
  return result;
}

function errorOf(result: CallToolResult): { code: string; message: string } {
  expect(result.isError).toBe(true);
  return JSON.parse((result.content[0] as { text: string }).text).error;
}

test('401 without a token, before any MCP handling', async () => {
  const response = await fetch(`${h.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  await expect(connect(`mao_${'x'.repeat(43)}`)).rejects.toThrow();
  expect((await fetch(`${h.url}/mcp`, { headers: bearer(h.a.read) })).status).toBe(405);
});

test('lists every tool with input and output schemas and annotations, and the resources', async () => {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(
    [
      'list_ad_accounts', 'get_ad_account', 'list_campaigns', 'get_campaign', 'list_ad_sets', 'list_ads', 'get_metrics', 'get_performance_report', 'get_performance_series', 'start_full_sync', 'start_incremental_sync',
      'start_metrics_sync', 'start_company_sync', 'run_rollup', 'get_workflow_status', 'list_workflows', 'cancel_workflow', 'list_schedules', 'pause_schedule', 'resume_schedule',
      'preview_changes', 'confirm_changes', 'cancel_changes', 'get_change_set', 'list_change_sets', 'create_campaign', 'create_ad_set', 'create_ad', 'update_campaign',
      'update_ad_set', 'update_ad', 'pause_objects', 'resume_objects', 'archive_objects', 'bulk_update_budgets',
      'create_rule', 'list_rules', 'get_rule', 'update_rule', 'enable_rule', 'disable_rule', 'preview_rule', 'backtest_rule', 'run_rule', 'list_rule_executions',
      'list_creatives', 'get_creative', 'list_custom_audiences', 'list_pixels', 'list_pages', 'list_instagram_accounts', 'list_lead_forms', 'list_leads',
      'list_product_catalogs', 'list_product_feeds', 'list_products', 'list_product_sets', 'list_change_history', 'list_sync_runs', 'get_rate_limit_state', 'list_meta_rules',
    ].sort(),
  );
  for (const tool of tools) {
    expect(tool.outputSchema).toBeDefined();
    expect(tool.annotations).toEqual(expect.objectContaining({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean) }));
  }
  expect(tools.find((tool) => tool.name === 'get_metrics')!.inputSchema.properties).toHaveProperty('grain');
  const { resources } = await client.listResources();
  expect(resources.map((resource) => resource.uri)).toEqual(expect.arrayContaining(['meta://ad-accounts', `meta://ad-accounts/${account}`]));
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual(
    [
      'meta://ad-accounts/{id}', 'meta://campaigns/{id}', 'meta://workflows/{workflowId}',
      'meta://ad-accounts/{id}/campaigns', 'meta://ad-accounts/{id}/sync-runs', 'meta://ad-sets/{id}', 'meta://ads/{id}', 'meta://creatives/{id}',
    ].sort(),
  );
  const read = await client.readResource({ uri: `meta://ad-accounts/${account}` });
  expect(JSON.parse((read.contents[0] as { text: string }).text).id).toBe(account);
  expect(JSON.parse(((await client.readResource({ uri: 'meta://campaigns/1001' })).contents[0] as { text: string }).text).id).toBe('1001');
  expect(JSON.parse(((await client.readResource({ uri: 'meta://ad-accounts' })).contents[0] as { text: string }).text).data).toHaveLength(1);
});

test('every tool: reads, a sync followed to completion with progress, cancel, schedules', async () => {
  expect((await call('list_ad_accounts', {})).structuredContent).toMatchObject({ data: [{ id: account }], nextCursor: null });
  expect((await call('get_ad_account', { adAccountId: account })).structuredContent).toMatchObject({ id: account });
  expect((await call('list_campaigns', { adAccountId: account })).structuredContent).toMatchObject({ data: [{ id: '1001' }] });
  expect((await call('get_campaign', { id: '1001' })).structuredContent).toMatchObject({ id: '1001' });
  expect((await call('list_ad_sets', { adAccountId: account })).structuredContent).toMatchObject({ data: [] });
  expect((await call('list_ads', { adAccountId: account, includeDeleted: true })).structuredContent).toMatchObject({ data: [] });
  expect((await call('get_metrics', { adAccountId: account, level: 'campaign', grain: 'daily', from: '2026-01-01', to: '2026-01-31' })).structuredContent).toMatchObject({ data: [], nextCursor: null });

  const started = (await call('start_full_sync', { adAccountId: account })).structuredContent as { workflowId: string; runId: string };
  expect(started.workflowId).toBe(`meta-full-sync:${account}`);
  expect(started).toMatchObject({ attached: false, covers: { kind: 'full' } });
  // The repeat reaches the running sync and says so.
  expect((await call('start_full_sync', { adAccountId: account })).structuredContent).toMatchObject({ ...started, attached: true });
  let status: { status: string; progress: { phase?: string } | null } = { status: 'RUNNING', progress: null };
  for (let i = 0; i < 60 && status.status === 'RUNNING'; i++) {
    status = (await call('get_workflow_status', { workflowId: started.workflowId })).structuredContent as typeof status;
    if (status.status === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(status).toMatchObject({ status: 'COMPLETED', progress: { kind: 'full-sync', phase: 'done', entities: { campaigns: { done: true } } } });
  // The real sync wrote the simulator's campaigns (and soft-deleted the one Meta does not have).
  const synced = (await call('list_campaigns', { adAccountId: account, limit: 100 })).structuredContent as { data: Array<{ id: string }> };
  expect(synced.data.length).toBe((status.progress as { entities: { campaigns: { rows: number } } }).entities.campaigns.rows);
  expect(synced.data.map((c) => c.id)).not.toContain('1001');

  // With a progress token the start waits (bounded) and relays the progress query.
  const notes: string[] = [];
  const waited = (await client.callTool({ name: 'start_incremental_sync', arguments: { adAccountId: account, waitSeconds: 20 } }, undefined, {
    onprogress: (progress) => notes.push(progress.message ?? ''),
    timeout: 30_000,
  })) as CallToolResult;
  expect(waited.structuredContent).toMatchObject({ workflowId: `meta-incremental-sync:${account}`, status: 'COMPLETED' });
  expect(notes.length).toBeGreaterThan(1);

  const recent = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const metrics = (await call('start_metrics_sync', { adAccountId: account, grain: 'hourly', from: recent(5), to: recent(1) })).structuredContent as { workflowId: string };
  expect((await call('cancel_workflow', { workflowId: metrics.workflowId })).structuredContent).toMatchObject({ status: 'CANCEL_REQUESTED' });
  expect((await call('start_company_sync', { kinds: ['full'] })).structuredContent).toMatchObject({
    workflowId: `meta-company-sync:${COMPANY_A}`,
    attached: expect.any(Boolean),
    covers: { kind: 'company', kinds: expect.arrayContaining(['full']), accounts: expect.arrayContaining([account]) },
  });
  expect((await call('run_rollup', { grain: 'monthly', from: '2026-01-01', to: '2026-01-31' })).structuredContent).toMatchObject({ workflowId: expect.stringContaining('meta-rollup:monthly') });
  const listed = (await call('list_workflows', { adAccountId: account, limit: 1 })).structuredContent as { data: unknown[]; nextCursor: string | null };
  expect(listed.data.length).toBeLessThanOrEqual(1);

  expect((await call('list_schedules', {})).structuredContent).toMatchObject({ data: [] });
  expect(errorOf(await call('pause_schedule', { scheduleId: `meta-incremental-sync-schedule:${account}` })).code).toBe('NOT_FOUND');
  expect(errorOf(await call('resume_schedule', { scheduleId: 'meta-incremental-sync-schedule:act_1' })).code).toBe('NOT_FOUND');
  // The global schedules act on every tenant: to a company's admin token they do not exist.
  expect(errorOf(await call('pause_schedule', { scheduleId: 'meta-rollup-daily-schedule' })).code).toBe('NOT_FOUND');
});

test('errors are isError results with the HTTP codes; invalid arguments never reach operations; tenancy', async () => {
  expect(errorOf(await call('get_ad_account', { adAccountId: h.simulatorAccounts[1] }))).toEqual({ code: 'NOT_FOUND', message: `Ad account ${h.simulatorAccounts[1]} was not found`, details: expect.anything() });
  const invalid = errorOf(await call('get_metrics', { adAccountId: 'x', from: 'yesterday', extra: 1 }));
  expect(invalid.code).toBe('VALIDATION_ERROR');
  expect(invalid.message).toContain('adAccountId');
  const reader = await connect(h.a.read);
  const forbidden = (await reader.callTool({ name: 'start_full_sync', arguments: { adAccountId: account } })) as CallToolResult;
  expect(errorOf(forbidden).code).toBe('FORBIDDEN');
  await reader.close();
  const other = await connect(h.b.admin);
  expect(errorOf((await other.callTool({ name: 'get_workflow_status', arguments: { workflowId: `meta-full-sync:${account}` } })) as CallToolResult).code).toBe('NOT_FOUND');
  expect(((await other.callTool({ name: 'list_ad_accounts', arguments: {} })) as CallToolResult).structuredContent).toEqual({ data: [], nextCursor: null });
  await other.close();
});
