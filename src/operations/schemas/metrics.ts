/** Metric rows by level, entity, grain and local date range. */
import { z } from 'zod';
import { adAccountIdSchema, checkRange, cursorSchema, dateSchema, limitSchema, metaObjectIdSchema } from './common';

const metricLevelSchema = z.enum(['account', 'campaign', 'adset', 'ad']);
const metricGrainSchema = z.enum(['hourly', 'daily', 'monthly']);
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
