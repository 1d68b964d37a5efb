/** Product set: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { jsonValue, metaId, parseWith } from '../wire-values';
import { type Json, optInt, optStr } from './common';

export const PRODUCT_SET_FIELDS = ['id', 'name', 'filter', 'product_count'] as const;

const productSetSchema = z.looseObject({
  id: metaId,
  name: optStr,
  filter: z.unknown().optional(),
  product_count: optInt,
});

export interface ProductSetRecord {
  id: string;
  catalogId: string;
  name: string | null;
  filter: Json | null;
  productCount: number | null;
  raw: Json;
}

/** Parses a product set; its `filter` is a JSON string on the wire. */
export function parseProductSet(raw: unknown, ctx: { catalogId: string }): ProductSetRecord {
  const s = parseWith(productSetSchema, 'product set', raw);
  return { id: s.id, catalogId: ctx.catalogId, name: s.name ?? null, filter: jsonValue(s.filter), productCount: s.product_count ?? null, raw };
}
