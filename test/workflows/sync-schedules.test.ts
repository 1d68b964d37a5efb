import { ScheduleOverlapPolicy } from '@temporalio/client';
import { scheduleIds } from '../../domain/workflow-ids';
import { ensureAdAccountSyncSchedules, ensureAllAccountSchedules, removeAdAccountSyncSchedules } from '../../src/temporal/sync-schedules';
import { connectTestTemporal, createTestDatabase, testConfig, type TestDatabase, type TestTemporal } from '../support/test-env';

let temporal: TestTemporal;
let database: TestDatabase;

beforeAll(async () => {
  [temporal, database] = await Promise.all([connectTestTemporal(), createTestDatabase()]);
});

afterAll(async () => {
  await Promise.all([temporal?.close(), database?.close()]);
});

test('account schedules are created once, updated idempotently, pausable state kept, and removed on disconnect', async () => {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: temporal.taskQueue });
  const adAccountId = `act_${Date.now()}`;
  const ref = { companyId: '00000000-0000-4000-8000-000000000009', adAccountId };
  const first = await ensureAdAccountSyncSchedules(temporal.client, config, ref);
  expect(first.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
  const incremental = temporal.client.schedule.getHandle(scheduleIds.incrementalSync(adAccountId));
  await incremental.pause('operator paused it');
  const second = await ensureAdAccountSyncSchedules(temporal.client, config, ref);
  expect(second.map((r) => r.outcome)).toEqual(['updated', 'updated', 'updated']);
  const described = await incremental.describe();
  expect(described.state.paused).toBe(true);
  expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  expect(described.policies.catchupWindow).toBe(600_000);
  expect(described.memo).toEqual(expect.objectContaining({ adAccountId }));
  expect(await removeAdAccountSyncSchedules(temporal.client, adAccountId)).toHaveLength(3);
  expect(await removeAdAccountSyncSchedules(temporal.client, adAccountId)).toHaveLength(0);
});

test('worker start-up ensures schedules for connected accounts only', async () => {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: temporal.taskQueue });
  const company = await database.db.company.create({ data: { name: 'Schedules Inc' } });
  const suffix = Date.now();
  const base = { companyId: company.id, encryptedAccessToken: 'x', tokenKeyId: 'k' };
  await database.db.adAccount.create({ data: { ...base, id: `act_c${suffix}`, accountId: `c${suffix}` } });
  await database.db.adAccount.create({ data: { ...base, id: `act_d${suffix}`, accountId: `d${suffix}`, disconnectedAt: new Date() } });
  expect(await ensureAllAccountSchedules(temporal.client, config, database.db)).toEqual({ adAccounts: 1, schedules: 3 });
  await removeAdAccountSyncSchedules(temporal.client, `act_c${suffix}`);
});
