/**
 * Rules end to end, against the real Temporal server, PostgreSQL and the simulator, through the
 * operations both fronts call: notices with signed webhooks, cooldowns across ticks, a repeated
 * tick, stale metrics, preview and backtest writing nothing to Meta, a backtest equal to the same
 * ticks evaluated one by one, confirmation of rules that can raise spend, tenancy, and the rule's
 * Temporal Schedule firing at the instants the backtest walks.
 */
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Decimal from 'decimal.js';
import { ScheduleNotFoundError } from '@temporalio/client';
import { compileRule } from '../../domain/rule-validation';
import { INSIGHTS_METRICS } from '../../domain/rule-fields';
import { ruleTicks } from '../../domain/rule-schedule';
import { addDays } from '../../domain/calendar';
import { scheduleIds, workflowIds } from '../../domain/workflow-ids';
import { manualRuleEvaluationStart } from '../../domain/starts/rule-evaluation';
import type { RuleEvaluationResult, RuleBacktestSummary } from '../../domain/contracts/rule-evaluation';
import type { CompiledRule, RuleFilter } from '../../domain/rule-spec';
import { createRule, deleteRule, disableRule, enableRule, getRule, listRules, updateRule } from '../../src/operations/rules';
import { backtestRule, getRuleObjectHistory, listRuleExecutions, previewRule, runRule } from '../../src/operations/rule-runs';
import { startWorkflow } from '../../src/operations/workflows';
import type { TruthAccount } from '../../src/simulator/truth';
import { createRuleHarness, type RuleHarness } from '../support/rule-harness';
import { loadOracleData, oracleMatches, oracleMetricValues, type OracleData } from '../support/rule-oracle';

let r: RuleHarness;
let la: TruthAccount;
let data: OracleData;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
let webhook: http.Server;
let webhookUrl: string;
let webhookStatus = 200;

