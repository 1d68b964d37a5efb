/** Ad: its Graph API field list, wire schema and parser to a database record. */
import type Decimal from 'decimal.js';
import { z } from 'zod';
import { jsonValue, metaId, optionalTime, parseWith } from '../wire-values';
import { accountOf, type Json, minorOrNull, optId, optMinor, optStr, optTime, pick, type ParseContext } from './common';

/** `creative{id}` expands in place, so ads carry their creative id without a second call. */
export const AD_FIELDS = [
  'id', 'account_id', 'campaign_id', 'adset_id', 'name', 'status', 'configured_status', 'effective_status',
  'creative{id}', 'bid_amount', 'tracking_specs', 'issues_info', 'created_time', 'updated_time',
] as const;
/** Every ad status, for the same reason as ALL_CAMPAIGN_STATUSES. */
export const ALL_AD_STATUSES = [
  'ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO',
  'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES',
] as const;

const adSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  campaign_id: optId,
  adset_id: optId,
  name: optStr,
  status: optStr,
  configured_status: optStr,
  effective_status: optStr,
  creative: z.looseObject({ id: metaId, name: optStr }).nullish(),
  bid_amount: optMinor,
  tracking_specs: z.unknown().optional(),
  issues_info: z.unknown().optional(),
  created_time: optTime,
  updated_time: optTime,
});

export interface AdRecord {
  id: string;
  adAccountId: string;
  campaignId: string | null;
  adsetId: string | null;
  creativeId: string | null;
  name: string | null;
  status: string | null;
  configuredStatus: string | null;
  effectiveStatus: string | null;
  bidAmount: Decimal | null;
  trackingSpecs: Json | null;
  issuesInfo: Json | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses an ad; the creative id comes from the expanded `creative{id}` field. */
export function parseAd(raw: unknown, ctx: ParseContext): AdRecord {
  const a = parseWith(adSchema, 'ad', raw);
  return {
    id: a.id,
    adAccountId: accountOf(a.account_id, ctx, 'ad'),
    campaignId: a.campaign_id ?? null,
    adsetId: a.adset_id ?? null,
    creativeId: a.creative?.id ?? null,
    name: a.name ?? null,
    status: a.status ?? null,
    configuredStatus: a.configured_status ?? null,
    effectiveStatus: a.effective_status ?? null,
    bidAmount: minorOrNull(a.bid_amount, ctx.currency),
    trackingSpecs: jsonValue(a.tracking_specs),
    issuesInfo: jsonValue(a.issues_info),
    createdTime: optionalTime(a.created_time),
    updatedTime: optionalTime(a.updated_time),
    raw,
  };
}

/** Graph parameter of each change-set field an ad accepts. */
export const AD_WRITE_PARAMS = { name: 'name', status: 'status', bidAmount: 'bid_amount' } as const;

/** Create parameters of an ad from a canonical create spec: the creative by id; always PAUSED. */
export function adCreateParams(spec: Record<string, unknown>): Record<string, unknown> {
  return { ...pick(spec, { name: 'name', adsetId: 'adset_id', trackingSpecs: 'tracking_specs' }), creative: { creative_id: spec.creativeId } };
}
