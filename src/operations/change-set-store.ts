/**
 * Storing a planned change set: chunks (≤ 50 items, one ad set per campaign each), the plan hash
 * over the canonical plan, the expiry, one set-based insert, and the start of its workflow, which
 * waits for the confirm on a durable timer and marks the set expired when nobody confirms.
 * Nothing here sends anything to Meta.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Workflow, WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { assignChunks } from '../../domain/change-set-chunks';
import { canonicalPlanText, type Plan, type PlannedItem } from '../../domain/change-set-plan';
import { ChangeSetStatus, type ChangeSetKind, type ChangeSetSource, type ChangeSetWorkflowInput } from '../../domain/contracts/change-set';
import { changeSetStart, type ChangeSetHeadline } from '../../domain/starts/change-set';
import { WorkflowType } from '../../domain/vocabulary';
import { workflowIds } from '../../domain/workflow-ids';
import { workflowStartOptions } from '../temporal/workflow-starts';
import { findChangeSet, insertChangeSet, type ChangeSetRow, type NewChangeSetItem } from '../db/change-set-repository';
import { loadStartNames } from '../db/company-repository';
import { NotFoundError } from '../errors';
import { actorLabel, type Actor } from './actor';
import { recordAudit } from './audit';
import type { PlanningAccount } from './change-set-context';
import type { ServiceContext } from './service-context';
import { withTemporal } from './temporal-errors';

/** A planned item, with what a create adds. */
export type StorableItem = PlannedItem & { action: 'update' | 'create'; name?: string | null; parentId?: string | null; payload?: unknown };

/** Everything {@link storePlan} needs. */
export interface PlanToStore {
  account: PlanningAccount;
  /** Who asks: a token's actor, or a rule (`rule:<id>`, no token). */
  actor: Actor | { rule: string; companyId: string };
  kind: ChangeSetKind;
  source: ChangeSetSource;
  /** The request as given (kept for the record; never a secret). */
  params: unknown;
  items: readonly StorableItem[];
  plan: Plan;
  requestId?: string;
}

/** A stored plan. */
export interface StoredPlan {
  row: ChangeSetRow;
  items: NewChangeSetItem[];
}

/** sha256 (hex) of the canonical plan text. */
export function planHashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Chunks, hashes, stores the set and its items, and starts the workflow that waits for the confirm. */
export async function storePlan(ctx: ServiceContext, p: PlanToStore): Promise<StoredPlan> {
  const stored = await insertPlan(ctx, p);
  if (stored.row.status !== ChangeSetStatus.Blocked) await startChangeSetWorkflow(ctx, stored.row, p.account.name);
  if (!('rule' in p.actor)) await recordAudit(ctx, p.actor, {
    action: 'change_set.preview',
    targetType: 'change_set',
    targetId: stored.row.id,
    details: { adAccountId: p.account.id, kind: p.kind, items: stored.items.length, violations: p.plan.violationCount, requiresConfirmation: p.plan.requiresConfirmation },
    requestId: p.requestId,
  });
  return stored;
}

/**
 * Chunks, hashes and stores the set and its items, starting nothing and auditing nothing: for
 * callers that run the set's workflow themselves (a rule evaluation starts it as a child).
 */
export async function insertPlan(ctx: Pick<ServiceContext, 'db' | 'config'>, p: PlanToStore): Promise<StoredPlan> {
  const id = randomUUID();
  const { chunkOf, chunkCount } = assignChunks(p.items.map((i) => ({ position: i.position, level: i.level, campaignId: i.campaignId, create: i.action === 'create' })));
  const items: NewChangeSetItem[] = p.items.map((i) => ({
    position: i.position,
    action: i.action,
    entityType: i.level,
    entityId: i.action === 'create' ? null : i.entityId,
    campaignId: i.campaignId,
    parentId: i.parentId ?? null,
    name: i.name ?? null,
    chunk: chunkOf.get(i.position) ?? 0,
    changes: i.changes,
    payload: i.payload ?? null,
    violations: i.violations,
  }));
  const planHash = planHashOf(
    canonicalPlanText({ changeSetId: id, adAccountId: p.account.id, kind: p.kind, items: items.map((i) => ({ ...i, level: i.entityType, payload: i.payload ?? undefined })) }),
  );
  const blocked = p.plan.violationCount > 0;
  const expiresAt = new Date(Date.now() + ctx.config.changeSets.previewTtlMs);
  const workflowId = blocked ? null : workflowIds.changeSet(id);
  await insertChangeSet(
    ctx.db,
    {
      id, companyId: p.account.companyId, adAccountId: p.account.id, kind: p.kind, source: p.source, requestedBy: 'rule' in p.actor ? p.actor.rule : actorLabel(p.actor), tokenId: 'rule' in p.actor ? null : p.actor.tokenId,
      status: blocked ? ChangeSetStatus.Blocked : ChangeSetStatus.Previewed, params: p.params, planHash, expiresAt, requiresConfirmation: p.plan.requiresConfirmation,
      totals: p.plan.totals, violations: p.plan.violations, violationCount: p.plan.violationCount, chunkCount, workflowId,
    },
    items,
  );
  const row = (await findChangeSet(ctx.db, id))!;
  return { row, items };
}

