/**
 * Input and output schemas shared by both fronts: the HTTP routes (validation and OpenAPI) and
 * the MCP tools (inputSchema / outputSchema). Operations parse their input with these too, so a
 * call that skips a front's validation still cannot reach Temporal or the database unchecked.
 * Inputs are strict objects: an unknown field is a mistake worth reporting, not ignoring.
 */
import { z } from 'zod';
import { daysBetween, isCalendarDay } from '../../domain/calendar';
import { WorkflowKind } from '../../domain/vocabulary';
import { ALL_SCOPES } from './actor';

// ───────────── scalars ─────────────

export const adAccountIdSchema = z.string().regex(/^act_\d{1,25}$/, 'expected an ad account id such as act_1234567890').describe('Ad account id (act_<digits>)');
export const metaObjectIdSchema = z.string().regex(/^\d{1,25}$/, 'expected a numeric Meta object id').describe('Meta object id (digits)');
export const companyIdSchema = z.uuid('expected a company id (UUID)').describe('Company id (UUID)');
export const workflowIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_:.@-]+$/, 'expected a workflow id such as meta-full-sync:act_1234567890')
  .describe('Temporal workflow id');
export const scheduleIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_:.@-]+$/, 'expected a schedule id such as meta-incremental-sync-schedule:act_1234567890')
  .describe('Temporal schedule id');

/** A calendar day, YYYY-MM-DD, that exists. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => isCalendarDay(value) && value >= '2000-01-01' && value <= '2100-12-31', 'expected a real calendar date between 2000-01-01 and 2100-12-31');

export const cursorSchema = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_=-]+$/, 'expected the nextCursor of a previous page').describe('Opaque cursor from nextCursor');
/** Query strings carry numbers as text; MCP sends real numbers. Both are accepted. */
export const limitSchema = (max: number, fallback: number) =>
  z.coerce.number().int('limit must be a whole number').min(1).max(max).default(fallback).describe(`Page size (1-${max}, default ${fallback})`);
/** `true`/`false` as a JSON boolean or as query-string text. */
export const booleanishSchema = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

const statusFilterSchema = z.string().regex(/^[A-Z_]{1,40}$/, 'expected a Meta status such as ACTIVE or PAUSED');

function checkRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx, maxDays: number): void {
  if (value.from && value.to) {
    if (value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must not be before "from"' });
    else if (daysBetween(value.from, value.to) > maxDays) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxDays} days` });
  }
}

// ───────────── tokens ─────────────

export const scopeSchema = z.enum(ALL_SCOPES as [string, ...string[]]);
export const createApiTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('What the token is for'),
  scopes: z.array(scopeSchema).min(1).max(4).refine((s) => new Set(s).size === s.length, 'scopes must not repeat').describe('read, sync, write, admin'),
});
export const tokenIdInput = z.strictObject({ tokenId: z.uuid('expected a token id (UUID)') });
export const listApiTokensInput = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema(200, 50) });

export const apiTokenView = z.object({
  id: z.string(),
  companyId: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const createdApiTokenView = apiTokenView.extend({ token: z.string().describe('Shown once; only a hash is stored') });

// ───────────── ad accounts ─────────────

export const listAdAccountsInput = z.strictObject({
  companyId: companyIdSchema.optional().describe('Defaults to the token\'s company'),
  includeDisconnected: booleanishSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(200, 50),
});
export const adAccountRefInput = z.strictObject({ adAccountId: adAccountIdSchema });
export const connectAdAccountInput = z.strictObject({
  companyId: companyIdSchema.optional().describe('Defaults to the token\'s company'),
  adAccountId: adAccountIdSchema,
  accessToken: z
    .string()
    .min(10, 'the access token is too short')
    .max(2048, 'the access token is too long')
    .regex(/^[\x21-\x7e]+$/, 'the access token has characters a Meta token never has')
    .describe('Meta access token with ads_read (and ads_management for writes); stored encrypted, never returned'),
});

export const adAccountView = z.object({
  id: z.string(),
  companyId: z.string(),
  name: z.string().nullable(),
  status: z.enum(['connected', 'needs_reauth', 'disconnected']),
  accountStatus: z.number().nullable().describe('Meta account_status (1 = active)'),
  currency: z.string().nullable(),
  timezoneName: z.string().nullable(),
  tokenStatus: z.string(),
  connectedAt: z.string(),
  disconnectedAt: z.string().nullable(),
  lastFullSyncAt: z.string().nullable(),
  lastIncrementalSyncAt: z.string().nullable(),
  lastMetricsSyncAt: z.string().nullable(),
});

// ───────────── syncs and workflows ─────────────

const fullSyncBody = z.strictObject({ kind: z.literal('full') });
const incrementalSyncBody = z.strictObject({ kind: z.literal('incremental'), overlapSeconds: z.number().int().min(0).max(86_400).optional() });
const metricsSyncBody = z
  .strictObject({
    kind: z.literal('metrics'),
    grain: z.enum(['daily', 'hourly']),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
  })
  .superRefine((value, ctx) => checkRange(value, ctx, value.grain === 'hourly' ? 93 : 1100));
export const startSyncBody = z.discriminatedUnion('kind', [fullSyncBody, incrementalSyncBody, metricsSyncBody]);
export const startSyncInput = z.discriminatedUnion('kind', [
  fullSyncBody.extend({ adAccountId: adAccountIdSchema }),
  incrementalSyncBody.extend({ adAccountId: adAccountIdSchema }),
  metricsSyncBody.extend({ adAccountId: adAccountIdSchema }),
]);
export type StartSyncInput = z.infer<typeof startSyncInput>;

export const companySyncKindSchema = z.enum(['full', 'incremental', 'metrics-daily', 'metrics-hourly']);
export const startCompanySyncInput = z.strictObject({
  companyId: companyIdSchema.optional().describe('Defaults to the token\'s company'),
  kinds: z.array(companySyncKindSchema).min(1).max(4).default(['incremental', 'metrics-daily']),
  maxParallel: z.number().int().min(1).max(16).optional(),
});

export const workflowStartView = z.object({ workflowId: z.string(), runId: z.string() });

export const WORKFLOW_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT'] as const;
export type WorkflowStatusName = (typeof WORKFLOW_STATUSES)[number];
export const workflowKindSchema = z.enum(Object.values(WorkflowKind) as [string, ...string[]]);

export const workflowRefInput = z.strictObject({ workflowId: workflowIdSchema });
export const workflowStatusView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  kind: z.string().nullable(),
  workflowType: z.string(),
  adAccountId: z.string().nullable(),
  status: z.enum(WORKFLOW_STATUSES),
  progress: z.record(z.string(), z.unknown()).nullable(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export const listWorkflowsInput = z.strictObject({
  adAccountId: adAccountIdSchema.optional(),
  kind: workflowKindSchema.optional(),
  status: z.enum(WORKFLOW_STATUSES).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});
export const workflowSummaryView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  kind: z.string().nullable(),
  workflowType: z.string(),
  adAccountId: z.string().nullable(),
  status: z.string(),
  startedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export const cancelWorkflowView = z.object({ workflowId: z.string(), runId: z.string(), status: z.literal('CANCEL_REQUESTED') });

// ───────────── entities ─────────────

const entityListBase = {
  adAccountId: adAccountIdSchema.optional().describe('Defaults to every ad account of the company'),
  status: statusFilterSchema.optional().describe('Configured status, e.g. ACTIVE, PAUSED, ARCHIVED'),
  effectiveStatus: statusFilterSchema.optional(),
  includeDeleted: booleanishSchema.optional().describe('Include objects Meta no longer reports (deletedAt set)'),
  cursor: cursorSchema.optional(),
  limit: limitSchema(500, 100),
};
export const listCampaignsInput = z.strictObject(entityListBase);
export const listAdSetsInput = z.strictObject({ ...entityListBase, campaignId: metaObjectIdSchema.optional() });
export const listAdsInput = z.strictObject({ ...entityListBase, campaignId: metaObjectIdSchema.optional(), adsetId: metaObjectIdSchema.optional() });
export const entityRefInput = z.strictObject({ id: metaObjectIdSchema });

const money = z.string().nullable().describe('Decimal string in major units of the account currency');
const entityCommon = {
  id: z.string(),
  adAccountId: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  configuredStatus: z.string().nullable(),
  effectiveStatus: z.string().nullable(),
  createdTime: z.string().nullable(),
  updatedTime: z.string().nullable(),
  syncedAt: z.string(),
  deletedAt: z.string().nullable(),
};
export const campaignView = z.object({
  ...entityCommon,
  objective: z.string().nullable(),
  buyingType: z.string().nullable(),
  bidStrategy: z.string().nullable(),
  dailyBudget: money,
  lifetimeBudget: money,
  spendCap: money,
  startTime: z.string().nullable(),
  stopTime: z.string().nullable(),
});
export const adSetView = z.object({
  ...entityCommon,
  campaignId: z.string().nullable(),
  optimizationGoal: z.string().nullable(),
  billingEvent: z.string().nullable(),
  bidStrategy: z.string().nullable(),
  bidAmount: money,
  dailyBudget: money,
  lifetimeBudget: money,
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
});
export const adView = z.object({
  ...entityCommon,
  campaignId: z.string().nullable(),
  adsetId: z.string().nullable(),
  creativeId: z.string().nullable(),
});

// ───────────── metrics ─────────────

export const metricLevelSchema = z.enum(['account', 'campaign', 'adset', 'ad']);
export const metricGrainSchema = z.enum(['hourly', 'daily', 'monthly']);
export const getMetricsInput = z
  .strictObject({
    adAccountId: adAccountIdSchema,
    level: metricLevelSchema.default('account'),
    entityId: z.union([metaObjectIdSchema, adAccountIdSchema]).optional().describe('One entity; default every entity of the level'),
    grain: metricGrainSchema.default('daily'),
    from: dateSchema,
    to: dateSchema,
    cursor: cursorSchema.optional(),
    limit: limitSchema(1000, 500),
  })
  .superRefine((value, ctx) => checkRange(value, ctx, value.grain === 'hourly' ? 93 : value.grain === 'daily' ? 1100 : 3700));
export const metricRowView = z.object({
  entityId: z.string(),
  level: z.string(),
  adAccountId: z.string(),
  grain: metricGrainSchema,
  bucketStart: z.string().describe('ISO instant (hourly) or account-local date (daily, monthly)'),
  spend: z.string(),
  impressions: z.number(),
  clicks: z.number(),
  inlineLinkClicks: z.number(),
  reach: z.number().nullable(),
  reachSource: z.enum(['meta']).nullable().describe('"meta" when Meta reported reach at this grain; null otherwise (reach is never summed)'),
  frequency: z.string().nullable(),
  ctr: z.string().nullable(),
  cpc: z.string().nullable(),
  cpm: z.string().nullable(),
  source: z.enum(['meta', 'rollup']),
});

// ───────────── rollups and schedules ─────────────

export const runRollupInput = z
  .strictObject({
    grain: z.enum(['daily', 'monthly']),
    from: dateSchema,
    to: dateSchema,
    adAccountId: adAccountIdSchema.optional().describe('Default: every ad account of the company'),
  })
  .superRefine((value, ctx) => checkRange(value, ctx, 3700));
export const listRollupsInput = z.strictObject({
  status: z.enum(WORKFLOW_STATUSES).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});

export const listSchedulesInput = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema(200, 50) });
export const scheduleRefInput = z.strictObject({ scheduleId: scheduleIdSchema });
export const pauseScheduleInput = z.strictObject({ scheduleId: scheduleIdSchema, note: z.string().max(500).optional() });
export const backfillScheduleInput = z
  .strictObject({ scheduleId: scheduleIdSchema, from: dateSchema, to: dateSchema })
  .superRefine((value, ctx) => checkRange(value, ctx, 400));
export const scheduleView = z.object({
  scheduleId: z.string(),
  kind: z.string(),
  adAccountId: z.string().nullable(),
  scope: z.enum(['ad-account', 'global']),
  paused: z.boolean(),
  note: z.string().nullable(),
  workflowType: z.string().nullable(),
  nextActionTimes: z.array(z.string()),
  recentActions: z.number(),
});
export const scheduleActionView = z.object({ scheduleId: z.string(), action: z.enum(['paused', 'unpaused', 'triggered', 'backfilled']) });

/** `{data, nextCursor}` for any item schema. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}
