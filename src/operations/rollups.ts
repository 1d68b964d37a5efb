import { NotFoundError } from '../errors';
import { WorkflowKind, WorkflowType } from '../../domain/vocabulary';
import type { RollupInput } from '../../domain/contracts/rollup';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import type { Page } from './paging';
import { listRollupsInput, runRollupInput } from './schemas/rollups';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';
import { listWorkflowsByQuery, startWorkflow, type WorkflowStart, type WorkflowSummaryView } from './workflows';

/**
 * Recomputes rollups (daily from hourly, monthly from daily) for an explicit window: a backfill.
 * Scoped to the company's ad accounts; the id includes the company so two tenants' runs over the
 * same window never attach to each other, and a repeated request attaches to the running one.
 */
export async function runRollup(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<WorkflowStart> {
  requireScope(actor, Scope.Sync);
  const input = parseInput(runRollupInput, raw);
  let adAccountIds: string[];
  if (input.adAccountId) {
    const owned = await ctx.db.adAccount.findFirst({ where: { id: input.adAccountId, companyId: actor.companyId }, select: { id: true } });
    if (!owned) throw new NotFoundError('Ad account', input.adAccountId);
    adAccountIds = [owned.id];
  } else {
    adAccountIds = (await ctx.db.adAccount.findMany({ where: { companyId: actor.companyId }, select: { id: true }, orderBy: { id: 'asc' } })).map((row) => row.id);
  }
  const args: RollupInput = { grain: input.grain, from: input.from, to: input.to, adAccountIds };
  const scope = input.adAccountId ?? `company:${actor.companyId}`;
  const started = await startWorkflow(ctx, {
    workflowType: WorkflowType.Rollup,
    workflowId: `meta-rollup:${input.grain}:${input.from}..${input.to}:${scope}`,
    args: [args],
    kind: WorkflowKind.Rollup,
    companyId: actor.companyId,
    adAccountId: input.adAccountId,
  });
  await recordAudit(ctx, actor, { action: 'rollup.run', targetType: 'workflow', targetId: started.workflowId, details: { grain: input.grain, from: input.from, to: input.to }, requestId: meta.requestId });
  return started;
}

/** The company's rollup runs (started through the fronts), newest first. */
export async function listRollupRuns(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<WorkflowSummaryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listRollupsInput, raw);
  return listWorkflowsByQuery(ctx, actor, { kind: WorkflowKind.Rollup, status: input.status, cursor: input.cursor, limit: input.limit });
}
