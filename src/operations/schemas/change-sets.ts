/**
 * Input and output schemas of the change-set operations (preview, confirm, cancel, read, list),
 * shared by both fronts: HTTP validation and OpenAPI, MCP inputSchema and
 * outputSchema. Inputs are strict: an unknown field is refused with its name, never dropped.
 * Money is in major units of the account currency (a decimal string, or a JSON number with at
 * most the currency's decimals); percentages are resolved by the preview, once.
 */
import { z } from 'zod';
import { BID_STRATEGIES, SETTABLE_STATUSES } from '../../../domain/change-set-vocabulary';
import { adAccountIdSchema, booleanishSchema, cursorSchema, limitSchema, metaObjectIdSchema } from './common';

const DECIMAL = /^\d{1,13}(\.\d{1,6})?$/;

/** A non-negative amount in major units: "250.00" or 250. */
export const amountSchema = z
  .union([z.string().trim(), z.number().finite().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .refine((text) => DECIMAL.test(text), 'expected an amount in major units of the account currency, e.g. "250.00"')
  .describe('Amount in major units of the account currency (decimal string such as "250.00", or a number)');

export const percentSchema = z
  .union([z.string().trim(), z.number().finite()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .refine((text) => /^-?\d{1,4}(\.\d{1,4})?$/.test(text), 'expected a percentage such as 20 or -12.5')
  .refine((text) => Number(text) > -100 && Number(text) <= 1000, 'percent must be above -100 and at most 1000');

/** A money change: an absolute amount, or ± percent of the current value with an optional floor and ceiling. */
export const moneyChangeSchema = z
  .union([
    amountSchema.transform((amount) => ({ amount })),
    z.strictObject({ amount: amountSchema }),
    z.strictObject({
      percent: percentSchema.describe('Change in percent of the current value: 20 raises by a fifth, -10 lowers by a tenth'),
      floor: amountSchema.optional().describe('Lowest result (major units)'),
      ceiling: amountSchema.optional().describe('Highest result (major units)'),
    }),
  ])
  .describe('An amount ("250.00"), {amount}, or {percent, floor?, ceiling?}; percentages are resolved once, in the preview');

export const isoTimeSchema = z
  .string()
  .max(40)
  .refine((text) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 date and time with an offset, e.g. 2026-12-31T23:59:00Z');

const statusSchema = z.enum(SETTABLE_STATUSES, {
  error: () => 'status must be ACTIVE (resume), PAUSED (pause) or ARCHIVED (archive); deleting is not offered',
});

/** The fields one change sets (at least one). */
export const changeSetFieldsSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(400).optional(),
    status: statusSchema.optional(),
    dailyBudget: moneyChangeSchema.optional(),
    lifetimeBudget: moneyChangeSchema.optional(),
    bidAmount: moneyChangeSchema.optional(),
    spendCap: moneyChangeSchema.optional().describe('Campaign spend cap'),
    bidStrategy: z.enum(BID_STRATEGIES).optional(),
    startTime: isoTimeSchema.optional(),
    endTime: isoTimeSchema.optional().describe("Ad set end_time, or a campaign's stop_time"),
  })
  .refine((set) => Object.values(set).some((v) => v !== undefined), 'set at least one field (name, status, dailyBudget, lifetimeBudget, bidAmount, spendCap, bidStrategy, startTime, endTime)');
export type ChangeSetFields = z.infer<typeof changeSetFieldsSchema>;

export const changeLevelSchema = z.enum(['campaign', 'adset', 'ad']);

export const changeSetItemInput = z.strictObject({
  id: metaObjectIdSchema,
  level: changeLevelSchema,
  set: changeSetFieldsSchema,
});

const configuredStatusSchema = z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']);

/** A selection over the stored objects of the account (every condition must hold). */
export const changeSelectionSchema = z.strictObject({
  level: changeLevelSchema,
  campaignIds: z.array(metaObjectIdSchema).min(1).max(1000).optional(),
  adsetIds: z.array(metaObjectIdSchema).min(1).max(1000).optional(),
  statuses: z.array(configuredStatusSchema).min(1).max(4).optional().describe('Configured statuses'),
  effectiveStatuses: z.array(z.string().regex(/^[A-Z_]{1,40}$/)).min(1).max(12).optional(),
  nameContains: z.string().min(1).max(200).optional().describe('Case-insensitive part of the name'),
});

export const previewChangeSetInput = z
  .strictObject({
    adAccountId: adAccountIdSchema,
    items: z.array(changeSetItemInput).min(1).max(100_000).optional().describe('Objects by id, each with the fields to set'),
    selection: changeSelectionSchema.optional().describe('Instead of items: every stored object matching this selection...'),
    set: changeSetFieldsSchema.optional().describe('...gets these fields'),
    dryRun: booleanishSchema.optional().describe('Default true: preview only. false (or confirm: true) also confirms when the set only lowers spend'),
    confirm: booleanishSchema.optional().describe('Confirm in the same call: allowed only for sets that only lower spend (pauses, decreases)'),
  })
  .superRefine((value, ctx) => {
    const byItems = value.items !== undefined;
    const bySelection = value.selection !== undefined || value.set !== undefined;
    if (byItems === bySelection) ctx.addIssue({ code: 'custom', path: ['items'], message: 'give either items, or selection together with set' });
    else if (bySelection && (!value.selection || !value.set)) ctx.addIssue({ code: 'custom', path: [value.selection ? 'set' : 'selection'], message: 'a selection needs both selection and set' });
  });
export type PreviewChangeSetInput = z.infer<typeof previewChangeSetInput>;

const changeSetIdSchema = z.uuid('expected a change set id (UUID)').describe('Change set id');
export const planHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected the planHash of the preview (64 hex characters)');

export const confirmChangeSetInput = z.strictObject({ changeSetId: changeSetIdSchema, planHash: planHashSchema });
export const changeSetRefInput = z.strictObject({ changeSetId: changeSetIdSchema });
export const getChangeSetInput = z.strictObject({
  changeSetId: changeSetIdSchema,
  itemStatus: z.enum(['planned', 'pending', 'in_flight', 'succeeded', 'already_applied', 'deferred', 'failed', 'skipped', 'canceled']).optional(),
  itemsCursor: cursorSchema.optional(),
  itemsLimit: limitSchema(1000, 100),
});
export const listChangeSetsInput = z.strictObject({
  adAccountId: adAccountIdSchema.optional(),
  status: z.enum(['blocked', 'previewed', 'applying', 'completed', 'completed_with_errors', 'canceled', 'expired', 'failed']).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(200, 50),
});

// ───────────── views ─────────────

const fieldValue = z.string().nullable();
export const violationView = z.object({ code: z.string(), message: z.string(), field: z.string().optional(), objectId: z.string().optional() });
export const changeSetItemView = z.object({
  position: z.number(),
  action: z.enum(['update', 'create']),
  level: changeLevelSchema,
  objectId: z.string().nullable().describe('Null for a create until Meta answered'),
  changes: z.record(z.string(), z.object({ before: fieldValue, after: fieldValue })).describe('Field → before/after; money in major units, times ISO'),
  violations: z.array(violationView),
  status: z.string(),
  attempts: z.number(),
  notBefore: z.string().nullable().describe('Deferred by a per-object Meta limit until then'),
  live: z.record(z.string(), fieldValue).nullable().describe('Live values when the item was skipped as drifted'),
  error: z.object({ code: z.string().nullable(), message: z.string().nullable(), metaCode: z.number().nullable(), metaSubcode: z.number().nullable() }).nullable(),
  appliedAt: z.string().nullable(),
});
export const changeSetTotalsView = z.object({
  items: z.number(),
  itemsWithViolations: z.number(),
  byCurrency: z.record(z.string(), z.object({ dailyBudgetDelta: z.string(), lifetimeBudgetDelta: z.string(), dailyBudgetIncrease: z.string() })),
  objectsTurnedOn: z.number(),
  objectsTurnedOff: z.number(),
  objectsArchived: z.number(),
});
export const changeSetCountsView = z.object({
  planned: z.number(), pending: z.number(), inFlight: z.number(), applied: z.number(), alreadyApplied: z.number(),
  deferred: z.number(), failed: z.number(), skipped: z.number(), canceled: z.number(),
});
export const confirmationView = z.object({
  state: z.enum(['confirmed', 'required', 'blocked', 'not_requested']),
  message: z.string(),
});
export const changeSetPreviewView = z.object({
  changeSetId: z.string(),
  adAccountId: z.string(),
  kind: z.enum(['update', 'create']),
  status: z.string(),
  planHash: z.string(),
  expiresAt: z.string(),
  currency: z.string(),
  itemCount: z.number(),
  items: z.array(changeSetItemView).describe('The first items, and every item with a violation (page through all with get_change_set)'),
  itemsTruncated: z.boolean(),
  totals: changeSetTotalsView,
  violations: z.array(violationView).describe('Every violation (set and items); any blocks the confirm'),
  violationCount: z.number(),
  requiresConfirmation: z.boolean().describe('Turns delivery on, raises spend or archives: confirm separately with the planHash'),
  confirmation: confirmationView,
  workflowId: z.string().nullable(),
  warnings: z.array(z.string()),
});
export const confirmChangeSetView = z.object({
  changeSetId: z.string(),
  workflowId: z.string(),
  runId: z.string(),
  status: z.string(),
  confirmedBy: z.string(),
  confirmedAt: z.string(),
});
export const cancelChangeSetView = z.object({ changeSetId: z.string(), status: z.enum(['canceled', 'cancel_requested']), workflowId: z.string().nullable() });
export const changeSetSummaryView = z.object({
  changeSetId: z.string(),
  adAccountId: z.string(),
  kind: z.string(),
  source: z.string(),
  status: z.string(),
  itemCount: z.number(),
  violationCount: z.number(),
  requiresConfirmation: z.boolean(),
  planHash: z.string(),
  expiresAt: z.string(),
  requestedBy: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  workflowId: z.string().nullable(),
  totals: changeSetTotalsView.nullable(),
});
export const changeSetView = changeSetSummaryView.extend({
  counts: changeSetCountsView,
  violations: z.array(violationView),
  workflow: z.object({ status: z.string(), runId: z.string(), progress: z.record(z.string(), z.unknown()).nullable() }).nullable(),
  items: z.array(changeSetItemView),
  itemsNextCursor: z.string().nullable(),
});
