/**
 * Creating campaigns, ad sets and ads (from an existing creative) through the same preview and
 * confirm as every other change: the preview checks Meta's required fields, refuses a name a
 * live object already has, stores a one-item change set and answers how to confirm it. The
 * object is always created PAUSED; turning it on is a separate, confirmed change.
 */
import { planCreate, type CreatePlan, type CreateRequest } from '../../domain/object-create-plan';
import { ChangeSetSource } from '../../domain/contracts/change-set';
import { loadCreateParent, loadCreative } from '../db/change-set-objects';
import { takenNames } from '../db/change-set-repository';
import { requireScope, Scope, type Actor } from './actor';
import { loadPlanningAccount, planningInputs } from './change-set-context';
import { answerPreview, type ChangeRequestMeta, type ChangeSetPreviewView } from './change-set-preview';
import { createAdInput, createAdSetInput, createCampaignInput } from './schemas/object-creates';
import { storePlan } from './change-set-store';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

async function previewCreate(ctx: ServiceContext, actor: Actor, adAccountId: string, request: CreateRequest, params: unknown, meta: ChangeRequestMeta): Promise<ChangeSetPreviewView> {
  const account = await loadPlanningAccount(ctx, actor, adAccountId);
  const parentLevel = request.level === 'adset' ? 'campaign' : request.level === 'ad' ? 'adset' : null;
  const parentId = request.level === 'adset' ? request.spec.campaignId : request.level === 'ad' ? request.spec.adsetId : null;
  const [inputs, names, parent, creative] = await Promise.all([
    planningInputs(ctx, account),
    takenNames(ctx.db, account.id, request.level, [request.spec.name.trim()]),
    parentLevel && parentId ? loadCreateParent(ctx.db, { adAccountId: account.id, level: parentLevel, id: parentId }) : Promise.resolve(null),
    request.level === 'ad' ? loadCreative(ctx.db, { adAccountId: account.id, id: request.spec.creativeId }) : Promise.resolve(null),
  ]);
  const plan: CreatePlan = planCreate(request, {
    currency: account.currency, offset: account.offset, nowMs: Date.now(), limits: inputs.limits, minimumBudgets: inputs.minimumBudgets,
    dailyIncreaseSoFar: inputs.dailyIncreaseSoFar, takenNames: names, parent, creative,
  });
  const item = plan.item;
  const stored = await storePlan(ctx, {
    account,
    actor,
    kind: 'create',
    source: meta.source ?? ChangeSetSource.Api,
    params,
    items: [{ ...item, action: 'create', name: item.name, parentId: item.parentId, payload: item.spec }],
    plan,
    requestId: meta.requestId,
  });
  return answerPreview(ctx, actor, { account, stored, plan, warnings: inputs.warnings, wantsConfirm: false });
}

/** Previews a new campaign (`write` scope); confirm it to create it, PAUSED. */
export async function createCampaign(ctx: ServiceContext, actor: Actor, raw: unknown, meta: ChangeRequestMeta = {}): Promise<ChangeSetPreviewView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(createCampaignInput, raw);
  const { adAccountId, ...spec } = input;
  return previewCreate(ctx, actor, adAccountId, { level: 'campaign', spec }, input, meta);
}

/** Previews a new ad set under an existing campaign (`write` scope); confirm it to create it, PAUSED. */
export async function createAdSet(ctx: ServiceContext, actor: Actor, raw: unknown, meta: ChangeRequestMeta = {}): Promise<ChangeSetPreviewView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(createAdSetInput, raw);
  const { adAccountId, ...spec } = input;
  return previewCreate(ctx, actor, adAccountId, { level: 'adset', spec }, input, meta);
}

/** Previews a new ad from an existing creative (`write` scope); confirm it to create it, PAUSED. */
export async function createAd(ctx: ServiceContext, actor: Actor, raw: unknown, meta: ChangeRequestMeta = {}): Promise<ChangeSetPreviewView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(createAdInput, raw);
  const { adAccountId, ...spec } = input;
  return previewCreate(ctx, actor, adAccountId, { level: 'ad', spec }, input, meta);
}
