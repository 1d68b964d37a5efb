import { ValidationError } from '../errors';
import { listAdAccountIdsOfCompany, loadOwnedAdAccount } from '../db/ad-account-repository';
import { loadStartNames } from '../db/company-repository';
import { WorkflowKind } from '../../domain/vocabulary';
import { rollupBackfillStart } from '../../domain/starts/rollup';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import type { Page } from './paging';
import { listRollupsInput, runRollupInput } from './schemas/rollups';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';
import { listWorkflowsByQuery, startWorkflow, type WorkflowStart, type WorkflowSummaryView } from './workflows';

/**
 * Recomputes rollups (daily from hourly, monthly from daily) for an explicit window: a backfill.
 * Scoped to the company's ad accounts (a company with none is refused); the id includes the
 * company so two tenants' runs over the same window never attach to each other, and a repeated
 * request attaches to the running one.
 */
export async function runRollup(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<WorkflowStart> {
  requireScope(actor, Scope.Sync);
  const input = parseInput(runRollupInput, raw);
  let adAccountIds: string[];
  if (input.adAccountId) {
    const owned = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
    adAccountIds = [owned.id];
  } else {
    adAccountIds = await listAdAccountIdsOfCompany(ctx.db, actor.companyId);
    // An empty list would be a rollup of nobody; never let it reach a run that could read it as "everyone".
    if (adAccountIds.length === 0) throw new ValidationError('This company has no ad accounts to roll up: connect one first (POST /v1/ad-accounts)');
  }
  const started = await startWorkflow(
    ctx,
    rollupBackfillStart({
        companyId: actor.companyId, grain: input.grain, from: input.from, to: input.to, adAccountIds, adAccountId: input.adAccountId,
        ...(await loadStartNames(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId })),
      }),
  );
  await recordAudit(ctx, actor, { action: 'rollup.run', targetType: 'workflow', targetId: started.workflowId, details: { grain: input.grain, from: input.from, to: input.to }, requestId: meta.requestId });
  return started;
}

/** The company's rollup runs (started through the fronts), newest first. */
export async function listRollupRuns(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<WorkflowSummaryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listRollupsInput, raw);
  return listWorkflowsByQuery(ctx, actor, { kind: WorkflowKind.Rollup, status: input.status, cursor: input.cursor, limit: input.limit });
}
