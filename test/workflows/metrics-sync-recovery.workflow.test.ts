import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { createActivities, type Activities } from '../../activities';
import type { SyncInsightsChunkInput } from '../../activities/metrics-sync.activities';
import type { TruthAccount } from '../../src/simulator/truth';
import { metricsSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import type { SyncResult } from '../../domain/contracts/account-sync';
import type { MetricsSyncInput } from '../../domain/contracts/metrics-sync';
import { createSyncHarness, type RunningTestWorker, type SyncHarness } from '../support/sync-harness';
import { addDays } from '../../domain/calendar';
import { expectMatchesTruth, hiddenAdsWithSpend } from './metrics-sync-helpers';

let h: SyncHarness;
let la: TruthAccount;
let berlin: TruthAccount;

beforeAll(async () => {
  h = await createSyncHarness({ profile: 'small' });
  const accounts = await Promise.all(h.adAccountIds.map((id) => h.truth(id)));
  la = accounts.find((a) => a.timezone === 'America/Los_Angeles')!;
  berlin = accounts.find((a) => a.timezone === 'Europe/Berlin')!;
});

afterAll(async () => {
  await h?.close();
});

function start(input: Omit<MetricsSyncInput, 'companyId'>) {
  return h.temporal.client.workflow.start(metricsSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.metricsSync(input.adAccountId, input.grain),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, ...input }],
  });
}

async function insightsCalls(): Promise<number> {
  const stats = await h.stats();
  return Object.entries(stats.byEndpoint).filter(([endpoint]) => endpoint.includes('insights')).reduce((n, [, c]) => n + c, 0);
}

test('async insights reports that fail or are skipped are split by campaign id lists and the result is still exact, deleted and archived ads included', async () => {
  const worker: RunningTestWorker = await h.startWorker();
  try {
    const from = la.historyStart;
    const to = la.today;
    expect(await hiddenAdsWithSpend(h, la, from, to)).not.toHaveLength(0);
    await h.simControl('/__sim/faults', { asyncJobFailureRate: 0.5, asyncJobSkipRate: 0.3, faultSeed: 11 });

    const handle = await start({
      adAccountId: la.id, grain: 'daily', from, to, asyncMinDays: 1, campaignsPerSplitJob: 2, reportPollInitialMs: 50, reportPollMaxMs: 200,
    });
    const result: SyncResult = await handle.result();

    expect((result.counts.reportsFailed ?? 0) + (result.counts.reportsSkipped ?? 0)).toBeGreaterThan(0);
    expect(result.counts.splitJobs).toBeGreaterThan(0);
    await expectMatchesTruth(h, la.id, 'daily', from, to);
  } finally {
    await h.simControl('/__sim/faults', {});
    await worker.stop();
  }
});

test('a run that fails mid-way (Meta throttles the account) resumes from the first unfinished day; finished days outside the lookback are not read again', async () => {
  const real = createActivities(h.deps);
  const chunks: Array<{ since: string; until: string }> = [];
  let throttleOnCall = 4;
  const overrides: Partial<Activities> = {
    async syncInsightsChunk(input: SyncInsightsChunkInput) {
      chunks.push({ since: input.since, until: input.until });
      // Meta starts throttling the account just before the 4th chunk: a real 80004 answer.
      if (chunks.length === throttleOnCall) await h.simControl('/__sim/faults', { throttleAccounts: { [berlin.id]: 600 } });
      return real.syncInsightsChunk(input);
    },
  };
  const worker = await h.startWorker({ activities: overrides });
  try {
    const to = berlin.today;
    const from = addDays(to, -20);
    const input = { adAccountId: berlin.id, grain: 'daily' as const, from, to, lookbackDays: 2, asyncMinDays: 0, daysPerChunk: 3, maxParallelChunks: 1 };

    // Run 1: three chunks (9 days) finish, then the account is throttled.
    const first = await start(input);
    let failure: string | undefined;
    for (let i = 0; i < 200 && !failure; i++) {
      const pending = (await first.describe()).raw.pendingActivities ?? [];
      failure = pending.find((a) => a.activityType?.name === 'syncInsightsChunk' && (a.attempt ?? 0) > 1)?.lastFailure?.message ?? undefined;
      if (!failure) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failure).toMatch(/throttl|limit|too many/i);
    const throttled = await h.database.db.adAccountLimit.findUnique({ where: { adAccountId: berlin.id } });
    expect(throttled?.throttledUntil?.getTime()).toBeGreaterThan(Date.now() + 60_000);
    const done = (await h.database.db.metricsSyncCheckpoint.findMany({ where: { adAccountId: berlin.id, grain: 'daily' }, orderBy: { day: 'asc' } })).map((c) => c.day.toISOString().slice(0, 10));
    expect(done).toEqual(Array.from({ length: 9 }, (_, i) => addDays(from, i)));
    // The run would wait out Meta's estimate; an operator gives up on it instead.
    await first.terminate('test: the worker gives up while the account is throttled');

    // Meta lifts the block.
    await h.simControl('/__sim/faults', {});
    await h.database.db.adAccountLimit.update({ where: { adAccountId: berlin.id }, data: { throttledUntil: null } });
    await h.resetStats();
    chunks.length = 0;
    throttleOnCall = 0;

    // Run 2 starts at the first unfinished day.
    const second = await (await start(input)).result();
    const firstUnfinished = addDays(from, 9);
    expect(chunks[0]).toEqual({ since: firstUnfinished, until: addDays(firstUnfinished, 2) });
    expect(chunks.every((c) => c.since >= firstUnfinished)).toBe(true);
    expect(second.counts.daysPlanned).toBe(12);
    expect(second.counts.daysSkipped).toBe(9);
    // One page per level per chunk on the small profile: 4 chunks × 4 levels.
    expect(await insightsCalls()).toBe(chunks.length * 4);
    expect(chunks).toHaveLength(4);
    expect(await h.database.db.metricsSyncCheckpoint.count({ where: { adAccountId: berlin.id, grain: 'daily' } })).toBe(21);
    await expectMatchesTruth(h, berlin.id, 'daily', from, to);

    // Run 3: everything is checkpointed; only the 2-day lookback window is read again.
    await h.resetStats();
    chunks.length = 0;
    const third = await (await start(input)).result();
    expect(chunks).toEqual([{ since: addDays(to, -1), until: to }]);
    expect(third.counts.daysSkipped).toBe(19);
    expect(await insightsCalls()).toBe(4);
  } finally {
    await worker.stop();
  }
});
