/**
 * A backtest: the rule evaluated at each tick of its schedule over a range of stored history,
 * with its cooldown and count limits carried from tick to tick, and what its earlier actions
 * would have changed (a paused object stops matching, a budget moves toward the limit). It says
 * when the rule would have fired and on which objects, and the spend those objects had
 * afterwards in the stored data — never what would have happened. Writes its own ticks as
 * `backtest` executions (replacing an earlier backtest's rows of the same ticks) and nothing else.
 */
import Decimal from 'decimal.js';
import { afterAction, type ActionHistory, type ObjectSnapshot } from '../../domain/rule-actions';
import { freshnessDays } from '../../domain/rule-freshness';
import { ruleTicks } from '../../domain/rule-schedule';
import { LEVEL_OF_ENTITY, type CompiledRule } from '../../domain/rule-spec';
import type { RuleBacktestSummary } from '../../domain/contracts/rule-evaluation';
import { currencyOffset } from '../meta/money';
import type { Db, Prisma } from './prisma-client';
import { readDayReads } from './rule-evaluation-sql';
import { countOutcomes, evaluateRule, type EvaluatedObject, type EvaluationAccount } from './rule-evaluation';
import { openExecution, recordExecution, setMatchesSpendAfter, spendAfter } from './rule-execution-repository';

export interface BacktestFire {
  asOf: string;
  objects: Array<{ entityId: string; name: string | null; values: Record<string, string | null>; change?: EvaluatedObject['change']; spendAfterMinor: string }>;
}

export interface BacktestResult extends RuleBacktestSummary {
  /** Ticks that fired, oldest first (at most `maxFires` of them; all are in the execution history). */
  fires: BacktestFire[];
  truncated: boolean;
}

export interface RunBacktestInput {
  ruleId: string;
  specHash: string;
  rule: CompiledRule;
  account: EvaluationAccount;
  backtestId: string;
  fromMs: number;
  toMs: number;
  workflowId?: string;
  /** Fires kept in the answer. @default 200 */
  maxFires?: number;
  /** Called after each tick (a workflow activity heartbeats here). */
  onTick?: (done: number, total: number) => void;
}

/** The ticks of a rule over [fromMs, toMs) in the account's zone. */
export function backtestTicks(rule: CompiledRule, account: EvaluationAccount, fromMs: number, toMs: number): number[] {
  return ruleTicks({ schedule: rule.schedule, timeZone: account.timeZone, fromMs, toMs });
}

/** Runs a backtest over stored history. */
export async function runBacktest(db: Db, input: RunBacktestInput): Promise<BacktestResult> {
  const { rule, account } = input;
  const ticks = backtestTicks(rule, account, input.fromMs, input.toMs);
  const days = new Set<string>();
  for (const t of ticks) for (const d of freshnessDays(rule, t, account.timeZone)) days.add(d);
  const level = LEVEL_OF_ENTITY[rule.entityType];
  const reads = await readDayReads(db, { adAccountId: account.adAccountId, level, days: [...days] });
  const history = new Map<string, ActionHistory>();
  const overrides = new Map<string, Partial<ObjectSnapshot>>();
  const acted: Array<{ executionId: string; entityId: string; asOf: Date; name: string | null; values: Record<string, string | null>; change?: EvaluatedObject['change'] }> = [];
  let firedTicks = 0;
  let unevaluated = 0;
  for (const [i, tick] of ticks.entries()) {
    const asOf = new Date(tick);
    const evaluation = await evaluateRule(db, { rule, account, asOfMs: tick, freshness: 'history', maxMetricsAgeMinutes: 0, history, overrides, reads });
    const { execution } = await openExecution(db, { ruleId: input.ruleId, asOf, mode: 'backtest', specHash: input.specHash, workflowId: input.workflowId, backtestId: input.backtestId });
    if (!evaluation.fresh) {
      unevaluated++;
      await recordExecution(db, {
        executionId: execution.id, ruleId: input.ruleId, asOf, status: 'stale_metrics', backtestId: input.backtestId,
        counts: { matched: 0, acted: 0, skippedCooldown: 0, skippedOther: 0 }, detail: { reason: evaluation.reason }, matches: [],
      });
    } else {
      await recordExecution(db, {
        executionId: execution.id, ruleId: input.ruleId, asOf, status: 'completed', backtestId: input.backtestId,
        counts: countOutcomes(evaluation.objects), metricsReadAt: evaluation.metricsReadAt ?? null,
        matches: evaluation.objects.map((o) => ({ entityType: rule.entityType, entityId: o.entityId, values: o.values, outcome: o.outcome, change: o.change as Prisma.InputJsonValue | undefined })),
      });
      let fired = false;
      for (const o of evaluation.objects) {
        if (o.outcome !== 'acted') continue;
        fired = true;
        history.set(o.entityId, afterAction(history.get(o.entityId), tick));
        const next: Partial<ObjectSnapshot> = { ...overrides.get(o.entityId) };
        for (const [field, { after }] of Object.entries(o.change ?? {})) {
          if (field === 'status') next.status = after;
          else if (field === 'daily_budget') next.dailyBudget = after;
          else if (field === 'lifetime_budget') next.lifetimeBudget = after;
          else if (field === 'bid_amount') next.bidAmount = after;
        }
        overrides.set(o.entityId, next);
        acted.push({ executionId: execution.id, entityId: o.entityId, asOf, name: o.name, values: o.values, change: o.change });
      }
      if (fired) firedTicks++;
    }
    input.onTick?.(i + 1, ticks.length);
  }
  const spend = await spendAfter(db, {
    adAccountId: account.adAccountId, level, timeZone: account.timeZone, offset: currencyOffset(account.currency), until: new Date(input.toMs),
    pairs: acted.map((a) => ({ entityId: a.entityId, asOf: a.asOf })),
  });
  const spendOf = (a: { entityId: string; asOf: Date }) => spend.get(`${a.entityId}|${a.asOf.toISOString()}`) ?? '0';
  await setMatchesSpendAfter(db, acted.map((a) => ({ executionId: a.executionId, entityId: a.entityId, spendAfter: spendOf(a) })));
  const maxFires = input.maxFires ?? 200;
  const fires: BacktestFire[] = [];
  for (const a of acted) {
    const iso = a.asOf.toISOString();
    let fire = fires[fires.length - 1];
    if (!fire || fire.asOf !== iso) {
      if (fires.length >= maxFires) break;
      fires.push((fire = { asOf: iso, objects: [] }));
    }
    fire.objects.push({ entityId: a.entityId, name: a.name, values: a.values, change: a.change, spendAfterMinor: spendOf(a) });
  }
  const total = acted.reduce((sum, a) => sum.plus(spendOf(a)), new Decimal(0));
  return {
    backtestId: input.backtestId,
    ruleId: input.ruleId,
    from: new Date(input.fromMs).toISOString(),
    to: new Date(input.toMs).toISOString(),
    ticks: ticks.length,
    firedTicks,
    unevaluatedTicks: unevaluated,
    actions: acted.length,
    objects: new Set(acted.map((a) => a.entityId)).size,
    spendAfterMinor: total.toString(),
    fires,
    truncated: firedTicks > fires.length,
  };
}
