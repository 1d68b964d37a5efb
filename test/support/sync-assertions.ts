/** Comparisons of the database with the simulator's ground truth, shared by the sync tests. */
import type { SyncHarness } from './sync-harness';

/** The database and the simulator's truth: a sync harness, or the API harness's parts. */
export type TruthSource = Pick<SyncHarness, 'database' | 'truth'>;

export interface ObjectState {
  id: string;
  status: string | null;
  effectiveStatus: string | null;
  name?: string | null;
}

/** DB rows (not soft-deleted) vs truth objects: same ids, statuses, effective statuses and names. */
export async function compareWithTruth(h: TruthSource, adAccountId: string): Promise<{ db: Record<string, ObjectState[]>; truth: Record<string, ObjectState[]>; counts: { db: Record<string, number>; truth: Record<string, number> } }> {
  const truth = await h.truth(adAccountId);
  const db = h.database.db;
  const where = { adAccountId, deletedAt: null };
  const order = { id: 'asc' as const };
  const pick = (r: { id: string; status: string | null; effectiveStatus?: string | null; name: string | null }): ObjectState => ({ id: r.id, status: r.status, effectiveStatus: r.effectiveStatus ?? null, name: r.name });
  const [campaigns, adsets, ads, creatives] = await Promise.all([
    db.campaign.findMany({ where, orderBy: order }),
    db.adSet.findMany({ where, orderBy: order }),
    db.ad.findMany({ where, orderBy: order }),
    db.adCreative.findMany({ where, orderBy: order }),
  ]);
  const t = (list: Array<{ id: string; status?: string; effective_status?: string; name?: string }>, withEffective = true): ObjectState[] =>
    [...list]
      .sort((a, b) => (a.id.length - b.id.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((o) => ({ id: o.id, status: o.status ?? null, effectiveStatus: withEffective ? o.effective_status ?? null : null, name: o.name ?? null }));
  const sortIds = (list: ObjectState[]): ObjectState[] => [...list].sort((a, b) => (a.id.length - b.id.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const business = (await db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })).businessId;
  const [customAudiences, pixels, pages, productCatalogs] = await Promise.all([
    db.customAudience.count({ where }),
    db.pixel.count({ where }),
    db.adAccountPage.count({ where: { adAccountId, page: { deletedAt: null } } }),
    db.productCatalog.count({ where: { businessId: business, deletedAt: null } }),
  ]);
  return {
    db: {
      campaigns: sortIds(campaigns.map(pick)),
      adsets: sortIds(adsets.map(pick)),
      ads: sortIds(ads.map(pick)),
      creatives: sortIds(creatives.map((c) => ({ ...pick(c), effectiveStatus: null }))),
    },
    truth: { campaigns: t(truth.objects.campaigns), adsets: t(truth.objects.adsets), ads: t(truth.objects.ads), creatives: t(truth.objects.creatives, false) },
    counts: {
      db: { campaigns: campaigns.length, adsets: adsets.length, ads: ads.length, creatives: creatives.length, customAudiences, pixels, pages, productCatalogs },
      truth: {
        campaigns: truth.counts.campaigns, adsets: truth.counts.adsets, ads: truth.counts.ads, creatives: truth.counts.creatives,
        customAudiences: truth.counts.customAudiences, pixels: truth.counts.pixels, pages: truth.counts.pages, productCatalogs: truth.counts.productCatalogs,
      },
    },
  };
}

/** Asserts the DB equals the truth for one account (objects with statuses, and counts). */
export async function expectDbEqualsTruth(h: TruthSource, adAccountId: string): Promise<void> {
  const c = await compareWithTruth(h, adAccountId);
  expect(c.counts.db).toEqual(c.counts.truth);
  expect(c.db).toEqual(c.truth);
}
