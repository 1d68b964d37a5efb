import { WorkflowFailedError, WorkflowIdConflictPolicy } from '@temporalio/client';
import { companySyncWorkflow, fullSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { progressQuery } from '../../domain/progress';
import { accountToken, createSyncHarness, type RunningTestWorker, type SyncHarness } from '../support/sync-harness';
import { expectDbEqualsTruth } from '../support/sync-assertions';

let h: SyncHarness;
let worker: RunningTestWorker;

beforeAll(async () => {
  h = await createSyncHarness({ seed: 303, latencyMs: 5 });
  worker = await h.startWorker();
});

afterAll(async () => {
  await h?.close();
});

function startFull(adAccountId: string) {
  return h.temporal.client.workflow.start(fullSyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.fullSync(adAccountId),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ companyId: h.companyId, adAccountId }],
  });
}

test('a throttled account does not slow another account syncing at the same time', async () => {
  const [throttled, other] = [h.adAccountIds[0]!, h.adAccountIds[1]!];
  const blockSeconds = 20;
  await h.simControl('/__sim/faults', { throttleAccounts: { [throttled]: blockSeconds } });
  const unblockedAt = Date.now() + blockSeconds * 1000;
  const a = await startFull(throttled);
  const b = await startFull(other);
  await b.result();
  const bDoneAt = Date.now();
  // The other account finished while Meta still blocked the throttled one, which is still waiting.
  expect(bDoneAt).toBeLessThan(unblockedAt);
  expect((await a.describe()).status.name).toBe('RUNNING');
  await expectDbEqualsTruth(h, other);
  const limits = await h.database.db.adAccountLimit.findUniqueOrThrow({ where: { adAccountId: throttled } });
  expect(limits.throttledUntil!.getTime()).toBeGreaterThan(Date.now());
  // The throttled activity waits Meta's estimate as a durable retry timer, not by calling again.
  const calls = (await h.stats()).byAccount[throttled] ?? 0;
  expect(calls).toBeLessThanOrEqual(2);
  const pending = (await a.describe()).raw.pendingActivities ?? [];
  expect(pending[0]?.lastFailure?.applicationFailureInfo?.type).toBe('MetaThrottleError');
  await a.terminate('test over: the throttled account is shown waiting');
  await h.simControl('/__sim/faults', {});
  await h.database.db.adAccountLimit.update({ where: { adAccountId: throttled }, data: { throttledUntil: null } });
});

test('a token that expires mid-sync fails the sync fast, names the account, marks it, and causes no retry storm', async () => {
  const adAccountId = h.adAccountIds[0]!;
  const handle = await startFull(adAccountId);
  for (let i = 0; i < 400; i++) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p?.entities.campaigns?.done) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  await h.simControl('/__sim/faults', { expireTokens: [accountToken(0)] });
  await h.resetStats();
  const error = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause as Error & { type?: string };
  expect(cause.type).toBe('MetaAuthError');
  expect(cause.message).toContain(adAccountId);
  expect(cause.message).toMatch(/re-authori[sz]ation/);
  expect(cause.message).not.toContain(accountToken(0));
  const calls = (await h.stats()).totalCalls;
  expect(calls).toBeLessThanOrEqual(5); // at most one call per activity running in parallel, none retried
  const account = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  expect(account.tokenStatus).toBe('needs_reauth');
  expect(account.tokenError).toContain(adAccountId);
  const run = await h.database.db.syncRun.findFirstOrThrow({ where: { workflowId: workflowIds.fullSync(adAccountId), status: 'failed' } });
  expect(JSON.stringify(run.error)).toContain('MetaAuthError');
});

test('a company sync runs every account as a child; one account needing re-authorisation does not fail the others', async () => {
  const result = await h.temporal.client.workflow.execute(companySyncWorkflow, {
    taskQueue: h.temporal.taskQueue,
    workflowId: workflowIds.companySync(h.companyId),
    args: [{ companyId: h.companyId, kinds: ['full', 'incremental'], maxParallel: 2 }],
  });
  const [broken, healthy] = [h.adAccountIds[0]!, h.adAccountIds[1]!];
  expect(result.outcomes).toEqual(
    expect.arrayContaining([
      { adAccountId: broken, kind: 'full', workflowId: workflowIds.fullSync(broken), status: 'failed', errorType: 'MetaAuthError' },
      { adAccountId: healthy, kind: 'full', workflowId: workflowIds.fullSync(healthy), status: 'completed' },
      { adAccountId: healthy, kind: 'incremental', workflowId: workflowIds.incrementalSync(healthy), status: 'completed' },
    ]),
  );
  expect(result.outcomes).toHaveLength(3);
  await expectDbEqualsTruth(h, healthy);
  await h.simControl('/__sim/faults', {});
});
