/** Catalog product: its Graph API field list, wire schema and parser to a database record. */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { metaId, parseWith } from '../wire-values';
import { type Json, optStr } from './common';

export const PRODUCT_FIELDS = ['id', 'retailer_id', 'name', 'price', 'currency', 'availability', 'url', 'image_url'] as const;

const productSchema = z.looseObject({
  id: metaId,
  retailer_id: optStr,
  name: optStr,
  price: optStr,
  currency: optStr,
  availability: optStr,
  url: optStr,
  image_url: optStr,
});

export interface ProductRecord {
  id: string;
  catalogId: string;
  retailerId: string | null;
  name: string | null;
  /** Major units; Meta formats product prices for display ("12.00 USD", "$1,234.50"). */
  price: Decimal | null;
  currency: string | null;
  availability: string | null;
  url: string | null;
  imageUrl: string | null;
  raw: Json;
}

/** Parses a catalog product; the display-formatted price is read back into a Decimal. */
export function parseProduct(raw: unknown, ctx: { catalogId: string }): ProductRecord {
  const p = parseWith(productSchema, 'product', raw);
  const { amount, currency } = parseDisplayPrice(p.price ?? null);
  return {
    id: p.id,
    catalogId: ctx.catalogId,
    retailerId: p.retailer_id ?? null,
    name: p.name ?? null,
    price: amount,
    currency: p.currency ?? currency,
    availability: p.availability ?? null,
    url: p.url ?? null,
    imageUrl: p.image_url ?? null,
    raw,
  };
}

/** "12.00 USD" / "$1,234.50" / "1234.5" → amount and (when named) currency; null when unreadable. */
function parseDisplayPrice(text: string | null): { amount: Decimal | null; currency: string | null } {
  if (!text) return { amount: null, currency: null };
  const currency = /\b([A-Z]{3})\b/.exec(text)?.[1] ?? null;
  const number = /-?\d[\d,]*(\.\d+)?/.exec(text)?.[0];
  if (!number) return { amount: null, currency };
  return { amount: new Decimal(number.replace(/,/g, '')), currency };
}
