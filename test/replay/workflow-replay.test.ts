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
import { WithStartWorkflowOperation } from '@temporalio/client';
import { defaultPayloadConverter, WorkflowIdConflictPolicy, type Payload } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { addDays } from '../../domain/calendar';
import type { CompanySyncInput, CompanySyncResult } from '../../domain/contracts/company-sync';
import type { MetricsSyncInput } from '../../domain/contracts/metrics-sync';
import { START_REQUEST_MEMO_KEY, startRequestUpdate, type StartRequest } from '../../domain/contracts/start-request';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { createChangeSetHarness } from '../support/change-set-harness';
import { cancelChangeSet, confirmChangeSet } from '../../src/operations/change-set-apply';
import { previewChangeSet } from '../../src/operations/change-set-preview';
import type { ServiceContext } from '../../src/operations/service-context';
import { createRuleHarness } from '../support/rule-harness';
import { workflowBundle } from '../support/test-env';
import { manualRuleEvaluationStart } from '../../domain/starts/rule-evaluation';
import { createRule } from '../../src/operations/rules';
import { backtestRule } from '../../src/operations/rule-runs';
import { startWorkflow } from '../../src/operations/workflows';
import { Scope } from '../../src/operations/actor';
import { startCompanySync } from '../../src/operations/syncs';

/**
 * Replays committed histories of every workflow type against today's workflow code. A change
 * that would break workflows already running in production (non-determinism) fails here; such a
 * change needs `patched()`. Histories hold ids and counts only (never tokens or rows), so they
 * are safe to commit. Re-record them deliberately with `RECORD_HISTORIES=1 npx jest test/replay`
 * (`RECORD_HISTORIES=change-set`, `start-requests`, `rules` or `operator-view` re-record only those).
 */
const HISTORIES_DIR = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';
const recordingChangeSets = recording || process.env.RECORD_HISTORIES === 'change-set';
const recordingRules = recording || process.env.RECORD_HISTORIES === 'rules';
const recordingRuleActions = recording || process.env.RECORD_HISTORIES === 'rule-actions';
const recordingOperatorView = recording || process.env.RECORD_HISTORIES === 'operator-view';

/** `RECORD_HISTORIES=start-requests` records only the start-request histories (the others stay as committed). */
const recordingStartRequests = recording || process.env.RECORD_HISTORIES === 'start-requests';

/** Writes a run's history as `temporal workflow show` prints it. */
function writeHistory(name: string, workflowId: string, runId?: string): void {
  const args = ['workflow', 'show', '--address', process.env.TEST_TEMPORAL_ADDRESS!, '--workflow-id', workflowId, '--output', 'json'];
  if (runId) args.push('--run-id', runId);
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), execFileSync(process.env.TEST_TEMPORAL_CLI!, args));
}

/**
 * Runs that took a start request (the `startRequest` update, as sync starts send it with
 * Update-With-Start) while running: a metrics sync that added days, a full sync that attached,
 * an incremental sync that queued a follow-up with a longer overlap (its first run, which
 * continued as new), a company sync of incremental syncs that took full syncs on as well.
 */
