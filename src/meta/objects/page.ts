/** Facebook Page: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { metaId, parseWith } from '../wire-values';
import { idRef, type Json, optStr } from './common';

export const PAGE_FIELDS = ['id', 'name', 'category', 'business', 'instagram_business_account'] as const;

const pageSchema = z.looseObject({
  id: metaId,
  name: optStr,
  category: optStr,
  business: idRef,
  instagram_business_account: idRef,
});

export interface PageRecord {
  id: string;
  businessId: string | null;
  name: string | null;
  category: string | null;
  instagramAccountId: string | null;
  raw: Json;
}

/** Parses a Facebook Page; `ctx.businessId` fills in when the page was listed under a business. */
export function parsePage(raw: unknown, ctx: { businessId?: string } = {}): PageRecord {
  const p = parseWith(pageSchema, 'page', raw);
  return {
    id: p.id,
    businessId: p.business?.id ?? ctx.businessId ?? null,
    name: p.name ?? null,
    category: p.category ?? null,
    instagramAccountId: p.instagram_business_account?.id ?? null,
    raw,
  };
}
