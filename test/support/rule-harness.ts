/**
 * For rule tests: the sync harness (simulator, database, Temporal, a company with every simulator
 * account connected), its data synced for real (full sync, daily metrics over the whole history,
 * hourly metrics of the last days), a ServiceContext on the harness's task queue for calling the
 * operations, and actors of the company (write, read) and of another company.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { fullSyncWorkflow, metricsSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { addDays } from '../../domain/calendar';
import type { Actor } from '../../src/operations/actor';
import type { ServiceContext } from '../../src/operations/service-context';
import type { Config } from '../../src/config';
import type { TruthAccount } from '../../src/simulator/truth';
import { createSyncHarness, type RunningTestWorker, type SyncHarness, type SyncHarnessOptions } from './sync-harness';

export interface RuleHarness {
  h: SyncHarness;
  worker: RunningTestWorker;
  accounts: TruthAccount[];
  ctx: ServiceContext;
  /** A context whose config differs (e.g. schedules on, a small inline backtest limit). */
  ctxWith(patch: { schedulesEnabled?: boolean; rules?: Partial<Config['rules']> }): ServiceContext;
  writer: Actor;
  reader: Actor;
  outsider: Actor;
  /** Runs the full sync and the daily (whole history) and hourly (last `hourlyDays`) metrics syncs of every account. */
  syncAll(options?: { hourlyDays?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Builds the harness; a worker runs the real workflows and activities. */
export async function createRuleHarness(options: SyncHarnessOptions = {}): Promise<RuleHarness> {
  const h = await createSyncHarness(options);
  const worker = await h.startWorker();
  const accounts = await Promise.all(h.adAccountIds.map((id) => h.truth(id)));
  const outsiderCompany = randomUUID();
  await h.database.db.company.create({ data: { id: outsiderCompany, name: 'Other Company' } });
  const baseConfig = h.config;
  const ctxWith = (patch: { schedulesEnabled?: boolean; rules?: Partial<Config['rules']> }): ServiceContext => ({
    config: {
      ...baseConfig,
      temporal: { ...baseConfig.temporal, taskQueue: h.temporal.taskQueue },
      schedulesEnabled: patch.schedulesEnabled ?? baseConfig.schedulesEnabled,
      rules: { ...baseConfig.rules, ...patch.rules },
    },
    db: h.database.db,
    temporal: h.temporal.client,
    tokenCipher: h.tokenCipher,
    runtime: { databaseMode: 'external', temporalAddress: process.env.TEST_TEMPORAL_ADDRESS ?? '', startedAt: new Date() },
  });
  const run = (workflow: typeof metricsSyncWorkflow | typeof fullSyncWorkflow, workflowId: string, args: unknown) =>
    h.temporal.client.workflow.execute(workflow as typeof metricsSyncWorkflow, {
      taskQueue: h.temporal.taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [args as never],
    });
  return {
    h,
    worker,
    accounts,
    ctx: ctxWith({}),
    ctxWith,
    writer: { tokenId: randomUUID(), companyId: h.companyId, scopes: ['read', 'write'] },
    reader: { tokenId: randomUUID(), companyId: h.companyId, scopes: ['read'] },
    outsider: { tokenId: randomUUID(), companyId: outsiderCompany, scopes: ['read', 'write', 'admin'] },
    async syncAll({ hourlyDays = 3 } = {}) {
      await Promise.all(accounts.map((a) => run(fullSyncWorkflow, workflowIds.fullSync(a.id), { companyId: h.companyId, adAccountId: a.id })));
      await Promise.all(
        accounts.map((a) =>
          run(metricsSyncWorkflow, workflowIds.metricsSync(a.id, 'daily'), { companyId: h.companyId, adAccountId: a.id, grain: 'daily', from: a.historyStart, to: a.today, reportPollInitialMs: 50, reportPollMaxMs: 200 }),
        ),
      );
      await Promise.all(
        accounts.map((a) => run(metricsSyncWorkflow, workflowIds.metricsSync(a.id, 'hourly'), { companyId: h.companyId, adAccountId: a.id, grain: 'hourly', from: addDays(a.today, -(hourlyDays - 1)), to: a.today })),
      );
    },
    async close() {
      await h.close();
    },
  };
}
