/**
 * Reads of the synced Facebook pages and their Instagram accounts. A company reaches a page only
 * through an ad account of its own that can promote it (`ad_account_pages`).
 */
import type { Db, Prisma } from './prisma-client';

export type PageRow = Prisma.PageGetPayload<{ include: { adAccounts: { select: { adAccountId: true } } } }>;
export type InstagramAccountRow = Prisma.InstagramAccountGetPayload<object>;

/** The link filter: some ad account of the company (optionally a given one) promotes the page. */
export function pageReachableBy(ref: { companyId: string; adAccountId?: string }) {
  return { adAccounts: { some: { adAccount: { companyId: ref.companyId }, ...(ref.adAccountId ? { adAccountId: ref.adAccountId } : {}) } } };
}

interface PageListFilter {
  companyId: string;
  adAccountId?: string;
  includeDeleted: boolean;
  afterId?: string;
  /** Page size plus one. */
  take: number;
}

/** Pages the company's ad accounts promote, by id, each with the company's accounts that promote it. */
export async function listPageRows(db: Db, filter: PageListFilter): Promise<PageRow[]> {
  return db.page.findMany({
    where: {
      ...pageReachableBy(filter),
      ...(filter.includeDeleted ? {} : { deletedAt: null }),
      ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
    },
    include: { adAccounts: { where: { adAccount: { companyId: filter.companyId } }, select: { adAccountId: true }, orderBy: { adAccountId: 'asc' } } },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** Whether a page (deleted or not) is promoted by one of the company's ad accounts. */
export async function pageIsReachable(db: Db, ref: { companyId: string; pageId: string }): Promise<boolean> {
  return (await db.page.count({ where: { id: ref.pageId, ...pageReachableBy(ref) } })) > 0;
}

/** Instagram accounts of the pages the company's ad accounts promote (optionally one page), by id. */
export async function listInstagramAccountRows(db: Db, filter: PageListFilter & { pageId?: string }): Promise<InstagramAccountRow[]> {
  return db.instagramAccount.findMany({
    where: {
      page: pageReachableBy(filter),
      ...(filter.pageId ? { pageId: filter.pageId } : {}),
      ...(filter.includeDeleted ? {} : { deletedAt: null }),
      ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
    },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}