/** The workflow's input for a stored set (also used by the confirm's Update-With-Start). */
export function workflowInputOf(ctx: ServiceContext, row: ChangeSetRow): ChangeSetWorkflowInput {
  return {
    companyId: row.companyId,
    adAccountId: row.adAccountId,
    changeSetId: row.id,
    kind: row.kind as ChangeSetKind,
    planHash: row.planHash,
    expiresAt: row.expiresAt.toISOString(),
    itemCount: row.itemCount,
    objectLimitDeferMs: ctx.config.changeSets.objectLimitWaitMs,
    chunksPerActivity: ctx.config.changeSets.chunksPerActivity,
  };
}

/** What a set's summary line says besides its account, from its stored totals. */
export function changeSetHeadline(row: Pick<ChangeSetRow, 'totals'>): ChangeSetHeadline {
  const totals = row.totals as { byCurrency?: Record<string, { dailyBudgetDelta: string }>; objectsTurnedOn?: number; objectsTurnedOff?: number } | null;
  return {
    dailyBudgetDelta: Object.fromEntries(Object.entries(totals?.byCurrency ?? {}).map(([c, t]) => [c, t.dailyBudgetDelta])),
    ...(totals?.objectsTurnedOn ? { objectsTurnedOn: totals.objectsTurnedOn } : {}),
    ...(totals?.objectsTurnedOff ? { objectsTurnedOff: totals.objectsTurnedOff } : {}),
  };
}

/** Client start options of a set's workflow (the domain builder's, plus the reuse policy and details). */
export function changeSetStartOptions(ctx: ServiceContext, row: ChangeSetRow, accountName?: string | null, companyName?: string | null) {
  const spec = changeSetStart({ companyId: row.companyId, adAccountId: row.adAccountId, accountName, companyName }, workflowInputOf(ctx, row), changeSetHeadline(row));
  return {
    ...(workflowStartOptions(spec, ctx.config.temporal.taskQueue) as WorkflowStartOptions<Workflow> & { args: [ChangeSetWorkflowInput] }),
    // A finished set never runs again: a late confirm is answered from the database.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticDetails:
      `${spec.staticDetails}\n- Change set \`${row.id}\`, source ${row.source}, requested by ${row.requestedBy}` +
      `\n- Plan hash \`${row.planHash}\`; unconfirmed it expires at ${row.expiresAt.toISOString()}`,
  };
}

/** Starts the workflow of a previewed set (attaches to it when it runs already). */
export async function startChangeSetWorkflow(ctx: ServiceContext, row: ChangeSetRow, accountName?: string | null): Promise<{ workflowId: string; runId: string }> {
  // The company's name labels the run in the Temporal UI (details and memo).
  const { companyName } = await loadStartNames(ctx.db, { companyId: row.companyId });
  const options = changeSetStartOptions(ctx, row, accountName, companyName);
  const handle = await withTemporal({ kind: 'Workflow', id: options.workflowId }, () => ctx.temporal.workflow.start(WorkflowType.ChangeSet, options));
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

/** A change set of the actor's company, or 404 (also for another company's). */
export async function loadOwnedChangeSet(ctx: ServiceContext, actor: Actor, changeSetId: string): Promise<ChangeSetRow> {
  const row = await findChangeSet(ctx.db, changeSetId);
  if (!row || row.companyId !== actor.companyId) throw new NotFoundError('Change set', changeSetId);
  return row;
}
