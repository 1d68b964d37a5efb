import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { typeListPaths } from '../../src/mcp/portable-schema';
import { bearer, createHarness, SIM_TOKEN, type Harness } from '../api/support/harness';

/**
 * What an agent meets over MCP, seen with the SDK's own client: waiting for a workflow without a
 * progress token, progress notifications with real totals, the 401 an OAuth-capable client reads,
 * prompts, and schemas every client dialect reads (the client validates every result against them).
 */
let h: Harness;
let client: Client;
let account: string;

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: 'agent-protocol-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(token) } }));
  return c;
}

beforeAll(async () => {
  // A fixed seed: the account's objects have a known shape; the latency keeps syncs running for a few polls.
  h = await createHarness({ seed: 7070, latencyMs: 40 });
  account = h.simulatorAccounts[0];
  const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } });
  expect(connected.statusCode).toBe(201);
  client = await connect(h.a.admin);
  // The client validates structuredContent against the outputSchemas it listed: list first.
  await client.listTools();
});
afterAll(async () => {
  await client?.close();
  await h?.close();
});

async function call(name: string, args: Record<string, unknown>, options: { onprogress?: (p: Progress) => void } = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000, ...options })) as CallToolResult;
}

const textOf = (result: CallToolResult): string => (result.content[0] as { type: 'text'; text: string }).text;

test('waitSeconds without a progress token waits for the workflow and answers its status, the same work figure as the HTTP status', async () => {
  const result = await call('start_full_sync', { adAccountId: account, waitSeconds: 90 });
  expect(result.isError).toBeFalsy();
  const workflowId = `meta-full-sync:${account}`;
  expect(result.structuredContent).toMatchObject({
    workflowId,
    status: 'COMPLETED',
    progress: { kind: 'full-sync', phase: 'done', work: { done: 15, total: 15, unit: 'reads' } },
  });
  // The text is a summary, not the structured result again.
  const text = textOf(result);
  expect(() => JSON.parse(text)).toThrow();
  expect(text).toContain(workflowId);
  expect(text).toContain('COMPLETED');
  expect(text).toContain('15 of 15 reads');
  expect(text.length).toBeLessThan(JSON.stringify(result.structuredContent).length);

  // get_workflow_status waits the same way; on a closed run it answers at once.
  const status = await call('get_workflow_status', { workflowId, waitSeconds: 30 });
  expect(status.structuredContent).toMatchObject({ workflowId, status: 'COMPLETED', failure: null, progress: { work: { done: 15, total: 15 } } });
  const http = await h.inject({ method: 'GET', url: `/v1/workflows/${encodeURIComponent(workflowId)}`, headers: bearer(h.a.read) });
  expect(http.statusCode).toBe(200);
  expect(http.json().progress.work).toEqual((status.structuredContent as { progress: { work: unknown } }).progress.work);

  // Without waitSeconds a start answers at once, with no status.
  const incremental = await call('start_incremental_sync', { adAccountId: account });
  expect(incremental.structuredContent).not.toHaveProperty('status');
  expect(textOf(incremental)).toContain('get_workflow_status');
  await call('get_workflow_status', { workflowId: `meta-incremental-sync:${account}`, waitSeconds: 60 });
});

test('progress notifications carry work done of a total, increasing, ending at the total', async () => {
  // A slower Meta keeps the sync running across several polls.
  await h.simControl('/__sim/faults', { latencyMs: 150 });
  const notes: Progress[] = [];
  try {
    const result = await call('start_full_sync', { adAccountId: account, waitSeconds: 90 }, { onprogress: (progress) => notes.push(progress) });
    expect(result.structuredContent).toMatchObject({ status: 'COMPLETED', progress: { work: { done: 15, total: 15 } } });
  } finally {
    await h.simControl('/__sim/faults', { latencyMs: 40 });
  }
  expect(notes.length).toBeGreaterThanOrEqual(1);
  for (const [i, note] of notes.entries()) {
    expect(note.total).toBe(15);
    expect(note.message).toMatch(/of 15 reads/);
    if (i > 0) expect(note.progress).toBeGreaterThan(notes[i - 1]!.progress);
  }
  expect(notes[notes.length - 1]).toMatchObject({ progress: 15, total: 15 });
});

