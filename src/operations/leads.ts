/**
 * Reads of lead forms (`read`, with lead counts) and of their leads (`leads`: the people's
 * answers are personal data, so `read` alone does not reach them).
 */
import type { z } from 'zod';
import { findLeadFormOfCompany, listLeadFormRows, listLeadRows, type LeadFormRow, type LeadRow } from '../db/lead-repository';
import { NotFoundError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { leadFormView, leadView, listLeadFormsInput, listLeadsInput } from './schemas/leads';
import { instantRange } from './schemas/synced-assets';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, checkCursorParts, iso, jsonOrNull } from './synced-reads';
import { parseInput } from './validation';

export type LeadFormView = z.infer<typeof leadFormView>;
export type LeadView = z.infer<typeof leadView>;

function toFormView(row: LeadFormRow): LeadFormView {
  return {
    id: row.id,
    pageId: row.pageId,
    name: row.name,
    status: row.status,
    leadsCount: row.leadsCount,
    storedLeads: row._count.leads,
    questions: jsonOrNull(row.questions),
    createdTime: iso(row.createdTime),
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

/** Meta's `field_data` (`[{name, values}]`), keeping only well-formed answers. */
function fieldDataOf(value: unknown): LeadView['fieldData'] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((entry): entry is { name: string; values?: unknown } => Boolean(entry) && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string')
    .map((entry) => ({ name: entry.name, values: Array.isArray(entry.values) ? entry.values.map(String) : [] }));
}

function toLeadView(row: LeadRow): LeadView {
  return {
    id: row.id,
    formId: row.formId,
    adId: row.adId,
    adsetId: row.adsetId,
    campaignId: row.campaignId,
    isOrganic: row.isOrganic,
    platform: row.platform,
    fieldData: fieldDataOf(row.fieldData),
    createdTime: iso(row.createdTime),
    syncedAt: row.syncedAt.toISOString(),
  };
}

/** Lead forms of the pages the company's ad accounts promote (`read`), by id, with Meta's and the stored lead counts. */
export async function listLeadForms(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<LeadFormView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listLeadFormsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listLeadFormRows(ctx.db, {
    companyId: actor.companyId, adAccountId: input.adAccountId, pageId: input.pageId, status: input.status, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1,
  });
  return toPage(rows, input.limit, toFormView, (row) => ({ id: row.id }));
}

/** A form's leads (`leads` scope), newest first, created in the range when given. */
export async function listLeads(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<LeadView>> {
  requireScope(actor, Scope.Leads);
  const input = parseInput(listLeadsInput, raw);
  const before = decodeCursor(input.cursor, ['createdTime', 'id']);
  checkCursorParts(before, { createdTime: 'time' });
  const form = await findLeadFormOfCompany(ctx.db, { companyId: actor.companyId, formId: input.formId });
  if (!form) throw new NotFoundError('Lead form', input.formId);
  const rows = await listLeadRows(ctx.db, { formId: form.id, ...instantRange(input), before, take: input.limit + 1 });
  return toPage(rows, input.limit, toLeadView, (row) => ({ createdTime: (row.createdTime ?? new Date(0)).toISOString(), id: row.id }));
}
