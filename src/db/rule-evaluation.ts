/**
 * One evaluation of a rule at an instant, the same for the scheduled workflow, a run by hand, a
 * preview and each tick of a backtest: the freshness verdict, the one SQL statement, then the
 * pure per-object verdicts (cooldown and count limit, then the change the action asks for).
 */
import { compileRule } from '../../domain/rule-validation';
import { cooldownOutcome, planAction, type ActionHistory, type FieldChanges, type ObjectSnapshot } from '../../domain/rule-actions';
import { freshnessDays, freshnessVerdict, type DayReads } from '../../domain/rule-freshness';
import { LEVEL_OF_ENTITY, type CompiledRule, type MatchOutcome } from '../../domain/rule-spec';
import { ValidationError } from '../errors';
import { currencyOffset } from '../meta/money';
import type { Db } from './prisma-client';
import { evaluateRuleMatches, readDayReads } from './rule-evaluation-sql';

/** A rule compiled from its stored specs; a stored rule that no longer compiles is a ValidationError naming why. */
export function compileStoredRule(row: { id: string; evaluationSpec: unknown; executionSpec: unknown; scheduleSpec: unknown }): CompiledRule {
  const result = compileRule({ evaluation_spec: row.evaluationSpec, execution_spec: row.executionSpec, schedule_spec: row.scheduleSpec });
  if (!result.ok) throw new ValidationError(`Rule ${row.id} is not valid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues: result.issues });
  return result.rule;
}

/** The account facts an evaluation needs. */
export interface EvaluationAccount {
  adAccountId: string;
  timeZone: string;
  currency: string;
}

/** The account's zone and currency (UTC / USD until the first account read filled them in). */
export function evaluationAccount(facts: { id: string; timezoneName: string | null; currency: string | null }): EvaluationAccount {
  return { adAccountId: facts.id, timeZone: facts.timezoneName ?? 'UTC', currency: facts.currency ?? 'USD' };
}

export interface EvaluatedObject {
  entityId: string;
  name: string | null;
  values: Record<string, string | null>;
  outcome: MatchOutcome;
  change?: FieldChanges;
  snapshot: ObjectSnapshot;
}

export type RuleEvaluation =
  | { fresh: false; reason: string; objects: [] }
  | { fresh: true; metricsReadAt?: Date; objects: EvaluatedObject[] };

export interface EvaluateRuleInput {
  /** Joins the rule's cooldown state from ad_rule_object_state; omit to use `history` instead. */
  ruleId?: string;
  rule: CompiledRule;
  account: EvaluationAccount;
  asOfMs: number;
  /** live: freshness by age (scheduled, manual, preview); history: only that rows were stored (backtest). */
  freshness: 'live' | 'history';
  maxMetricsAgeMinutes: number;
  /** Cooldown state to use instead of the stored one (backtests carry their own). */
  history?: ReadonlyMap<string, ActionHistory>;
  /** What earlier ticks of a backtest changed: objects it paused drop out of a status filter they no longer pass. */
  overrides?: ReadonlyMap<string, Partial<ObjectSnapshot>>;
  /** The metrics sync's reads, when the caller loaded them for many ticks at once. */
  reads?: ReadonlyMap<string, DayReads>;
}

/** Counts of an evaluation, as ad_rule_executions records them. */
export function countOutcomes(objects: readonly EvaluatedObject[]): { matched: number; acted: number; skippedCooldown: number; skippedOther: number } {
  let acted = 0;
  let cooldown = 0;
  for (const o of objects) {
    if (o.outcome === 'acted') acted++;
    else if (o.outcome === 'cooldown' || o.outcome === 'count_limit') cooldown++;
  }
  return { matched: objects.length, acted, skippedCooldown: cooldown, skippedOther: objects.length - acted - cooldown };
}

function passesStatus(rule: CompiledRule, effectiveStatus: string): boolean {
  const listed = rule.status.values.includes(effectiveStatus);
  return rule.status.operator === 'IN' ? listed : !listed;
}

/** Evaluates a rule at an instant: which objects match, and what it would do to each. */
export async function evaluateRule(db: Db, input: EvaluateRuleInput): Promise<RuleEvaluation> {
  const { rule, account, asOfMs } = input;
  const level = LEVEL_OF_ENTITY[rule.entityType];
  const reads = input.reads ?? (await readDayReads(db, { adAccountId: account.adAccountId, level, days: freshnessDays(rule, asOfMs, account.timeZone) }));
  const verdict = freshnessVerdict({ rule, asOfMs, timeZone: account.timeZone, maxAgeMinutes: input.maxMetricsAgeMinutes, reads, mode: input.freshness });
  if (!verdict.fresh) return { fresh: false, reason: verdict.reason, objects: [] };
  const rows = await evaluateRuleMatches(db, {
    adAccountId: account.adAccountId,
    ruleId: input.history ? undefined : input.ruleId,
    rule,
    asOfMs,
    timeZone: account.timeZone,
    currencyOffset: currencyOffset(account.currency),
  });
  const objects: EvaluatedObject[] = [];
  for (const row of rows) {
    const override = input.overrides?.get(row.entityId);
    const snapshot: ObjectSnapshot = {
      status: row.status,
      dailyBudget: row.dailyBudget,
      lifetimeBudget: row.lifetimeBudget,
      bidAmount: row.bidAmount,
      ...override,
    };
    // A backtest that paused (or unpaused) an object earlier: it no longer passes the status filter it passed then.
    if (override?.status && override.status !== row.status && !passesStatus(rule, override.status)) continue;
    const history = input.history ? input.history.get(row.entityId) : row.lastActionAt ? { lastActionAtMs: row.lastActionAt.getTime(), actionCount: row.actionCount } : undefined;
    const cooling = cooldownOutcome(rule.action, history, asOfMs);
    if (cooling) {
      objects.push({ entityId: row.entityId, name: row.name, values: row.values, outcome: cooling, snapshot });
      continue;
    }
    const planned = planAction(rule.action, snapshot);
    objects.push({ entityId: row.entityId, name: row.name, values: row.values, outcome: planned.outcome, change: planned.outcome === 'acted' ? planned.change : undefined, snapshot });
  }
  return { fresh: true, metricsReadAt: verdict.readAt === undefined ? undefined : new Date(verdict.readAt), objects };
}
