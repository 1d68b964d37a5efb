import { z } from 'zod';
import { previewChangeSet } from '../../operations/change-set-preview';
import { createAd, createAdSet, createCampaign } from '../../operations/object-creates';
import { changeLevelSchema, changeSelectionSchema, changeSetFieldsSchema, changeSetPreviewView, moneyChangeSchema } from '../../operations/schemas/change-sets';
import { adAccountIdSchema, metaObjectIdSchema } from '../../operations/schemas/common';
import { createAdInput, createAdSetInput, createCampaignInput } from '../../operations/schemas/object-creates';
import type { Actor } from '../../operations/actor';
import type { ServiceContext } from '../../operations/service-context';
import { confirmHow, previews } from './change-sets';
import type { ToolAnnotations, ToolArea, ToolSpec } from './tool-spec';

const confirmSchema = z.boolean().optional().describe('Apply at once when the change only lowers spend (default false: preview only)');

/** Plans changes that may raise spend, turn delivery on or archive (applied only after confirm_changes). */
const spends: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

const updateInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  id: metaObjectIdSchema,
  set: changeSetFieldsSchema.describe('Fields to change: name, status, dailyBudget, lifetimeBudget, bidAmount, spendCap (campaign), bidStrategy, startTime, endTime'),
  confirm: confirmSchema,
});

