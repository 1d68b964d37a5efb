/**
 * Running rules: preview (what it matches now and the change set it would make; nothing is
 * sent, only the preview's own execution is recorded), backtest (the rule at each tick over
 * stored history; inline when short, a workflow when long), run now (a ruleEvaluationWorkflow
 * that acts), and the history of evaluations, per rule and per object.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { addDays, hourStartInstant, isCalendarDay } from '../../domain/calendar';
import { LEVEL_OF_ENTITY } from '../../domain/rule-spec';
import { manualRuleEvaluationStart, ruleBacktestStart } from '../../domain/starts/rule-evaluation';
import { loadAdAccountFacts } from '../db/ad-account-repository';
import type { Prisma } from '../db/prisma-client';
import { backtestTicks, runBacktest } from '../db/rule-backtest';
import { compileStoredRule, countOutcomes, evaluateRule, evaluationAccount } from '../db/rule-evaluation';
import { listExecutions, listMatchesOf, listObjectMatches, openExecution, recordExecution } from '../db/rule-execution-repository';
import { loadStartNames } from '../db/company-repository';
import { loadOwnedRule, type RuleRow } from '../db/rule-repository';
import { ConfirmationRequiredError, ConflictError, ValidationError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { decodeCursor, encodeCursor, type Page } from './paging';
import { toMatchView } from './rule-views';
import {
  backtestRuleInput, listRuleExecutionsInput, ruleObjectHistoryInput, ruleRefInput,
  type backtestView, type ruleExecutionView, type ruleObjectHistoryView, type rulePreviewView, type runRuleView,
} from './schemas/rules';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';
import { startWorkflow } from './workflows';

type Meta = { requestId?: string };
/** Objects listed in a preview answer (the counts cover all). */
const PREVIEW_OBJECTS = 500;
/** Longest backtest range. */
const MAX_BACKTEST_DAYS = 92;

function requireEvaluable(rule: RuleRow): void {
  if (rule.origin !== 'service') throw new ConflictError(`Rule ${rule.id} runs on Meta; this service does not evaluate it`, { ruleId: rule.id, runsOn: 'meta' });
  if (rule.status === 'DELETED') throw new ConflictError(`Rule ${rule.id} is deleted`, { ruleId: rule.id, status: 'DELETED' });
}

/** What the rule matches now and the change set it would make (before → after); nothing goes to Meta. */
export async function previewRule(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<z.infer<typeof rulePreviewView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(ruleRefInput, raw);
  const rule = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  requireEvaluable(rule);
  const compiled = compileStoredRule(rule);
  const account = evaluationAccount(await loadAdAccountFacts(ctx.db, rule.adAccountId));
  const asOf = new Date();
  const evaluation = await evaluateRule(ctx.db, { ruleId: rule.id, rule: compiled, account, asOfMs: asOf.getTime(), freshness: 'live', maxMetricsAgeMinutes: ctx.config.rules.maxMetricsAgeMinutes });
  const { execution } = await openExecution(ctx.db, { ruleId: rule.id, asOf, mode: 'preview', specHash: rule.specHash });
  const counts = countOutcomes(evaluation.objects);
  await recordExecution(ctx.db, {
    executionId: execution.id,
    ruleId: rule.id,
    asOf,
    status: evaluation.fresh ? 'completed' : 'stale_metrics',
    counts,
    metricsReadAt: evaluation.fresh ? evaluation.metricsReadAt ?? null : null,
    detail: evaluation.fresh ? undefined : { reason: evaluation.reason },
    matches: evaluation.objects.map((o) => ({ entityType: compiled.entityType, entityId: o.entityId, values: o.values, outcome: o.outcome, change: o.change as Prisma.InputJsonValue | undefined })),
  });
  const items = evaluation.objects.filter((o) => o.outcome === 'acted' && o.change).map((o) => ({ entityId: o.entityId, level: LEVEL_OF_ENTITY[compiled.entityType], changes: o.change! }));
  let turnedOff = 0;
  let turnedOn = 0;
  let budgetDelta = 0n;
  let bidDelta = 0n;
  for (const item of items) {
    for (const [field, { before, after }] of Object.entries(item.changes)) {
      if (field === 'status') {
        if (after === 'PAUSED') turnedOff++;
        else turnedOn++;
      }
      else if (field === 'bid_amount') bidDelta += BigInt(after) - BigInt(before ?? '0');
      else budgetDelta += BigInt(after) - BigInt(before ?? '0');
    }
  }
  return {
    ruleId: rule.id,
    executionId: execution.id,
    asOf: asOf.toISOString(),
    status: evaluation.fresh ? 'completed' : 'stale_metrics',
    reason: evaluation.fresh ? null : evaluation.reason,
    counts,
    objects: evaluation.objects.slice(0, PREVIEW_OBJECTS).map((o) => ({ entityId: o.entityId, name: o.name, values: o.values, outcome: o.outcome, change: o.change ?? null })),
    truncated: evaluation.objects.length > PREVIEW_OBJECTS,
    changeSet: { items, totals: { turnedOff, turnedOn, budgetDeltaMinor: budgetDelta.toString(), bidDeltaMinor: bidDelta.toString() }, requiresConfirmation: turnedOn > 0 || budgetDelta > 0n || bidDelta > 0n },
  };
}

