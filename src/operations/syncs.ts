import type { z } from 'zod';
import { WorkflowKind, WorkflowType } from '../../domain/vocabulary';
import { workflowIds } from '../../domain/workflow-ids';
import type { FullSyncInput } from '../../domain/contracts/full-sync';
import type { IncrementalSyncInput } from '../../domain/contracts/incremental-sync';
import type { MetricsSyncInput } from '../../domain/contracts/metrics-sync';
import type { CompanySyncInput } from '../../domain/contracts/company-sync';
import { requireConnected, resolveCompany } from './ad-accounts';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { startCompanySyncInput, startSyncInput } from './schemas/syncs';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';
import { startWorkflow, type WorkflowStart } from './workflows';

/**
 * Starts a full, incremental or metrics sync of one ad account, or returns the running one
 * (deterministic workflow id + USE_EXISTING). The workflow gets ids only, never the token.
 */
export async function startSync(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<WorkflowStart> {
  requireScope(actor, Scope.Sync);
  const input = parseInput(startSyncInput, raw);
  await requireConnected(ctx, actor, input.adAccountId);
  const ref = { companyId: actor.companyId, adAccountId: input.adAccountId };
  let started: WorkflowStart;
  switch (input.kind) {
    case 'full': {
      const args: FullSyncInput = ref;
      started = await startWorkflow(ctx, { workflowType: WorkflowType.FullSync, workflowId: workflowIds.fullSync(ref.adAccountId), args: [args], kind: WorkflowKind.FullSync, ...ref });
      break;
    }
    case 'incremental': {
      const args: IncrementalSyncInput = { ...ref, ...(input.overlapSeconds !== undefined ? { overlapSeconds: input.overlapSeconds } : {}) };
      started = await startWorkflow(ctx, { workflowType: WorkflowType.IncrementalSync, workflowId: workflowIds.incrementalSync(ref.adAccountId), args: [args], kind: WorkflowKind.IncrementalSync, ...ref });
      break;
    }
    case 'metrics': {
      const args: MetricsSyncInput = {
        ...ref,
        grain: input.grain,
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
        lookbackDays: ctx.config.sync.lookbackDays,
        attributionWindows: [...ctx.config.sync.attributionWindows],
      };
      started = await startWorkflow(ctx, { workflowType: WorkflowType.MetricsSync, workflowId: workflowIds.metricsSync(ref.adAccountId, input.grain), args: [args], kind: WorkflowKind.MetricsSync, ...ref });
      break;
    }
  }
  await recordAudit(ctx, actor, { action: `sync.start.${input.kind}`, targetType: 'workflow', targetId: started.workflowId, details: { adAccountId: input.adAccountId }, requestId: meta.requestId });
  return started;
}

/** Starts (or attaches to) the company-wide sync over all its connected ad accounts. */
export async function startCompanySync(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<WorkflowStart> {
  requireScope(actor, Scope.Sync);
  const input: z.infer<typeof startCompanySyncInput> = parseInput(startCompanySyncInput, raw);
  const companyId = resolveCompany(actor, input.companyId);
  const args: CompanySyncInput = { companyId, kinds: [...new Set(input.kinds)], maxParallel: input.maxParallel ?? ctx.config.sync.maxParallelAccounts };
  const started = await startWorkflow(ctx, { workflowType: WorkflowType.CompanySync, workflowId: workflowIds.companySync(companyId), args: [args], kind: WorkflowKind.CompanySync, companyId });
  await recordAudit(ctx, actor, { action: 'sync.start.company', targetType: 'workflow', targetId: started.workflowId, details: { kinds: args.kinds }, requestId: meta.requestId });
  return started;
}
