/**
 * Which stored rows a time preset covers at an instant, in the account's time zone: past local
 * days from daily rows and today from hourly rows (the hours begun before the instant). Pure
 * calendar math on local days (domain/calendar.ts), so daylight-saving days are whatever the
 * stored rows of that local day hold (23 or 25 hours).
 */
import { addDays, localDate } from './calendar';
import type { TimePreset } from './rule-spec';

export interface PresetWindow {
  preset: TimePreset;
  /** The local day of the instant. */
  today: string;
  /** Daily rows from `from` (undefined: every stored day) to `to`, inclusive; null when the window has no past day. */
  daily: { from?: string; to: string } | null;
  /** Whether today's hourly rows (begun before the instant) belong to the window. */
  includesToday: boolean;
  /** Whole days the window spans (LIFETIME: Infinity): unique counts need exactly one. */
  days: number;
}

const LAST_N_DAYS = /^LAST_(\d+)_DAYS$/;
const LAST_ND = /^LAST_(\d+)D$/;

/** Day of week of a local day, 0 = Sunday. */
export function dayOfWeek(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The window of `preset` at instant `asOfMs` in `timeZone`. */
export function presetWindow(preset: TimePreset, asOfMs: number, timeZone: string): PresetWindow {
  const today = localDate(asOfMs, timeZone);
  const yesterday = addDays(today, -1);
  const withToday = (from: string | undefined, days: number): PresetWindow => ({
    preset,
    today,
    daily: from === undefined || from <= yesterday ? { from, to: yesterday } : null,
    includesToday: true,
    days,
  });
  if (preset === 'TODAY') return { preset, today, daily: null, includesToday: true, days: 1 };
  if (preset === 'YESTERDAY') return { preset, today, daily: { from: yesterday, to: yesterday }, includesToday: false, days: 1 };
  if (preset === 'LIFETIME') return withToday(undefined, Infinity);
  if (preset === 'THIS_MONTH') {
    const first = `${today.slice(0, 8)}01`;
    return withToday(first, Number(today.slice(8, 10)));
  }
  if (preset === 'THIS_WEEK_MON_TODAY' || preset === 'THIS_WEEK_SUN_TODAY') {
    const weekStart = preset === 'THIS_WEEK_MON_TODAY' ? 1 : 0;
    const back = (dayOfWeek(today) - weekStart + 7) % 7;
    return withToday(addDays(today, -back), back + 1);
  }
  const inclusive = LAST_N_DAYS.exec(preset);
  if (inclusive) {
    const n = Number(inclusive[1]);
    return withToday(addDays(today, -(n - 1)), n);
  }
  const exclusive = LAST_ND.exec(preset);
  if (exclusive) {
    const n = Number(exclusive[1]);
    return { preset, today, daily: { from: addDays(today, -n), to: yesterday }, includesToday: false, days: n };
  }
  throw new Error(`unknown time preset ${preset}`);
}

/** Whether a preset includes today (the freshness check then asks for recent hourly metrics). */
export function presetIncludesToday(preset: TimePreset): boolean {
  return !(preset === 'YESTERDAY' || LAST_ND.test(preset));
}

/** Whether a preset spans more than one day (unique counts and reach cannot be summed over it). */
export function presetIsMultiDay(preset: TimePreset): boolean {
  return !(preset === 'TODAY' || preset === 'YESTERDAY');
}
