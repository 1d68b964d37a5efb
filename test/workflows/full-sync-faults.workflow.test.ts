import { WorkflowIdConflictPolicy, type WorkflowHandle } from '@temporalio/client';
import { fullSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { progressQuery, type WorkflowProgress } from '../../domain/progress';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { expectDbEqualsTruth } from '../support/sync-assertions';

/** Page size the simulator allows in this file: small, so every edge spans several pages. */
const PAGE = 5;
let h: SyncHarness;

beforeAll(async () => {
  h = await createSyncHarness({ seed: 202, limits: { maxLimit: PAGE }, latencyMs: 15 });
});

afterAll(async () => {
  await h?.close();
});

async function waitFor(handle: WorkflowHandle, done: (p: WorkflowProgress) => boolean): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p && done(p)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for progress');
}

/** Fewest Graph calls a resumable sync can make at this page size: one per page of every edge (Meta's rules library among them), plus the account read. */
async function pagingLowerBound(adAccountId: string): Promise<number> {
  const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));
  const db = h.database.db;
  const where = { adAccountId };
  const account = await db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  let total = 1;
  for (const n of [
    await db.campaign.count({ where }), await db.adSet.count({ where }), await db.ad.count({ where }), await db.adCreative.count({ where }),
    await db.customAudience.count({ where }), await db.pixel.count({ where }), await db.adAccountPage.count({ where }),
    await db.productCatalog.count({ where: { businessId: account.businessId } }),
    await db.adRule.count({ where: { adAccountId, origin: 'meta' } }), // Meta's own rules, read with the account
  ]) total += pages(n);
  const pageIds = (await db.adAccountPage.findMany({ where })).map((p) => p.pageId);
  for (const pageId of pageIds) total += pages(await db.leadForm.count({ where: { pageId } })) + pages(await db.instagramAccount.count({ where: { pageId } }));
  for (const form of await db.leadForm.findMany({ where: { pageId: { in: pageIds } } })) total += pages(await db.lead.count({ where: { formId: form.id } }));
  for (const catalog of await db.productCatalog.findMany({ where: { businessId: account.businessId } })) {
    const c = { catalogId: catalog.id };
    total += pages(await db.productFeed.count({ where: c })) + pages(await db.product.count({ where: c })) + pages(await db.productSet.count({ where: c }));
  }
  return total;
}

test('a full sync with 10% transient errors, a throttle burst and two worker kills ends equal to Meta, resuming instead of restarting', async () => {
  const adAccountId = h.adAccountIds[1]!;
  await h.simControl('/__sim/faults', { transientErrorRate: 0.1, http500Rate: 0.02, faultSeed: 7 });
  await h.resetStats();
  let worker = await h.startWorker();
  const handle = await h.temporal.client.workflow.start(fullSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.fullSync(adAccountId),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId }],
  });

  // Kill 1: as soon as campaigns are in.
  await waitFor(handle, (p) => p.entities.campaigns?.done === true);
  await worker.stop();
  worker = await h.startWorker();
  // A throttle burst: Meta blocks the account for a few seconds; the activity stops calling and
  // Temporal waits Meta's estimate (minutes granularity in the BUC header) before resuming.
  await h.simControl('/__sim/faults', { transientErrorRate: 0.1, http500Rate: 0.02, faultSeed: 8, throttleAccounts: { [adAccountId]: 3 } });
  // Kill 2: once ads are in.
  await waitFor(handle, (p) => p.entities.ads?.done === true);
  await worker.stop();
  worker = await h.startWorker();

  const result = await handle.result();
  await h.simControl('/__sim/faults', {});
  await expectDbEqualsTruth(h, adAccountId);
  expect(result.counts.ads).toBe((await h.truth(adAccountId)).counts.ads);

  const stats = await h.stats();
  const calls = stats.byAccount[adAccountId] ?? 0;
  const secondary = stats.totalCalls - calls; // page/form/catalog edges are not attributed to the account by the simulator
  const lowerBound = await pagingLowerBound(adAccountId);
  const failed = h.metaResponses[adAccountId]?.failed ?? 0;
  console.log(`faults run: ${stats.totalCalls} calls (${calls} on the account, ${secondary} on pages/forms/catalogs), paging lower bound ${lowerBound}, failed responses ${failed}`);
  // Every failed call is repeated once; a worker kill may repeat the pages since the last heartbeat
  // reached the server. Restarting edges from the first page would cost far more.
  expect(stats.totalCalls).toBeLessThanOrEqual(lowerBound + failed + 2);
  const limits = await h.database.db.adAccountLimit.findUnique({ where: { adAccountId } });
  expect(limits?.throttledUntil).not.toBeNull();
  expect(await h.database.db.rateLimitSnapshot.count({ where: { adAccountId } })).toBeGreaterThan(0);
}, 180_000);
