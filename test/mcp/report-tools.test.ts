/**
 * The report tools over MCP (Streamable HTTP, the SDK client) against the real stack, on an ad
 * account synced through the API: get_performance_report and get_performance_series take the
 * same input as their HTTP routes (lists as arrays here, comma-separated text there) and answer
 * exactly what the routes answer, within the tools' own output schemas; bad input and another
 * company's account are `isError` results naming the problem.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolSpecs } from '../../src/mcp/tools';
import { bearer, COMPANY_A, createHarness, type Harness } from '../api/support/harness';
import { connectAndSync } from '../api/support/rule-fixtures';

let h: Harness;
let account: string;
let reader: Client;
let other: Client;

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: 'report-tools-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(token) } }));
  return c;
}

beforeAll(async () => {
  h = await createHarness({ latencyMs: 0, seed: 1415, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  account = h.simulatorAccounts[0]!;
  await connectAndSync(h, h.a, account);
  reader = await connect(h.a.read);
  other = await connect(h.b.read);
});
afterAll(async () => {
  await reader?.close();
  await other?.close();
  await h?.close();
});

const specs = () => new Map(toolSpecs(h.ctx, { tokenId: 't', companyId: COMPANY_A, scopes: ['read'] }).map((spec) => [spec.name, spec]));

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const text = (result: CallToolResult) => result.content.map((part) => ('text' in part ? part.text : '')).join('\n');

test('both tools are listed read-only, with output schemas, taking the fields their routes take', async () => {
  const { tools } = await reader.listTools();
  const doc = h.app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
  for (const [name, path] of [['get_performance_report', '/v1/reports/performance'], ['get_performance_series', '/v1/reports/performance/series']] as const) {
    const tool = tools.find((t) => t.name === name)!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tool.outputSchema).toBeDefined();
    const routeFields = doc.paths[path]!.get!.parameters!.map((p) => p.name).sort();
    expect(Object.keys(tool.inputSchema.properties ?? {}).sort()).toEqual(routeFields);
  }
});

test('get_performance_report answers what GET /v1/reports/performance answers', async () => {
  const result = await call(reader, 'get_performance_report', {
    adAccountId: account, level: 'adset', preset: 'LAST_7D', metrics: ['spend', 'clicks', 'results', 'costPerResult', 'roas'], sort: '-clicks', limit: 5,
  });
  expect(result.isError ?? false).toBe(false);
  expect(specs().get('get_performance_report')!.output.safeParse(result.structuredContent).success).toBe(true);
  const http = await h.inject({ url: `/v1/reports/performance?adAccountId=${account}&level=adset&preset=LAST_7D&metrics=spend,clicks,results,costPerResult,roas&sort=-clicks&limit=5`, headers: bearer(h.a.read) });
  expect(result.structuredContent).toEqual(http.json());
  const report = result.structuredContent as { data: Array<{ metrics: { clicks: number } }>; totals: { objects: number } };
  expect(report.data).toHaveLength(Math.min(5, report.totals.objects));
  expect(report.data.length).toBeGreaterThan(0);
});

test('get_performance_series answers what GET /v1/reports/performance/series answers', async () => {
  const args = { adAccountId: account, level: 'campaign', preset: 'LAST_30D', grain: 'week', metrics: ['spend', 'impressions', 'cpm'] };
  const result = await call(reader, 'get_performance_series', args);
  expect(result.isError ?? false).toBe(false);
  expect(specs().get('get_performance_series')!.output.safeParse(result.structuredContent).success).toBe(true);
  const http = await h.inject({ url: `/v1/reports/performance/series?adAccountId=${account}&level=campaign&preset=LAST_30D&grain=week&metrics=spend,impressions,cpm`, headers: bearer(h.a.read) });
  expect(result.structuredContent).toEqual(http.json());
  expect((result.structuredContent as { data: unknown[] }).data.length).toBeGreaterThanOrEqual(5);
});

test('bad input is an isError result naming what is wrong; nothing of another company shows', async () => {
  const unknownMetric = await call(reader, 'get_performance_report', { adAccountId: account, preset: 'LAST_7D', metrics: ['spend', 'profit'] });
  expect(unknownMetric.isError).toBe(true);
  expect(text(unknownMetric)).toMatch(/VALIDATION_ERROR/);
  expect(text(unknownMetric)).toMatch(/unknown metric/);
  const both = await call(reader, 'get_performance_series', { adAccountId: account, preset: 'LAST_7D', from: '2026-11-01', to: '2026-11-02' });
  expect(both.isError).toBe(true);
  expect(text(both)).toMatch(/VALIDATION_ERROR/);
  expect(text(both)).toMatch(/preset.*not both/);
  const reversed = await call(reader, 'get_performance_report', { adAccountId: account, from: '2026-11-10', to: '2026-11-01' });
  expect(text(reversed)).toMatch(/must not be before/);
  const foreign = await call(other, 'get_performance_report', { adAccountId: account, preset: 'LAST_7D' });
  expect(foreign.isError).toBe(true);
  expect(text(foreign)).toMatch(/NOT_FOUND/);
});
