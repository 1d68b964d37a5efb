/**
 * Previewing a change set: the one entry of every update to Meta. It validates every item
 * against the stored objects, the account's caps and Meta's rules, resolves percentages into
 * absolute values once, stores the plan with its hash and expiry, and answers before → after per
 * item, totals and violations. Nothing is sent to Meta. A set that only lowers spend may be
 * confirmed in the same call (`confirm: true`); anything else answers how to confirm it.
 */
import type { z } from 'zod';
import { planUpdates, type MoneyRequest, type Plan, type PlanObject, type RequestedItem, type RequestedSet } from '../../domain/change-set-plan';
import type { ChangeLevel, Violation } from '../../domain/change-set-vocabulary';
import { ChangeSetSource } from '../../domain/contracts/change-set';
import { loadPlanObjects, selectPlanObjects } from '../db/change-set-objects';
import { outstandingChanges } from '../db/change-set-repository';
import { ValidationError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { confirmStoredChangeSet } from './change-set-apply';
import { loadPlanningAccount, planningInputs, type PlanningAccount } from './change-set-context';
import { changeSetPreviewView, previewChangeSetInput, type ChangeSetFields } from './schemas/change-sets';
import { storePlan, type StorableItem, type StoredPlan } from './change-set-store';
import { changesView } from './change-set-views';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type ChangeSetPreviewView = z.infer<typeof changeSetPreviewView>;

/** Who is asking on which front: decides the change_history source (`bulk` for selections). */
export interface ChangeRequestMeta {
  requestId?: string;
  /** @default 'api' */
  source?: 'api' | 'mcp';
}

/** Items shown in a preview besides every item with a violation. */
const PREVIEW_ITEMS = 100;
/** Most items with violations shown in a preview. */
const PREVIEW_VIOLATION_ITEMS = 500;
/** Most violations listed in a preview. */
const PREVIEW_VIOLATIONS = 500;

/**
 * Previews a change set (`write` scope): `{adAccountId, items:[{id, level, set}]}` or
 * `{adAccountId, selection, set}`. Answers `{changeSetId, planHash, expiresAt, items, totals,
 * violations, ...}`; with `confirm: true` (or `dryRun: false`) a set that only lowers spend is
 * confirmed at once.
 */
export async function previewChangeSet(ctx: ServiceContext, actor: Actor, raw: unknown, meta: ChangeRequestMeta = {}): Promise<ChangeSetPreviewView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(previewChangeSetInput, raw);
  const account = await loadPlanningAccount(ctx, actor, input.adAccountId);
  const max = ctx.config.changeSets.maxItems;
  let requests: RequestedItem[];
  const objects = new Map<string, PlanObject>();
  if (input.items) {
    if (input.items.length > max) throw new ValidationError(`A change set holds at most ${max} items; split the request`, { field: 'items', max });
    requests = input.items.map((i) => ({ id: i.id, level: i.level, set: toRequestedSet(i.set) }));
    const byLevel = new Map<ChangeLevel, string[]>();
    for (const r of requests) byLevel.set(r.level, [...(byLevel.get(r.level) ?? []), r.id]);
    for (const [level, ids] of byLevel) {
      for (const o of await loadPlanObjects(ctx.db, { adAccountId: account.id, level, ids, offset: account.offset })) objects.set(o.id, o);
    }
  } else {
    const selection = input.selection!;
    const found = await selectPlanObjects(ctx.db, { adAccountId: account.id, selection, offset: account.offset, limit: max });
    if (found.length > max) throw new ValidationError(`The selection matches more than ${max} objects; narrow it (campaignIds, statuses, nameContains)`, { field: 'selection', max });
    if (found.length === 0) throw new ValidationError('The selection matches no stored object of this ad account (sync it if objects were created recently)', { field: 'selection' });
    const set = toRequestedSet(input.set!);
    requests = found.map((o) => ({ id: o.id, level: selection.level, set }));
    for (const o of found) objects.set(o.id, o);
  }
  const inputs = await planningInputs(ctx, account);
  const outstanding = await outstandingChanges(ctx.db, requests.map((r) => r.id));
  const plan = planUpdates(requests, objects, { currency: account.currency, offset: account.offset, nowMs: Date.now(), outstanding, ...inputs });
  const stored = await storePlan(ctx, {
    account,
    actor,
    kind: 'update',
    source: input.selection ? ChangeSetSource.Bulk : (meta.source ?? ChangeSetSource.Api),
    params: input,
    items: plan.items.map((i): StorableItem => ({ ...i, action: 'update' })),
    plan,
    requestId: meta.requestId,
  });
  const wantsConfirm = input.confirm === true || input.dryRun === false;
  return answerPreview(ctx, actor, { account, stored, plan, warnings: inputs.warnings, wantsConfirm });
}

