/**
 * Reads of the synced ad creatives, each with the ads that use it (a creative can be shared by
 * many ads). Scoped to a company through the creative's ad account.
 */
import type { Db, Prisma } from './prisma-client';

export type CreativeRow = Prisma.AdCreativeGetPayload<{ include: { carouselCards: true } }>;

/** An ad that uses a creative. */
export interface CreativeAdRow {
  creativeId: string;
  id: string;
  name: string | null;
  status: string | null;
  effectiveStatus: string | null;
  adsetId: string | null;
  campaignId: string | null;
}

/** The ads of some creatives: the first `perCreative` by id of each, and how many there are. */
export interface CreativeAds {
  ads: Map<string, CreativeAdRow[]>;
  counts: Map<string, number>;
}

/** Creatives of the company (optionally one account), by id; `take` is the page size plus one. */
export async function listCreativeRows(
  db: Db,
  filter: { companyId: string; adAccountId?: string; status?: string; includeDeleted: boolean; afterId?: string; take: number },
): Promise<CreativeRow[]> {
  return db.adCreative.findMany({
    where: {
      adAccount: { companyId: filter.companyId },
      ...(filter.adAccountId ? { adAccountId: filter.adAccountId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.includeDeleted ? {} : { deletedAt: null }),
      ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
    },
    include: { carouselCards: { orderBy: { position: 'asc' } } },
    orderBy: { id: 'asc' },
    take: filter.take,
  });
}

/** A creative of the company (deleted ones too), or null. */
export async function findCreativeOfCompany(db: Db, ref: { companyId: string; id: string }): Promise<CreativeRow | null> {
  return db.adCreative.findFirst({ where: { id: ref.id, adAccount: { companyId: ref.companyId } }, include: { carouselCards: { orderBy: { position: 'asc' } } } });
}

/**
 * The ads (not deleted) of the given creatives of one company, at most `perCreative` each (by id),
 * with each creative's full count: one statement for a whole page of creatives.
 */
export async function listAdsOfCreatives(db: Db, input: { companyId: string; creativeIds: readonly string[]; perCreative: number }): Promise<CreativeAds> {
  const ads = new Map<string, CreativeAdRow[]>();
  const counts = new Map<string, number>();
  if (input.creativeIds.length === 0) return { ads, counts };
  const rows = await db.$queryRawUnsafe<Array<CreativeAdRow & { total: number }>>(
    `SELECT creative_id AS "creativeId", id, name, status, effective_status AS "effectiveStatus", adset_id AS "adsetId", campaign_id AS "campaignId", total
     FROM (
       SELECT d.*, row_number() OVER (PARTITION BY d.creative_id ORDER BY d.id) AS n, count(*) OVER (PARTITION BY d.creative_id)::int AS total
       FROM ads d JOIN ad_accounts a ON a.id = d.ad_account_id
       WHERE d.creative_id = ANY($1::text[]) AND a.company_id = $2::uuid AND d.deleted_at IS NULL
     ) ranked
     WHERE n <= $3
     ORDER BY creative_id, id`,
    [...input.creativeIds],
    input.companyId,
    input.perCreative,
  );
  for (const { total, ...ad } of rows) {
    counts.set(ad.creativeId, total);
    const list = ads.get(ad.creativeId) ?? [];
    list.push(ad);
    ads.set(ad.creativeId, list);
  }
  return { ads, counts };
}
