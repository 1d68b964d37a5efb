/**
 * How many days one metrics sync may cover, and the range a start with an open bound means. One
 * rule for every place that checks it: the fronts' schemas, the operation that starts the sync
 * and the activity that plans the run, so a missing bound can never widen the range past the cap.
 */
import { addDays, daysBetween } from './calendar';
import type { MetricsGrain } from './vocabulary';

/** Largest `to − from` (in days) of one metrics sync, per grain. */
export const METRICS_SYNC_MAX_DAYS: Readonly<Record<MetricsGrain, number>> = { hourly: 93, daily: 1100 };

/** The days a sync reads when a bound is missing: `to` is today, `from` is `to − lookbackDays + 1`. */
export function resolveMetricsRange(input: { from?: string; to?: string; today: string; lookbackDays: number }): { from: string; to: string } {
  const to = input.to ?? input.today;
  return { from: input.from ?? addDays(to, -(input.lookbackDays - 1)), to };
}

/**
 * Why a resolved range may not be synced (reversed, or longer than the grain's cap), in words
 * that name the bound the caller left out; null when it may.
 */
export function metricsRangeProblem(input: { from: string; to: string; grain: MetricsGrain; toGiven: boolean; fromGiven: boolean }): string | null {
  const max = METRICS_SYNC_MAX_DAYS[input.grain];
  const to = input.toGiven ? `"to" (${input.to})` : `today (${input.to}, the default "to")`;
  const from = input.fromGiven ? `"from" (${input.from})` : `the lookback start (${input.from}, the default "from")`;
  if (input.from > input.to) return `${from} must not be after ${to}`;
  if (daysBetween(input.from, input.to) > max) {
    return `a ${input.grain} metrics sync may span at most ${max} days; ${from} to ${to} spans ${daysBetween(input.from, input.to)}${input.toGiven ? '' : ': give "to" as well, or a later "from"'}`;
  }
  return null;
}
