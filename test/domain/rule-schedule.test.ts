import { compileSchedule, ruleTicks, scheduleCalendars } from '../../domain/rule-schedule';
import { presetWindow } from '../../domain/rule-windows';
import { wallTimeInstants } from '../../domain/calendar';

const iso = (ms: number) => new Date(ms).toISOString();
const LA = 'America/Los_Angeles';

describe('rule ticks in the account time zone', () => {
  test('HOURLY ticks once per real hour across both DST changes (23 and 25 local hours)', () => {
    const hourly = compileSchedule('HOURLY');
    // US spring forward 2026-03-08, fall back 2026-11-01 (local days in Los Angeles).
    const spring = ruleTicks({ schedule: hourly, timeZone: LA, fromMs: Date.parse('2026-03-08T08:00:00Z'), toMs: Date.parse('2026-03-09T07:00:00Z') });
    const fall = ruleTicks({ schedule: hourly, timeZone: LA, fromMs: Date.parse('2026-11-01T07:00:00Z'), toMs: Date.parse('2026-11-02T08:00:00Z') });
    expect(spring).toHaveLength(23);
    expect(fall).toHaveLength(25);
    // Every tick is 10 minutes past a local hour, an hour apart.
    for (const ticks of [spring, fall]) for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(3_600_000);
    expect(iso(fall[0]!)).toBe('2026-11-01T07:10:00.000Z');
  });

  test('DAILY ticks at 00:10 local, SEMI_HOURLY at :10 and :40, in a half-hour zone too', () => {
    const daily = ruleTicks({ schedule: compileSchedule('DAILY'), timeZone: 'Asia/Kolkata', fromMs: Date.parse('2026-06-01T00:00:00Z'), toMs: Date.parse('2026-06-04T00:00:00Z') });
    expect(daily.map(iso)).toEqual(['2026-06-01T18:40:00.000Z', '2026-06-02T18:40:00.000Z', '2026-06-03T18:40:00.000Z']);
    const semi = ruleTicks({ schedule: compileSchedule('SEMI_HOURLY'), timeZone: 'Europe/Berlin', fromMs: Date.parse('2026-06-01T00:00:00Z'), toMs: Date.parse('2026-06-01T02:00:00Z') });
    expect(semi.map(iso)).toEqual(['2026-06-01T00:10:00.000Z', '2026-06-01T00:40:00.000Z', '2026-06-01T01:10:00.000Z', '2026-06-01T01:40:00.000Z']);
  });

  test('CUSTOM windows run every 30 minutes from start until end, on their days only; a local time the clocks skip has no tick', () => {
    // Sundays 01:30–03:00 in Berlin: on 2026-03-29 (spring forward at 02:00) 02:10 and 02:40 do not exist.
    const custom = compileSchedule('CUSTOM', [{ start_minute: 90, end_minute: 180, days: [0] }]);
    const spring = ruleTicks({ schedule: custom, timeZone: 'Europe/Berlin', fromMs: Date.parse('2026-03-28T00:00:00Z'), toMs: Date.parse('2026-03-30T00:00:00Z') });
    expect(spring.map(iso)).toEqual(['2026-03-29T00:40:00.000Z']);
    const normal = ruleTicks({ schedule: custom, timeZone: 'Europe/Berlin', fromMs: Date.parse('2026-04-04T00:00:00Z'), toMs: Date.parse('2026-04-06T00:00:00Z') });
    expect(normal.map(iso)).toEqual(['2026-04-04T23:40:00.000Z', '2026-04-05T00:10:00.000Z', '2026-04-05T00:40:00.000Z']);
  });

  test('a repeated local time has two instants, a skipped one none', () => {
    expect(wallTimeInstants('2026-11-01', 90, LA).map(iso)).toEqual(['2026-11-01T08:30:00.000Z', '2026-11-01T09:30:00.000Z']);
    expect(wallTimeInstants('2026-03-08', 150, LA)).toEqual([]);
    expect(wallTimeInstants('2026-03-08', 60, LA).map(iso)).toEqual(['2026-03-08T09:00:00.000Z']);
  });

  test('Temporal calendars: HOURLY is one entry, SEMI_HOURLY two, CUSTOM groups its hours and days', () => {
    expect(scheduleCalendars(compileSchedule('HOURLY'))).toEqual([
      { hour: [{ start: 0, end: 23 }], minute: 10, dayOfWeek: [{ start: 0, end: 6 }], comment: 'HOURLY rule tick' },
    ]);
    expect(scheduleCalendars(compileSchedule('SEMI_HOURLY')).map((c) => c.minute)).toEqual([10, 40]);
    expect(scheduleCalendars(compileSchedule('DAILY'))).toEqual([{ hour: [{ start: 0, end: 0 }], minute: 10, dayOfWeek: [{ start: 0, end: 6 }], comment: 'DAILY rule tick' }]);
    const custom = scheduleCalendars(compileSchedule('CUSTOM', [{ start_minute: 540, end_minute: 660, days: [1, 2, 3, 4, 5] }]));
    expect(custom).toEqual([
      { hour: [{ start: 9, end: 10 }], minute: 10, dayOfWeek: [{ start: 1, end: 5 }], comment: 'CUSTOM rule tick' },
      { hour: [{ start: 9, end: 10 }], minute: 40, dayOfWeek: [{ start: 1, end: 5 }], comment: 'CUSTOM rule tick' },
    ]);
  });
});

describe('time preset windows', () => {
  const at = Date.parse('2026-11-03T20:00:00Z'); // 12:00 on 2026-11-03 in Los Angeles
  test.each([
    ['TODAY', null, true],
    ['YESTERDAY', { from: '2026-11-02', to: '2026-11-02' }, false],
    ['LAST_3_DAYS', { from: '2026-11-01', to: '2026-11-02' }, true],
    ['LAST_3D', { from: '2026-10-31', to: '2026-11-02' }, false],
    ['THIS_MONTH', { from: '2026-11-01', to: '2026-11-02' }, true],
    ['THIS_WEEK_MON_TODAY', { from: '2026-11-02', to: '2026-11-02' }, true],
    ['THIS_WEEK_SUN_TODAY', { from: '2026-11-01', to: '2026-11-02' }, true],
    ['LIFETIME', { from: undefined, to: '2026-11-02' }, true],
  ] as const)('%s', (preset, daily, includesToday) => {
    const w = presetWindow(preset, at, LA);
    expect(w.today).toBe('2026-11-03');
    expect(w.daily).toEqual(daily);
    expect(w.includesToday).toBe(includesToday);
  });
  test('the local day follows the account zone, not UTC', () => {
    expect(presetWindow('TODAY', Date.parse('2026-11-03T02:00:00Z'), LA).today).toBe('2026-11-02');
    expect(presetWindow('TODAY', Date.parse('2026-11-03T02:00:00Z'), 'Asia/Tokyo').today).toBe('2026-11-03');
  });
});
