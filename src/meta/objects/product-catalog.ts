/** Product catalog: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { metaId, parseWith } from '../wire-values';
import { idRef, type Json, optInt, optStr } from './common';

export const PRODUCT_CATALOG_FIELDS = ['id', 'name', 'vertical', 'product_count', 'business'] as const;

const productCatalogSchema = z.looseObject({
  id: metaId,
  name: optStr,
  vertical: optStr,
  product_count: optInt,
  business: idRef,
});

export interface ProductCatalogRecord {
  id: string;
  businessId: string | null;
  name: string | null;
  vertical: string | null;
  productCount: number | null;
  raw: Json;
}

/** Parses a product catalog. */
export function parseProductCatalog(raw: unknown, ctx: { businessId?: string } = {}): ProductCatalogRecord {
  const c = parseWith(productCatalogSchema, 'product catalog', raw);
  return {
    id: c.id,
    businessId: c.business?.id ?? ctx.businessId ?? null,
    name: c.name ?? null,
    vertical: c.vertical ?? null,
    productCount: c.product_count ?? null,
    raw,
  };
}
