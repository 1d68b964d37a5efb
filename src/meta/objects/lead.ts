/** Lead: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { looseString, metaId, optionalTime, parseWith } from '../wire-values';
import { missingParent, optId, optStr, optTime } from './common';

export const LEAD_FIELDS = [
  'id', 'created_time', 'ad_id', 'adset_id', 'campaign_id', 'form_id', 'is_organic', 'platform', 'field_data',
] as const;

const leadSchema = z.looseObject({
  id: metaId,
  created_time: optTime,
  ad_id: optId,
  adset_id: optId,
  campaign_id: optId,
  form_id: optId,
  is_organic: z.boolean().nullish(),
  platform: optStr,
  field_data: z.array(z.looseObject({ name: z.string(), values: z.array(looseString).nullish() })).nullish(),
});

export interface LeadRecord {
  id: string;
  formId: string;
  adId: string | null;
  adsetId: string | null;
  campaignId: string | null;
  isOrganic: boolean | null;
  platform: string | null;
  /** The person's answers: `[{name, values}]`. Personal data. */
  fieldData: Array<{ name: string; values: string[] }>;
  createdTime: Date | null;
}

/** Parses a lead. `raw` is deliberately not kept: the answers are personal data and live only in `fieldData`. */
export function parseLead(raw: unknown, ctx: { formId?: string } = {}): LeadRecord {
  const l = parseWith(leadSchema, 'lead', raw);
  const formId = l.form_id ?? ctx.formId;
  if (!formId) throw missingParent('lead', l.id, 'form');
  return {
    id: l.id,
    formId,
    adId: l.ad_id ?? null,
    adsetId: l.adset_id ?? null,
    campaignId: l.campaign_id ?? null,
    isOrganic: l.is_organic ?? null,
    platform: l.platform ?? null,
    fieldData: (l.field_data ?? []).map((f) => ({ name: f.name, values: f.values ?? [] })),
    createdTime: optionalTime(l.created_time),
  };
}
