/**
 * Lead exports (`leads` scope): a form's leads over a time range as rows with one column per
 * question of the form, in the form's order, so a CSV of the same form always has the same
 * columns. Streamed page by page from PostgreSQL (never the whole export in memory); every export
 * is an audit event naming the token, the form and the rows it held.
 */
import type { z } from 'zod';
import { findLeadFormOfCompany, listLeadRows, type LeadKey, type LeadRow } from '../db/lead-repository';
import { NotFoundError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { decodeCursor, encodeCursor } from './paging';
import { exportLeadsInput, exportLeadsPageInput, type leadExportPageView } from './schemas/leads';
import { instantRange } from './schemas/synced-assets';
import type { ServiceContext } from './service-context';
import { checkCursorParts } from './synced-reads';
import { parseInput } from './validation';

export type LeadExportPage = z.infer<typeof leadExportPageView>;

/** The columns every export starts with. */
const FIXED_COLUMNS = ['id', 'created_time', 'form_id', 'ad_id'] as const;
/** Leads read per database round trip while streaming. */
const STREAM_PAGE = 1000;

/** An export ready to stream: its columns and its rows, newest first. */
export interface LeadExport {
  formId: string;
  columns: string[];
  rows: AsyncGenerator<Array<string | null>, void, undefined>;
}

/**
 * The question columns of a form: its questions' keys in the form's order, then any other field
 * name its stored leads answered (a question removed from the form since), by name.
 */
async function questionColumns(ctx: ServiceContext, formId: string): Promise<string[]> {
  const form = await ctx.db.leadForm.findUnique({ where: { id: formId }, select: { questions: true } });
  const keys: string[] = [];
  for (const q of Array.isArray(form?.questions) ? (form.questions as unknown[]) : []) {
    const key = q && typeof q === 'object' ? (q as { key?: unknown }).key : undefined;
    if (typeof key === 'string' && !keys.includes(key)) keys.push(key);
  }
  const answered = await ctx.db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT DISTINCT f->>'name' AS name FROM leads l, jsonb_array_elements(CASE WHEN jsonb_typeof(l.field_data) = 'array' THEN l.field_data ELSE '[]'::jsonb END) f
     WHERE l.form_id = $1 AND f->>'name' IS NOT NULL ORDER BY 1`,
    formId,
  );
  const fixed = new Set<string>(FIXED_COLUMNS);
  return [...keys, ...answered.map((r) => r.name).filter((name) => !keys.includes(name))].filter((name) => !fixed.has(name));
}

function rowOf(lead: LeadRow, questions: readonly string[]): Array<string | null> {
  const answers = new Map<string, string>();
  for (const entry of Array.isArray(lead.fieldData) ? (lead.fieldData as unknown[]) : []) {
    if (!entry || typeof entry !== 'object') continue;
    const { name, values } = entry as { name?: unknown; values?: unknown };
    if (typeof name === 'string') answers.set(name, Array.isArray(values) ? values.map(String).join('; ') : '');
  }
  return [lead.id, lead.createdTime?.toISOString() ?? null, lead.formId, lead.adId, ...questions.map((q) => answers.get(q) ?? null)];
}

async function formOf(ctx: ServiceContext, actor: Actor, formId: string): Promise<string> {
  const form = await findLeadFormOfCompany(ctx.db, { companyId: actor.companyId, formId });
  if (!form) throw new NotFoundError('Lead form', formId);
  return form.id;
}

const keyOf = (row: LeadRow): LeadKey => ({ createdTime: (row.createdTime ?? new Date(0)).toISOString(), id: row.id });

/**
 * The whole export of a form's leads in the range, for streaming (HTTP CSV or NDJSON). Checks
 * the scope, the input and the form before the first byte; the audit event (`leads.export`) is
 * written when the rows are done (or the client went away), with the number sent.
 */
export async function exportLeads(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string; format: 'csv' | 'ndjson' }): Promise<LeadExport> {
  requireScope(actor, Scope.Leads);
  const input = parseInput(exportLeadsInput, raw);
  const formId = await formOf(ctx, actor, input.formId);
  const questions = await questionColumns(ctx, formId);
  const range = instantRange(input);
  async function* rows(): AsyncGenerator<Array<string | null>, void, undefined> {
    let sent = 0;
    try {
      let before: LeadKey | undefined;
      for (;;) {
        const page = await listLeadRows(ctx.db, { formId, ...range, before, take: STREAM_PAGE });
        for (const lead of page) {
          yield rowOf(lead, questions);
          sent++;
        }
        if (page.length < STREAM_PAGE) break;
        before = keyOf(page[page.length - 1]!);
      }
    } finally {
      await recordAudit(ctx, actor, {
        action: 'leads.export', targetType: 'lead_form', targetId: formId,
        details: { rows: sent, format: meta.format, from: input.from ?? null, to: input.to ?? null }, requestId: meta.requestId,
      });
    }
  }
  return { formId, columns: [...FIXED_COLUMNS, ...questions], rows: rows() };
}

/** One page of an export as rows (MCP's `export_leads`): columns, rows aligned with them, the next cursor. Each page is audited. */
export async function exportLeadsPage(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<LeadExportPage> {
  requireScope(actor, Scope.Leads);
  const input = parseInput(exportLeadsPageInput, raw);
  const before = decodeCursor(input.cursor, ['createdTime', 'id']);
  checkCursorParts(before, { createdTime: 'time' });
  const formId = await formOf(ctx, actor, input.formId);
  const questions = await questionColumns(ctx, formId);
  const page = await listLeadRows(ctx.db, { formId, ...instantRange(input), before: before as LeadKey | undefined, take: input.limit + 1 });
  const kept = page.slice(0, input.limit);
  await recordAudit(ctx, actor, {
    action: 'leads.export', targetType: 'lead_form', targetId: formId,
    details: { rows: kept.length, format: 'rows', from: input.from ?? null, to: input.to ?? null }, requestId: meta.requestId,
  });
  return {
    columns: [...FIXED_COLUMNS, ...questions],
    rows: kept.map((lead) => rowOf(lead, questions)),
    nextCursor: page.length > input.limit ? encodeCursor(keyOf(kept[kept.length - 1]!) as unknown as Record<string, string>) : null,
  };
}
