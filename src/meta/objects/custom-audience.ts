/** Custom audience (lookalikes included): its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { jsonValue, metaId, optionalBigInt, optionalTime, parseWith } from '../wire-values';
import { accountOf, type Json, optId, optInt, optStr, optTime, type ParseContext } from './common';

export const CUSTOM_AUDIENCE_FIELDS = [
  'id', 'account_id', 'name', 'subtype', 'description', 'approximate_count_lower_bound',
  'approximate_count_upper_bound', 'delivery_status', 'operation_status', 'retention_days', 'rule', 'lookalike_spec',
  'time_created', 'time_updated',
] as const;

const customAudienceSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  subtype: optStr,
  description: optStr,
  approximate_count_lower_bound: z.union([z.number(), z.string()]).nullish(),
  approximate_count_upper_bound: z.union([z.number(), z.string()]).nullish(),
  delivery_status: z.unknown().optional(),
  operation_status: z.unknown().optional(),
  retention_days: optInt,
  rule: z.unknown().optional(),
  lookalike_spec: z.unknown().optional(),
  time_created: optTime,
  time_updated: optTime,
});

export interface CustomAudienceRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  subtype: string | null;
  description: string | null;
  approximateCountLowerBound: bigint | null;
  approximateCountUpperBound: bigint | null;
  deliveryStatus: Json | null;
  operationStatus: Json | null;
  retentionDays: number | null;
  rule: Json | null;
  lookalikeSpec: Json | null;
  /** First origin audience of a lookalike. */
  originAudienceId: string | null;
  timeCreated: Date | null;
  timeUpdated: Date | null;
  raw: Json;
}

/** Parses a custom audience (lookalikes included); `time_*` are unix seconds on the wire. */
export function parseCustomAudience(raw: unknown, ctx: Partial<ParseContext> = {}): CustomAudienceRecord {
  const a = parseWith(customAudienceSchema, 'custom audience', raw);
  const lookalikeSpec = jsonValue(a.lookalike_spec);
  const origin = (lookalikeSpec as { origin?: Array<{ id?: unknown }> } | null)?.origin;
  const originId = Array.isArray(origin) && origin[0]?.id !== undefined ? String(origin[0].id) : null;
  return {
    id: a.id,
    adAccountId: accountOf(a.account_id, ctx, 'custom audience'),
    name: a.name ?? null,
    subtype: a.subtype ?? null,
    description: a.description ?? null,
    approximateCountLowerBound: optionalBigInt(a.approximate_count_lower_bound),
    approximateCountUpperBound: optionalBigInt(a.approximate_count_upper_bound),
    deliveryStatus: jsonValue(a.delivery_status),
    operationStatus: jsonValue(a.operation_status),
    retentionDays: a.retention_days ?? null,
    rule: jsonValue(a.rule),
    lookalikeSpec,
    originAudienceId: originId,
    timeCreated: optionalTime(a.time_created),
    timeUpdated: optionalTime(a.time_updated),
    raw,
  };
}
