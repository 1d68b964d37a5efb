/**
 * /v1/rules against the real stack (PostgreSQL, Temporal with a worker, the simulator as Meta,
 * the app listening on a port), on an ad account synced through the API itself: what a caller
 * sees from create to delete, invalid specs, the confirmation of a rule that raises spend, preview
 * and backtest writing nothing to Meta and nothing but their own records, and a run whose
 * evaluation acts through a change set and shows up in the rule's executions.
 */
import { bearer, createHarness, type Harness, type InjectResponse } from './support/harness';
import { AD, budgetRaiseBody, connectAndSync, databaseSnapshot, LAST_7D, ruleBody, ruleRecords, simulatorWrites, waitFor, workflowClosed } from './support/rule-fixtures';

let h: Harness;
let account: string;

beforeAll(async () => {
  h = await createHarness({ latencyMs: 0, seed: 3, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  account = h.simulatorAccounts[0]!;
  await connectAndSync(h, h.a, account);
});
afterAll(async () => h?.close());

const send = (token: string, method: string, url: string, payload?: unknown) => h.inject({ method, url, headers: bearer(token), payload });

function expectError(response: InjectResponse, status: number, code: string): { message: string; details?: Record<string, unknown> } {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  return response.json().error;
}

const pauseRule = (threshold: number) =>
  ruleBody(account, 'Pause busy ads', [AD, LAST_7D, { field: 'impressions', operator: 'GREATER_THAN', value: threshold }], {
    execution_type: 'PAUSE',
    execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 60 }],
  });

