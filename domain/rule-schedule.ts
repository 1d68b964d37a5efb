/**
 * When a rule runs: its `schedule_spec` as local tick times in the ad account's time zone, the
 * instants of those ticks over a range (DST-correct: a local time the clocks skip has no tick, one
 * they repeat has two), and the same ticks as Temporal Schedule calendars (timezone set), which
 * fire at exactly those instants. Backtests walk `ruleTicks`; the live schedule is
 * `scheduleCalendars` of the same compiled schedule, so both agree by construction.
 */
import { addDays, localDate, wallTimeInstants } from './calendar';
import type { CompiledSchedule, CustomScheduleEntry, ScheduleType } from './rule-spec';
import { dayOfWeek } from './rule-windows';

/**
 * Minutes after each local tick at which the rule actually evaluates: the hourly metrics pull
 * runs at +5 minutes, so a rule at +10 sees the hour just read. Meta's DAILY "at midnight" is
 * 00:10 here, HOURLY hh:10, SEMI_HOURLY hh:10 and hh:40.
 */
export const RULE_TICK_OFFSET_MINUTES = 10;

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m < to; m += step) out.push(m);
  return out;
}

/** Compiles a validated schedule spec into tick minutes per day of week. */
export function compileSchedule(type: ScheduleType, entries: readonly CustomScheduleEntry[] = []): CompiledSchedule {
  const byDay: number[][] = EVERY_DAY.map(() => []);
  const addAll = (minutes: number[], days: readonly number[]) => {
    for (const day of days) for (const minute of minutes) byDay[day]!.push(minute);
  };
  if (type === 'DAILY') addAll([0], EVERY_DAY);
  else if (type === 'HOURLY') addAll(range(0, 1440, 60), EVERY_DAY);
  else if (type === 'SEMI_HOURLY') addAll(range(0, 1440, 30), EVERY_DAY);
  else {
    for (const entry of entries) {
      const start = entry.start_minute ?? 0;
      // Only a start: once at that minute. A window: every 30 minutes from start until (not at) end.
      const minutes = entry.end_minute === undefined || entry.end_minute <= start ? [start] : range(start, entry.end_minute, 30);
      addAll(minutes, entry.days && entry.days.length > 0 ? entry.days : EVERY_DAY);
    }
  }
  return { type, minutesByDay: byDay.map((minutes) => [...new Set(minutes)].sort((a, b) => a - b)) };
}

/**
 * The instants (ms, ascending) in [fromMs, toMs) at which the rule ticks: each local day's tick
 * minutes plus the offset, converted in `timeZone`.
 */
export function ruleTicks(input: { schedule: CompiledSchedule; timeZone: string; fromMs: number; toMs: number; offsetMinutes?: number }): number[] {
  const offset = input.offsetMinutes ?? RULE_TICK_OFFSET_MINUTES;
  const out = new Set<number>();
  const last = addDays(localDate(input.toMs, input.timeZone), 1);
  for (let day = addDays(localDate(input.fromMs, input.timeZone), -1); day <= last; day = addDays(day, 1)) {
    for (const minute of input.schedule.minutesByDay[dayOfWeek(day)] ?? []) {
      const local = minute + offset;
      // An offset past midnight belongs to the next local day.
      const tickDay = local >= 1440 ? addDays(day, 1) : day;
      for (const instant of wallTimeInstants(tickDay, local % 1440, input.timeZone)) {
        if (instant >= input.fromMs && instant < input.toMs) out.add(instant);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** An inclusive range of a calendar field. */
export interface CalendarRange {
  start: number;
  end: number;
}

/** One Temporal calendar entry (the shape of @temporalio/client's CalendarSpec), local to the schedule's timezone. */
export interface TickCalendar {
  hour: CalendarRange[];
  minute: number;
  dayOfWeek: CalendarRange[];
  comment: string;
}

function ranges(values: Iterable<number>): CalendarRange[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const out: CalendarRange[] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && last.end === v - 1) last.end = v;
    else out.push({ start: v, end: v });
  }
  return out;
}

/**
 * The same ticks as Temporal calendars: ticks sharing a minute of the hour and a set of days
 * become one entry with hour ranges (HOURLY is one entry, SEMI_HOURLY two). With the schedule's
 * `timezone` set to the account's zone, Temporal fires at the instants {@link ruleTicks} computes.
 */
export function scheduleCalendars(schedule: CompiledSchedule, offsetMinutes: number = RULE_TICK_OFFSET_MINUTES): TickCalendar[] {
  // local minute of day -> days of week it ticks on
  const daysByMinute = new Map<number, Set<number>>();
  schedule.minutesByDay.forEach((minutes, day) => {
    for (const minute of minutes) {
      const local = minute + offsetMinutes;
      const key = local % 1440;
      let days = daysByMinute.get(key);
      if (!days) daysByMinute.set(key, (days = new Set()));
      days.add(local >= 1440 ? (day + 1) % 7 : day);
    }
  });
  // (minute of hour, days) -> hours
  const groups = new Map<string, { minute: number; days: number[]; hours: number[] }>();
  for (const [minuteOfDay, days] of [...daysByMinute.entries()].sort((a, b) => a[0] - b[0])) {
    const dayList = [...days].sort((a, b) => a - b);
    const key = `${minuteOfDay % 60}|${dayList.join(',')}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { minute: minuteOfDay % 60, days: dayList, hours: [] }));
    group.hours.push(Math.floor(minuteOfDay / 60));
  }
  return [...groups.values()].map((g) => ({
    hour: ranges(g.hours),
    minute: g.minute,
    dayOfWeek: ranges(g.days),
    comment: `${schedule.type} rule tick`,
  }));
}
