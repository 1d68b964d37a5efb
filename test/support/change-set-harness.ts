/**
 * Change-set tests on the sync harness: the operations layer (ServiceContext on the harness's
 * database, Temporal task queue and simulator), actors with write, read-only and admin tokens,
 * a full sync to fill the copy, and helpers to follow a change set's workflow and to read what
 * the simulator applied.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { progressQuery, type WorkflowProgress } from '../../domain/progress';
import { fullSyncWorkflow, incrementalSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import type { Actor } from '../../src/operations/actor';
import type { ServiceContext } from '../../src/operations/service-context';
import type { SyncResult } from '../../domain/contracts/account-sync';
import { createSyncHarness, type SyncHarness, type SyncHarnessOptions } from './sync-harness';

export interface ChangeSetHarness extends SyncHarness {
  ctx: ServiceContext;
  actors: { write: Actor; read: Actor; admin: Actor; otherCompany: Actor };
  fullSync(adAccountId: string): Promise<void>;
  incrementalSync(adAccountId: string): Promise<SyncResult>;
  /** Polls the workflow's `progress` query until `done` holds (a deadline, not a timed assertion). */
  waitForProgress(workflowId: string, done: (p: WorkflowProgress) => boolean, timeoutMs?: number): Promise<WorkflowProgress>;
  handle(workflowId: string): WorkflowHandle;
}

/** A change-set harness; `env` may shorten CHANGE_SET_PREVIEW_TTL or CHANGE_SET_OBJECT_LIMIT_WAIT. */
export async function createChangeSetHarness(options: SyncHarnessOptions = {}): Promise<ChangeSetHarness> {
  const h = await createSyncHarness(options);
  const config = { ...h.config, temporal: { ...h.config.temporal, taskQueue: h.temporal.taskQueue } };
  const ctx: ServiceContext = {
    config,
    db: h.database.db,
    temporal: h.temporal.client,
    runtime: { databaseMode: 'external', temporalAddress: 'test', startedAt: new Date() },
    tokenCipher: h.tokenCipher,
  };
  const actor = (scopes: Actor['scopes'], companyId = h.companyId): Actor => ({ tokenId: randomUUID(), companyId, scopes });
  const otherCompanyId = randomUUID();
  await h.database.db.company.create({ data: { id: otherCompanyId, name: 'Other Company' } });
  const run = <R>(workflow: (input: { companyId: string; adAccountId: string }) => Promise<R>, workflowId: string, adAccountId: string): Promise<R> =>
    h.temporal.client.workflow.execute(workflow, { taskQueue: h.temporal.taskQueue, workflowId, args: [{ companyId: h.companyId, adAccountId }] });
  return {
    ...h,
    ctx,
    actors: { write: actor(['read', 'write']), read: actor(['read']), admin: actor(['admin']), otherCompany: actor(['read', 'write', 'admin'], otherCompanyId) },
    async fullSync(adAccountId) {
      await run(fullSyncWorkflow, workflowIds.fullSync(adAccountId), adAccountId);
    },
    incrementalSync: (adAccountId) => run(incrementalSyncWorkflow, workflowIds.incrementalSync(adAccountId), adAccountId),
    async waitForProgress(workflowId, done, timeoutMs = 150_000) {
      const handle = h.temporal.client.workflow.getHandle(workflowId);
      const deadline = Date.now() + timeoutMs;
      let last: WorkflowProgress | undefined;
      while (Date.now() < deadline) {
        last = await handle.query(progressQuery).catch(() => last);
        if (last && done(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for the progress of ${workflowId}; last: ${JSON.stringify(last)}`);
    },
    handle: (workflowId) => h.temporal.client.workflow.getHandle(workflowId),
  };
}
