/** Product catalogs of the ad accounts' businesses, with their feeds, products and product sets. */
import { z } from 'zod';
import { metaObjectIdSchema } from './common';
import { childListBase, money, optionalTimestamp, syncedListBase, timestamp } from './synced-assets';

export const listProductCatalogsInput = z.strictObject(syncedListBase(200, 50));
const catalogId = metaObjectIdSchema.describe('The product catalog');
export const listProductFeedsInput = z.strictObject({ catalogId, ...childListBase() });
export const listProductsInput = z.strictObject({
  catalogId,
  ...childListBase(),
  availability: z.string().min(1).max(40).regex(/^[a-z ]+$/, 'expected an availability such as "in stock"').optional(),
  retailerId: z.string().min(1).max(100).optional().describe("The advertiser's own product id (SKU)"),
});
export const listProductSetsInput = z.strictObject({ catalogId, ...childListBase() });

export const productFeedView = z.object({
  id: z.string(),
  catalogId: z.string(),
  name: z.string().nullable(),
  schedule: z.unknown().describe("Meta's upload schedule of the feed"),
  productCount: z.number().int().nullable(),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
export const productCatalogView = z.object({
  id: z.string(),
  businessId: z.string().nullable(),
  name: z.string().nullable(),
  vertical: z.string().nullable(),
  productCount: z.number().int().nullable().describe("Meta's product count at the last sync"),
  storedProducts: z.number().int().describe('Products (not deleted) in the synced copy'),
  storedProductSets: z.number().int(),
  feedCount: z.number().int().describe('Feeds (not deleted) in the synced copy'),
  feeds: z.array(productFeedView).describe('The first 50 feeds by id; list_product_feeds pages them all'),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
export const productView = z.object({
  id: z.string(),
  catalogId: z.string(),
  retailerId: z.string().nullable(),
  name: z.string().nullable(),
  price: money,
  currency: z.string().nullable(),
  availability: z.string().nullable(),
  url: z.string().nullable(),
  imageUrl: z.string().nullable(),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
export const productSetView = z.object({
  id: z.string(),
  catalogId: z.string(),
  name: z.string().nullable(),
  filter: z.unknown().describe("The set's product filter as Meta holds it"),
  productCount: z.number().int().nullable(),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
