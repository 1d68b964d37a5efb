import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { fullSyncWorkflow } from '../../workflows';
import { WorkflowKind } from '../../domain/vocabulary';
import { workflowIds } from '../../domain/workflow-ids';
import { SearchAttributes } from '../../domain/search-attributes';
import { progressQuery } from '../../domain/progress';
import { createSyncHarness, SIM_TOKEN, type RunningTestWorker, type SyncHarness } from '../support/sync-harness';
import { expectDbEqualsTruth } from '../support/sync-assertions';

let h: SyncHarness;
let worker: RunningTestWorker;

beforeAll(async () => {
  h = await createSyncHarness({ seed: 101 });
  worker = await h.startWorker();
});

afterAll(async () => {
  await h?.close();
});

function start(adAccountId: string) {
  return h.temporal.client.workflow.start(fullSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.fullSync(adAccountId),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId }],
    typedSearchAttributes: [
      { key: SearchAttributes.CompanyId, value: h.companyId },
      { key: SearchAttributes.AdAccountId, value: adAccountId },
      { key: SearchAttributes.WorkflowKind, value: WorkflowKind.FullSync },
    ],
  });
}

test('a clean full sync stores exactly what Meta has, every status included, with a small history and few calls', async () => {
  const adAccountId = h.adAccountIds[0]!;
  await h.resetStats();
  const handle = await start(adAccountId);
  // A repeated start request attaches to the running workflow instead of starting a second one.
  const again = await start(adAccountId);
  expect(again.firstExecutionRunId).toBe(handle.firstExecutionRunId);

  const result = await handle.result();
  await expectDbEqualsTruth(h, adAccountId);
  const truth = await h.truth(adAccountId);
  const statuses = new Set(truth.objects.ads.map((a) => a.effective_status));
  expect(statuses).toEqual(expect.objectContaining({}));
  expect([...statuses]).toEqual(expect.arrayContaining(['ARCHIVED', 'DELETED', 'PAUSED', 'ACTIVE']));
  expect(result.counts.ads).toBe(truth.counts.ads);

  // Secondary objects: every page's lead forms and Instagram account, every catalog's children.
  const db = h.database.db;
  expect(await db.leadForm.count({ where: { deletedAt: null } })).toBeGreaterThan(0);
  expect(await db.lead.count()).toBeGreaterThan(0);
  expect(await db.instagramAccount.count()).toBeGreaterThan(0);
  expect(await db.product.count()).toBeGreaterThan(0);
  expect(await db.productFeed.count()).toBeGreaterThan(0);
  expect(await db.productSet.count()).toBeGreaterThan(0);
  const account = await db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  expect(account.lastFullSyncAt).not.toBeNull();
  expect(account.businessId).not.toBeNull();
  expect(await db.syncCursor.count({ where: { adAccountId } })).toBe(3);
  const run = await db.syncRun.findFirstOrThrow({ where: { workflowId: workflowIds.fullSync(adAccountId) } });
  expect(run.status).toBe('completed');
  expect(run.runId).toBe(handle.firstExecutionRunId);

  // Calls: one account read + the pages of each edge (each fits one page at the size that works)
  // + the halvings Meta asked for. Lower bound = 1 + number of edge reads.
  const stats = await h.stats();
  const calls = stats.byAccount[adAccountId] ?? 0;
  console.log(`full sync (small profile) ${adAccountId}: ${stats.totalCalls} Graph calls in total, ${calls} attributed to the account; by endpoint`, stats.byEndpoint);

  // History: no token, no rows; size grows with pages, not rows.
  const history = await handle.fetchHistory();
  const text = JSON.stringify(history);
  expect(text).not.toContain(SIM_TOKEN);
  expect(text).not.toContain(truth.objects.ads[0]!.name!);
  const events = history.events?.length ?? 0;
  console.log(`full sync history: ${events} events, ${text.length} bytes`);
  expect(events).toBeLessThan(200);

  const progress = await handle.query(progressQuery);
  expect(progress.phase).toBe('done');
  expect(progress.entities.ads).toEqual(expect.objectContaining({ done: true, rows: truth.counts.ads }));
  const description = await handle.describe();
  expect(description.typedSearchAttributes.get(SearchAttributes.AdAccountId)).toBe(adAccountId);
});

test('objects that no longer come back are soft-deleted, and a second sync changes nothing else', async () => {
  const adAccountId = h.adAccountIds[0]!;
  const db = h.database.db;
  // An object Meta does not know (e.g. removed from the account) is marked, never removed.
  await db.campaign.create({ data: { id: '999', adAccountId, name: 'gone', specialAdCategories: [], syncedAt: new Date(Date.now() - 86_400_000) } });
  const before = await db.campaign.count();
  await (await start(adAccountId)).result();
  expect(await db.campaign.count()).toBe(before);
  const gone = await db.campaign.findUniqueOrThrow({ where: { id: '999' } });
  expect(gone.deletedAt).not.toBeNull();
  await expectDbEqualsTruth(h, adAccountId);
  // Nothing changed on Meta, so the second sync records no change history.
  expect(await db.changeHistory.count()).toBe(0);
});
