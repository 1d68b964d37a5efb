/**
 * Meta's date presets as local-day ranges of the ad account: which days a report of `LAST_7D`
 * (and the rest) covers on a given local today. Pure calendar math on `YYYY-MM-DD` days, as Meta
 * means each preset: `LAST_<n>D` are the n whole days ending yesterday (today excluded),
 * `THIS_*` run to today, `LAST_WEEK_*`, `LAST_MONTH`, `LAST_QUARTER` and `LAST_YEAR` are the whole
 * previous calendar unit.
 */
import { addDays, daysBetween } from './calendar';
import { dayOfWeek } from './rule-windows';

export const REPORT_PRESETS = [
  'TODAY', 'YESTERDAY', 'THIS_WEEK_MON_TODAY', 'THIS_WEEK_SUN_TODAY', 'LAST_WEEK_MON_SUN', 'LAST_WEEK_SUN_SAT',
  'THIS_MONTH', 'LAST_MONTH', 'THIS_QUARTER', 'LAST_QUARTER', 'THIS_YEAR', 'LAST_YEAR',
  'LAST_3D', 'LAST_7D', 'LAST_14D', 'LAST_28D', 'LAST_30D', 'LAST_90D',
] as const;
export type ReportPreset = (typeof REPORT_PRESETS)[number];

/** Local days, both ends included. */
export interface DayRange {
  from: string;
  to: string;
}

function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** First day of the month `n` months after the month of `day`. */
function shiftMonth(day: string, n: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  return `${year}-${String((((m % 12) + 12) % 12) + 1).padStart(2, '0')}-01`;
}

/** The days `preset` covers when the account's local day is `today`. */
export function presetRange(preset: ReportPreset, today: string): DayRange {
  const yesterday = addDays(today, -1);
  const lastN = /^LAST_(\d+)D$/.exec(preset);
  if (lastN) return { from: addDays(today, -Number(lastN[1])), to: yesterday };
  switch (preset) {
    case 'TODAY':
      return { from: today, to: today };
    case 'YESTERDAY':
      return { from: yesterday, to: yesterday };
    case 'THIS_WEEK_MON_TODAY':
    case 'THIS_WEEK_SUN_TODAY': {
      const start = preset === 'THIS_WEEK_MON_TODAY' ? 1 : 0;
      return { from: addDays(today, -((dayOfWeek(today) - start + 7) % 7)), to: today };
    }
    case 'LAST_WEEK_MON_SUN':
    case 'LAST_WEEK_SUN_SAT': {
      const start = preset === 'LAST_WEEK_MON_SUN' ? 1 : 0;
      const thisWeek = addDays(today, -((dayOfWeek(today) - start + 7) % 7));
      return { from: addDays(thisWeek, -7), to: addDays(thisWeek, -1) };
    }
    case 'THIS_MONTH':
      return { from: monthStart(today), to: today };
    case 'LAST_MONTH':
      return { from: shiftMonth(today, -1), to: addDays(monthStart(today), -1) };
    case 'THIS_QUARTER':
    case 'LAST_QUARTER': {
      const month = Number(today.slice(5, 7)) - 1;
      const quarterStart = shiftMonth(today, -(month % 3));
      if (preset === 'THIS_QUARTER') return { from: quarterStart, to: today };
      return { from: shiftMonth(quarterStart, -3), to: addDays(quarterStart, -1) };
    }
    case 'THIS_YEAR':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case 'LAST_YEAR': {
      const year = Number(today.slice(0, 4)) - 1;
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    }
    default:
      throw new Error(`unknown preset ${preset as string}`);
  }
}

/** First days of the calendar months lying wholly inside `range` and ending before `today`. */
export function wholeMonthsBefore(range: DayRange, today: string): string[] {
  const out: string[] = [];
  for (let month = monthStart(range.from); month <= range.to; month = shiftMonth(month, 1)) {
    const end = addDays(shiftMonth(month, 1), -1);
    if (month >= range.from && end <= range.to && end < today) out.push(month);
  }
  return out;
}

/** Days in a range, both ends counted. */
export function rangeDays(range: DayRange): number {
  return daysBetween(range.from, range.to) + 1;
}
