import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { companySyncWorkflow, fullSyncWorkflow, incrementalSyncWorkflow, metricsSyncWorkflow, retentionWorkflow, rollupWorkflow } from '../../workflows';
import { WorkflowKind } from '../../domain/vocabulary';
import { workflowIds } from '../../domain/workflow-ids';
import { SearchAttributes } from '../../domain/search-attributes';
import { Worker } from '@temporalio/worker';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { createRuleHarness } from '../support/rule-harness';
import { workflowBundle } from '../support/test-env';
import { manualRuleEvaluationStart } from '../../domain/starts/rule-evaluation';
import { createRule } from '../../src/operations/rules';
import { backtestRule } from '../../src/operations/rule-runs';
import { startWorkflow } from '../../src/operations/workflows';

/**
 * Replays committed histories of every workflow type against today's workflow code. A change
 * that would break workflows already running in production (non-determinism) fails here; such a
 * change needs `patched()`. Histories hold ids and counts only (never tokens or rows), so they
 * are safe to commit. Re-record them deliberately with `RECORD_HISTORIES=1 npx jest test/replay` (`RECORD_HISTORIES=rules`: the rule
 * workflows only).
 */
const HISTORIES_DIR = path.join(__dirname, 'histories');
/** `1` records every history; `rules` only the rule workflows' (the others stay as committed). */
const recording = process.env.RECORD_HISTORIES;

/** Writes a closed workflow's history in the JSON form of `temporal workflow show`. */
function writeHistory(name: string, workflowId: string): void {
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const json = execFileSync(process.env.TEST_TEMPORAL_CLI!, ['workflow', 'show', '--address', process.env.TEST_TEMPORAL_ADDRESS!, '--workflow-id', workflowId, '--output', 'json']);
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}

/**
 * Rule workflows on synced simulator data: an evaluation tick that acts (a NOTIFICATION rule
 * whose notice is POSTed to a webhook, then settled), a tick whose metrics are stale (its instant
 * three hours after the last metrics read, with TODAY in its window), and a backtest too long to
 * answer inline.
 */
async function recordRuleHistories(): Promise<void> {
  const r = await createRuleHarness({
    seed: 31_337,
    profile: { name: 'replay-rules', adAccounts: [{ timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 10, adsetsPerCampaign: 3, adsPerAdset: 4 }], insightsDays: 20, hourlyDays: 2 },
  });
  const hook = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  try {
    await r.syncAll({ hourlyDays: 2 });
    const adAccountId = r.accounts[0]!.id;
    const filters = (preset: string) => [
      { field: 'entity_type', operator: 'EQUAL', value: 'AD' },
      { field: 'time_preset', operator: 'EQUAL', value: preset },
      { field: 'impressions', operator: 'GREATER_THAN', value: 0 },
    ];
    const rule = await createRule(r.ctx, r.writer, {
      adAccountId,
      name: 'Replay: ads with delivery',
      evaluation_spec: { evaluation_type: 'SCHEDULE', filters: filters('TODAY') },
      execution_spec: { execution_type: 'NOTIFICATION', execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 60 }] },
      schedule_spec: { schedule_type: 'HOURLY' },
      webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/rules`,
    });
    const ref = { ruleId: rule.ruleId, ruleName: rule.name, companyId: r.h.companyId, adAccountId };
    const evaluate = async (asOf: string) => {
      const started = await startWorkflow(r.ctx, manualRuleEvaluationStart({ ...ref, asOf }));
      const result = (await r.h.temporal.client.workflow.getHandle(started.workflowId).result()) as { status: string; acted: number };
      return { workflowId: started.workflowId, result };
    };
    const acting = await evaluate(new Date().toISOString());
    if (acting.result.status !== 'completed' || acting.result.acted === 0) throw new Error(`the acting tick acted on nothing: ${JSON.stringify(acting.result)}`);
    const stale = await evaluate(new Date(Date.now() + 3 * 3_600_000).toISOString());
    if (stale.result.status !== 'stale_metrics') throw new Error(`the stale tick was ${JSON.stringify(stale.result)}`);
    const today = r.accounts[0]!.today;
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 10 * 86_400_000).toISOString().slice(0, 10);
    const backtest = await backtestRule(r.ctxWith({ rules: { backtestInlineTicks: 1 } }), r.reader, { ruleId: rule.ruleId, from, to: today });
    if (backtest.mode !== 'workflow' || !backtest.workflowId) throw new Error(`the backtest ran ${backtest.mode}`);
    await r.h.temporal.client.workflow.getHandle(backtest.workflowId).result();
    writeHistory('rule-evaluation-acting', acting.workflowId);
    writeHistory('rule-evaluation-stale-metrics', stale.workflowId);
    writeHistory('rule-backtest', backtest.workflowId);
  } finally {
    hook.close();
    await r.close();
  }
}

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
  if (recording === '1') await recordHistories();
  if (recording === '1' || recording === 'rules') await recordRuleHistories();
}, 600_000);

test('a committed history exists for every workflow type', () => {
  expect(committed()).toEqual([
    'company-sync.json', 'full-sync.json', 'incremental-sync.json', 'metrics-sync-daily.json', 'metrics-sync-hourly.json', 'retention.json', 'rollup-daily.json',
    'rule-backtest.json', 'rule-evaluation-acting.json', 'rule-evaluation-stale-metrics.json',
  ].sort());
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