beforeAll(async () => {
  r = await createRuleHarness({
    seed: 31_337,
    profile: {
      name: 'rules-workflows',
      adAccounts: [
        { timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 10, adsetsPerCampaign: 3, adsPerAdset: 4 },
        { timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 3, adsetsPerCampaign: 2, adsPerAdset: 2 },
      ],
      insightsDays: 30,
      hourlyDays: 7,
    },
  });
  await r.syncAll({ hourlyDays: 2 });
  la = r.accounts.find((a) => a.timezone === 'America/Los_Angeles')!;
  data = await loadOracleData({ simUrl: r.h.sim.url, state: r.h.sim.state, adAccountId: la.id });
  webhook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(webhookStatus).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/rules`;
});

afterAll(async () => {
  webhook?.close();
  await r?.close();
});

const specOf = (filters: RuleFilter[], execution: unknown, schedule: unknown = { schedule_type: 'HOURLY' }) => ({
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters },
  execution_spec: execution,
  schedule_spec: schedule,
});

function compiled(spec: ReturnType<typeof specOf>): CompiledRule {
  const result = compileRule(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.rule;
}

/** A LAST_3D spend threshold that splits the account's active ads (their 40th percentile). */
function medianSpend(): number {
  const values = oracleMetricValues(data, 'AD', INSIGHTS_METRICS.spent!, 'LAST_3D', Date.now());
  const active = data.nodes.AD.filter((n) => data.state.effectiveStatus(n) === 'ACTIVE').map((n) => values.get(n.id)!).sort((a, b) => a.comparedTo(b));
  return active[Math.floor(active.length * 0.4)]!.floor().toNumber();
}

/** A LAST_3D spend threshold that splits the active ads with no results over LAST_3D (their 40th percentile). */
function zeroResultSpendThreshold(): number {
  const now = Date.now();
  const spent = oracleMetricValues(data, 'AD', INSIGHTS_METRICS.spent!, 'LAST_3D', now);
  const results = oracleMetricValues(data, 'AD', INSIGHTS_METRICS.results!, 'LAST_3D', now);
  const candidates = data.nodes.AD.filter((n) => data.state.effectiveStatus(n) === 'ACTIVE' && results.get(n.id)?.isZero())
    .map((n) => spent.get(n.id)!)
    .sort((a, b) => a.comparedTo(b));
  return candidates.length === 0 ? 0 : Math.max(0, candidates[Math.floor(candidates.length * 0.4)]!.ceil().toNumber() - 1);
}

async function simWrites(): Promise<number> {
  return ((await (await fetch(`${r.h.sim.url}/__sim/writes`)).json()) as { total: number }).total;
}

async function startAt(ruleId: string, ruleName: string, asOf: string): Promise<{ workflowId: string; asOf: string }> {
  const started = await startWorkflow(r.ctx, manualRuleEvaluationStart({ ruleId, ruleName, companyId: r.h.companyId, adAccountId: la.id, asOf }));
  return { workflowId: started.workflowId, asOf };
}

async function evaluateAt(ruleId: string, ruleName: string, asOf: string): Promise<RuleEvaluationResult> {
  return r.h.temporal.client.workflow.getHandle((await startAt(ruleId, ruleName, asOf)).workflowId).result();
}

/**
 * Undefined when the next 63 minutes stay in the zone's local day (the first tick is now); else an
 * instant 63 minutes before that day's midnight, so the first tick and the two after it share the day.
 */
function firstTickWithinLocalDay(timeZone: string, nowMs: number): string | undefined {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(nowMs));
  const minuteOfDay = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
  const left = 24 * 60 - minuteOfDay;
  return left > 63 ? undefined : new Date(nowMs - (63 - left) * 60_000).toISOString();
}

test('a NOTIFICATION rule notices exactly the matching ads, POSTs them signed, then holds back within action_frequency; a repeated tick attaches', async () => {
  const threshold = medianSpend();
  const filters: RuleFilter[] = [
    { field: 'entity_type', operator: 'EQUAL', value: 'AD' },
    { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' },
    { field: 'spent', operator: 'GREATER_THAN', value: threshold },
  ];
  const spec = specOf(filters, { execution_type: 'NOTIFICATION', execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 60 }] });
  const created = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'High spenders', ...spec, webhookUrl });
  expect(created.status).toBe('DISABLED');
  expect(created.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const t0 = Date.now();
  const expected = oracleMatches(data, compiled(spec), t0);
  expect(expected.length).toBeGreaterThan(2);
  expect(expected.length).toBeLessThan(data.nodes.AD.length);

  const writesBefore = await simWrites();
  const preview = await previewRule(r.ctx, r.reader, { ruleId: created.ruleId });
  expect(preview.status).toBe('completed');
  expect(preview.objects.map((o) => o.entityId)).toEqual(expected);
  expect(preview.objects.every((o) => new Decimal(o.values.spent!).gt(threshold))).toBe(true);
  expect(preview.changeSet.items).toEqual([]);

  expect((await enableRule(r.ctx, r.writer, { ruleId: created.ruleId })).confirmation.state).toBe('not_needed');
  // The three ticks (now, +30 and +61 minutes) must share the account's local day, or LAST_3D moves
  // between them: within 63 minutes of its midnight, the first tick is taken earlier that day.
  const firstTick = firstTickWithinLocalDay(la.timezone, t0);
  const run = firstTick === undefined ? await runRule(r.ctx, r.writer, { ruleId: created.ruleId }) : await startAt(created.ruleId, created.name, firstTick);
  const first: RuleEvaluationResult = await r.h.temporal.client.workflow.getHandle(run.workflowId).result();
  expect(first).toMatchObject({ status: 'completed', matched: expected.length, acted: expected.length, skippedCooldown: 0, webhook: 'delivered' });

  expect(received).toHaveLength(1);
  const { headers, body } = received[0]!;
  const signature = createHmac('sha256', created.webhookSecret!).update(`${headers['x-rule-timestamp']}.${body}`).digest('hex');
  expect(headers['x-rule-signature']).toBe(`sha256=${signature}`);
  const notice = JSON.parse(body) as { ruleId: string; objects: Array<{ id: string }>; matched: number };
  expect(notice.ruleId).toBe(created.ruleId);
  expect(notice.objects.map((o) => o.id).sort()).toEqual(expected);

  // 30 minutes later: inside action_frequency, so every match is held back.
  const second = await evaluateAt(created.ruleId, created.name, new Date(Date.parse(run.asOf) + 30 * 60_000).toISOString());
  expect(second).toMatchObject({ status: 'completed', matched: expected.length, acted: 0, skippedCooldown: expected.length });
  // 61 minutes after the first: free to act again.
  const third = await evaluateAt(created.ruleId, created.name, new Date(Date.parse(run.asOf) + 61 * 60_000).toISOString());
  expect(third).toMatchObject({ acted: expected.length, webhook: 'delivered' });
  expect(received).toHaveLength(2);

  // The same tick again: same execution, nothing re-evaluated, no second notice.
  const again = await evaluateAt(created.ruleId, created.name, run.asOf);
  expect(again.executionId).toBe(first.executionId);
  expect(received).toHaveLength(2);
  expect(await simWrites()).toBe(writesBefore);

  const executions = await listRuleExecutions(r.ctx, r.reader, { ruleId: created.ruleId, mode: 'manual' });
  expect(executions.data.map((e) => [e.acted, e.skippedCooldown])).toEqual([[expected.length, 0], [0, expected.length], [expected.length, 0]]);
  expect(executions.data[2]!.matches.map((m) => m.entityId)).toEqual(expected);
  const history = await getRuleObjectHistory(r.ctx, r.reader, { entityId: expected[0]!, ruleId: created.ruleId });
  expect(history.data.filter((d) => d.mode === 'manual').map((d) => d.outcome)).toEqual(['acted', 'cooldown', 'acted']);
});

test('a webhook that refuses the notice leaves it recorded as failed; the evaluation still completes', async () => {
  webhookStatus = 410;
  try {
    const spec = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'CAMPAIGN' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_7D' }, { field: 'impressions', operator: 'GREATER_THAN', value: 0 }], { execution_type: 'NOTIFICATION' });
    const rule = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Refused webhook', ...spec, webhookUrl });
    const result = await r.h.temporal.client.workflow.getHandle((await runRule(r.ctx, r.writer, { ruleId: rule.ruleId })).workflowId).result();
    expect(result).toMatchObject({ status: 'completed', webhook: 'failed' });
    expect(result.acted).toBeGreaterThan(0);
    const notice = await r.h.database.db.adRuleNotification.findUniqueOrThrow({ where: { executionId: result.executionId } });
    expect(notice).toMatchObject({ webhookStatus: 'failed', attempts: 1 });
  } finally {
    webhookStatus = 200;
  }
});

test('stale metrics: a rule over TODAY acts on nothing when the hourly pull is older than 90 minutes', async () => {
  const spec = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'TODAY' }, { field: 'impressions', operator: 'GREATER_THAN', value: 0 }], { execution_type: 'NOTIFICATION' });
  const rule = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Today delivering', ...spec });
  const fresh = await r.h.temporal.client.workflow.getHandle((await runRule(r.ctx, r.writer, { ruleId: rule.ruleId })).workflowId).result();
  expect(fresh.acted).toBeGreaterThan(0);

  await r.h.database.db.$executeRaw`UPDATE metrics_sync_checkpoints SET completed_at = now() - interval '2 hours' WHERE ad_account_id = ${la.id} AND grain = 'hourly'`;
  const stale = await r.h.temporal.client.workflow.getHandle((await runRule(r.ctx, r.writer, { ruleId: rule.ruleId })).workflowId).result();
  expect(stale).toMatchObject({ status: 'stale_metrics', matched: 0, acted: 0 });
  expect(stale.reason).toMatch(/today's hourly metrics were last read 1\d\d minutes before the evaluation \(at most 90 allowed\)/);
  expect(await r.h.database.db.adRuleNotification.count({ where: { executionId: stale.executionId } })).toBe(0);
  await r.h.database.db.$executeRaw`UPDATE metrics_sync_checkpoints SET completed_at = now() WHERE ad_account_id = ${la.id} AND grain = 'hourly'`;
});

test('a 20-day backtest writes nothing to Meta and equals the same ticks evaluated one by one; the workflow path gives the same summary', async () => {
  const spec = specOf(
    [{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' }, { field: 'spent', operator: 'GREATER_THAN', value: medianSpend() }],
    { execution_type: 'NOTIFICATION', execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 2 * 1440 }, { field: 'execution_count_limit', operator: 'EQUAL', value: 3 }] },
    { schedule_type: 'DAILY' },
  );
  const ruleA = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Backtested', ...spec });
  const ruleB = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Run tick by tick', ...spec });
  const from = addDays(la.today, -20);
  const to = addDays(la.today, -1);
  const writesBefore = await simWrites();
  const backtest = await backtestRule(r.ctx, r.reader, { ruleId: ruleA.ruleId, from, to });
  expect(backtest).toMatchObject({ mode: 'inline', ticks: 20, truncated: false });
  expect(backtest.summary!.firedTicks).toBeGreaterThan(3);
  expect(backtest.summary!.unevaluatedTicks).toBe(0);
  expect(await simWrites()).toBe(writesBefore);

  const ticks = ruleTicks({ schedule: compiled(spec).schedule, timeZone: la.timezone, fromMs: Date.parse(backtest.from), toMs: Date.parse(backtest.to) });
  expect(ticks).toHaveLength(20);
  const fired = new Map(backtest.fires.map((f) => [f.asOf, f.objects.map((o) => o.entityId)]));
  const countLimited = new Set<string>();
  for (const tick of ticks) {
    const asOf = new Date(tick).toISOString();
    const result = await evaluateAt(ruleB.ruleId, ruleB.name, asOf);
    expect(result.status).toBe('completed');
    const executions = await listRuleExecutions(r.ctx, r.reader, { ruleId: ruleB.ruleId, mode: 'manual', limit: 1, matchesPerExecution: 500 });
    const acted = executions.data[0]!.matches.filter((m) => m.outcome === 'acted').map((m) => m.entityId);
    for (const m of executions.data[0]!.matches) if (m.outcome === 'count_limit') countLimited.add(m.entityId);
    expect({ asOf, acted }).toEqual({ asOf, acted: fired.get(asOf) ?? [] });
  }
  // Both limits were exercised: objects skipped for cooldown and for the count limit.
  expect(countLimited.size).toBeGreaterThan(0);
  const backtestRows = await listRuleExecutions(r.ctx, r.reader, { ruleId: ruleA.ruleId, mode: 'backtest', limit: 100, matchesPerExecution: 0 });
  expect(backtestRows.data.reduce((n, e) => n + e.skippedCooldown, 0)).toBeGreaterThan(0);
  expect(backtest.fires.flatMap((f) => f.objects).every((o) => new Decimal(o.spendAfterMinor!).gte(0))).toBe(true);

  const long = await backtestRule(r.ctxWith({ rules: { backtestInlineTicks: 5 } }), r.reader, { ruleId: ruleA.ruleId, from, to });
  expect(long).toMatchObject({ mode: 'workflow', ticks: 20, summary: null });
  const summary: RuleBacktestSummary = await r.h.temporal.client.workflow.getHandle(long.workflowId!).result();
  expect(summary).toMatchObject({ ticks: 20, ...backtest.summary });
  expect(await simWrites()).toBe(writesBefore);
});

test('a rule that can turn delivery on is enabled only with its specHash, by a write token; changes need a new confirmation', async () => {
  const spec = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'effective_status', operator: 'IN', value: ['PAUSED'] }, { field: 'name', operator: 'CONTAIN', value: 'zzz-no-such-ad' }], { execution_type: 'UNPAUSE' });
  const rule = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Resume', ...spec });
  expect(rule.raisesSpend).toBe(true);
  await expect(enableRule(r.ctx, r.reader, { ruleId: rule.ruleId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  const asked = await enableRule(r.ctx, r.writer, { ruleId: rule.ruleId });
  expect(asked.confirmation).toMatchObject({ state: 'required', specHash: rule.specHash });
  expect(asked.rule.status).toBe('DISABLED');
  await expect(runRule(r.ctx, r.writer, { ruleId: rule.ruleId })).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
  await expect(enableRule(r.ctx, r.writer, { ruleId: rule.ruleId, confirmSpecHash: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'CONFLICT' });
  const enabled = await enableRule(r.ctx, r.writer, { ruleId: rule.ruleId, confirmSpecHash: rule.specHash });
  expect(enabled.confirmation.state).toBe('confirmed');
  expect(enabled.rule).toMatchObject({ status: 'ENABLED', confirmedSpecHash: rule.specHash });

  expect((await updateRule(r.ctx, r.writer, { ruleId: rule.ruleId, name: 'Resume paused ads' })).confirmation.state).toBe('confirmed');
  const newFilters = { ...spec.evaluation_spec, filters: [...spec.evaluation_spec.filters, { field: 'hours_since_creation', operator: 'GREATER_THAN', value: 24 }] };
  const changed = await updateRule(r.ctx, r.writer, { ruleId: rule.ruleId, evaluation_spec: newFilters });
  expect(changed.confirmation.state).toBe('required');
  expect((await getRule(r.ctx, r.reader, { ruleId: rule.ruleId })).evaluation_spec).toEqual(spec.evaluation_spec);
  const confirmed = await updateRule(r.ctx, r.writer, { ruleId: rule.ruleId, evaluation_spec: newFilters, confirmSpecHash: changed.confirmation.specHash });
  expect(confirmed.rule).toMatchObject({ specHash: changed.confirmation.specHash, confirmedSpecHash: changed.confirmation.specHash, status: 'ENABLED' });
  expect((await disableRule(r.ctx, r.writer, { ruleId: rule.ruleId })).status).toBe('DISABLED');
});

test("another company's token sees no rule of ours; bad specs are refused naming the field", async () => {
  const spec = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'ADSET' }], { execution_type: 'PAUSE' });
  const rule = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Private', ...spec });
  for (const call of [getRule, previewRule, enableRule, disableRule, deleteRule, runRule] as const) {
    await expect(call(r.ctx, r.outsider, { ruleId: rule.ruleId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }
  await expect(backtestRule(r.ctx, r.outsider, { ruleId: rule.ruleId, from: addDays(la.today, -2), to: addDays(la.today, -1) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(listRuleExecutions(r.ctx, r.outsider, { ruleId: rule.ruleId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(updateRule(r.ctx, r.outsider, { ruleId: rule.ruleId, name: 'mine now' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(createRule(r.ctx, r.outsider, { adAccountId: la.id, name: 'Into theirs', ...spec })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  expect((await listRules(r.ctx, r.outsider, {})).data).toEqual([]);
  await expect(createRule(r.ctx, r.reader, { adAccountId: la.id, name: 'Read only', ...spec })).rejects.toMatchObject({ code: 'FORBIDDEN' });

  const bad = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_7D' }, { field: 'cost_per_result', operator: 'LESS_THAN', value: 100 }], { execution_type: 'PAUSE' });
  await expect(createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Typo', ...bad })).rejects.toMatchObject({
    code: 'VALIDATION_ERROR',
    message: expect.stringMatching(/filters\[2\] \(cost_per_result\): unknown field cost_per_result; .*insights fields are .*cost_per,/),
  });

  const mine = await listRules(r.ctx, r.reader, { adAccountId: la.id });
  expect(mine.data.map((d) => d.ruleId)).toContain(rule.ruleId);
  // Ours runs on the service; the rest are the account's own rules on Meta, mirrored by the syncs.
  expect(mine.data.find((d) => d.ruleId === rule.ruleId)?.runsOn).toBe('service');
  const deleted = await deleteRule(r.ctx, r.writer, { ruleId: rule.ruleId });
  expect(deleted.status).toBe('DELETED');
  expect((await listRules(r.ctx, r.reader, { adAccountId: la.id })).data.map((d) => d.ruleId)).not.toContain(rule.ruleId);
  expect((await listRules(r.ctx, r.reader, { adAccountId: la.id, includeDeleted: true })).data.map((d) => d.ruleId)).toContain(rule.ruleId);
});

test("an enabled rule's Schedule ticks in the account's zone at the instants the backtest walks; disabling removes it", async () => {
  const ctx = r.ctxWith({ schedulesEnabled: true });
  const spec = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'CAMPAIGN' }], { execution_type: 'NOTIFICATION' }, { schedule_type: 'SEMI_HOURLY' });
  const rule = await createRule(ctx, r.writer, { adAccountId: la.id, name: 'Scheduled', ...spec });
  const enabled = await enableRule(ctx, r.writer, { ruleId: rule.ruleId });
  expect(enabled.rule.scheduleId).toBe(scheduleIds.rule(rule.ruleId));
  try {
    const description = await r.h.temporal.client.schedule.getHandle(scheduleIds.rule(rule.ruleId)).describe();
    expect(description.spec.timezone).toBe('America/Los_Angeles');
    expect(description.policies.overlap).toBe('SKIP');
    const next = description.info.nextActionTimes.slice(0, 6).map((d) => d.toISOString());
    const expected = ruleTicks({ schedule: compiled(spec).schedule, timeZone: la.timezone, fromMs: Date.now() - 1000, toMs: Date.now() + 86_400_000 }).map((t) => new Date(t).toISOString());
    expect(next).toEqual(expected.filter((t) => t >= next[0]!).slice(0, 6));
    expect(enabled.rule.nextTicks.slice(0, 2)).toEqual(next.slice(0, 2));
  } finally {
    await disableRule(ctx, r.writer, { ruleId: rule.ruleId });
  }
  await expect(r.h.temporal.client.schedule.getHandle(scheduleIds.rule(rule.ruleId)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
});

test("a rule of a company whose ad account another company has since taken over acts on nothing: its tick is skipped, naming why", async () => {
  const berlin = r.accounts.find((a) => a.timezone === 'Europe/Berlin')!;
  const spec = specOf([{ field: 'entity_type', operator: 'EQUAL', value: 'CAMPAIGN' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_7D' }, { field: 'impressions', operator: 'GREATER_THAN', value: 0 }], { execution_type: 'NOTIFICATION' });
  const rule = await createRule(r.ctx, r.writer, { adAccountId: berlin.id, name: 'Before the takeover', ...spec, webhookUrl });
  const evaluate = async (asOf: string): Promise<RuleEvaluationResult> => {
    const started = await startWorkflow(r.ctx, manualRuleEvaluationStart({ ruleId: rule.ruleId, ruleName: rule.name, companyId: r.h.companyId, adAccountId: berlin.id, asOf }));
    return r.h.temporal.client.workflow.getHandle(started.workflowId).result();
  };
  const db = r.h.database.db;
  const other = await db.company.create({ data: { name: 'Took the account over' } });
  // What connect does when another company proves access to the disconnected account (test/api/ad-account-ownership.test.ts).
  await db.adAccount.update({ where: { id: berlin.id }, data: { companyId: other.id } });
  const noticesBefore = received.length;
  try {
    const result = await evaluate(new Date().toISOString());
    expect(result).toMatchObject({ status: 'skipped', matched: 0, acted: 0 });
    const execution = await db.adRuleExecution.findUniqueOrThrow({ where: { id: result.executionId } });
    expect(execution.detail).toEqual({ reason: 'the ad account is now connected by another company' });
    expect(received).toHaveLength(noticesBefore);
  } finally {
    await db.adAccount.update({ where: { id: berlin.id }, data: { companyId: r.h.companyId } });
  }
});

test('a PAUSE rule over LAST_3D pauses exactly the expected ads on Meta through one change set, once; the next tick within action_frequency acts on nothing', async () => {
  // Split the ads with no results: the threshold of the account's active ads in general left none
  // over some days' LAST_3D window (the test then failed for a whole local day).
  const threshold = zeroResultSpendThreshold();
  const filters: RuleFilter[] = [
    { field: 'entity_type', operator: 'EQUAL', value: 'AD' },
    { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' },
    { field: 'spent', operator: 'GREATER_THAN', value: threshold },
    { field: 'results', operator: 'EQUAL', value: 0 },
  ];
  const spec = specOf(filters, { execution_type: 'PAUSE', execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 120 }] });
  const rule = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Pause spenders without results', ...spec });
  const expected = oracleMatches(data, compiled(spec), Date.now());
  expect(expected.length).toBeGreaterThan(0);
  await enableRule(r.ctx, r.writer, { ruleId: rule.ruleId, confirmSpecHash: rule.specHash });
  const writesBefore = await simWrites();

  const run = await runRule(r.ctx, r.writer, { ruleId: rule.ruleId });
  const first: RuleEvaluationResult = await r.h.temporal.client.workflow.getHandle(run.workflowId).result();
  expect(first).toMatchObject({ status: 'completed', matched: expected.length, acted: expected.length });
  expect(first.changeSetId).toBeDefined();
  // The Temporal UI names the rule's run and its change-set child by the rule, the account and the company.
  const { name: accountName } = await r.h.database.db.adAccount.findUniqueOrThrow({ where: { id: la.id } });
  const evaluation = await r.h.temporal.client.workflow.getHandle(run.workflowId).describe();
  expect(await evaluation.staticSummary()).toBe(`Rule "Pause spenders without results" on ${accountName} (${la.id}), evaluated by hand as of ${run.asOf}`);
  const child = await r.h.temporal.client.workflow.getHandle(workflowIds.changeSet(first.changeSetId!)).describe();
  expect(child.parentExecution?.workflowId).toBe(run.workflowId);
  expect(await child.staticSummary()).toMatch(new RegExp(`^Change ${expected.length} objects? of ${accountName} \\(${la.id}\\)(, .*)?, by rule "Pause spenders without results"$`));
  expect(child.memo).toMatchObject({ changeSetId: first.changeSetId, accountName, companyName: 'Sim Company' });
  // One write per paused ad, and Meta has them paused.
  expect((await simWrites()) - writesBefore).toBe(expected.length);
  const truth = await r.h.truth(la.id);
  for (const id of expected) expect(truth.objects.ads.find((o) => o.id === id)).toMatchObject({ status: 'PAUSED' });
  const db = r.h.database.db;
  expect((await db.ad.findMany({ where: { id: { in: expected } } })).map((a) => a.status)).toEqual(expected.map(() => 'PAUSED'));
  const history = await db.changeHistory.findMany({ where: { entityId: { in: expected }, field: 'status' } });
  expect(history.filter((h) => h.source === 'rule').map((h) => h.entityId).sort()).toEqual([...expected].sort());
  const execution = await db.adRuleExecution.findUniqueOrThrow({ where: { id: first.executionId } });
  expect(execution).toMatchObject({ changeSetId: first.changeSetId, status: 'completed' });
  expect(await db.bulkRequest.findUniqueOrThrow({ where: { id: first.changeSetId! } })).toMatchObject({ source: 'rule', status: 'completed' });

  // The next tick, inside action_frequency: the paused ads no longer match the implied ACTIVE filter or are held back; nothing is written.
  const next = await evaluateAt(rule.ruleId, rule.name, new Date(Date.parse(run.asOf) + 60 * 60_000).toISOString());
  expect(next.acted).toBe(0);
  expect(next.changeSetId).toBeUndefined();
  expect((await simWrites()) - writesBefore).toBe(expected.length);
  await disableRule(r.ctx, r.writer, { ruleId: rule.ruleId });
});

test('CHANGE_BUDGET +20 % with a limit stops at the limit on Meta', async () => {
  const db = r.h.database.db;
  const adset = await db.adSet.findFirstOrThrow({ where: { adAccountId: la.id, status: 'ACTIVE', effectiveStatus: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' } });
  const before = BigInt(adset.dailyBudget!.times(100).toFixed(0));
  const limit = Number(before + before / 10n); // +10 %: below what +20 % asks
  const spec = specOf(
    [{ field: 'entity_type', operator: 'EQUAL', value: 'ADSET' }, { field: 'id', operator: 'IN', value: [adset.id] }],
    { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 20, unit: 'PERCENTAGE', limit } }] },
  );
  const rule = await createRule(r.ctx, r.writer, { adAccountId: la.id, name: 'Raise to the limit', ...spec });
  await enableRule(r.ctx, r.writer, { ruleId: rule.ruleId, confirmSpecHash: rule.specHash });
  const run = await runRule(r.ctx, r.writer, { ruleId: rule.ruleId });
  const result: RuleEvaluationResult = await r.h.temporal.client.workflow.getHandle(run.workflowId).result();
  expect(result).toMatchObject({ status: 'completed', matched: 1, acted: 1 });
  const truth = await r.h.truth(la.id);
  expect(String(truth.objects.adsets.find((o) => o.id === adset.id)!.daily_budget)).toBe(String(limit));
  await disableRule(r.ctx, r.writer, { ruleId: rule.ruleId });
});