test('create answers the rule, disabled; get and list show it; read tokens cannot create', async () => {
  const created = await send(h.a.write, 'POST', '/v1/rules', pauseRule(1000));
  expect(created.statusCode).toBe(201);
  const rule = created.json();
  expect(rule).toMatchObject({
    ruleId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    adAccountId: account,
    name: 'Pause busy ads',
    runsOn: 'service',
    status: 'DISABLED',
    raisesSpend: false,
    scheduleId: null,
    nextTicks: [],
    webhookSecret: null,
    specHash: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(rule.evaluation_spec).toEqual(pauseRule(1000).evaluation_spec);

  const got = await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}`);
  expect(got.statusCode).toBe(200);
  const { webhookSecret: _secret, ...view } = rule;
  expect(got.json()).toEqual(view);

  const listed = await send(h.a.read, 'GET', `/v1/rules?adAccountId=${account}`);
  expect(listed.statusCode).toBe(200);
  expect(listed.json().data.map((r: { ruleId: string }) => r.ruleId)).toContain(rule.ruleId);
  expect((await send(h.b.read, 'GET', '/v1/rules')).json().data).toEqual([]);

  expectError(await send(h.a.read, 'POST', '/v1/rules', pauseRule(1000)), 403, 'FORBIDDEN');
  expectError(await send(h.a.read, 'GET', '/v1/rules/not-a-uuid'), 400, 'VALIDATION_ERROR');
  expectError(await send(h.a.read, 'GET', '/v1/rules/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
});

test('invalid specs answer 400 naming the field and what is allowed, and store nothing', async () => {
  const before = await h.database.db.adRule.count();
  const cases: Array<[unknown, RegExp]> = [
    [ruleBody(account, 'x', [AD, LAST_7D, { field: 'spend', operator: 'GREATER_THAN', value: 1 }], { execution_type: 'PAUSE' }), /filters\[2\] \(spend\): unknown field spend;.*insights fields are spent/],
    [ruleBody(account, 'x', [AD, LAST_7D, { field: 'spent', operator: 'BIGGER', value: 1 }], { execution_type: 'PAUSE' }), /filters\[2\] \(spent\): unknown operator BIGGER; operators are GREATER_THAN/],
    [ruleBody(account, 'x', [AD, LAST_7D, { field: 'frequency', operator: 'GREATER_THAN', value: 2 }], { execution_type: 'PAUSE' }), /frequency is a ratio or unique metric .* cannot be summed over LAST_7D/],
    [
      ruleBody(account, 'x', [AD], { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: -10, unit: 'PERCENTAGE' } }] }),
      /CHANGE_BUDGET changes the ad set's budget; AD objects have none: use entity_type ADSET/,
    ],
    [
      ruleBody(account, 'x', [{ field: 'entity_type', operator: 'EQUAL', value: 'ADSET' }], { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 20, unit: 'PERCENTAGE' } }] }),
      /a PERCENTAGE change that raises the budget needs a limit/,
    ],
    [ruleBody(account, 'x', [AD], { execution_type: 'PAUSE' }, { schedule_type: 'WEEKLY' }), /schedule_spec\.schedule_type/],
    [{ ...pauseRule(1), evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [AD], extra: 1 } }, /evaluation_spec.*unknown field\(s\): extra/],
    [{ ...pauseRule(1), adAccountId: 'act_x' }, /adAccountId/],
  ];
  for (const [body, message] of cases) {
    const error = expectError(await send(h.a.write, 'POST', '/v1/rules', body), 400, 'VALIDATION_ERROR');
    expect(error.message).toMatch(message);
  }
  expect(await h.database.db.adRule.count()).toBe(before);
});

test('enabling a rule that raises spend needs the write scope and its specHash; without it nothing changes', async () => {
  const rule = (await send(h.a.write, 'POST', '/v1/rules', budgetRaiseBody(account))).json();
  expect(rule).toMatchObject({ status: 'DISABLED', raisesSpend: true, confirmedSpecHash: null });

  expectError(await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/enable`, { confirmSpecHash: rule.specHash }), 403, 'FORBIDDEN');
  const asked = await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/enable`);
  expect(asked.statusCode).toBe(200);
  expect(asked.json()).toMatchObject({ rule: { status: 'DISABLED' }, confirmation: { state: 'required', specHash: rule.specHash, message: expect.stringContaining(rule.specHash) } });
  const wrong = expectError(await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/enable`, { confirmSpecHash: 'a'.repeat(64) }), 409, 'CONFLICT');
  expect(wrong.message).toMatch(/confirmSpecHash does not match/);
  expect((await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}`)).json()).toMatchObject({ status: 'DISABLED', confirmedSpecHash: null });
  // Run refuses a spend-raising rule nobody confirmed.
  expectError(await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/run`), 409, 'CONFIRMATION_REQUIRED');

  const enabled = await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/enable`, { confirmSpecHash: rule.specHash });
  expect(enabled.statusCode).toBe(200);
  expect(enabled.json()).toMatchObject({ rule: { status: 'ENABLED', confirmedSpecHash: rule.specHash, enabledAt: expect.any(String) }, confirmation: { state: 'confirmed' } });
  expect(enabled.json().rule.nextTicks.length).toBeGreaterThan(0);

  // Raising the change while enabled needs a new confirmation of the new hash.
  const bigger = { execution_spec: { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 50, unit: 'PERCENTAGE', limit: 10_000_000 } }] } };
  const patched = await send(h.a.write, 'PATCH', `/v1/rules/${rule.ruleId}`, bigger);
  expect(patched.statusCode).toBe(200);
  expect(patched.json().confirmation.state).toBe('required');
  expect(patched.json().rule.specHash).toBe(rule.specHash);
  const newHash = patched.json().confirmation.specHash;
  const confirmed = await send(h.a.write, 'PATCH', `/v1/rules/${rule.ruleId}`, { ...bigger, confirmSpecHash: newHash });
  expect(confirmed.json()).toMatchObject({ rule: { specHash: newHash, confirmedSpecHash: newHash, status: 'ENABLED' }, confirmation: { state: 'confirmed' } });

  const disabled = await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/disable`);
  expect(disabled.json()).toMatchObject({ status: 'DISABLED', scheduleId: null, nextTicks: [] });
});

