/** Ad rule (automated rules library): its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { jsonValue, metaId, optionalTime, parseWith } from '../wire-values';
import { accountOf, type Json, optId, optStr, optTime, type ParseContext } from './common';

export const AD_RULE_FIELDS = [
  'id', 'account_id', 'name', 'status', 'evaluation_spec', 'execution_spec', 'schedule_spec', 'created_by',
  'created_time', 'updated_time',
] as const;

const adRuleSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  status: optStr,
  evaluation_spec: z.unknown().optional(),
  execution_spec: z.unknown().optional(),
  schedule_spec: z.unknown().optional(),
  created_by: z.unknown().optional(),
  created_time: optTime,
  updated_time: optTime,
});

export interface AdRuleRecord {
  /** Meta's rule id. */
  metaRuleId: string;
  adAccountId: string;
  name: string | null;
  status: string | null;
  evaluationSpec: Json | null;
  executionSpec: Json | null;
  scheduleSpec: Json | null;
  createdBy: string | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses a rule from `act_x/adrules_library`. */
export function parseAdRule(raw: unknown, ctx: Partial<ParseContext> = {}): AdRuleRecord {
  const r = parseWith(adRuleSchema, 'ad rule', raw);
  const createdBy = r.created_by as { id?: unknown; name?: unknown } | string | null | undefined;
  return {
    metaRuleId: r.id,
    adAccountId: accountOf(r.account_id, ctx, 'ad rule'),
    name: r.name ?? null,
    status: r.status ?? null,
    evaluationSpec: jsonValue(r.evaluation_spec),
    executionSpec: jsonValue(r.execution_spec),
    scheduleSpec: jsonValue(r.schedule_spec),
    createdBy:
      typeof createdBy === 'string' ? createdBy : createdBy?.id !== undefined ? String(createdBy.id) : createdBy?.name !== undefined ? String(createdBy.name) : null,
    createdTime: optionalTime(r.created_time),
    updatedTime: optionalTime(r.updated_time),
    raw,
  };
}
