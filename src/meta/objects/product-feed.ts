/** Product feed: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { jsonValue, metaId, parseWith } from '../wire-values';
import { type Json, optInt, optStr } from './common';

export const PRODUCT_FEED_FIELDS = ['id', 'name', 'schedule', 'product_count'] as const;

const productFeedSchema = z.looseObject({
  id: metaId,
  name: optStr,
  schedule: z.unknown().optional(),
  product_count: optInt,
});

export interface ProductFeedRecord {
  id: string;
  catalogId: string;
  name: string | null;
  schedule: Json | null;
  productCount: number | null;
  raw: Json;
}

/** Parses a product feed (listed under `<catalog>/product_feeds`). */
export function parseProductFeed(raw: unknown, ctx: { catalogId: string }): ProductFeedRecord {
  const f = parseWith(productFeedSchema, 'product feed', raw);
  return { id: f.id, catalogId: ctx.catalogId, name: f.name ?? null, schedule: jsonValue(f.schedule), productCount: f.product_count ?? null, raw };
}