test('preview and backtest write nothing to Meta and nothing but their own records', async () => {
  const rule = (await send(h.a.write, 'POST', '/v1/rules', budgetRaiseBody(account))).json();
  const own = ['ad_rule_executions', 'ad_rule_matches', 'audit_events'];
  const [dbBefore, writesBefore, recordsBefore] = await Promise.all([databaseSnapshot(h, own), simulatorWrites(h), ruleRecords(h, rule.ruleId)]);
  expect(recordsBefore).toEqual({ executions: {}, matches: 0, audits: ['rule.create'] });

  const preview = await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/preview`);
  expect(preview.statusCode).toBe(200);
  const p = preview.json();
  expect(p).toMatchObject({ ruleId: rule.ruleId, status: 'completed', truncated: false });
  expect(p.counts.matched).toBeGreaterThan(0);
  expect(p.objects).toHaveLength(p.counts.matched);
  for (const o of p.objects) expect(Number(o.values.impressions)).toBeGreaterThan(0);
  // +20%, capped at 100,000.00: every change raises a budget to at most the limit.
  expect(p.changeSet.items.length).toBe(p.counts.acted);
  for (const item of p.changeSet.items) {
    const [field, change] = Object.entries(item.changes as Record<string, { before: string; after: string }>)[0]!;
    expect(field).toBe('daily_budget');
    expect(BigInt(change.after)).toBeGreaterThan(BigInt(change.before));
    expect(BigInt(change.after)).toBeLessThanOrEqual(10_000_000n);
  }
  expect(p.changeSet.requiresConfirmation).toBe(p.counts.acted > 0);

  const today = new Date().toISOString().slice(0, 10);
  const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const backtest = await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/backtest`, { from: daysAgo(6), to: daysAgo(2) });
  expect(backtest.statusCode).toBe(200);
  const b = backtest.json();
  expect(b).toMatchObject({ mode: 'inline', ruleId: rule.ruleId, workflowId: null, ticks: 5 });
  expect(b.summary.firedTicks).toBeGreaterThan(0);
  // action_frequency is a day, so each ad set acts at most once per daily tick.
  for (const fire of b.fires) expect(new Set(fire.objects.map((o: { entityId: string }) => o.entityId)).size).toBe(fire.objects.length);

  expect(await databaseSnapshot(h, own)).toEqual(dbBefore);
  expect(await simulatorWrites(h)).toBe(writesBefore);
  const after = await ruleRecords(h, rule.ruleId);
  expect(after.executions).toEqual({ preview: 1, backtest: 5 });
  expect(after.audits).toEqual(['rule.create', 'rule.backtest']);

  // Both show in the rule's history, marked as what they were.
  const executions = (await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}/executions?mode=backtest&backtestId=${b.backtestId}`)).json();
  expect(executions.data).toHaveLength(5);
  expect(executions.data.every((e: { mode: string; backtestId: string }) => e.mode === 'backtest' && e.backtestId === b.backtestId)).toBe(true);
  const previews = (await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}/executions?mode=preview`)).json();
  expect(previews.data.map((e: { executionId: string }) => e.executionId)).toEqual([p.executionId]);
  expect(previews.data[0].matches).toHaveLength(Math.min(p.counts.matched, 50));

  expectError(await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/backtest`, { from: daysAgo(2), to: daysAgo(6) }), 400, 'VALIDATION_ERROR');
  expectError(await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/backtest`, { from: 'last week', to: daysAgo(1) }), 400, 'VALIDATION_ERROR');
});