/** The preview answer (shared with creates), confirming first when asked and allowed. */
export async function answerPreview(
  ctx: ServiceContext,
  actor: Actor,
  p: { account: PlanningAccount; stored: StoredPlan; plan: Plan; warnings: string[]; wantsConfirm: boolean },
): Promise<ChangeSetPreviewView> {
  const { row, items } = p.stored;
  const blocked = p.plan.violationCount > 0;
  let confirmation: ChangeSetPreviewView['confirmation'];
  let status = row.status;
  const how = `confirm it with confirm_changes (POST /v1/change-sets/${row.id}/confirm) and planHash ${row.planHash} before ${row.expiresAt.toISOString()}`;
  if (blocked) {
    confirmation = { state: 'blocked', message: `Nothing can be applied: fix the ${p.plan.violationCount} violation(s) and preview again` };
  } else if (!p.wantsConfirm) {
    confirmation = { state: 'not_requested', message: `Preview only, nothing was sent to Meta: ${how}` };
  } else if (p.plan.requiresConfirmation) {
    confirmation = { state: 'required', message: `This change set turns delivery on, raises spend or archives, so it is not applied without a separate confirm: ${how}` };
  } else {
    const confirmed = await confirmStoredChangeSet(ctx, actor, row, row.planHash);
    status = confirmed.status;
    confirmation = { state: 'confirmed', message: `Confirmed: workflow ${confirmed.workflowId} applies it` };
  }
  const shown = items.filter((i, index) => index < PREVIEW_ITEMS || i.violations.length > 0).slice(0, PREVIEW_ITEMS + PREVIEW_VIOLATION_ITEMS);
  const violations: Violation[] = [...p.plan.violations, ...p.plan.items.flatMap((i) => i.violations)].slice(0, PREVIEW_VIOLATIONS);
  return {
    changeSetId: row.id,
    adAccountId: row.adAccountId,
    kind: row.kind as ChangeSetPreviewView['kind'],
    status,
    planHash: row.planHash,
    expiresAt: row.expiresAt.toISOString(),
    currency: p.account.currency,
    itemCount: items.length,
    items: shown.map((i) => ({
      position: i.position, action: i.action, level: i.entityType, objectId: i.entityId, changes: changesView(i.changes, p.account.offset),
      violations: i.violations as Violation[], status: 'planned', attempts: 0, notBefore: null, live: null, error: null, appliedAt: null,
    })),
    itemsTruncated: shown.length < items.length,
    totals: p.plan.totals,
    violations,
    violationCount: p.plan.violationCount,
    requiresConfirmation: p.plan.requiresConfirmation,
    confirmation,
    workflowId: row.workflowId,
    warnings: p.warnings,
  };
}

/** The validated fields as the planner takes them (amounts stay decimal strings). */
export function toRequestedSet(set: ChangeSetFields): RequestedSet {
  const money = (m: ChangeSetFields['dailyBudget']): MoneyRequest | undefined => m;
  return {
    ...(set.name !== undefined ? { name: set.name } : {}),
    ...(set.status !== undefined ? { status: set.status } : {}),
    ...(set.dailyBudget !== undefined ? { dailyBudget: money(set.dailyBudget) } : {}),
    ...(set.lifetimeBudget !== undefined ? { lifetimeBudget: money(set.lifetimeBudget) } : {}),
    ...(set.bidAmount !== undefined ? { bidAmount: money(set.bidAmount) } : {}),
    ...(set.spendCap !== undefined ? { spendCap: money(set.spendCap) } : {}),
    ...(set.bidStrategy !== undefined ? { bidStrategy: set.bidStrategy } : {}),
    ...(set.startTime !== undefined ? { startTime: set.startTime } : {}),
    ...(set.endTime !== undefined ? { endTime: set.endTime } : {}),
  };
}
