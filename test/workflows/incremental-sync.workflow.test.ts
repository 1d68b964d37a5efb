import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { fullSyncWorkflow, incrementalSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { expectDbEqualsTruth } from '../support/sync-assertions';

let h: SyncHarness;

beforeAll(async () => {
  h = await createSyncHarness({ seed: 404 });
  await h.startWorker();
});

afterAll(async () => {
  await h?.close();
});

const run = (adAccountId: string) =>
  h.temporal.client.workflow.execute(incrementalSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.incrementalSync(adAccountId),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId }],
  });

test('an incremental sync after changes on Meta brings the database back to truth and records every changed field', async () => {
  const adAccountId = h.adAccountIds[0]!;
  await h.temporal.client.workflow.execute(fullSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.fullSync(adAccountId),
    args: [{ companyId: h.companyId, adAccountId }],
  });
  const truth = await h.truth(adAccountId);
  const active = truth.objects.campaigns.filter((c) => c.effective_status === 'ACTIVE');
  const renamed = active[0]!;
  // Un-pausing a campaign changes its children's effective status without touching their updated_time.
  const paused = truth.objects.campaigns.find((c) => c.status === 'PAUSED')!;
  const budgetSet = truth.objects.adsets.find((s) => s.effective_status === 'ACTIVE' && s.campaign_id === renamed.id)!;
  const ads = truth.objects.ads.filter((a) => a.effective_status === 'ACTIVE');
  const archived = ads[0]!;
  const deleted = truth.objects.ads.find((a) => a.status === 'PAUSED')!;

  await h.graphPost(renamed.id, { name: 'Renamed by a person in Ads Manager' });
  await h.graphPost(paused.id, { status: 'ACTIVE' });
  await h.graphPost(budgetSet.id, { daily_budget: '12345' });
  await h.graphPost(archived.id, { status: 'ARCHIVED' });
  await h.graphDelete(deleted.id);
  await h.resetStats();

  const result = await run(adAccountId);
  await expectDbEqualsTruth(h, adAccountId);
  const stats = await h.stats();
  console.log(`incremental sync: ${stats.totalCalls} Graph calls`, stats.byEndpoint, 'result', result.counts);

  const changes = await h.database.db.changeHistory.findMany({ where: { adAccountId }, orderBy: { id: 'asc' } });
  const find = (entityId: string, field: string) => changes.find((c) => c.entityId === entityId && c.field === field);
  expect(find(renamed.id, 'name')).toEqual(expect.objectContaining({ oldValue: renamed.name, newValue: 'Renamed by a person in Ads Manager', source: 'sync', entityType: 'campaign' }));
  expect(find(paused.id, 'status')).toEqual(expect.objectContaining({ oldValue: 'PAUSED', newValue: 'ACTIVE' }));
  expect(Number(find(budgetSet.id, 'daily_budget')?.newValue)).toBe(123.45);
  expect(find(archived.id, 'effective_status')).toEqual(expect.objectContaining({ oldValue: 'ACTIVE', newValue: 'ARCHIVED', entityType: 'ad' }));
  expect(find(deleted.id, 'status')).toEqual(expect.objectContaining({ oldValue: 'PAUSED', newValue: 'DELETED' }));
  // Children of the paused campaign: their effective status changed without their updated_time.
  const childOfPaused = truth.objects.adsets.find((s) => s.campaign_id === paused.id && s.effective_status === 'CAMPAIGN_PAUSED')!;
  expect(find(childOfPaused.id, 'effective_status')).toEqual(expect.objectContaining({ oldValue: 'CAMPAIGN_PAUSED', newValue: 'ACTIVE' }));
  // Deleted and archived objects are kept (statuses updated), never removed.
  expect(await h.database.db.ad.findUnique({ where: { id: deleted.id } })).toEqual(expect.objectContaining({ status: 'DELETED', deletedAt: null }));

  // Idempotent: running again (the overlap re-reads the same objects) records nothing new.
  const before = changes.length;
  await run(adAccountId);
  expect(await h.database.db.changeHistory.count({ where: { adAccountId } })).toBe(before);
  const account = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  expect(account.lastIncrementalSyncAt).not.toBeNull();
});
