/**
 * Account-time-zone arithmetic. Meta reports insights by local date in the ad account's
 * time zone and formats object times with the account's UTC offset, so everything here is
 * keyed by IANA zone. Local dates are handled as integer "day numbers" (days since
 * 1970-01-01) because the insights engine loops over millions of (ad, day) cells.
 */

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { abs: mAbs, floor: mFloor, max: mMax, min: mMin, round: mRound } = Math;

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const dayStrings = new Map<number, string>();
const hourCache = new Map<string, LocalHour[]>();

/** One local clock hour of a day; `occurrences` is 2 for the repeated hour when DST ends. */
export interface LocalHour {
  hour: number;
  occurrences: number;
}

/** Local wall-clock parts of an instant. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function intlParts(ms: number, timeZone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type === 'year') out.year = Number(p.value);
    else if (p.type === 'month') out.month = Number(p.value);
    else if (p.type === 'day') out.day = Number(p.value);
    else if (p.type === 'hour') out.hour = Number(p.value) % 24;
    else if (p.type === 'minute') out.minute = Number(p.value);
    else if (p.type === 'second') out.second = Number(p.value);
  }
  return out;
}

const offsetCache = new Map<string, number>();

/**
 * UTC offset of `timeZone` at `ms`, in minutes east of UTC. Intl is slow (and much slower
 * inside Jest's VM contexts), so offsets are cached per zone and quarter hour: zone
 * transitions happen on quarter-hour boundaries.
 */
export function offsetMinutes(ms: number, timeZone: string): number {
  const bucket = mFloor(ms / 900_000);
  const key = `${timeZone}|${bucket}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    const at = bucket * 900_000;
    const p = intlParts(at, timeZone);
    off = mRound((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at) / 60000);
    if (offsetCache.size > 500_000) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return off;
}

/** Wall-clock parts of `ms` in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const d = new Date(ms + offsetMinutes(ms, timeZone) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Meta's object time format: `2024-03-12T15:02:47-0700` in the account's zone. */
export function formatGraphTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const off = offsetMinutes(ms, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = mAbs(off);
  return (
    `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `${sign}${pad(mFloor(abs / 60))}${pad(abs % 60)}`
  );
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The local date (as a day number) of instant `ms` in `timeZone`. */
export function localDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day) / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function dayToString(day: number): string {
  let s = dayStrings.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(day, s);
  }
  return s;
}

/** Day number of a `YYYY-MM-DD` string, or undefined when it is not a valid date. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms / DAY_MS;
}

/** Year and month (1-12) of a day number. */
export function yearMonth(day: number): { year: number; month: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** Day number of the first day of the month `monthsDelta` months from the month of `day`. */
export function monthStart(day: number, monthsDelta = 0): number {
  const { year, month } = yearMonth(day);
  return Date.UTC(year, month - 1 + monthsDelta, 1) / DAY_MS;
}

/** Same day-of-month `months` months earlier (clamped), for retention checks. */
export function subtractMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(mMin(d.getUTCDate(), lastDay));
  return target.getTime() / DAY_MS;
}

/**
 * The local hours that exist on a local date. A spring-forward day lacks one hour (23 rows)
 * and a fall-back day repeats one (still 24 labels, the repeated one with occurrences = 2),
 * which is how Meta's `hourly_stats_aggregated_by_advertiser_time_zone` merges it.
 */
export function hoursOfLocalDay(timeZone: string, day: number): LocalHour[] {
  const key = `${timeZone}|${day}`;
  const cached = hourCache.get(key);
  if (cached) return cached;
  const quarters = new Array<number>(24).fill(0);
  const start = day * DAY_MS - 15 * 3_600_000;
  for (let ms = start; ms < start + 44 * 3_600_000; ms += 900_000) {
    const p = localParts(ms, timeZone);
    if (Date.UTC(p.year, p.month - 1, p.day) / DAY_MS === day) quarters[p.hour] = (quarters[p.hour] ?? 0) + 1;
  }
  const hours: LocalHour[] = [];
  quarters.forEach((q, hour) => {
    if (q > 0) hours.push({ hour, occurrences: mMax(1, mRound(q / 4)) });
  });
  hourCache.set(key, hours);
  return hours;
}

/** Meta's hourly bucket label, e.g. `13:00:00 - 13:59:59`. */
export function hourLabel(hour: number): string {
  return `${pad(hour)}:00:00 - ${pad(hour)}:59:59`;
}

/** Milliseconds per day, exported for callers doing day arithmetic on instants. */
export const MS_PER_DAY = DAY_MS;
