/**
 * Pure calendar math on local days (`YYYY-MM-DD`) and the account's time zone. Days are
 * computed as UTC midnights, so adding and counting never meet a daylight-saving jump; the
 * time zone only matters where an instant becomes a local day or hour. No clock is read here:
 * callers pass the instant, so workflows may use this too.
 */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isCalendarDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

/** The day `n` days after `day` (before it when `n` is negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 for the same day, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// ───────────── account-local time ─────────────

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const hourStarts = new Map<string, string>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

function wallClock(ms: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number } {
  const out = { y: 0, m: 0, d: 0, h: 0, min: 0 };
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.m = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.h = Number(p.value) % 24;
    else if (p.type === 'minute') out.min = Number(p.value);
  }
  return out;
}

/** The account-local day (`YYYY-MM-DD`) of an instant. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/**
 * The instant (ISO) a local hour starts in `timeZone`. When clocks go back the repeated hour is
 * one row in Meta's hourly breakdown; it is stored at the EARLIER instant. A skipped hour (clocks
 * forward) never appears in Meta's rows; if asked anyway, the standard-offset reading is used.
 */
export function hourStartInstant(day: string, hour: number, timeZone: string): string {
  const key = `${timeZone}|${day}|${hour}`;
  const cached = hourStarts.get(key);
  if (cached) return cached;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d, hour);
  const candidates = new Set<number>();
  for (const probe of [naive - 14 * 3_600_000, naive, naive + 14 * 3_600_000]) {
    const w = wallClock(probe, timeZone);
    const offsetMs = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min) - Math.floor(probe / 60_000) * 60_000;
    candidates.add(naive - offsetMs);
  }
  const matching = [...candidates]
    .filter((t) => {
      const w = wallClock(t, timeZone);
      return w.y === y && w.m === m && w.d === d && w.h === hour && w.min === 0;
    })
    .sort((a, b) => a - b);
  const instant = new Date(matching[0] ?? Math.min(...candidates)).toISOString();
  hourStarts.set(key, instant);
  return instant;
}

/**
 * Every instant (ms) at which the local clock of `timeZone` reads `day` `minuteOfDay` (minutes
 * after midnight), earliest first: none when clocks jump over it, two when they go back over it.
 * Temporal Schedules' calendars fire at exactly these instants (skipped times never, repeated
 * times twice), so rule ticks computed here match what the schedule starts.
 */
export function wallTimeInstants(day: string, minuteOfDay: number, timeZone: string): number[] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const hour = Math.floor(minuteOfDay / 60);
  const minute = minuteOfDay % 60;
  const naive = Date.UTC(y, m - 1, d, hour, minute);
  const found = new Set<number>();
  for (const probe of [naive - 14 * 3_600_000, naive - 3 * 3_600_000, naive, naive + 3 * 3_600_000, naive + 14 * 3_600_000]) {
    const w = wallClock(probe, timeZone);
    const offsetMs = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min) - Math.floor(probe / 60_000) * 60_000;
    const candidate = naive - offsetMs;
    const c = wallClock(candidate, timeZone);
    if (c.y === y && c.m === m && c.d === d && c.h === hour && c.min === minute) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}
