import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { companySyncWorkflow, fullSyncWorkflow, incrementalSyncWorkflow, metricsSyncWorkflow, retentionWorkflow, rollupWorkflow } from '../../workflows';
import { WorkflowKind } from '../../domain/vocabulary';
import { workflowIds } from '../../domain/workflow-ids';
import { SearchAttributes } from '../../domain/search-attributes';
import { Worker } from '@temporalio/worker';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { workflowBundle } from '../support/test-env';

/**
 * Replays committed histories of every workflow type against today's workflow code. A change
 * that would break workflows already running in production (non-determinism) fails here; such a
 * change needs `patched()`. Histories hold ids and counts only (never tokens or rows), so they
 * are safe to commit. Re-record them deliberately with `RECORD_HISTORIES=1 npx jest test/replay`.
 */
const HISTORIES_DIR = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';

async function recordHistories(): Promise<void> {
  const h: SyncHarness = await createSyncHarness({ seed: 909 });
  try {
    const worker = await h.startWorker();
    const client = h.temporal.client;
    const taskQueue = h.temporal.taskQueue;
    const [adAccountId] = h.adAccountIds as [string];
    const attrs = (kind: WorkflowKind) => [
      { key: SearchAttributes.CompanyId, value: h.companyId },
      { key: SearchAttributes.AdAccountId, value: adAccountId },
      { key: SearchAttributes.WorkflowKind, value: kind },
    ];
    const truth = await h.truth(adAccountId);
    const today = (truth as unknown as { today: string }).today;
    const runs = {
      'full-sync': await client.workflow.start(fullSyncWorkflow, { taskQueue, workflowId: workflowIds.fullSync(adAccountId), args: [{ companyId: h.companyId, adAccountId }], typedSearchAttributes: attrs(WorkflowKind.FullSync) }),
    } as Record<string, { workflowId: string; result(): Promise<unknown>; fetchHistory(): Promise<unknown> }>;
    await runs['full-sync']!.result();
    runs['incremental-sync'] = await client.workflow.start(incrementalSyncWorkflow, { taskQueue, workflowId: workflowIds.incrementalSync(adAccountId), args: [{ companyId: h.companyId, adAccountId }], typedSearchAttributes: attrs(WorkflowKind.IncrementalSync) });
    runs['metrics-sync-daily'] = await client.workflow.start(metricsSyncWorkflow, { taskQueue, workflowId: workflowIds.metricsSync(adAccountId, 'daily'), args: [{ companyId: h.companyId, adAccountId, grain: 'daily', lookbackDays: 3 }], typedSearchAttributes: attrs(WorkflowKind.MetricsSync) });
    runs['metrics-sync-hourly'] = await client.workflow.start(metricsSyncWorkflow, { taskQueue, workflowId: workflowIds.metricsSync(adAccountId, 'hourly'), args: [{ companyId: h.companyId, adAccountId, grain: 'hourly', from: today, to: today }], typedSearchAttributes: attrs(WorkflowKind.MetricsSync) });
    for (const run of Object.values(runs)) await run.result();
    runs['rollup-daily'] = await client.workflow.start(rollupWorkflow, { taskQueue, workflowId: workflowIds.rollup('daily', today), args: [{ grain: 'daily', from: today, to: today }] });
    runs['retention'] = await client.workflow.start(retentionWorkflow, { taskQueue, workflowId: workflowIds.retention(today), args: [{ hourlyRetentionDays: 7 }] });
    runs['company-sync'] = await client.workflow.start(companySyncWorkflow, { taskQueue, workflowId: workflowIds.companySync(h.companyId), args: [{ companyId: h.companyId, kinds: ['incremental'], maxParallel: 2 }] });
    for (const run of Object.values(runs)) await run.result();
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    // The CLI writes the standard JSON form `temporal workflow show` users know (and avoids
    // protobufjs's cross-realm checks under Jest).
    for (const [name, run] of Object.entries(runs)) {
      const json = execFileSync(process.env.TEST_TEMPORAL_CLI!, ['workflow', 'show', '--address', process.env.TEST_TEMPORAL_ADDRESS!, '--workflow-id', run.workflowId, '--output', 'json']);
      fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
    }
    await worker.stop();
  } finally {
    await h.close();
  }
}

const committed = (): string[] => (fs.existsSync(HISTORIES_DIR) ? fs.readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort() : []);

beforeAll(async () => {
  if (recording) await recordHistories();
}, 300_000);

test('a committed history exists for every workflow type', () => {
  expect(committed()).toEqual(['company-sync.json', 'full-sync.json', 'incremental-sync.json', 'metrics-sync-daily.json', 'metrics-sync-hourly.json', 'retention.json', 'rollup-daily.json']);
});

test('every committed history replays against the current workflow code without non-determinism', async () => {
  const bundle = workflowBundle();
  for (const file of committed()) {
    const history: unknown = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, replayName: file }, history, `replay-${file}`)).resolves.toBeUndefined();
  }
});

test('committed histories carry no access token', () => {
  for (const file of committed()) expect(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')).not.toMatch(/sim-token|access_token|EAA[A-Za-z0-9]{10}/);
});