async function recordStartRequestHistories(): Promise<void> {
  const h: SyncHarness = await createSyncHarness({ seed: 910 });
  try {
    const worker = await h.startWorker();
    const client = h.temporal.client;
    const taskQueue = h.temporal.taskQueue;
    const [adAccountId] = h.adAccountIds as [string];
    const companyId = h.companyId;
    const today = (await h.truth(adAccountId)).today;
    const memo = { [START_REQUEST_MEMO_KEY]: 'recorded-start' };
    const attach = <A extends unknown[]>(workflow: (...args: A) => Promise<unknown>, workflowId: string, args: A, ask: StartRequest['ask']) =>
      client.workflow.executeUpdateWithStart(startRequestUpdate, {
        args: [{ requestId: 'recorded-attach', ask }],
        startWorkflowOperation: new WithStartWorkflowOperation(workflow, { taskQueue, workflowId, args, workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING }),
      });
    // A slow Meta keeps each run going while its request arrives.
    await h.simControl('/__sim/faults', { latencyMs: 400 });
    const metricsArgs: [MetricsSyncInput] = [{ companyId, adAccountId, grain: 'daily', from: addDays(today, -1), to: today, lookbackDays: 3 }];
    const metrics = await client.workflow.start(metricsSyncWorkflow, { taskQueue, workflowId: workflowIds.metricsSync(adAccountId, 'daily'), args: metricsArgs, memo });
    const metricsAnswer = await attach(metricsSyncWorkflow, metrics.workflowId, metricsArgs, { kind: 'metrics', from: addDays(today, -5), to: today });
    expect(metricsAnswer).toMatchObject({ attached: true, covers: { days: [{ from: addDays(today, -5), to: today }] } });
    const fullArgs: [{ companyId: string; adAccountId: string }] = [{ companyId, adAccountId }];
    const full = await client.workflow.start(fullSyncWorkflow, { taskQueue, workflowId: workflowIds.fullSync(adAccountId), args: fullArgs, memo });
    expect(await attach(fullSyncWorkflow, full.workflowId, fullArgs, { kind: 'full' })).toMatchObject({ attached: true });
    await h.simControl('/__sim/faults', {});
    await Promise.all([metrics.result(), full.result()]);
    await h.simControl('/__sim/faults', { latencyMs: 400 });
    const incrementalArgs: [{ companyId: string; adAccountId: string; overlapSeconds: number }] = [{ companyId, adAccountId, overlapSeconds: 60 }];
    const incremental = await client.workflow.start(incrementalSyncWorkflow, { taskQueue, workflowId: workflowIds.incrementalSync(adAccountId), args: incrementalArgs, memo });
    expect(await attach(incrementalSyncWorkflow, incremental.workflowId, incrementalArgs, { kind: 'incremental', overlapSeconds: 600 })).toMatchObject({ attached: true, covers: { followUp: true } });
    await h.simControl('/__sim/faults', {});
    await incremental.result();
    // A company sync of incremental syncs that a request for incremental and full syncs reaches.
    await h.simControl('/__sim/faults', { latencyMs: 400 });
    const companyArgs: [CompanySyncInput] = [{ companyId, kinds: ['incremental'], maxParallel: 1 }];
    const company = await client.workflow.start(companySyncWorkflow, { taskQueue, workflowId: workflowIds.companySync(companyId), args: companyArgs, memo });
    expect(await attach(companySyncWorkflow, company.workflowId, companyArgs, { kind: 'company', kinds: ['incremental', 'full'], maxParallel: 2 })).toMatchObject({
      attached: true,
      covers: { kinds: ['incremental', 'full'], maxParallel: 2 },
    });
    await h.simControl('/__sim/faults', {});
    const companyResult = await company.result();
    expect(companyResult.outcomes.filter((o) => o.kind === 'full' && o.status === 'completed')).toHaveLength(h.adAccountIds.length);
    writeHistory('metrics-sync-start-request', metrics.workflowId, metrics.firstExecutionRunId);
    writeHistory('full-sync-start-request', full.workflowId, full.firstExecutionRunId);
    writeHistory('incremental-sync-follow-up', incremental.workflowId, incremental.firstExecutionRunId);
    writeHistory('company-sync-start-request', company.workflowId, company.firstExecutionRunId);
    await worker.stop();
  } finally {
    await h.close();
  }
}

