/** Campaigns, ad sets and ads from the synced copy. */
import { z } from 'zod';
import { adAccountIdSchema, booleanishSchema, cursorSchema, limitSchema, metaObjectIdSchema, statusFilterSchema } from './common';

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
