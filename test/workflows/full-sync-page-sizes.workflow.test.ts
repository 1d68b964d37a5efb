import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { syncEdgeFields } from '../../activities/entity-sync.activities';
import { PageSizeRegistry } from '../../activities/page-size-registry';
import { countRequestedFields, largestWorkingPageSize } from '../../src/meta';
import { fullSyncWorkflow } from '../../workflows';
import { FULL_SYNC_STAGES } from '../../workflows/full-sync.workflow';
import { workflowIds } from '../../domain/workflow-ids';
import type { SyncResult } from '../../domain/contracts/account-sync';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { expectDbEqualsTruth } from '../support/sync-assertions';

const INITIAL = 5000;
let h: SyncHarness;

beforeAll(async () => {
  // Medium profile (5 accounts), default limits (maxLimit 5000, dataBudget 60,000), some latency so
  // the accounts' first pages really overlap.
  h = await createSyncHarness({ profile: 'medium', seed: 505, latencyMs: 10 });
  await h.startWorker();
});

afterAll(async () => {
  await h?.close();
});

/** Failed "reduce the amount of data" calls one reader pays to find every edge's page size by halving. */
function oneProbePerEdge(): number {
  const { dataBudget } = h.sim.state.limits;
  let failures = 0;
  for (const { fields } of syncEdgeFields()) {
    for (let limit = INITIAL; limit * countRequestedFields(fields) > dataBudget; limit = Math.floor(limit / 2)) failures++;
  }
  return failures;
}

/**
 * Failed calls when edges, read in stage order, start from the budget an earlier edge taught
 * (rows × fields of the size that worked after shrinking) — the registry's first guess.
 */
function probesWithBudgetGuess(): number {
  return budgetGuesses().failures;
}

/** The registry's sizes and failed calls, edge by edge in stage order, computed from the simulator's limits. */
function budgetGuesses(): { failures: number; sizes: Map<string, number> } {
  const { dataBudget } = h.sim.state.limits;
  const order = FULL_SYNC_STAGES.flat();
  let failures = 0;
  let budget = 0;
  const sizes = new Map<string, number>();
  for (const entity of order) {
    const { fields } = syncEdgeFields().find((e) => e.entity === entity)!;
    const count = countRequestedFields(fields);
    let limit = budget === 0 ? INITIAL : Math.max(1, Math.min(INITIAL, Math.floor(budget / count)));
    for (; limit * count > dataBudget; limit = Math.floor(limit / 2)) failures++;
    if (limit < INITIAL) budget = Math.max(budget, limit * count);
    sizes.set(entity, limit);
  }
  return { failures, sizes };
}

/** Calls per entity edge vs the fewest that can work: ceil(objects / largest working page), at least one per edge read. */
async function edgeCallsAndBound(): Promise<{ calls: number; bound: number }> {
  const { maxLimit, dataBudget } = h.sim.state.limits;
  const working = new Map(syncEdgeFields().map((e) => [e.edge, largestWorkingPageSize({ fields: e.fields, maxLimit, dataBudget })]));
  const stats = await h.stats();
  let calls = 0;
  let bound = 0;
  for (const [endpoint, n] of Object.entries(stats.byEndpoint)) {
    const m = /^GET (act_x|\{(\w+)\})\/(\w+)$/.exec(endpoint);
    if (!m || m[3] === 'insights') continue;
    const type = m[1] === 'act_x' ? 'adaccount' : m[2]!;
    const size = working.get(m[3]!) ?? maxLimit;
    calls += n;
    for (const node of h.sim.state.nodes.values()) {
      if (node.type === type) bound += Math.max(1, Math.ceil(h.sim.state.edgeIds(node.id, m[3]!).length / size));
    }
  }
  return { calls, bound };
}

async function syncAll(): Promise<{ failed: number; calls: number; bound: number; events: number; pages: number }> {
  await h.resetStats();
  for (const key of Object.keys(h.metaResponses)) delete h.metaResponses[key];
  const results = await Promise.all(
    h.adAccountIds.map(
      (adAccountId) =>
        h.temporal.client.workflow.execute(fullSyncWorkflow, {
          taskQueue: h.temporal.taskQueue,
          workflowId: workflowIds.fullSync(adAccountId),
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          args: [{ companyId: h.companyId, adAccountId }],
        }) as Promise<SyncResult>,
    ),
  );
  let events = 0;
  for (const adAccountId of h.adAccountIds) {
    events += (await h.temporal.client.workflow.getHandle(workflowIds.fullSync(adAccountId)).fetchHistory()).events?.length ?? 0;
  }
  const pages = results.reduce((n, r) => n + (r.counts.apiPages ?? 0), 0);
  const failed = Object.values(h.metaResponses).reduce((n, r) => n + r.failed, 0);
  return { failed, events, pages, ...(await edgeCallsAndBound()) };
}

test('accounts syncing at once probe each oversized edge once, store the size, and the next sync asks right the first time', async () => {
  const first = await syncAll();
  const second = await syncAll();
  for (const [run, r] of Object.entries({ first, second })) {
    console.log(
      `page sizes, ${run} sync of ${h.adAccountIds.length} medium accounts: edge calls ${r.calls} vs working lower bound ${r.bound} ` +
        `(${(r.calls / r.bound).toFixed(3)}), failed calls ${r.failed}, history events ${r.events} / pages ${r.pages} = ${(r.events / r.pages).toFixed(2)}`,
    );
  }
  for (const adAccountId of h.adAccountIds) await expectDbEqualsTruth(h, adAccountId);

  // One reader probed the first edge whose fields do not fit 5000 rows (the other accounts waited for
  // its answer); later edges started from the data budget it taught instead of probing again.
  expect(probesWithBudgetGuess()).toBeGreaterThan(0);
  expect(probesWithBudgetGuess()).toBeLessThan(oneProbePerEdge());
  expect(first.failed).toBe(probesWithBudgetGuess());
  expect(first.calls).toBe(first.bound + first.failed);
  // The sizes are stored: the second sync (and a fresh worker process) starts with them.
  expect(second.failed).toBe(0);
  expect(second.calls).toBe(second.bound);
  const fresh = new PageSizeRegistry(h.database.db, { initial: INITIAL });
  const ads = syncEdgeFields().find((e) => e.entity === 'ads')!;
  const lease = await fresh.acquire({ edge: ads.edge, fields: ads.fields });
  expect(lease).toEqual(expect.objectContaining({ limit: budgetGuesses().sizes.get('ads'), probing: false }));
  expect(lease.limit).toBeLessThan(INITIAL);
  expect(await h.database.db.metaPageSize.count()).toBeGreaterThanOrEqual(oneProbePerEdge());
  // A fresh registry that learned one shrunk size guesses the others from it, never above the initial size.
  const learner = new PageSizeRegistry(h.database.db, { initial: INITIAL });
  const campaigns = syncEdgeFields().find((e) => e.entity === 'campaigns')!;
  await learner.learned({ edge: `${campaigns.edge}-probe`, fields: campaigns.fields }, 2500);
  const guess = await learner.acquire({ edge: 'unknown-edge', fields: ['id', 'name'] });
  expect(guess).toEqual(expect.objectContaining({ limit: INITIAL, probing: true }));
  guess.release();
  const wide = await learner.acquire({ edge: 'unknown-wide-edge', fields: Array.from({ length: 30 }, (_, i) => `f${i}`) });
  expect(wide.limit).toBe(Math.floor((2500 * countRequestedFields(campaigns.fields)) / 30));
  wide.release();
  // One activity per stage: a handful of history events per page read.
  expect(second.events / second.pages).toBeLessThanOrEqual(3);
}, 180_000);
