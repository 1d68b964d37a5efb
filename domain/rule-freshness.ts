/**
 * Whether the stored metrics are fresh enough for a rule to act on. A window that includes today
 * needs today's hourly metrics read within `maxAgeMinutes` of the evaluation; a window of past
 * days needs its last day read after that day ended (from the daily pull, or the hourly pull
 * with its daily rollup rows in place). Backtests ask only that the rows were stored at all.
 * Inputs are the metrics sync's checkpoints (metrics_sync_checkpoints), so this is pure.
 */
import { addDays, hourStartInstant } from './calendar';
import type { CompiledRule } from './rule-spec';
import { presetWindow } from './rule-windows';

/** What the metrics sync recorded for one local day of the account. */
export interface DayReads {
  /** When the hourly pull last completed the day (ms). */
  hourlyAt?: number;
  /** When the daily pull last completed the day (ms). */
  dailyAt?: number;
  /** Whether daily rows of the day exist at the rule's level (Meta's or the rollup's). */
  hasDailyRows: boolean;
}

export type FreshnessVerdict =
  | { fresh: true; /** The oldest read the window relies on (ms), undefined when it relies on none. */ readAt?: number }
  | { fresh: false; reason: string };

/** The local days whose reads decide freshness for a rule at an instant. */
export function freshnessDays(rule: CompiledRule, asOfMs: number, timeZone: string): string[] {
  const days = new Set<string>();
  for (const c of rule.insights) {
    const w = presetWindow(c.preset, asOfMs, timeZone);
    if (w.includesToday) days.add(w.today);
    if (w.daily) days.add(w.daily.to);
  }
  return [...days].sort();
}

/** Decides whether a rule may act on the stored metrics at `asOfMs`. */
export function freshnessVerdict(input: {
  rule: CompiledRule;
  asOfMs: number;
  timeZone: string;
  /** Oldest acceptable hourly read for a window that includes today. */
  maxAgeMinutes: number;
  reads: ReadonlyMap<string, DayReads>;
  /** live: the checks above; history (backtest): only that the rows were stored. */
  mode: 'live' | 'history';
}): FreshnessVerdict {
  const { rule, asOfMs, timeZone, reads } = input;
  let oldest: number | undefined;
  const seen = (at: number) => (oldest = oldest === undefined ? at : Math.min(oldest, at));
  const checked = new Set<string>();
  for (const c of rule.insights) {
    const w = presetWindow(c.preset, asOfMs, timeZone);
    if (w.includesToday && !checked.has(`h|${w.today}`)) {
      checked.add(`h|${w.today}`);
      const at = reads.get(w.today)?.hourlyAt;
      if (at === undefined) return { fresh: false, reason: `no hourly metrics of ${w.today} (today in ${timeZone}) have been read` };
      if (input.mode === 'live' && at < asOfMs - input.maxAgeMinutes * 60_000) {
        return { fresh: false, reason: `today's hourly metrics were last read ${Math.round((asOfMs - at) / 60_000)} minutes before the evaluation (at most ${input.maxAgeMinutes} allowed)` };
      }
      seen(at);
    }
    if (w.daily && !checked.has(`d|${w.daily.to}`)) {
      checked.add(`d|${w.daily.to}`);
      const day = w.daily.to;
      const r = reads.get(day);
      const ended = Date.parse(hourStartInstant(addDays(day, 1), 0, timeZone));
      const after = (at: number | undefined) => at !== undefined && (input.mode === 'history' || at >= ended);
      if (r && after(r.dailyAt)) seen(r.dailyAt!);
      else if (r && after(r.hourlyAt) && r.hasDailyRows) seen(r.hourlyAt!);
      else return { fresh: false, reason: `the metrics of ${day} have not been read since that day ended in ${timeZone}` };
    }
  }
  return { fresh: true, readAt: oldest };
}