/** changeSetWorkflow three ways: confirmed and applied, expired unconfirmed, canceled before a confirm. */
async function recordChangeSetHistories(): Promise<void> {
  const h = await createChangeSetHarness({
    seed: 910,
    profile: { name: 'replay-change-sets', adAccounts: [{ timezone: 'America/New_York', currency: 'USD', campaigns: 3, adsetsPerCampaign: 2, adsPerAdset: 2 }], insightsDays: 2, hourlyDays: 1 },
  });
  try {
    const worker = await h.startWorker();
    const [adAccountId] = h.adAccountIds as [string];
    await h.fullSync(adAccountId);
    const ads = await h.database.db.ad.findMany({ where: { adAccountId, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' }, take: 5 });
    const adsets = await h.database.db.adSet.findMany({ where: { adAccountId, status: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' }, take: 2 });
    const pause = (ids: string[]) => ({ adAccountId, items: ids.map((id) => ({ id, level: 'ad' as const, set: { status: 'PAUSED' as const } })) });

    // Applied: a pause of three ads and a budget raise, confirmed with the plan hash.
    const applied = await previewChangeSet(h.ctx, h.actors.write, {
      adAccountId,
      items: [...ads.slice(0, 3).map((ad) => ({ id: ad.id, level: 'ad' as const, set: { status: 'PAUSED' as const } })), ...adsets.map((a) => ({ id: a.id, level: 'adset' as const, set: { dailyBudget: { percent: 10 } } }))],
    });
    await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: applied.changeSetId, planHash: applied.planHash });
    await h.handle(applied.workflowId!).result();
    // Expired: nobody confirms before the (short) expiry.
    const shortLived: ServiceContext = { ...h.ctx, config: { ...h.ctx.config, changeSets: { ...h.ctx.config.changeSets, previewTtlMs: 1_500 } } };
    const expired = await previewChangeSet(shortLived, h.actors.write, pause([ads[3]!.id]));
    await h.handle(expired.workflowId!).result();
    // Canceled before anyone confirmed it.
    const canceled = await previewChangeSet(h.ctx, h.actors.write, pause([ads[4]!.id]));
    await cancelChangeSet(h.ctx, h.actors.write, { changeSetId: canceled.changeSetId });
    await h.handle(canceled.workflowId!).result();

    writeHistory('change-set-applied', applied.workflowId!);
    writeHistory('change-set-expired', expired.workflowId!);
    writeHistory('change-set-canceled', canceled.workflowId!);
    await worker.stop();
  } finally {
    await h.close();
  }
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
    for (const [name, run] of Object.entries(runs)) writeHistory(name, run.workflowId);
    await worker.stop();
  } finally {
    await h.close();
  }
}

/**
 * A rule tick that acts on Meta: a PAUSE rule's matches become one change set, confirmed by the
 * rule and applied by `changeSetWorkflow` as a child (behind `patched('rule-actions-change-set')`).
 */
async function recordRuleActionHistory(): Promise<void> {
  const r = await createRuleHarness({
    seed: 31_338,
    profile: { name: 'replay-rule-actions', adAccounts: [{ timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 2, adsetsPerCampaign: 2, adsPerAdset: 2 }], insightsDays: 5, hourlyDays: 2 },
  });
  try {
    await r.syncAll({ hourlyDays: 2 });
    const adAccountId = r.accounts[0]!.id;
    const rule = await createRule(r.ctx, r.writer, {
      adAccountId,
      name: 'Replay: pause ads with delivery',
      evaluation_spec: {
        evaluation_type: 'SCHEDULE',
        filters: [
          { field: 'entity_type', operator: 'EQUAL', value: 'AD' },
          { field: 'time_preset', operator: 'EQUAL', value: 'TODAY' },
          { field: 'impressions', operator: 'GREATER_THAN', value: 0 },
        ],
      },
      execution_spec: { execution_type: 'PAUSE', execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 60 }] },
      schedule_spec: { schedule_type: 'HOURLY' },
    });
    const started = await startWorkflow(r.ctx, manualRuleEvaluationStart({ ruleId: rule.ruleId, ruleName: rule.name, companyId: r.h.companyId, adAccountId, asOf: new Date().toISOString() }));
    const result = (await r.h.temporal.client.workflow.getHandle(started.workflowId).result()) as { status: string; acted: number };
    if (result.status !== 'completed' || result.acted === 0) throw new Error(`the pause tick acted on nothing: ${JSON.stringify(result)}`);
    writeHistory('rule-evaluation-change-set', started.workflowId);
  } finally {
    await r.close();
  }
}

/**
 * Runs as the fronts start them, carrying what the Temporal UI shows: a company sync started by
 * the operations layer (summary, details and memo with the names) and one of its daily metrics
 * children, whose activities and report polling timers carry summaries (user metadata).
 */
async function recordOperatorViewHistories(): Promise<void> {
  // 14 lookback days go through an async report; reports complete at the first poll.
  const h: SyncHarness = await createSyncHarness({ seed: 1818, limits: { asyncPollsToComplete: 0 }, env: { METRICS_LOOKBACK_DAYS: '14' } });
  try {
    await h.startWorker();
    const ctx: ServiceContext = {
      config: { ...h.config, temporal: { ...h.config.temporal, taskQueue: h.temporal.taskQueue } },
      db: h.database.db,
      temporal: h.temporal.client,
      runtime: { databaseMode: 'external', temporalAddress: 'test', startedAt: new Date() },
    };
    const started = await startCompanySync(ctx, { tokenId: 'recorded', companyId: h.companyId, scopes: [Scope.Sync] }, { kinds: ['metrics-daily'], maxParallel: 1 });
    const result = (await h.temporal.client.workflow.getHandle(started.workflowId).result()) as CompanySyncResult;
    const child = result.outcomes.find((o) => o.status === 'completed');
    if (!child) throw new Error(`no metrics child completed: ${JSON.stringify(result.outcomes)}`);
    writeHistory('company-sync-labelled', started.workflowId);
    writeHistory('metrics-sync-labelled', child.workflowId);
  } finally {
    await h.close();
  }
}

const committed = (): string[] => (fs.existsSync(HISTORIES_DIR) ? fs.readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort() : []);

beforeAll(async () => {
  if (recording) await recordHistories();
  if (recordingStartRequests) await recordStartRequestHistories();
  if (recordingChangeSets) await recordChangeSetHistories();
  if (recordingRules) await recordRuleHistories();
  if (recordingRuleActions) await recordRuleActionHistory();
  if (recordingOperatorView) await recordOperatorViewHistories();
}, 600_000);

test('a committed history exists for every workflow type', () => {
  expect(committed()).toEqual([
    'change-set-applied.json', 'change-set-canceled.json', 'change-set-expired.json',
    'company-sync-labelled.json', 'company-sync-start-request.json', 'company-sync.json', 'full-sync-start-request.json', 'full-sync.json', 'incremental-sync-follow-up.json', 'incremental-sync.json',
    'metrics-sync-daily.json', 'metrics-sync-hourly.json', 'metrics-sync-labelled.json',
    'metrics-sync-start-request.json', 'retention.json', 'rollup-daily.json', 'rule-backtest.json', 'rule-evaluation-acting.json', 'rule-evaluation-change-set.json', 'rule-evaluation-stale-metrics.json',
  ]);
});

test('the start-request histories hold the request: an accepted and completed startRequest update (and the follow-up continue-as-new)', () => {
  for (const file of ['metrics-sync-start-request.json', 'full-sync-start-request.json', 'incremental-sync-follow-up.json', 'company-sync-start-request.json']) {
    const text = fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8');
    expect(text).toMatch(/WORKFLOW_EXECUTION_UPDATE_ACCEPTED|WorkflowExecutionUpdateAccepted/);
    expect(text).toMatch(/WORKFLOW_EXECUTION_UPDATE_COMPLETED|WorkflowExecutionUpdateCompleted/);
    expect(text).toContain('"startRequest"');
  }
  expect(fs.readFileSync(path.join(HISTORIES_DIR, 'metrics-sync-start-request.json'), 'utf8')).toContain('planMetricsSyncDays');
  expect(fs.readFileSync(path.join(HISTORIES_DIR, 'incremental-sync-follow-up.json'), 'utf8')).toMatch(/WORKFLOW_EXECUTION_CONTINUED_AS_NEW|WorkflowExecutionContinuedAsNew/);
  // The company sync listed the accounts again for the request and started the full syncs it asked for.
  const company = fs.readFileSync(path.join(HISTORIES_DIR, 'company-sync-start-request.json'), 'utf8');
  expect(company.match(/"listCompanyAdAccounts"/g)).toHaveLength(2);
  expect(company).toContain('"fullSyncWorkflow"');
});

test('the rule history that acts holds its change-set child behind a patch marker', () => {
  const text = fs.readFileSync(path.join(HISTORIES_DIR, 'rule-evaluation-change-set.json'), 'utf8');
  expect(text).toMatch(/START_CHILD_WORKFLOW_EXECUTION_INITIATED|StartChildWorkflowExecutionInitiated/);
  expect(text).toContain('changeSetWorkflow');
  expect(text).toMatch(/MARKER_RECORDED|MarkerRecorded/);
});

test('the labelled histories hold what the Temporal UI shows: the start summary, the names in the memo, activity and timer summaries', () => {
  const events = (file: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))).events ?? [];
  const text = (payload: unknown): string | undefined => (payload ? defaultPayloadConverter.fromPayload<string>(payload as Payload) : undefined);
  const company = events('company-sync-labelled.json');
  const memo = company[0]!.workflowExecutionStartedEventAttributes?.memo?.fields ?? {};
  expect(text(memo.companyName)).toBe('Sim Company');
  const childStarts = company.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
  expect(childStarts.length).toBeGreaterThan(0);
  for (const e of childStarts) expect(text(e.userMetadata?.summary)).toMatch(/^Daily metrics of Sim Account \d+ \(act_\d+\), last 14 days, windows /);
  const metrics = events('metrics-sync-labelled.json');
  expect(text(metrics[0]!.userMetadata?.summary)).toMatch(/^Daily metrics of Sim Account \d+ /);
  expect(metrics.filter((e) => e.timerStartedEventAttributes).map((e) => text(e.userMetadata?.summary))).toEqual(["Waiting for Meta's report (4 run(s)), next check in 2 s"]);
  // Every activity but the closing bookkeeping says what it does.
  const unlabelled = metrics.filter((e) => e.activityTaskScheduledEventAttributes && !text(e.userMetadata?.summary)).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
  expect(unlabelled).toEqual(['finishMetricsSync']);
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
