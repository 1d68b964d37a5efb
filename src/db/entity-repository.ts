/**
 * Reads of the synced Meta objects (their set-based writes are in entity-upsert.ts). Every read
 * for a front is scoped to a company through the object's ad account.
 */
import type { Db, Prisma } from './prisma-client';

export type CampaignRow = Prisma.CampaignGetPayload<object>;
export type AdSetRow = Prisma.AdSetGetPayload<object>;
export type AdRow = Prisma.AdGetPayload<object>;

/** Filters every entity list shares; ids are compared as text and the keyset order is by id. */
export interface EntityListFilter {
  companyId: string;
  adAccountId?: string;
  status?: string;
  effectiveStatus?: string;
  includeDeleted?: boolean;
  /** Keyset cursor: rows with a greater id. */
  afterId?: string;
  /** Page size plus one (the extra row says whether there is a next page). */
  take: number;
}

function listWhere(filter: EntityListFilter) {
  return {
    adAccount: { companyId: filter.companyId },
    ...(filter.adAccountId ? { adAccountId: filter.adAccountId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.effectiveStatus ? { effectiveStatus: filter.effectiveStatus } : {}),
    ...(filter.includeDeleted ? {} : { deletedAt: null }),
    ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
  };
}

/** Campaigns of the company, by id. */
export async function listCampaignRows(db: Db, filter: EntityListFilter): Promise<CampaignRow[]> {
  return db.campaign.findMany({ where: listWhere(filter), orderBy: { id: 'asc' }, take: filter.take });
}

/** Ad sets of the company (optionally of one campaign), by id. */
export async function listAdSetRows(db: Db, filter: EntityListFilter & { campaignId?: string }): Promise<AdSetRow[]> {
  return db.adSet.findMany({
    where: { ...listWhere(filter), ...(filter.campaignId ? { campaignId: filter.campaignId } : {}) },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** Ads of the company (optionally of one campaign or ad set), by id. */
export async function listAdRows(db: Db, filter: EntityListFilter & { campaignId?: string; adsetId?: string }): Promise<AdRow[]> {
  return db.ad.findMany({
    where: { ...listWhere(filter), ...(filter.campaignId ? { campaignId: filter.campaignId } : {}), ...(filter.adsetId ? { adsetId: filter.adsetId } : {}) },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** A campaign of the company (deleted ones too), or null. */
export async function findCampaignOfCompany(db: Db, ref: { companyId: string; id: string }): Promise<CampaignRow | null> {
  return db.campaign.findFirst({ where: { id: ref.id, adAccount: { companyId: ref.companyId } } });
}

/** An ad set of the company (deleted ones too), or null. */
export async function findAdSetOfCompany(db: Db, ref: { companyId: string; id: string }): Promise<AdSetRow | null> {
  return db.adSet.findFirst({ where: { id: ref.id, adAccount: { companyId: ref.companyId } } });
}

/** An ad of the company (deleted ones too), or null. */
export async function findAdOfCompany(db: Db, ref: { companyId: string; id: string }): Promise<AdRow | null> {
  return db.ad.findFirst({ where: { id: ref.id, adAccount: { companyId: ref.companyId } } });
}

async function idsOf(db: Db, sql: string, adAccountId: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(sql, adAccountId);
  return rows.map((r) => r.id);
}

/** Pages the ad account promotes (not deleted), by id: the parents of lead forms and Instagram accounts. */
export async function listPageIdsOfAdAccount(db: Db, adAccountId: string): Promise<string[]> {
  return idsOf(db, `SELECT p.id FROM pages p JOIN ad_account_pages l ON l.page_id = p.id WHERE l.ad_account_id = $1 AND p.deleted_at IS NULL ORDER BY p.id`, adAccountId);
}

/** Lead forms of the ad account's pages (not deleted), by id: the parents of leads. */
export async function listLeadFormIdsOfAdAccount(db: Db, adAccountId: string): Promise<string[]> {
  return idsOf(db, `SELECT f.id FROM lead_forms f JOIN ad_account_pages l ON l.page_id = f.page_id WHERE l.ad_account_id = $1 AND f.deleted_at IS NULL ORDER BY f.id`, adAccountId);
}

/** Product catalogs of the ad account's business (not deleted), by id: the parents of feeds, products and sets. */
export async function listCatalogIdsOfAdAccount(db: Db, adAccountId: string): Promise<string[]> {
  return idsOf(db, `SELECT c.id FROM product_catalogs c JOIN ad_accounts a ON a.business_id = c.business_id WHERE a.id = $1 AND c.deleted_at IS NULL ORDER BY c.id`, adAccountId);
}