/** A range bound as an instant: a local day is its local midnight (an end day: the next midnight). */
function boundOf(value: string, timeZone: string, end: boolean): number {
  if (isCalendarDay(value)) return Date.parse(hourStartInstant(end ? addDays(value, 1) : value, 0, timeZone));
  return Date.parse(value);
}

/**
 * The rule at each tick of its schedule over [from, to] of stored history, with cooldown and count
 * limits: when it would have fired, on which objects, their spend afterwards. Short ranges answer
 * inline; longer ones start `ruleBacktestWorkflow` and answer its id. Nothing goes to Meta.
 */
export async function backtestRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<z.infer<typeof backtestView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(backtestRuleInput, raw);
  const rule = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  requireEvaluable(rule);
  const compiled = compileStoredRule(rule);
  const account = evaluationAccount(await loadAdAccountFacts(ctx.db, rule.adAccountId));
  const fromMs = boundOf(input.from, account.timeZone, false);
  const toMs = Math.min(boundOf(input.to, account.timeZone, true), Date.now());
  if (!(fromMs < toMs)) throw new ValidationError('"from" must be before "to" (and before now)', { field: 'to' });
  if (toMs - fromMs > MAX_BACKTEST_DAYS * 86_400_000) throw new ValidationError(`a backtest may span at most ${MAX_BACKTEST_DAYS} days`, { field: 'to' });
  const ticks = backtestTicks(compiled, account, fromMs, toMs);
  const backtestId = randomUUID();
  const base = { backtestId, ruleId: rule.id, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), ticks: ticks.length };
  await recordAudit(ctx, actor, { action: 'rule.backtest', targetType: 'rule', targetId: rule.id, details: { backtestId, from: base.from, to: base.to, ticks: ticks.length }, requestId: meta.requestId });
  if (ticks.length > ctx.config.rules.backtestInlineTicks) {
    const started = await startWorkflow(
      ctx,
      ruleBacktestStart({
        ruleId: rule.id, ruleName: rule.name, companyId: rule.companyId, adAccountId: rule.adAccountId, backtestId, from: base.from, to: base.to,
        ...(await loadStartNames(ctx.db, { companyId: rule.companyId, adAccountId: rule.adAccountId })),
      }),
    );
    return { mode: 'workflow', ...base, workflowId: started.workflowId, summary: null, fires: [], truncated: false };
  }
  const result = await runBacktest(ctx.db, { ruleId: rule.id, specHash: rule.specHash, rule: compiled, account, backtestId, fromMs, toMs });
  return {
    mode: 'inline',
    ...base,
    workflowId: null,
    summary: { firedTicks: result.firedTicks, unevaluatedTicks: result.unevaluatedTicks, actions: result.actions, objects: result.objects, spendAfterMinor: result.spendAfterMinor },
    fires: result.fires.map((f) => ({ asOf: f.asOf, objects: f.objects.map((o) => ({ entityId: o.entityId, name: o.name, values: o.values, outcome: 'acted', change: o.change ?? null, spendAfterMinor: o.spendAfterMinor })) })),
    truncated: result.truncated,
  };
}