test('a long backtest runs as a workflow; its ticks land under its backtestId; still nothing sent to Meta', async () => {
  const body = { ...budgetRaiseBody(account), schedule_spec: { schedule_type: 'HOURLY' } };
  const rule = (await send(h.a.write, 'POST', '/v1/rules', body)).json();
  const own = ['ad_rule_executions', 'ad_rule_matches', 'audit_events'];
  const [dbBefore, writesBefore] = await Promise.all([databaseSnapshot(h, own), simulatorWrites(h)]);
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - 12 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.parse(`${today}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
  const started = await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/backtest`, { from, to });
  expect(started.statusCode).toBe(202);
  const b = started.json();
  expect(b).toMatchObject({ mode: 'workflow', ticks: 11 * 24, summary: null, workflowId: `meta-rule-backtest:${rule.ruleId}:${b.backtestId}` });
  expect((await workflowClosed(h, h.a.read, b.workflowId)).status).toBe('COMPLETED');
  const ticks = await waitFor(
    'backtest executions',
    async () => (await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}/executions?backtestId=${b.backtestId}&limit=100&matchesPerExecution=0`)).json(),
    (page) => page.data.length > 0,
  );
  expect(ticks.data.every((e: { mode: string }) => e.mode === 'backtest')).toBe(true);
  expect(await databaseSnapshot(h, own)).toEqual(dbBefore);
  expect(await simulatorWrites(h)).toBe(writesBefore);
});

test('run answers the evaluation workflowId; its execution shows in executions with what preview showed; delete keeps the history', async () => {
  const notify = (threshold: number) =>
    ruleBody(account, 'Busy ads', [AD, LAST_7D, { field: 'impressions', operator: 'GREATER_THAN', value: threshold }], {
      execution_type: 'NOTIFICATION',
      execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 60 }],
    });
  const draft = (await send(h.a.write, 'POST', '/v1/rules', notify(0))).json();
  // Aim at the busier third of the active ads: a threshold from what the rule sees today.
  const all = (await send(h.a.read, 'POST', `/v1/rules/${draft.ruleId}/preview`)).json();
  const impressions = all.objects.map((o: { values: { impressions: string } }) => Number(o.values.impressions)).sort((x: number, y: number) => x - y);
  expect(impressions.length).toBeGreaterThan(5);
  const threshold = impressions[Math.floor(impressions.length * 0.66)];
  const patched = await send(h.a.write, 'PATCH', `/v1/rules/${draft.ruleId}`, { evaluation_spec: notify(threshold).evaluation_spec, name: 'The busiest ads' });
  expect(patched.json()).toMatchObject({ rule: { name: 'The busiest ads', specHash: expect.not.stringMatching(draft.specHash) }, confirmation: { state: 'not_needed' } });
  const rule = patched.json().rule;

  const preview = (await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/preview`)).json();
  const expected = preview.objects.filter((o: { outcome: string }) => o.outcome === 'acted').map((o: { entityId: string }) => o.entityId).sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(impressions.length);
  expect(preview.changeSet).toMatchObject({ items: [], requiresConfirmation: false });

  expectError(await send(h.a.read, 'POST', `/v1/rules/${rule.ruleId}/run`), 403, 'FORBIDDEN');
  const writesBefore = await simulatorWrites(h);
  const run = await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/run`);
  expect(run.statusCode).toBe(202);
  const { workflowId, asOf } = run.json();
  expect(workflowId).toBe(`meta-rule:${rule.ruleId}:${asOf}`);
  expect(await workflowClosed(h, h.a.read, workflowId)).toMatchObject({ status: 'COMPLETED' });

  const executions = (await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}/executions?mode=manual&matchesPerExecution=500`)).json();
  expect(executions.data).toHaveLength(1);
  const execution = executions.data[0];
  expect(execution).toMatchObject({ workflowId, asOf, mode: 'manual', status: 'completed', matched: expected.length, acted: expected.length, skippedCooldown: 0, finishedAt: expect.any(String) });
  expect(execution.matches.map((m: { entityId: string }) => m.entityId).sort()).toEqual(expected);
  for (const m of execution.matches) expect(Number(m.values.impressions)).toBeGreaterThan(threshold);
  // A notice changes nothing on Meta.
  expect(await simulatorWrites(h)).toBe(writesBefore);

  // Delete = disable and keep history: the rule still reads, its executions stay.
  const deleted = await send(h.a.write, 'DELETE', `/v1/rules/${rule.ruleId}`);
  expect(deleted.statusCode).toBe(200);
  expect(deleted.json()).toMatchObject({ ruleId: rule.ruleId, status: 'DELETED', deletedAt: expect.any(String), scheduleId: null });
  expect((await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}`)).json()).toMatchObject({ status: 'DELETED' });
  const kept = (await send(h.a.read, 'GET', `/v1/rules/${rule.ruleId}/executions`)).json();
  expect(kept.data.map((e: { executionId: string }) => e.executionId)).toContain(execution.executionId);
  expect((await send(h.a.read, 'GET', `/v1/rules?adAccountId=${account}`)).json().data.map((r: { ruleId: string }) => r.ruleId)).not.toContain(rule.ruleId);
  expect((await send(h.a.read, 'GET', `/v1/rules?adAccountId=${account}&includeDeleted=true`)).json().data.map((r: { ruleId: string }) => r.ruleId)).toContain(rule.ruleId);
  expectError(await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/enable`), 409, 'CONFLICT');
  expectError(await send(h.a.write, 'POST', `/v1/rules/${rule.ruleId}/run`), 409, 'CONFLICT');
  expect((await send(h.a.write, 'DELETE', `/v1/rules/${rule.ruleId}`)).statusCode).toBe(200);
});

test('the OpenAPI document lists every rule route', async () => {
  const doc = h.app.swagger() as unknown as { paths: Record<string, Record<string, { tags?: string[] }>> };
  const routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/rules'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  expect(routes).toEqual(
    [
      'GET /v1/rules',
      'POST /v1/rules',
      'GET /v1/rules/{id}',
      'PATCH /v1/rules/{id}',
      'DELETE /v1/rules/{id}',
      'POST /v1/rules/{id}/enable',
      'POST /v1/rules/{id}/disable',
      'POST /v1/rules/{id}/preview',
      'POST /v1/rules/{id}/backtest',
      'POST /v1/rules/{id}/run',
      'GET /v1/rules/{id}/executions',
    ].sort(),
  );
});
