/**
 * Long syncs hand their state to a new run when Temporal suggests it. The shared test server
 * suggests that only after 4,096 events, which no test sync reaches, so this file runs a
 * Temporal dev server of its own that suggests it after a few dozen: every sync below goes
 * through several runs, and must end exactly where a single run would.
 */
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { fullSyncWorkflow, metricsSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import type { SyncResult } from '../../domain/contracts/account-sync';
import { freePort } from '../support/infra';
import { expectDbEqualsTruth } from '../support/sync-assertions';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { addDays } from '../../domain/calendar';
import { expectMatchesTruth } from './metrics-sync-helpers';

const SUGGEST_AFTER_EVENTS = 20;

let server: RunningDevServer;
let h: SyncHarness;

beforeAll(async () => {
  const cliPath = process.env.TEST_TEMPORAL_CLI;
  if (!cliPath) throw new Error('TEST_TEMPORAL_CLI is not set: run the tests through jest (global setup finds the CLI)');
  server = await startDevServer({ cliPath, port: await freePort(), uiPort: false, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_AFTER_EVENTS } });
  h = await createSyncHarness({ profile: 'small', temporalAddress: server.address });
  await h.startWorker();
});

afterAll(async () => {
  await h?.close();
  await server?.stop();
});

/** Every run of a workflow id, oldest first, with its history length. */
async function runsOf(workflowId: string): Promise<Array<{ runId: string; status: string; events: number }>> {
  const runs: Array<{ runId: string; status: string; events: number; start: number }> = [];
  for await (const execution of h.temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await h.temporal.client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    runs.push({ runId: execution.runId, status: execution.status.name, events: history.events?.length ?? 0, start: execution.startTime.getTime() });
  }
  return runs.sort((a, b) => a.start - b.start).map(({ start: _start, ...run }) => run);
}

test('an hourly metrics sync that continues as new reads every day once and ends equal to Meta', async () => {
  const account = await h.truth(h.adAccountIds[0] as string);
  const to = account.today;
  const from = addDays(to, -5);
  const workflowId = workflowIds.metricsSync(account.id, 'hourly');

  const result = await h.temporal.client.workflow.execute(metricsSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId: account.id, grain: 'hourly', from, to, maxParallelChunks: 1 }],
  });

  const runs = await runsOf(workflowId);
  expect(runs.length).toBeGreaterThan(1);
  expect(runs.slice(0, -1).every((r) => r.status === 'CONTINUED_AS_NEW')).toBe(true);
  expect(runs.at(-1)?.status).toBe('COMPLETED');
  // Counts carried across runs: every planned day done exactly once, one checkpoint per day.
  expect(result.counts.daysPlanned).toBe(6);
  expect(result.counts.daysDone).toBe(6);
  expect(await h.database.db.metricsSyncCheckpoint.count({ where: { adAccountId: account.id, grain: 'hourly' } })).toBe(6);
  const syncRuns = await h.database.db.syncRun.findMany({ where: { adAccountId: account.id, kind: 'metrics' } });
  expect(syncRuns.map((r) => r.status)).toEqual(['completed']);
  await expectMatchesTruth(h, account.id, 'hourly', from, to);
});

test('a full sync that continues as new between stages ends with the database equal to Meta', async () => {
  const adAccountId = h.adAccountIds[1] as string;
  const workflowId = workflowIds.fullSync(adAccountId);

  const result: SyncResult = await h.temporal.client.workflow.execute(fullSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId }],
  });

  const runs = await runsOf(workflowId);
  expect(runs.length).toBeGreaterThan(1);
  expect(runs.at(-1)?.status).toBe('COMPLETED');
  expect(result.counts.ads).toBeGreaterThan(0);
  await expectDbEqualsTruth(h, adAccountId);
});
