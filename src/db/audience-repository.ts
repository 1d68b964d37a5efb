/** Reads of the synced custom audiences (lookalikes included) and pixels, scoped to a company through their ad account. */
import type { Db, Prisma } from './prisma-client';

export type CustomAudienceRow = Prisma.CustomAudienceGetPayload<object>;
export type PixelRow = Prisma.PixelGetPayload<object>;

/** Filters both lists share; keyset order is by id. */
export interface AccountAssetFilter {
  companyId: string;
  adAccountId?: string;
  includeDeleted: boolean;
  afterId?: string;
  /** Page size plus one. */
  take: number;
}

function where(filter: AccountAssetFilter) {
  return {
    adAccount: { companyId: filter.companyId },
    ...(filter.adAccountId ? { adAccountId: filter.adAccountId } : {}),
    ...(filter.includeDeleted ? {} : { deletedAt: null }),
    ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
  };
}

/** Custom audiences of the company, by id, optionally of one subtype (CUSTOM, WEBSITE, LOOKALIKE...). */
export async function listCustomAudienceRows(db: Db, filter: AccountAssetFilter & { subtype?: string }): Promise<CustomAudienceRow[]> {
  return db.customAudience.findMany({ where: { ...where(filter), ...(filter.subtype ? { subtype: filter.subtype } : {}) }, orderBy: { id: 'asc' }, take: filter.take });
}

/** Pixels of the company, by id. */
export async function listPixelRows(db: Db, filter: AccountAssetFilter): Promise<PixelRow[]> {
  return db.pixel.findMany({ where: where(filter), orderBy: { id: 'asc' }, take: filter.take });
}