/** Objects chosen by ids or by a selection over the stored objects of the account. */
const objectsShape = {
  adAccountId: adAccountIdSchema,
  level: changeLevelSchema,
  ids: z.array(metaObjectIdSchema).min(1).max(10_000).optional().describe('Object ids of that level'),
  selection: changeSelectionSchema.omit({ level: true }).optional().describe('Instead of ids: every stored object of the level matching all of these'),
};
function idsOrSelection(value: { ids?: unknown; selection?: unknown }, ctx: z.RefinementCtx): void {
  if ((value.ids === undefined) === (value.selection === undefined)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or selection' });
}
const objectsInput = z.strictObject(objectsShape).superRefine(idsOrSelection);

type ObjectsArgs = z.infer<typeof objectsInput>;

/** The preview input of a change of the same fields over the chosen objects. */
function objectsPreview(args: ObjectsArgs, set: Record<string, unknown>, confirm: boolean | undefined): Record<string, unknown> {
  const { adAccountId, level, ids, selection } = args;
  return {
    adAccountId,
    ...(ids ? { items: ids.map((id) => ({ id, level, set })) } : { selection: { ...selection, level }, set }),
    ...(confirm ? { confirm: true } : {}),
  };
}

function statusTool(ctx: ServiceContext, actor: Actor, p: { name: string; title: string; status: 'PAUSED' | 'ACTIVE' | 'ARCHIVED'; description: string; annotations: ToolAnnotations; canConfirm: boolean }): ToolSpec {
  const input = p.canConfirm ? z.strictObject({ ...objectsShape, confirm: confirmSchema }).superRefine(idsOrSelection) : objectsInput;
  return {
    name: p.name,
    title: p.title,
    description: `${p.description} ${confirmHow}`,
    input,
    output: changeSetPreviewView,
    annotations: p.annotations,
    run: (args) => previewChangeSet(ctx, actor, objectsPreview(args as ObjectsArgs, { status: p.status }, args.confirm as boolean | undefined), { source: 'mcp' }),
  };
}

function updateTool(ctx: ServiceContext, actor: Actor, level: 'campaign' | 'adset' | 'ad', name: string, what: string): ToolSpec {
  return {
    name,
    title: `Update ${what}`,
    description: `Previews a change of one ${what} (name, budgets absolute or ± percent, bid, times, spend cap, status). ${confirmHow}`,
    input: updateInput,
    output: changeSetPreviewView,
    annotations: spends,
    run: (args) => {
      const { adAccountId, id, set, confirm } = args as z.infer<typeof updateInput>;
      return previewChangeSet(ctx, actor, { adAccountId, items: [{ id, level, set }], ...(confirm ? { confirm: true } : {}) }, { source: 'mcp' });
    },
  };
}

const createNote = 'Previews the create (Meta\'s required fields checked, a duplicate live name refused) as a one-item change set; nothing is sent to Meta until confirm_changes with its planHash, and the object is always created PAUSED.';
/** Creates store a new plan on every call and never spend: the object starts PAUSED. */
const creates: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

/** Campaign, ad set and ad management: creates, updates, status changes and bulk budgets, all through change sets. */
export const objectTools: ToolArea = (ctx, actor) => [
  {
    name: 'create_campaign',
    title: 'Create a campaign',
    description: `New campaign (objective, specialAdCategories, optional campaign budget). ${createNote}`,
    input: createCampaignInput,
    output: changeSetPreviewView,
    annotations: creates,
    run: (args) => createCampaign(ctx, actor, args, { source: 'mcp' }),
  },
  {
    name: 'create_ad_set',
    title: 'Create an ad set',
    description: `New ad set under a campaign (optimizationGoal, billingEvent, targeting, a budget unless the campaign has one, promotedObject where the goal needs one). ${createNote}`,
    input: createAdSetInput,
    output: changeSetPreviewView,
    annotations: creates,
    run: (args) => createAdSet(ctx, actor, args, { source: 'mcp' }),
  },
  {
    name: 'create_ad',
    title: 'Create an ad',
    description: `New ad in an ad set from an existing creative of the account. ${createNote}`,
    input: createAdInput,
    output: changeSetPreviewView,
    annotations: creates,
    run: (args) => createAd(ctx, actor, args, { source: 'mcp' }),
  },
  updateTool(ctx, actor, 'campaign', 'update_campaign', 'a campaign'),
  updateTool(ctx, actor, 'adset', 'update_ad_set', 'an ad set'),
  updateTool(ctx, actor, 'ad', 'update_ad', 'an ad'),
  statusTool(ctx, actor, {
    name: 'pause_objects',
    title: 'Pause objects',
    status: 'PAUSED',
    description: 'Pauses campaigns, ad sets or ads chosen by ids or a selection; only lowers spend, so confirm: true applies it in the same call.',
    // Pausing what is already paused changes nothing.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    canConfirm: true,
  }),
  statusTool(ctx, actor, {
    name: 'resume_objects',
    title: 'Resume objects',
    status: 'ACTIVE',
    description: 'Turns campaigns, ad sets or ads back on (status ACTIVE); turns delivery on, so it always needs confirm_changes.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    canConfirm: false,
  }),
  statusTool(ctx, actor, {
    name: 'archive_objects',
    title: 'Archive objects',
    status: 'ARCHIVED',
    description: 'Archives campaigns, ad sets or ads (Meta allows almost no edits afterwards; nothing is ever deleted); always needs confirm_changes.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    canConfirm: false,
  }),
  {
    name: 'bulk_update_budgets',
    title: 'Bulk update budgets',
    description: `Changes the daily or lifetime budget of many campaigns or ad sets (by ids or a selection): an amount in major units, or {percent, floor?, ceiling?} resolved once in the preview. Caps and Meta's minimums are checked per item. ${confirmHow}`,
    input: z
      .strictObject({ ...objectsShape, level: z.enum(['campaign', 'adset']), dailyBudget: moneyChangeSchema.optional(), lifetimeBudget: moneyChangeSchema.optional(), confirm: confirmSchema })
      .superRefine(idsOrSelection)
      .superRefine((value, ctx) => {
        if (value.dailyBudget === undefined && value.lifetimeBudget === undefined) ctx.addIssue({ code: 'custom', path: ['dailyBudget'], message: 'give dailyBudget or lifetimeBudget' });
      }),
    output: changeSetPreviewView,
    annotations: spends,
    run: (args) => {
      const { dailyBudget, lifetimeBudget, confirm, ...rest } = args as ObjectsArgs & { dailyBudget?: unknown; lifetimeBudget?: unknown; confirm?: boolean };
      return previewChangeSet(ctx, actor, objectsPreview(rest, { ...(dailyBudget !== undefined ? { dailyBudget } : {}), ...(lifetimeBudget !== undefined ? { lifetimeBudget } : {}) }, confirm), { source: 'mcp' });
    },
  },
];
