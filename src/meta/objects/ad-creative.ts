/** Ad creative: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { jsonValue, metaId, parseWith } from '../wire-values';
import { accountOf, type Json, optId, optStr, type ParseContext, strOrNull } from './common';

export const AD_CREATIVE_FIELDS = [
  'id', 'account_id', 'name', 'title', 'body', 'status', 'object_story_id', 'object_story_spec', 'asset_feed_spec',
  'image_hash', 'image_url', 'video_id', 'thumbnail_url', 'call_to_action_type', 'link_url', 'url_tags',
] as const;

const adCreativeSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  title: optStr,
  body: optStr,
  status: optStr,
  object_story_id: optStr,
  object_story_spec: z.unknown().optional(),
  asset_feed_spec: z.unknown().optional(),
  image_hash: optStr,
  image_url: optStr,
  video_id: optId,
  thumbnail_url: optStr,
  call_to_action_type: optStr,
  link_url: optStr,
  url_tags: optStr,
});

/** One card of a carousel creative (`object_story_spec.link_data.child_attachments`). */
export interface CarouselCardRecord {
  position: number;
  name: string | null;
  description: string | null;
  link: string | null;
  imageHash: string | null;
  videoId: string | null;
  raw: Json;
}

export interface AdCreativeRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  title: string | null;
  body: string | null;
  status: string | null;
  objectStoryId: string | null;
  objectStorySpec: Json | null;
  assetFeedSpec: Json | null;
  imageHash: string | null;
  imageUrl: string | null;
  videoId: string | null;
  thumbnailUrl: string | null;
  callToActionType: string | null;
  linkUrl: string | null;
  urlTags: string | null;
  carouselCards: CarouselCardRecord[];
  raw: Json;
}

/** Parses a creative, including its carousel cards when it has any. */
export function parseAdCreative(raw: unknown, ctx: Partial<ParseContext> = {}): AdCreativeRecord {
  const c = parseWith(adCreativeSchema, 'ad creative', raw);
  const spec = jsonValue(c.object_story_spec);
  return {
    id: c.id,
    adAccountId: accountOf(c.account_id, ctx, 'ad creative'),
    name: c.name ?? null,
    title: c.title ?? null,
    body: c.body ?? null,
    status: c.status ?? null,
    objectStoryId: c.object_story_id ?? null,
    objectStorySpec: spec,
    assetFeedSpec: jsonValue(c.asset_feed_spec),
    imageHash: c.image_hash ?? null,
    imageUrl: c.image_url ?? null,
    videoId: c.video_id ?? null,
    thumbnailUrl: c.thumbnail_url ?? null,
    callToActionType: c.call_to_action_type ?? null,
    linkUrl: c.link_url ?? null,
    urlTags: c.url_tags ?? null,
    carouselCards: carouselCards(spec),
    raw,
  };
}

function carouselCards(spec: unknown): CarouselCardRecord[] {
  const linkData = (spec as { link_data?: { child_attachments?: unknown } } | null)?.link_data;
  const children = linkData?.child_attachments;
  if (!Array.isArray(children)) return [];
  return children.map((child: Record<string, unknown>, position) => ({
    position,
    name: strOrNull(child.name),
    description: strOrNull(child.description),
    link: strOrNull(child.link),
    imageHash: strOrNull(child.image_hash),
    videoId: strOrNull(child.video_id),
    raw: child,
  }));
}
