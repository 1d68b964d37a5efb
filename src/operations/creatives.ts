/** Reads of the synced ad creatives, each with the ads that use it. */
import type { z } from 'zod';
import { findCreativeOfCompany, listAdsOfCreatives, listCreativeRows, type CreativeAds, type CreativeRow } from '../db/creative-repository';
import { NotFoundError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { creativeRefInput, creativeView, listCreativesInput } from './schemas/creatives';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, iso, jsonOrNull } from './synced-reads';
import { parseInput } from './validation';

export type CreativeView = z.infer<typeof creativeView>;

/** Ads shown with each creative of a list, and with one creative read alone. */
const ADS_IN_LIST = 100;
const ADS_OF_ONE = 1000;

function toCreativeView(row: CreativeRow, ads: CreativeAds): CreativeView {
  return {
    id: row.id,
    adAccountId: row.adAccountId,
    name: row.name,
    title: row.title,
    body: row.body,
    status: row.status,
    objectStoryId: row.objectStoryId,
    objectStorySpec: jsonOrNull(row.objectStorySpec),
    assetFeedSpec: jsonOrNull(row.assetFeedSpec),
    imageHash: row.imageHash,
    imageUrl: row.imageUrl,
    videoId: row.videoId,
    thumbnailUrl: row.thumbnailUrl,
    callToActionType: row.callToActionType,
    linkUrl: row.linkUrl,
    urlTags: row.urlTags,
    carouselCards: row.carouselCards.map((card) => ({ position: card.position, name: card.name, description: card.description, link: card.link, imageHash: card.imageHash, videoId: card.videoId })),
    adCount: ads.counts.get(row.id) ?? 0,
    ads: (ads.ads.get(row.id) ?? []).map(({ creativeId: _creative, ...ad }) => ad),
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

/** Creatives of the company's ad accounts (`read`), by id, each with the ads that use it. */
export async function listCreatives(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<CreativeView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listCreativesInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listCreativeRows(ctx.db, {
    companyId: actor.companyId, adAccountId: input.adAccountId, status: input.status, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1,
  });
  const kept = rows.slice(0, input.limit);
  const ads = await listAdsOfCreatives(ctx.db, { companyId: actor.companyId, creativeIds: kept.map((row) => row.id), perCreative: ADS_IN_LIST });
  return toPage(rows, input.limit, (row) => toCreativeView(row, ads), (row) => ({ id: row.id }));
}

/** One creative of the company (`read`), deleted ones too, with the ads that use it. */
export async function getCreative(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<CreativeView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(creativeRefInput, raw);
  const row = await findCreativeOfCompany(ctx.db, { companyId: actor.companyId, id: input.id });
  if (!row) throw new NotFoundError('Creative', input.id);
  return toCreativeView(row, await listAdsOfCreatives(ctx.db, { companyId: actor.companyId, creativeIds: [row.id], perCreative: ADS_OF_ONE }));
}
