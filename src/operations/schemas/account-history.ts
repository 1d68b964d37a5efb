/**
 * What happened to an ad account and its objects: the change history, the sync runs, the rate
 * limit state Meta reported, and Meta's own automated rules as the sync read them.
 */
import { z } from 'zod';
import { adAccountIdSchema, booleanishSchema, cursorSchema, limitSchema, metaObjectIdSchema } from './common';
import { checkInstantRange, instantSchema, optionalTimestamp, timestamp } from './synced-assets';

export const adAccountRefInput = z.strictObject({ adAccountId: adAccountIdSchema });

export const listMetaRulesInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  includeDeleted: booleanishSchema.optional().describe('Include rules deleted on Meta'),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});

export const CHANGE_SOURCES = ['sync', 'api', 'mcp', 'rule', 'bulk'] as const;
export const CHANGE_ENTITY_TYPES = ['campaign', 'adset', 'ad'] as const;

const historyFilters = {
  source: z.enum(CHANGE_SOURCES).optional().describe('sync: seen on Meta by a sync; api, mcp, rule, bulk: made through this service'),
  actor: z.string().regex(/^[A-Za-z0-9_:.@-]{1,100}$/, 'expected an actor such as an API token id').optional().describe('Who made it: the id of the API token that confirmed the change'),
  field: z.string().regex(/^[a-z_]{1,64}$/, 'expected a field name such as daily_budget or status').optional().describe('A column name, e.g. daily_budget, status, name; "created" for creates'),
  from: instantSchema.optional().describe('Changes at or after this'),
  to: instantSchema.optional().describe('Changes before this (a day: through its end, UTC)'),
  cursor: cursorSchema.optional(),
  limit: limitSchema(500, 100),
};
export const listChangeHistoryInput = z
  .strictObject({
    adAccountId: adAccountIdSchema.optional().describe('Defaults to every ad account of the company'),
    entityType: z.enum(CHANGE_ENTITY_TYPES).optional(),
    entityId: metaObjectIdSchema.optional().describe('One campaign, ad set or ad'),
    ...historyFilters,
  })
  .superRefine(checkInstantRange);
export const objectChangeHistoryInput = z.strictObject({ entityId: metaObjectIdSchema.describe('A campaign, ad set or ad'), ...historyFilters }).superRefine(checkInstantRange);
/** The HTTP route's halves of {@link objectChangeHistoryInput}: the object in the path, the filters in the query. */
export const objectChangeHistoryParams = z.strictObject({ entityId: metaObjectIdSchema.describe('A campaign, ad set or ad') });
export const objectChangeHistoryQuery = z.strictObject(historyFilters).superRefine(checkInstantRange);

export const changeHistoryView = z.object({
  id: z.string(),
  adAccountId: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  field: z.string(),
  oldValue: z.unknown().describe('The value before (numbers, budgets among them, as decimal strings in major units)'),
  newValue: z.unknown(),
  source: z.string(),
  actor: z.string().nullable(),
  workflowId: z.string().nullable(),
  occurredAt: timestamp,
});

export const SYNC_RUN_KINDS = ['full', 'incremental', 'metrics', 'company'] as const;
export const SYNC_RUN_STATUSES = ['running', 'completed', 'failed', 'canceled'] as const;
export const listSyncRunsInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  kind: z.enum(SYNC_RUN_KINDS).optional(),
  status: z.enum(SYNC_RUN_STATUSES).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(200, 50),
});
export const syncRunView = z.object({
  id: z.string(),
  adAccountId: z.string().nullable(),
  kind: z.string(),
  grain: z.string().nullable(),
  workflowId: z.string(),
  runId: z.string(),
  status: z.string(),
  counts: z.record(z.string(), z.number()).describe('Rows read per entity, pages, changes, soft-deleted rows...'),
  error: z.object({ type: z.string().nullable(), message: z.string() }).nullable(),
  startedAt: timestamp,
  finishedAt: optionalTimestamp,
});

const headerUsage = z.object({ value: z.unknown().describe('The header as parsed from Meta (camelCase keys, percentages as numbers), e.g. appUsage {callCount, totalTime, totalCputime}'), observedAt: timestamp }).nullable();
export const rateLimitStateView = z.object({
  adAccountId: z.string(),
  throttled: z.boolean().describe('Meta blocks the account right now: syncs wait until throttledUntil'),
  throttledUntil: optionalTimestamp,
  accessTier: z.string().nullable().describe("The app's Marketing API access tier Meta reported"),
  lastObservedAt: optionalTimestamp.describe('When usage headers were last sampled'),
  maxUsagePct: z.string().nullable().describe('Highest usage percentage of the last sample (percent, decimal string)'),
  estimatedRegainSeconds: z.number().int().nullable().describe("Meta's estimate of when access comes back, at the last sample"),
  headers: z.object({
    appUsage: headerUsage.describe('X-App-Usage'),
    adAccountUsage: headerUsage.describe('X-Ad-Account-Usage'),
    businessUseCaseUsage: headerUsage.describe('X-Business-Use-Case-Usage'),
    insightsThrottle: headerUsage.describe('X-FB-Ads-Insights-Throttle'),
  }).describe('The latest value of each usage header'),
});
