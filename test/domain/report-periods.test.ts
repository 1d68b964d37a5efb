/**
 * Meta's date presets as local days on a given account-local today, as Meta means them: LAST_nD
 * are the n whole days ending yesterday, THIS_* run to today, LAST_* whole calendar units; and the
 * whole past months of a period, the ones monthly rows may answer.
 */
import { presetRange, wholeMonthsBefore, REPORT_PRESETS } from '../../domain/report-periods';

test.each([
  // Wednesday 2026-12-02
  ['TODAY', '2026-12-02', '2026-12-02'],
  ['YESTERDAY', '2026-12-01', '2026-12-01'],
  ['LAST_3D', '2026-11-29', '2026-12-01'],
  ['LAST_7D', '2026-11-25', '2026-12-01'],
  ['LAST_14D', '2026-11-18', '2026-12-01'],
  ['LAST_28D', '2026-11-04', '2026-12-01'],
  ['LAST_30D', '2026-11-02', '2026-12-01'],
  ['LAST_90D', '2026-09-03', '2026-12-01'],
  ['THIS_WEEK_MON_TODAY', '2026-11-30', '2026-12-02'],
  ['THIS_WEEK_SUN_TODAY', '2026-11-29', '2026-12-02'],
  ['LAST_WEEK_MON_SUN', '2026-11-23', '2026-11-29'],
  ['LAST_WEEK_SUN_SAT', '2026-11-22', '2026-11-28'],
  ['THIS_MONTH', '2026-12-01', '2026-12-02'],
  ['LAST_MONTH', '2026-11-01', '2026-11-30'],
  ['THIS_QUARTER', '2026-10-01', '2026-12-02'],
  ['LAST_QUARTER', '2026-07-01', '2026-09-30'],
  ['THIS_YEAR', '2026-01-01', '2026-12-02'],
  ['LAST_YEAR', '2025-01-01', '2025-12-31'],
] as const)('%s on 2026-12-02 is %s to %s', (preset, from, to) => {
  expect(presetRange(preset, '2026-12-02')).toEqual({ from, to });
});

test('every preset is covered above, and month and year edges hold', () => {
  expect(REPORT_PRESETS).toHaveLength(18);
  expect(presetRange('LAST_MONTH', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  expect(presetRange('LAST_QUARTER', '2026-02-10')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  expect(presetRange('LAST_MONTH', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  expect(presetRange('THIS_WEEK_MON_TODAY', '2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-11-30' });
});

test('whole past months of a period: wholly inside it and ended before today', () => {
  expect(wholeMonthsBefore({ from: '2026-09-15', to: '2026-12-01' }, '2026-12-02')).toEqual(['2026-10-01', '2026-11-01']);
  expect(wholeMonthsBefore({ from: '2026-11-01', to: '2026-11-30' }, '2026-11-30')).toEqual([]);
  expect(wholeMonthsBefore({ from: '2026-11-02', to: '2026-12-01' }, '2026-12-02')).toEqual([]);
});