/** Evaluates the rule now and acts (a ruleEvaluationWorkflow); answers its workflow id. */
export async function runRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<z.infer<typeof runRuleView>> {
  requireScope(actor, Scope.Write);
  const input = parseInput(ruleRefInput, raw);
  const rule = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  requireEvaluable(rule);
  compileStoredRule(rule);
  if (rule.raisesSpend && rule.confirmedSpecHash !== rule.specHash) {
    throw new ConfirmationRequiredError('This rule can raise spend or turn delivery on: enable it with confirmSpecHash first, then run it', { ruleId: rule.id, specHash: rule.specHash });
  }
  const asOf = new Date().toISOString();
  const names = await loadStartNames(ctx.db, { companyId: rule.companyId, adAccountId: rule.adAccountId });
  const started = await startWorkflow(ctx, manualRuleEvaluationStart({ ruleId: rule.id, ruleName: rule.name, companyId: rule.companyId, adAccountId: rule.adAccountId, asOf, ...names }));
  await recordAudit(ctx, actor, { action: 'rule.run', targetType: 'rule', targetId: rule.id, details: { workflowId: started.workflowId, asOf }, requestId: meta.requestId });
  return { ruleId: rule.id, asOf, workflowId: started.workflowId, runId: started.runId };
}

/** The rule's evaluations, newest first, each with its matched objects. */
export async function listRuleExecutions(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<z.infer<typeof ruleExecutionView>>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listRuleExecutionsInput, raw);
  await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  const cursor = decodeCursor(input.cursor, ['asOf', 'id'] as const);
  const rows = await listExecutions(ctx.db, {
    ruleId: input.ruleId,
    mode: input.mode,
    backtestId: input.backtestId,
    before: cursor ? { asOf: new Date(cursor.asOf), id: cursor.id } : undefined,
    take: input.limit + 1,
  });
  const more = rows.length > input.limit;
  const kept = more ? rows.slice(0, input.limit) : rows;
  const matches = input.matchesPerExecution > 0 ? await listMatchesOf(ctx.db, kept.map((r) => r.id), input.matchesPerExecution) : new Map();
  const last = kept[kept.length - 1];
  return {
    data: kept.map((r) => ({
      executionId: r.id,
      asOf: r.asOf.toISOString(),
      mode: r.mode,
      status: r.status,
      workflowId: r.workflowId,
      backtestId: r.backtestId,
      matched: r.matchedCount,
      acted: r.actedCount,
      skippedCooldown: r.skippedCooldownCount,
      skippedOther: r.skippedOtherCount,
      changeSetId: r.changeSetId,
      metricsReadAt: r.metricsReadAt?.toISOString() ?? null,
      detail: r.detail ?? null,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      matches: (matches.get(r.id) ?? []).map(toMatchView),
    })),
    nextCursor: more && last ? encodeCursor({ asOf: last.asOf.toISOString(), id: last.id }) : null,
  };
}

/** One object's history under the company's rules (or one rule), newest first. */
export async function getRuleObjectHistory(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<z.infer<typeof ruleObjectHistoryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(ruleObjectHistoryInput, raw);
  if (input.ruleId) await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  const rows = await listObjectMatches(ctx.db, { companyId: actor.companyId, entityId: input.entityId, ruleId: input.ruleId, take: input.limit });
  return {
    entityId: input.entityId,
    data: rows.map((r) => ({ ruleId: r.ruleId, executionId: r.executionId, asOf: r.asOf.toISOString(), mode: r.mode, outcome: r.outcome, values: r.values, change: r.change ?? null })),
  };
}
