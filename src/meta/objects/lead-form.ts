/** Lead form: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { jsonValue, metaId, optionalTime, parseWith } from '../wire-values';
import { idRef, type Json, missingParent, optInt, optStr, optTime } from './common';

export const LEAD_FORM_FIELDS = ['id', 'name', 'status', 'leads_count', 'questions', 'created_time', 'page'] as const;

const leadFormSchema = z.looseObject({
  id: metaId,
  name: optStr,
  status: optStr,
  leads_count: optInt,
  questions: z.unknown().optional(),
  created_time: optTime,
  page: idRef,
});

export interface LeadFormRecord {
  id: string;
  pageId: string;
  name: string | null;
  status: string | null;
  leadsCount: number | null;
  questions: Json | null;
  createdTime: Date | null;
  raw: Json;
}

/** Parses a lead form (listed under `<page>/leadgen_forms`). */
export function parseLeadForm(raw: unknown, ctx: { pageId?: string } = {}): LeadFormRecord {
  const f = parseWith(leadFormSchema, 'lead form', raw);
  const pageId = f.page?.id ?? ctx.pageId;
  if (!pageId) throw missingParent('lead form', f.id, 'page');
  return {
    id: f.id,
    pageId,
    name: f.name ?? null,
    status: f.status ?? null,
    leadsCount: f.leads_count ?? null,
    questions: jsonValue(f.questions),
    createdTime: optionalTime(f.created_time),
    raw,
  };
}
