/**
 * Reads of the synced product catalogs with their feeds, products and product sets. Catalogs
 * belong to a business; a company reaches those of the businesses of its own ad accounts.
 */
import type { Db, Prisma } from './prisma-client';

/** Feeds shown inline with each catalog (Meta catalogs have a handful; the feeds list pages them all). */
export const INLINE_FEEDS = 50;

export type CatalogRow = Prisma.ProductCatalogGetPayload<{ include: { feeds: true; _count: { select: { feeds: true; products: true; productSets: true } } } }>;
export type ProductFeedRow = Prisma.ProductFeedGetPayload<object>;
export type ProductRow = Prisma.ProductGetPayload<object>;
export type ProductSetRow = Prisma.ProductSetGetPayload<object>;

/** Ids of the businesses of the company's ad accounts (optionally one account). */
async function businessIdsOf(db: Db, ref: { companyId: string; adAccountId?: string }): Promise<string[]> {
  const rows = await db.adAccount.findMany({
    where: { companyId: ref.companyId, businessId: { not: null }, ...(ref.adAccountId ? { id: ref.adAccountId } : {}) },
    select: { businessId: true },
    distinct: ['businessId'],
  });
  return rows.map((row) => row.businessId!).filter(Boolean);
}

/** Catalogs of the company's businesses, by id, with their first feeds (not deleted) and the stored counts. */
export async function listCatalogRows(
  db: Db,
  filter: { companyId: string; adAccountId?: string; includeDeleted: boolean; afterId?: string; take: number },
): Promise<CatalogRow[]> {
  const businessIds = await businessIdsOf(db, filter);
  if (businessIds.length === 0) return [];
  return db.productCatalog.findMany({
    where: {
      businessId: { in: businessIds },
      ...(filter.includeDeleted ? {} : { deletedAt: null }),
      ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
    },
    include: {
      feeds: { where: { deletedAt: null }, orderBy: { id: 'asc' }, take: INLINE_FEEDS },
      _count: { select: { feeds: { where: { deletedAt: null } }, products: { where: { deletedAt: null } }, productSets: { where: { deletedAt: null } } } },
    },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** Whether a catalog (deleted or not) belongs to a business of one of the company's ad accounts. */
export async function catalogIsReachable(db: Db, ref: { companyId: string; catalogId: string }): Promise<boolean> {
  const businessIds = await businessIdsOf(db, ref);
  if (businessIds.length === 0) return false;
  return (await db.productCatalog.count({ where: { id: ref.catalogId, businessId: { in: businessIds } } })) > 0;
}

/** Filter of a catalog's children: keyset by id. */
export interface CatalogChildFilter {
  catalogId: string;
  includeDeleted: boolean;
  afterId?: string;
  /** Page size plus one. */
  take: number;
}

function childWhere(filter: CatalogChildFilter) {
  return {
    catalogId: filter.catalogId,
    ...(filter.includeDeleted ? {} : { deletedAt: null }),
    ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
  };
}

/** Feeds of one catalog, by id. */
export async function listProductFeedRows(db: Db, filter: CatalogChildFilter): Promise<ProductFeedRow[]> {
  return db.productFeed.findMany({ where: childWhere(filter), orderBy: { id: 'asc' }, take: filter.take });
}

/** Products of one catalog, by id, optionally by availability ("in stock"...) and retailer id. */
export async function listProductRows(db: Db, filter: CatalogChildFilter & { availability?: string; retailerId?: string }): Promise<ProductRow[]> {
  return db.product.findMany({
    where: { ...childWhere(filter), ...(filter.availability ? { availability: filter.availability } : {}), ...(filter.retailerId ? { retailerId: filter.retailerId } : {}) },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** Product sets of one catalog, by id. */
export async function listProductSetRows(db: Db, filter: CatalogChildFilter): Promise<ProductSetRow[]> {
  return db.productSet.findMany({ where: childWhere(filter), orderBy: { id: 'asc' }, take: filter.take });
}
