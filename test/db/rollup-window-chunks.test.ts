import { rollupWindowChunks } from '../../src/db/metrics-rollup';

test("a tenant's daily window is cut into 31-day chunks that cover it exactly", () => {
  const chunks = rollupWindowChunks('daily', { from: '2026-01-15', to: '2026-04-20', adAccountIds: ['act_1'] });
  expect(chunks).toEqual([
    { from: '2026-01-15', to: '2026-02-14', adAccountIds: ['act_1'] },
    { from: '2026-02-15', to: '2026-03-17', adAccountIds: ['act_1'] },
    { from: '2026-03-18', to: '2026-04-17', adAccountIds: ['act_1'] },
    { from: '2026-04-18', to: '2026-04-20', adAccountIds: ['act_1'] },
  ]);
});

test("a tenant's monthly window is cut on whole months, a year at a time", () => {
  expect(rollupWindowChunks('monthly', { from: '2024-11-20', to: '2026-02-03', adAccountIds: ['act_1'] })).toEqual([
    { from: '2024-11-01', to: '2025-10-31', adAccountIds: ['act_1'] },
    { from: '2025-11-01', to: '2026-02-28', adAccountIds: ['act_1'] },
  ]);
});

test('scheduled instants, operator all-account windows and empty lists stay one window', () => {
  expect(rollupWindowChunks('daily', { asOf: '2026-03-01T10:05:00Z' })).toEqual([{ asOf: '2026-03-01T10:05:00Z' }]);
  expect(rollupWindowChunks('daily', { from: '2026-01-01', to: '2026-12-31' })).toEqual([{ from: '2026-01-01', to: '2026-12-31' }]);
  expect(rollupWindowChunks('monthly', { from: '2026-01-01', to: '2026-01-31', adAccountIds: [] })).toEqual([{ from: '2026-01-01', to: '2026-01-31', adAccountIds: [] }]);
});
