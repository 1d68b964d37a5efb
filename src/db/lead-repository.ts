/**
 * Reads of the synced lead forms and their leads. A company reaches a form only through a page
 * one of its ad accounts promotes; leads hold personal data and are read only with `leads`.
 */
import { pageReachableBy } from './page-repository';
import type { Db, Prisma } from './prisma-client';

export type LeadFormRow = Prisma.LeadFormGetPayload<{ include: { _count: { select: { leads: true } } } }>;
export type LeadRow = Prisma.LeadGetPayload<object>;

/** Lead forms of the pages the company's ad accounts promote, by id, each with the number of leads stored. */
export async function listLeadFormRows(
  db: Db,
  filter: { companyId: string; adAccountId?: string; pageId?: string; status?: string; includeDeleted: boolean; afterId?: string; take: number },
): Promise<LeadFormRow[]> {
  return db.leadForm.findMany({
    where: {
      page: pageReachableBy(filter),
      ...(filter.pageId ? { pageId: filter.pageId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.includeDeleted ? {} : { deletedAt: null }),
      ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
    },
    include: { _count: { select: { leads: true } } },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** A lead form (deleted ones too) the company reaches, or null. */
export async function findLeadFormOfCompany(db: Db, ref: { companyId: string; formId: string }): Promise<{ id: string } | null> {
  return db.leadForm.findFirst({ where: { id: ref.formId, page: pageReachableBy(ref) }, select: { id: true } });
}

/** Where a page of leads starts: after this (created time, id) in newest-first order. */
export interface LeadKey {
  /** ISO instant; leads without a created time sort as the epoch (last). */
  createdTime: string;
  id: string;
}

/**
 * Leads of one form, newest first, created in [from, to) when given; keyset-paged on
 * (created time, id). `take` is the page size plus one.
 */
export async function listLeadRows(db: Db, input: { formId: string; from?: Date; to?: Date; before?: LeadKey; take: number }): Promise<LeadRow[]> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT id FROM leads
     WHERE form_id = $1
       AND ($2::timestamptz IS NULL OR created_time >= $2::timestamptz)
       AND ($3::timestamptz IS NULL OR created_time < $3::timestamptz)
       AND ($4::timestamptz IS NULL OR (COALESCE(created_time, 'epoch'::timestamptz), id) < ($4::timestamptz, $5::text))
     ORDER BY COALESCE(created_time, 'epoch'::timestamptz) DESC, id DESC
     LIMIT $6`,
    input.formId,
    input.from ?? null,
    input.to ?? null,
    input.before ? new Date(input.before.createdTime) : null,
    input.before?.id ?? null,
    input.take,
  );
  if (rows.length === 0) return [];
  const byId = new Map((await db.lead.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((row) => [row.id, row]));
  return rows.map((r) => byId.get(r.id)).filter((row): row is LeadRow => row !== undefined);
}
