/**
 * Input schemas of the create operations (campaign, ad set, ad from an existing creative). Their
 * answer is a change-set preview (`changeSetPreviewView` in ./change-sets.ts): every create goes
 * through the same preview and confirm. There is no status field: everything is created PAUSED.
 */
import { z } from 'zod';
import { BID_STRATEGIES } from '../../../domain/change-set-vocabulary';
import { CREATE_OBJECTIVES, SPECIAL_AD_CATEGORIES } from '../../../domain/object-create-plan';
import { amountSchema, isoTimeSchema } from './change-sets';
import { adAccountIdSchema, metaObjectIdSchema } from './common';

const nameSchema = z.string().trim().min(1).max(400);
export const createCampaignInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  name: nameSchema,
  objective: z.enum(CREATE_OBJECTIVES, { error: () => `objective is required: one of ${CREATE_OBJECTIVES.join(', ')}` }),
  specialAdCategories: z
    .array(z.enum(SPECIAL_AD_CATEGORIES))
    .max(7, 'at most 7 special ad categories')
    .describe('Required by Meta: the special ad categories that apply, [] when none'),
  buyingType: z.enum(['AUCTION', 'RESERVED']).optional(),
  bidStrategy: z.enum(BID_STRATEGIES).optional(),
  dailyBudget: amountSchema.optional().describe('Campaign budget per day; leave both budgets out to give each ad set its own'),
  lifetimeBudget: amountSchema.optional(),
  spendCap: amountSchema.optional(),
  startTime: isoTimeSchema.optional(),
  endTime: isoTimeSchema.optional().describe('stop_time; required with a lifetime budget'),
});
export const createAdSetInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  campaignId: metaObjectIdSchema,
  name: nameSchema,
  optimizationGoal: z.string().regex(/^[A-Z_]{2,60}$/, 'optimizationGoal is required, e.g. LINK_CLICKS, OFFSITE_CONVERSIONS, REACH'),
  billingEvent: z.string().regex(/^[A-Z_]{2,40}$/, 'billingEvent is required, e.g. IMPRESSIONS'),
  targeting: z.record(z.string(), z.unknown()).refine((t) => JSON.stringify(t).length <= 20_000, 'targeting is too large').describe('Meta targeting spec; needs geo_locations'),
  promotedObject: z.record(z.string(), z.unknown()).optional().describe('Needed by app, conversion and lead goals (pixel_id + custom_event_type, application_id + object_store_url, page_id)'),
  bidStrategy: z.enum(BID_STRATEGIES).optional(),
  bidAmount: amountSchema.optional(),
  dailyBudget: amountSchema.optional().describe('Required unless the campaign has its own budget'),
  lifetimeBudget: amountSchema.optional(),
  startTime: isoTimeSchema.optional(),
  endTime: isoTimeSchema.optional(),
  destinationType: z.string().regex(/^[A-Z_]{2,40}$/).optional(),
});
export const createAdInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  adsetId: metaObjectIdSchema,
  name: nameSchema,
  creativeId: metaObjectIdSchema.describe('An existing creative of the ad account'),
  trackingSpecs: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
});

