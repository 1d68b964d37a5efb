/**
 * The rule tools over MCP (Streamable HTTP, the SDK client) against the real stack, on an ad
 * account synced through the API: the same operations and inputs as /v1/rules, answers that
 * satisfy each tool's output schema, annotations that say which tools act on Meta, errors as
 * `isError` results naming the field, and preview/backtest writing nothing to Meta.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolSpecs } from '../../src/mcp/tools';
import { bearer, COMPANY_A, createHarness, type Harness } from '../api/support/harness';
import { accountFacts, AD, budgetRaiseBody, connectAndSync, databaseSnapshot, LAST_7D, ruleBody, simulatorWrites, workflowClosed } from '../api/support/rule-fixtures';

let h: Harness;
let account: string;
let writer: Client;
let reader: Client;

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: 'rule-tools-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(token) } }));
  return c;
}

beforeAll(async () => {
  h = await createHarness({ latencyMs: 0, seed: 500_000, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  account = h.simulatorAccounts[0]!;
  await connectAndSync(h, h.a, account);
  writer = await connect(h.a.write);
  reader = await connect(h.a.read);
});
afterAll(async () => {
  await writer?.close();
  await reader?.close();
  await h?.close();
});

const specs = () => new Map(toolSpecs(h.ctx, { tokenId: 't', companyId: COMPANY_A, scopes: ['admin'] }).map((spec) => [spec.name, spec]));

/** Calls a tool; a success must satisfy the tool's own output schema. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) return { error: JSON.parse((result.content[0] as { text: string }).text).error };
  const parsed = specs().get(name)!.output.safeParse(result.structuredContent);
  expect(parsed.success).toBe(true);
  return result.structuredContent;
}

const notifyBody = (threshold: number) =>
  ruleBody(account, 'Busy ads', [AD, LAST_7D, { field: 'impressions', operator: 'GREATER_THAN', value: threshold }], {
    execution_type: 'NOTIFICATION',
    execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 60 }],
  });

test('the ten rule tools are listed with output schemas and annotations that say which act on Meta', async () => {
  const { tools } = await reader.listTools();
  // list_meta_rules reads Meta's own rules (the account-history tools); these ten are the service's.
  const rules = new Map(tools.filter((t) => /_rules?(_|$)/.test(t.name) && t.name !== 'list_meta_rules').map((t) => [t.name, t]));
  expect([...rules.keys()].sort()).toEqual(['backtest_rule', 'create_rule', 'disable_rule', 'enable_rule', 'get_rule', 'list_rule_executions', 'list_rules', 'preview_rule', 'run_rule', 'update_rule']);
  for (const tool of rules.values()) expect(tool.outputSchema).toBeDefined();
  const hints = (name: string) => rules.get(name)!.annotations;
  for (const name of ['list_rules', 'get_rule', 'list_rule_executions', 'preview_rule', 'backtest_rule']) expect(hints(name)).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  expect(hints('run_rule')).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
  expect(hints('enable_rule')).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
  expect(hints('create_rule')).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
  expect(hints('disable_rule')).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
  // Same inputs as HTTP: the snake_case specs of Meta.
  expect(Object.keys(rules.get('create_rule')!.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['adAccountId', 'name', 'evaluation_spec', 'execution_spec', 'schedule_spec']));
});

test('create → get → list; invalid specs are errors naming the field; read tokens cannot create', async () => {
  const created = await call(writer, 'create_rule', notifyBody(1000));
  expect(created).toMatchObject({ ruleId: expect.any(String), status: 'DISABLED', runsOn: 'service', raisesSpend: false, adAccountId: account });
  const { webhookSecret: _secret, ...view } = created;
  expect(await call(reader, 'get_rule', { ruleId: created.ruleId })).toEqual(view);
  expect((await call(reader, 'list_rules', { adAccountId: account })).data.map((r: { ruleId: string }) => r.ruleId)).toContain(created.ruleId);

  const before = await h.database.db.adRule.count();
  const unknown = await call(writer, 'create_rule', ruleBody(account, 'x', [AD, LAST_7D, { field: 'cost_per_result', operator: 'LESS_THAN', value: 100 }], { execution_type: 'PAUSE' }));
  expect(unknown.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/filters\[2\] \(cost_per_result\): unknown field cost_per_result/) });
  const noLimit = await call(
    writer,
    'create_rule',
    ruleBody(account, 'x', [{ field: 'entity_type', operator: 'EQUAL', value: 'ADSET' }], { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 20, unit: 'PERCENTAGE' } }] }),
  );
  expect(noLimit.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/PERCENTAGE change that raises the budget needs a limit/) });
  expect((await call(writer, 'create_rule', { ...notifyBody(1), name: '' })).error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('name') });
  expect((await call(reader, 'create_rule', notifyBody(1))).error.code).toBe('FORBIDDEN');
  expect((await call(reader, 'get_rule', { ruleId: 'nope' })).error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('ruleId') });
  expect(await h.database.db.adRule.count()).toBe(before);
});

test('enable_rule of a spend-raising rule asks for its specHash; update_rule asks again when the specs change', async () => {
  const rule = await call(writer, 'create_rule', budgetRaiseBody(account));
  expect(rule.raisesSpend).toBe(true);
  const asked = await call(writer, 'enable_rule', { ruleId: rule.ruleId });
  expect(asked).toMatchObject({ rule: { status: 'DISABLED' }, confirmation: { state: 'required', specHash: rule.specHash } });
  expect((await call(reader, 'enable_rule', { ruleId: rule.ruleId, confirmSpecHash: rule.specHash })).error.code).toBe('FORBIDDEN');
  expect((await call(writer, 'enable_rule', { ruleId: rule.ruleId, confirmSpecHash: 'b'.repeat(64) })).error.code).toBe('CONFLICT');
  expect((await call(writer, 'run_rule', { ruleId: rule.ruleId })).error.code).toBe('CONFIRMATION_REQUIRED');
  const enabled = await call(writer, 'enable_rule', { ruleId: rule.ruleId, confirmSpecHash: rule.specHash });
  expect(enabled).toMatchObject({ rule: { status: 'ENABLED', confirmedSpecHash: rule.specHash }, confirmation: { state: 'confirmed' } });

  const stricter = { ruleId: rule.ruleId, schedule_spec: { schedule_type: 'HOURLY' } };
  const pending = await call(writer, 'update_rule', stricter);
  expect(pending).toMatchObject({ rule: { specHash: rule.specHash, schedule_spec: { schedule_type: 'DAILY' } }, confirmation: { state: 'required' } });
  const updated = await call(writer, 'update_rule', { ...stricter, confirmSpecHash: pending.confirmation.specHash });
  expect(updated).toMatchObject({ rule: { specHash: pending.confirmation.specHash, schedule_spec: { schedule_type: 'HOURLY' } }, confirmation: { state: 'confirmed' } });
  expect(await call(writer, 'disable_rule', { ruleId: rule.ruleId })).toMatchObject({ status: 'DISABLED', scheduleId: null });
});

test('preview_rule and backtest_rule write nothing to Meta and nothing but their own records', async () => {
  const rule = await call(writer, 'create_rule', budgetRaiseBody(account));
  const own = ['ad_rule_executions', 'ad_rule_matches', 'audit_events'];
  const [dbBefore, writesBefore] = await Promise.all([databaseSnapshot(h, own), simulatorWrites(h)]);
  const preview = await call(reader, 'preview_rule', { ruleId: rule.ruleId });
  expect(preview).toMatchObject({ ruleId: rule.ruleId, status: 'completed' });
  expect({ matched: preview.counts.matched > 0, facts: await accountFacts(h, account) }).toMatchObject({ matched: true });
  const today = new Date().toISOString().slice(0, 10);
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const backtest = await call(reader, 'backtest_rule', { ruleId: rule.ruleId, from: day(5), to: day(2) });
  expect(backtest).toMatchObject({ mode: 'inline', ticks: 4, workflowId: null });
  expect(backtest.summary.firedTicks).toBeGreaterThan(0);
  expect((await call(reader, 'backtest_rule', { ruleId: rule.ruleId, from: day(2), to: 'soon' })).error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('to') });
  expect(await databaseSnapshot(h, own)).toEqual(dbBefore);
  expect(await simulatorWrites(h)).toBe(writesBefore);
  const history = await call(reader, 'list_rule_executions', { ruleId: rule.ruleId, matchesPerExecution: 0 });
  expect(history.data.map((e: { mode: string }) => e.mode).sort()).toEqual(['backtest', 'backtest', 'backtest', 'backtest', 'preview']);
});

test('run_rule answers the evaluation workflowId; its execution shows in list_rule_executions', async () => {
  const rule = await call(writer, 'create_rule', notifyBody(0));
  expect((await call(reader, 'run_rule', { ruleId: rule.ruleId })).error.code).toBe('FORBIDDEN');
  const run = await call(writer, 'run_rule', { ruleId: rule.ruleId });
  expect(run).toMatchObject({ ruleId: rule.ruleId, workflowId: `meta-rule:${rule.ruleId}:${run.asOf}`, runId: expect.any(String) });
  expect((await workflowClosed(h, h.a.read, run.workflowId)).status).toBe('COMPLETED');
  const history = await call(reader, 'list_rule_executions', { ruleId: rule.ruleId, mode: 'manual' });
  expect(history.data).toHaveLength(1);
  expect(history.data[0]).toMatchObject({ workflowId: run.workflowId, asOf: run.asOf, mode: 'manual', status: 'completed' });
  expect({ acted: history.data[0].acted > 0, execution: history.data[0], facts: await accountFacts(h, account) }).toMatchObject({ acted: true });
  expect(history.data[0].matches.length).toBe(Math.min(history.data[0].matched, 50));
  // The same run through get_workflow_status, the tool an agent follows it with.
  expect(await call(reader, 'get_workflow_status', { workflowId: run.workflowId })).toMatchObject({ workflowId: run.workflowId, status: 'COMPLETED' });
});