test('a missing or unknown token gets a 401 whose challenge points at metadata with no authorization server', async () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${h.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
  const metadataUrl = `${h.url}/.well-known/oauth-protected-resource/mcp`;

  const missing = await post({});
  expect(missing.status).toBe(401);
  // No credentials: the pointer, no error code (RFC 6750 §3.1).
  expect(missing.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}"`);
  const missingBody = (await missing.json()) as { error: { code: string; message: string } };
  expect(missingBody.error.code).toBe('UNAUTHENTICATED');
  expect(missingBody.error.message).toContain('A valid API token is required');
  expect(missingBody.error.message).toContain('does not use OAuth');

  const unknown = await post(bearer(`mao_${'x'.repeat(43)}`));
  expect(unknown.status).toBe(401);
  // What the SDK client reads from the challenge.
  expect(extractWWWAuthenticateParams(unknown)).toMatchObject({ resourceMetadataUrl: new URL(metadataUrl), error: 'invalid_token' });
  expect(unknown.headers.get('www-authenticate')).toContain('error_description="The API token is unknown, revoked or expired"');
  expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('unknown, revoked or expired');

  // The document, public, as the SDK's discovery parses it: this resource, bearer tokens in the header, no authorization server.
  const metadata = await discoverOAuthProtectedResourceMetadata(`${h.url}/mcp`, { resourceMetadataUrl: new URL(metadataUrl) });
  expect(metadata).toMatchObject({ resource: `${h.url}/mcp`, authorization_servers: [], bearer_methods_supported: ['header'] });
  expect((await fetch(`${h.url}/.well-known/oauth-protected-resource`)).status).toBe(200);
  // Where an OAuth client would look next: a 404 that says what to do instead.
  const as = await fetch(`${h.url}/.well-known/oauth-authorization-server`);
  expect(as.status).toBe(404);
  expect(((await as.json()) as { error: { message: string } }).error.message).toContain('static API token');
  // Other routes keep the plain challenge.
  expect((await fetch(`${h.url}/v1/ad-accounts`)).headers.get('www-authenticate')).toBe('Bearer');
});

test('prompts list and get; every tool they name exists', async () => {
  const { prompts } = await client.listPrompts();
  expect(prompts.map((p) => p.name).sort()).toEqual(['find_wasted_spend', 'prepare_budget_change', 'weekly_performance_review']);
  for (const prompt of prompts) expect(prompt.arguments).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'adAccountId', required: true })]));
  const tools = new Set((await client.listTools()).tools.map((t) => t.name));
  // Added by the reports work; named by the prompts with a fallback when it is absent.
  tools.add('get_performance_report');
  const gets = [
    await client.getPrompt({ name: 'weekly_performance_review', arguments: { adAccountId: account } }),
    await client.getPrompt({ name: 'find_wasted_spend', arguments: { adAccountId: account, days: '30', minSpend: '25' } }),
    await client.getPrompt({ name: 'prepare_budget_change', arguments: { adAccountId: account, level: 'adset', ids: '120001,120002', change: '+15%' } }),
  ];
  for (const got of gets) {
    const text = (got.messages[0]!.content as { text: string }).text;
    expect(text).toContain(account);
    const named = [...text.matchAll(/\b([a-z]+(?:_[a-z]+)+) \{/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((name) => !tools.has(name))).toEqual([]);
  }
  expect((gets[0]!.messages[0]!.content as { text: string }).text).toContain('get_performance_report');
  const budget = (gets[2]!.messages[0]!.content as { text: string }).text;
  expect(budget).toContain('["120001","120002"]');
  expect(budget.indexOf('bulk_update_budgets')).toBeLessThan(budget.indexOf('confirm_changes'));
  await expect(client.getPrompt({ name: 'weekly_performance_review', arguments: { adAccountId: 'not-an-account' } })).rejects.toThrow(/adAccountId/);
  // The report arguments the prompts spell out are ones the report tool takes.
  const report = await call('get_performance_report', { adAccountId: account, level: 'campaign', preset: 'LAST_7D', sort: '-spend', limit: 20 });
  expect(report.isError).toBeFalsy();
  expect(report.structuredContent).toHaveProperty('totals');
});

test('no type lists in any listed schema; nullable results still validate against them in the client', async () => {
  const { tools } = await client.listTools();
  expect(tools.length).toBeGreaterThan(30);
  for (const tool of tools) {
    expect({ tool: tool.name, paths: [...typeListPaths(tool.inputSchema), ...typeListPaths(tool.outputSchema)] }).toEqual({ tool: tool.name, paths: [] });
  }
  // Results full of nulls (an account never synced by metrics, a workflow without failure),
  // validated by the SDK client against the listed outputSchema: a mismatch would throw here.
  const accountResult = await call('get_ad_account', { adAccountId: account });
  expect(accountResult.isError).toBeFalsy();
  expect((accountResult.structuredContent as Record<string, unknown>).lastMetricsSyncAt).toBeNull();
  const page = await call('list_campaigns', { adAccountId: account, limit: 2 });
  expect(textOf(page)).toMatch(/^2 campaigns \(.+\); more remain: call again with cursor "/);
  expect(page.structuredContent).toMatchObject({ nextCursor: expect.any(String) });
  // The same validator, directly: the portable form still accepts null and refuses a wrong type.
  const schema = tools.find((t) => t.name === 'get_ad_account')!.outputSchema!;
  const validate = new AjvJsonSchemaValidator().getValidator(schema);
  expect(validate(accountResult.structuredContent).valid).toBe(true);
  expect(validate({ ...(accountResult.structuredContent as object), lastMetricsSyncAt: 12 }).valid).toBe(false);
});
