/** Ad creatives from the synced copy, each with the ads that use it. */
import { z } from 'zod';
import { metaObjectIdSchema, statusFilterSchema } from './common';
import { optionalTimestamp, syncedListBase, timestamp } from './synced-assets';

export const listCreativesInput = z.strictObject({
  ...syncedListBase(200, 50),
  status: statusFilterSchema.optional().describe('Creative status, e.g. ACTIVE, DELETED'),
});
export const creativeRefInput = z.strictObject({ id: metaObjectIdSchema });

export const creativeAdView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  effectiveStatus: z.string().nullable(),
  adsetId: z.string().nullable(),
  campaignId: z.string().nullable(),
});
export const carouselCardView = z.object({
  position: z.number().int(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  link: z.string().nullable(),
  imageHash: z.string().nullable(),
  videoId: z.string().nullable(),
});
export const creativeView = z.object({
  id: z.string(),
  adAccountId: z.string(),
  name: z.string().nullable(),
  title: z.string().nullable(),
  body: z.string().nullable(),
  status: z.string().nullable(),
  objectStoryId: z.string().nullable(),
  objectStorySpec: z.unknown().describe("Meta's object_story_spec as synced"),
  assetFeedSpec: z.unknown().describe("Meta's asset_feed_spec as synced (dynamic creatives)"),
  imageHash: z.string().nullable(),
  imageUrl: z.string().nullable(),
  videoId: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  callToActionType: z.string().nullable(),
  linkUrl: z.string().nullable(),
  urlTags: z.string().nullable(),
  carouselCards: z.array(carouselCardView),
  adCount: z.number().int().describe('Ads (not deleted) that use the creative'),
  ads: z.array(creativeAdView).describe('Ads that use the creative, by id: the first 100 in a list, the first 1000 for one creative; adCount says how many there are'),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
