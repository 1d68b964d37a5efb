/**
 * What a rule does to one matched object, as pure functions shared by the live evaluation, the
 * preview and the backtest: the cooldown and count-limit verdict (`action_frequency`,
 * `execution_count_limit`), and the change it asks for (status, or a budget or bid moved by the
 * change spec and stopped at its limit). Money is exact integers in minor units (BigInt).
 */
import type { ChangeSpec, CompiledAction, MatchOutcome } from './rule-spec';

/** How often and how recently the rule acted on one object. */
export interface ActionHistory {
  /** asOf (ms) of the last evaluation that acted on it; null when never. */
  lastActionAtMs: number | null;
  actionCount: number;
}

/** Why the rule leaves an object alone this time, or null when it may act. */
export function cooldownOutcome(action: CompiledAction, history: ActionHistory | undefined, asOfMs: number): 'cooldown' | 'count_limit' | null {
  if (!history) return null;
  if (action.executionCountLimit !== undefined && history.actionCount >= action.executionCountLimit) return 'count_limit';
  if (action.actionFrequencyMinutes !== undefined && history.lastActionAtMs !== null && asOfMs - history.lastActionAtMs < action.actionFrequencyMinutes * 60_000) {
    return 'cooldown';
  }
  return null;
}

/** The history after the rule acted at `asOfMs`. */
export function afterAction(history: ActionHistory | undefined, asOfMs: number): ActionHistory {
  return { lastActionAtMs: asOfMs, actionCount: (history?.actionCount ?? 0) + 1 };
}

/** The object's values an action reads (budgets and bid in minor units, as integer strings). */
export interface ObjectSnapshot {
  /** Configured status (PAUSED, ACTIVE, ...). */
  status: string | null;
  dailyBudget: string | null;
  lifetimeBudget: string | null;
  bidAmount: string | null;
}

/** field → value before and after (minor-unit integer strings for money, Meta's status words). */
export type FieldChanges = Record<string, { before: string | null; after: string }>;

export type PlannedAction =
  | { outcome: typeof MatchOutcome.Acted; change?: FieldChanges }
  | { outcome: typeof MatchOutcome.AtLimit | typeof MatchOutcome.NoBudget | typeof MatchOutcome.NoChange };

/** The change a rule's action asks of one object, or why there is none. */
export function planAction(action: CompiledAction, object: ObjectSnapshot): PlannedAction {
  switch (action.type) {
    case 'NOTIFICATION':
      return { outcome: 'acted' };
    case 'PAUSE':
      return object.status === 'PAUSED' ? { outcome: 'no_change' } : { outcome: 'acted', change: { status: { before: object.status, after: 'PAUSED' } } };
    case 'UNPAUSE':
      return object.status === 'ACTIVE' ? { outcome: 'no_change' } : { outcome: 'acted', change: { status: { before: object.status, after: 'ACTIVE' } } };
    case 'CHANGE_BUDGET':
    case 'CHANGE_CAMPAIGN_BUDGET': {
      const field = object.dailyBudget !== null ? 'daily_budget' : object.lifetimeBudget !== null ? 'lifetime_budget' : null;
      if (field === null) return { outcome: 'no_budget' };
      return moved(field, field === 'daily_budget' ? object.dailyBudget! : object.lifetimeBudget!, action.changeSpec!);
    }
    case 'CHANGE_BID':
      if (object.bidAmount === null) return { outcome: 'no_budget' };
      return moved('bid_amount', object.bidAmount, action.changeSpec!);
  }
}

function moved(field: string, currentText: string, spec: ChangeSpec): PlannedAction {
  const current = BigInt(currentText);
  const raising = spec.amount > 0;
  let after = spec.unit === 'PERCENTAGE' ? applyPercent(current, spec.amount) : current + BigInt(Math.trunc(spec.amount));
  if (spec.limit !== undefined) {
    const limit = BigInt(Math.trunc(spec.limit));
    // At or past the limit already: nothing to do (a rule never moves a value back toward it).
    if (raising ? current >= limit : current <= limit) return { outcome: 'at_limit' };
    if (raising ? after > limit : after < limit) after = limit;
  }
  // Meta refuses a budget or bid below one minor unit; the change set's minimum-budget check says more.
  if (after < 1n) after = 1n;
  if (after === current) return { outcome: 'no_change' };
  return { outcome: 'acted', change: { [field]: { before: currentText, after: after.toString() } } };
}

/**
 * `amount × (100 + percent) / 100` rounded to the nearest minor unit, halves away from zero, with
 * the percent taken exactly from its decimal digits (at most 6 decimals), so +20 % of 12345 is
 * 14814 every time.
 */
export function applyPercent(amount: bigint, percent: number): bigint {
  const text = percent.toFixed(6);
  const negative = text.startsWith('-');
  const [whole, fraction] = text.replace('-', '').split('.') as [string, string];
  const numerator = BigInt(whole + fraction) * (negative ? -1n : 1n);
  const denominator = 1_000_000n;
  const num = amount * (100n * denominator + numerator);
  const den = 100n * denominator;
  const abs = num < 0n ? -num : num;
  const q = (2n * abs + den) / (2n * den);
  return num < 0n ? -q : q;
}
