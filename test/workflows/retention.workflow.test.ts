import type { Worker } from '@temporalio/worker';
import { retentionWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { connectTestTemporal, createTestDatabase, createTestWorker, testConfig, type TestDatabase, type TestTemporal } from '../support/test-env';

let database: TestDatabase;
let temporal: TestTemporal;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  [database, temporal] = await Promise.all([createTestDatabase(), connectTestTemporal()]);
  worker = await createTestWorker({ temporal, deps: { db: database.db, config: testConfig() } });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all([temporal?.close(), database?.close()]);
});

async function seedHourly(entityId: string, localDate: string, hours: number, adAccountId = 'act_1'): Promise<void> {
  for (let hour = 0; hour < hours; hour++) {
    await database.db.$executeRaw`
      INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, spend, impressions, clicks)
      VALUES ('ad', ${entityId}, (${localDate}::date + make_interval(hours => ${hour}))::timestamptz, ${adAccountId}, ${localDate}::date, ${hour}, 1.25, 100, 3)`;
  }
}

test('a retention run started through the Temporal client deletes only hourly rows that daily rows cover', async () => {
  await database.db.company.create({ data: { id: '00000000-0000-4000-8000-000000000001', name: 'Acme' } });
  await seedHourly('ad-covered', '2026-01-01', 3);
  // Another account: retention decides per (account, level, local day), all entities or none.
  await seedHourly('ad-uncovered', '2026-01-01', 2, 'act_2');
  await seedHourly('ad-recent', '2026-01-09', 2);
  await database.db.$executeRaw`
    INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, source)
    VALUES ('ad', 'ad-covered', '2026-01-01', 'act_1', 3.75, 300, 9, 'meta'), ('ad', 'ad-recent', '2026-01-09', 'act_1', 2.5, 200, 6, 'meta')`;

  const result = await temporal.client.workflow.execute(retentionWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: workflowIds.retention('2026-01-03'),
    args: [{ hourlyRetentionDays: 7, asOf: '2026-01-10T03:00:00Z' }],
  });

  expect(result).toEqual({ cutoffDate: '2026-01-03', deletedHourlyRows: 3, deletedHourlyActionRows: 0, keptUncoveredDays: 1 });
  const left = await database.db.metricHourly.groupBy({ by: ['entityId'], _count: true, orderBy: { entityId: 'asc' } });
  expect(left.map((row) => [row.entityId, row._count])).toEqual([['ad-recent', 2], ['ad-uncovered', 2]]);

  // Running the same window again changes nothing.
  const again = await temporal.client.workflow.execute(retentionWorkflow, {
    taskQueue: temporal.taskQueue,
    workflowId: `${workflowIds.retention('2026-01-03')}:again`,
    args: [{ hourlyRetentionDays: 7, asOf: '2026-01-10T03:00:00Z' }],
  });
  expect(again.deletedHourlyRows).toBe(0);
});
