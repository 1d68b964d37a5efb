/**
 * Zod schemas for Meta's wire objects and `parse*` functions that turn them into the typed
 * records the database stores: ids as strings, object times as `Date`, budgets as `Decimal`
 * major units of the account currency, counts as bigint. Each record keeps `raw` (the object
 * as Meta sent it) so a field we do not map yet is not lost.
 *
 * Absent fields become `null` (not undefined) so a record can be written as-is by an upsert.
 * Daily/lifetime budgets of "0" and a spend cap of "0" mean "not set" on Meta and become null.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { minorToMajor } from './money';
import {
  jsonValue,
  looseDecimalString,
  looseInt,
  looseString,
  metaId,
  metaTime,
  optionalBigInt,
  optionalTime,
  parseWith,
} from './wire-values';

type Json = unknown;

/** What a parser needs beyond the object itself. */
export interface ParseContext {
  /** Account currency (ISO 4217), for minor-unit budgets. */
  currency: string;
  /** `act_<n>`; used when the object does not carry `account_id`. */
  adAccountId?: string;
}

const optStr = looseString.nullish();
const optId = metaId.nullish();
const optTime = metaTime.nullish();
const optMinor = z.union([z.string(), z.number()]).nullish();
const optInt = looseInt.nullish();
const idRef = z.looseObject({ id: metaId }).nullish();

// ───────────────────────────── ad account ─────────────────────────────

export const adAccountSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  account_status: optInt,
  disable_reason: optInt,
  currency: z.string().nullish(),
  timezone_name: optStr,
  timezone_offset_hours_utc: looseDecimalString.nullish(),
  amount_spent: optMinor,
  balance: optMinor,
  spend_cap: optMinor,
  created_time: optTime,
  business: idRef,
});

export interface AdAccountRecord {
  /** `act_<n>` */
  id: string;
  /** bare `<n>` */
  accountId: string;
  businessId: string | null;
  name: string | null;
  accountStatus: number | null;
  disableReason: number | null;
  currency: string | null;
  timezoneName: string | null;
  timezoneOffsetHours: Decimal | null;
  amountSpent: Decimal | null;
  balance: Decimal | null;
  /** null when Meta says "0" (no cap). */
  spendCap: Decimal | null;
  createdTime: Date | null;
  raw: Json;
}

/** Parses an ad account; money uses the account's own currency field. */
export function parseAdAccount(raw: unknown): AdAccountRecord {
  const a = parseWith(adAccountSchema, 'ad account', raw);
  const bare = a.account_id ?? a.id.replace(/^act_/, '');
  const currency = a.currency ?? null;
  const money = (v: string | number | null | undefined, zeroIsNull = false): Decimal | null =>
    currency ? minorOrNull(v, currency, zeroIsNull) : null;
  return {
    id: toActId(a.id),
    accountId: bare,
    businessId: a.business?.id ?? null,
    name: a.name ?? null,
    accountStatus: a.account_status ?? null,
    disableReason: a.disable_reason ?? null,
    currency,
    timezoneName: a.timezone_name ?? null,
    timezoneOffsetHours: a.timezone_offset_hours_utc == null ? null : new Decimal(a.timezone_offset_hours_utc),
    amountSpent: money(a.amount_spent),
    balance: money(a.balance),
    spendCap: money(a.spend_cap, true),
    createdTime: optionalTime(a.created_time),
    raw,
  };
}

// ───────────────────────────── campaign ─────────────────────────────

export const campaignSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  objective: optStr,
  status: optStr,
  configured_status: optStr,
  effective_status: optStr,
  buying_type: optStr,
  bid_strategy: optStr,
  daily_budget: optMinor,
  lifetime_budget: optMinor,
  budget_remaining: optMinor,
  spend_cap: optMinor,
  special_ad_categories: z.array(z.string()).nullish(),
  start_time: optTime,
  stop_time: optTime,
  created_time: optTime,
  updated_time: optTime,
});

export interface CampaignRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  objective: string | null;
  status: string | null;
  configuredStatus: string | null;
  effectiveStatus: string | null;
  buyingType: string | null;
  bidStrategy: string | null;
  dailyBudget: Decimal | null;
  lifetimeBudget: Decimal | null;
  budgetRemaining: Decimal | null;
  spendCap: Decimal | null;
  specialAdCategories: string[];
  startTime: Date | null;
  stopTime: Date | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses a campaign; budgets are minor units of `ctx.currency`. */
export function parseCampaign(raw: unknown, ctx: ParseContext): CampaignRecord {
  const c = parseWith(campaignSchema, 'campaign', raw);
  return {
    id: c.id,
    adAccountId: accountOf(c.account_id, ctx, 'campaign'),
    name: c.name ?? null,
    objective: c.objective ?? null,
    status: c.status ?? null,
    configuredStatus: c.configured_status ?? null,
    effectiveStatus: c.effective_status ?? null,
    buyingType: c.buying_type ?? null,
    bidStrategy: c.bid_strategy ?? null,
    dailyBudget: minorOrNull(c.daily_budget, ctx.currency, true),
    lifetimeBudget: minorOrNull(c.lifetime_budget, ctx.currency, true),
    budgetRemaining: minorOrNull(c.budget_remaining, ctx.currency),
    spendCap: minorOrNull(c.spend_cap, ctx.currency, true),
    specialAdCategories: c.special_ad_categories ?? [],
    startTime: optionalTime(c.start_time),
    stopTime: optionalTime(c.stop_time),
    createdTime: optionalTime(c.created_time),
    updatedTime: optionalTime(c.updated_time),
    raw,
  };
}

// ───────────────────────────── ad set ─────────────────────────────

export const adSetSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  campaign_id: optId,
  name: optStr,
  status: optStr,
  configured_status: optStr,
  effective_status: optStr,
  optimization_goal: optStr,
  billing_event: optStr,
  bid_strategy: optStr,
  bid_amount: optMinor,
  daily_budget: optMinor,
  lifetime_budget: optMinor,
  budget_remaining: optMinor,
  targeting: z.unknown().optional(),
  promoted_object: z.unknown().optional(),
  start_time: optTime,
  end_time: optTime,
  created_time: optTime,
  updated_time: optTime,
});

export interface AdSetRecord {
  id: string;
  adAccountId: string;
  campaignId: string | null;
  name: string | null;
  status: string | null;
  configuredStatus: string | null;
  effectiveStatus: string | null;
  optimizationGoal: string | null;
  billingEvent: string | null;
  bidStrategy: string | null;
  bidAmount: Decimal | null;
  dailyBudget: Decimal | null;
  lifetimeBudget: Decimal | null;
  budgetRemaining: Decimal | null;
  targeting: Json | null;
  promotedObject: Json | null;
  startTime: Date | null;
  endTime: Date | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses an ad set; budgets and bid amount are minor units of `ctx.currency`. */
export function parseAdSet(raw: unknown, ctx: ParseContext): AdSetRecord {
  const s = parseWith(adSetSchema, 'ad set', raw);
  return {
    id: s.id,
    adAccountId: accountOf(s.account_id, ctx, 'ad set'),
    campaignId: s.campaign_id ?? null,
    name: s.name ?? null,
    status: s.status ?? null,
    configuredStatus: s.configured_status ?? null,
    effectiveStatus: s.effective_status ?? null,
    optimizationGoal: s.optimization_goal ?? null,
    billingEvent: s.billing_event ?? null,
    bidStrategy: s.bid_strategy ?? null,
    bidAmount: minorOrNull(s.bid_amount, ctx.currency),
    dailyBudget: minorOrNull(s.daily_budget, ctx.currency, true),
    lifetimeBudget: minorOrNull(s.lifetime_budget, ctx.currency, true),
    budgetRemaining: minorOrNull(s.budget_remaining, ctx.currency),
    targeting: jsonValue(s.targeting),
    promotedObject: jsonValue(s.promoted_object),
    startTime: optionalTime(s.start_time),
    endTime: optionalTime(s.end_time),
    createdTime: optionalTime(s.created_time),
    updatedTime: optionalTime(s.updated_time),
    raw,
  };
}

// ───────────────────────────── ad ─────────────────────────────

export const adSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  campaign_id: optId,
  adset_id: optId,
  name: optStr,
  status: optStr,
  configured_status: optStr,
  effective_status: optStr,
  creative: z.looseObject({ id: metaId, name: optStr }).nullish(),
  bid_amount: optMinor,
  tracking_specs: z.unknown().optional(),
  issues_info: z.unknown().optional(),
  created_time: optTime,
  updated_time: optTime,
});

export interface AdRecord {
  id: string;
  adAccountId: string;
  campaignId: string | null;
  adsetId: string | null;
  creativeId: string | null;
  name: string | null;
  status: string | null;
  configuredStatus: string | null;
  effectiveStatus: string | null;
  bidAmount: Decimal | null;
  trackingSpecs: Json | null;
  issuesInfo: Json | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses an ad; the creative id comes from the expanded `creative{id}` field. */
export function parseAd(raw: unknown, ctx: ParseContext): AdRecord {
  const a = parseWith(adSchema, 'ad', raw);
  return {
    id: a.id,
    adAccountId: accountOf(a.account_id, ctx, 'ad'),
    campaignId: a.campaign_id ?? null,
    adsetId: a.adset_id ?? null,
    creativeId: a.creative?.id ?? null,
    name: a.name ?? null,
    status: a.status ?? null,
    configuredStatus: a.configured_status ?? null,
    effectiveStatus: a.effective_status ?? null,
    bidAmount: minorOrNull(a.bid_amount, ctx.currency),
    trackingSpecs: jsonValue(a.tracking_specs),
    issuesInfo: jsonValue(a.issues_info),
    createdTime: optionalTime(a.created_time),
    updatedTime: optionalTime(a.updated_time),
    raw,
  };
}

// ───────────────────────────── ad creative ─────────────────────────────

export const adCreativeSchema = z.looseObject({
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

// ───────────────────────────── custom audience ─────────────────────────────

export const customAudienceSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  subtype: optStr,
  description: optStr,
  approximate_count_lower_bound: z.union([z.number(), z.string()]).nullish(),
  approximate_count_upper_bound: z.union([z.number(), z.string()]).nullish(),
  delivery_status: z.unknown().optional(),
  operation_status: z.unknown().optional(),
  retention_days: optInt,
  rule: z.unknown().optional(),
  lookalike_spec: z.unknown().optional(),
  time_created: optTime,
  time_updated: optTime,
});

export interface CustomAudienceRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  subtype: string | null;
  description: string | null;
  approximateCountLowerBound: bigint | null;
  approximateCountUpperBound: bigint | null;
  deliveryStatus: Json | null;
  operationStatus: Json | null;
  retentionDays: number | null;
  rule: Json | null;
  lookalikeSpec: Json | null;
  /** First origin audience of a lookalike. */
  originAudienceId: string | null;
  timeCreated: Date | null;
  timeUpdated: Date | null;
  raw: Json;
}

/** Parses a custom audience (lookalikes included); `time_*` are unix seconds on the wire. */
export function parseCustomAudience(raw: unknown, ctx: Partial<ParseContext> = {}): CustomAudienceRecord {
  const a = parseWith(customAudienceSchema, 'custom audience', raw);
  const lookalikeSpec = jsonValue(a.lookalike_spec);
  const origin = (lookalikeSpec as { origin?: Array<{ id?: unknown }> } | null)?.origin;
  const originId = Array.isArray(origin) && origin[0]?.id !== undefined ? String(origin[0].id) : null;
  return {
    id: a.id,
    adAccountId: accountOf(a.account_id, ctx, 'custom audience'),
    name: a.name ?? null,
    subtype: a.subtype ?? null,
    description: a.description ?? null,
    approximateCountLowerBound: optionalBigInt(a.approximate_count_lower_bound),
    approximateCountUpperBound: optionalBigInt(a.approximate_count_upper_bound),
    deliveryStatus: jsonValue(a.delivery_status),
    operationStatus: jsonValue(a.operation_status),
    retentionDays: a.retention_days ?? null,
    rule: jsonValue(a.rule),
    lookalikeSpec,
    originAudienceId: originId,
    timeCreated: optionalTime(a.time_created),
    timeUpdated: optionalTime(a.time_updated),
    raw,
  };
}

// ───────────────────────────── pixel ─────────────────────────────

export const pixelSchema = z.looseObject({
  id: metaId,
  name: optStr,
  last_fired_time: optTime,
  creation_time: optTime,
  is_unavailable: z.boolean().nullish(),
});

export interface PixelRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  lastFiredTime: Date | null;
  creationTime: Date | null;
  isUnavailable: boolean | null;
  raw: Json;
}

/** Parses a pixel listed under `act_x/adspixels` (the account comes from the context). */
export function parsePixel(raw: unknown, ctx: { adAccountId: string }): PixelRecord {
  const p = parseWith(pixelSchema, 'pixel', raw);
  return {
    id: p.id,
    adAccountId: toActId(ctx.adAccountId),
    name: p.name ?? null,
    lastFiredTime: optionalTime(p.last_fired_time),
    creationTime: optionalTime(p.creation_time),
    isUnavailable: p.is_unavailable ?? null,
    raw,
  };
}

// ───────────────────────────── business, users, pages, instagram ─────────────────────────────

export const businessSchema = z.looseObject({ id: metaId, name: optStr, verification_status: optStr });

export interface BusinessRecord {
  id: string;
  name: string | null;
  verificationStatus: string | null;
  raw: Json;
}

/** Parses a Business Manager. */
export function parseBusiness(raw: unknown): BusinessRecord {
  const b = parseWith(businessSchema, 'business', raw);
  return { id: b.id, name: b.name ?? null, verificationStatus: b.verification_status ?? null, raw };
}

export const businessUserSchema = z.looseObject({ id: metaId, name: optStr, email: optStr, role: optStr });

export interface BusinessUserRecord {
  id: string;
  businessId: string;
  name: string | null;
  email: string | null;
  role: string | null;
  raw: Json;
}

/** Parses a business user (listed under `<business>/business_users`). */
export function parseBusinessUser(raw: unknown, ctx: { businessId: string }): BusinessUserRecord {
  const u = parseWith(businessUserSchema, 'business user', raw);
  return { id: u.id, businessId: ctx.businessId, name: u.name ?? null, email: u.email ?? null, role: u.role ?? null, raw };
}

export const pageSchema = z.looseObject({
  id: metaId,
  name: optStr,
  category: optStr,
  business: idRef,
  instagram_business_account: idRef,
});

export interface PageRecord {
  id: string;
  businessId: string | null;
  name: string | null;
  category: string | null;
  instagramAccountId: string | null;
  raw: Json;
}

/** Parses a Facebook Page; `ctx.businessId` fills in when the page was listed under a business. */
export function parsePage(raw: unknown, ctx: { businessId?: string } = {}): PageRecord {
  const p = parseWith(pageSchema, 'page', raw);
  return {
    id: p.id,
    businessId: p.business?.id ?? ctx.businessId ?? null,
    name: p.name ?? null,
    category: p.category ?? null,
    instagramAccountId: p.instagram_business_account?.id ?? null,
    raw,
  };
}

export const instagramAccountSchema = z.looseObject({ id: metaId, username: optStr });

export interface InstagramAccountRecord {
  id: string;
  pageId: string | null;
  username: string | null;
  raw: Json;
}

/** Parses an Instagram business account. */
export function parseInstagramAccount(raw: unknown, ctx: { pageId?: string } = {}): InstagramAccountRecord {
  const i = parseWith(instagramAccountSchema, 'instagram account', raw);
  return { id: i.id, pageId: ctx.pageId ?? null, username: i.username ?? null, raw };
}

// ───────────────────────────── lead forms and leads ─────────────────────────────

export const leadFormSchema = z.looseObject({
  id: metaId,
  name: optStr,
  status: optStr,
  leads_count: optInt,
  questions: z.unknown().optional(),
  created_time: optTime,
  page: idRef,
});

export interface LeadFormRecord {
  id: string;
  pageId: string;
  name: string | null;
  status: string | null;
  leadsCount: number | null;
  questions: Json | null;
  createdTime: Date | null;
  raw: Json;
}

/** Parses a lead form (listed under `<page>/leadgen_forms`). */
export function parseLeadForm(raw: unknown, ctx: { pageId?: string } = {}): LeadFormRecord {
  const f = parseWith(leadFormSchema, 'lead form', raw);
  const pageId = f.page?.id ?? ctx.pageId;
  if (!pageId) throw missingParent('lead form', f.id, 'page');
  return {
    id: f.id,
    pageId,
    name: f.name ?? null,
    status: f.status ?? null,
    leadsCount: f.leads_count ?? null,
    questions: jsonValue(f.questions),
    createdTime: optionalTime(f.created_time),
    raw,
  };
}

export const leadSchema = z.looseObject({
  id: metaId,
  created_time: optTime,
  ad_id: optId,
  adset_id: optId,
  campaign_id: optId,
  form_id: optId,
  is_organic: z.boolean().nullish(),
  platform: optStr,
  field_data: z.array(z.looseObject({ name: z.string(), values: z.array(looseString).nullish() })).nullish(),
});

export interface LeadRecord {
  id: string;
  formId: string;
  adId: string | null;
  adsetId: string | null;
  campaignId: string | null;
  isOrganic: boolean | null;
  platform: string | null;
  /** The person's answers: `[{name, values}]`. Personal data. */
  fieldData: Array<{ name: string; values: string[] }>;
  createdTime: Date | null;
}

/** Parses a lead. `raw` is deliberately not kept: the answers are personal data and live only in `fieldData`. */
export function parseLead(raw: unknown, ctx: { formId?: string } = {}): LeadRecord {
  const l = parseWith(leadSchema, 'lead', raw);
  const formId = l.form_id ?? ctx.formId;
  if (!formId) throw missingParent('lead', l.id, 'form');
  return {
    id: l.id,
    formId,
    adId: l.ad_id ?? null,
    adsetId: l.adset_id ?? null,
    campaignId: l.campaign_id ?? null,
    isOrganic: l.is_organic ?? null,
    platform: l.platform ?? null,
    fieldData: (l.field_data ?? []).map((f) => ({ name: f.name, values: f.values ?? [] })),
    createdTime: optionalTime(l.created_time),
  };
}

// ───────────────────────────── catalogs ─────────────────────────────

export const productCatalogSchema = z.looseObject({
  id: metaId,
  name: optStr,
  vertical: optStr,
  product_count: optInt,
  business: idRef,
});

export interface ProductCatalogRecord {
  id: string;
  businessId: string | null;
  name: string | null;
  vertical: string | null;
  productCount: number | null;
  raw: Json;
}

/** Parses a product catalog. */
export function parseProductCatalog(raw: unknown, ctx: { businessId?: string } = {}): ProductCatalogRecord {
  const c = parseWith(productCatalogSchema, 'product catalog', raw);
  return {
    id: c.id,
    businessId: c.business?.id ?? ctx.businessId ?? null,
    name: c.name ?? null,
    vertical: c.vertical ?? null,
    productCount: c.product_count ?? null,
    raw,
  };
}

export const productFeedSchema = z.looseObject({
  id: metaId,
  name: optStr,
  schedule: z.unknown().optional(),
  product_count: optInt,
});

export interface ProductFeedRecord {
  id: string;
  catalogId: string;
  name: string | null;
  schedule: Json | null;
  productCount: number | null;
  raw: Json;
}

/** Parses a product feed (listed under `<catalog>/product_feeds`). */
export function parseProductFeed(raw: unknown, ctx: { catalogId: string }): ProductFeedRecord {
  const f = parseWith(productFeedSchema, 'product feed', raw);
  return { id: f.id, catalogId: ctx.catalogId, name: f.name ?? null, schedule: jsonValue(f.schedule), productCount: f.product_count ?? null, raw };
}

export const productSchema = z.looseObject({
  id: metaId,
  retailer_id: optStr,
  name: optStr,
  price: optStr,
  currency: optStr,
  availability: optStr,
  url: optStr,
  image_url: optStr,
});

export interface ProductRecord {
  id: string;
  catalogId: string;
  retailerId: string | null;
  name: string | null;
  /** Major units; Meta formats product prices for display ("12.00 USD", "$1,234.50"). */
  price: Decimal | null;
  currency: string | null;
  availability: string | null;
  url: string | null;
  imageUrl: string | null;
  raw: Json;
}

/** Parses a catalog product; the display-formatted price is read back into a Decimal. */
export function parseProduct(raw: unknown, ctx: { catalogId: string }): ProductRecord {
  const p = parseWith(productSchema, 'product', raw);
  const { amount, currency } = parseDisplayPrice(p.price ?? null);
  return {
    id: p.id,
    catalogId: ctx.catalogId,
    retailerId: p.retailer_id ?? null,
    name: p.name ?? null,
    price: amount,
    currency: p.currency ?? currency,
    availability: p.availability ?? null,
    url: p.url ?? null,
    imageUrl: p.image_url ?? null,
    raw,
  };
}

/** "12.00 USD" / "$1,234.50" / "1234.5" → amount and (when named) currency; null when unreadable. */
export function parseDisplayPrice(text: string | null): { amount: Decimal | null; currency: string | null } {
  if (!text) return { amount: null, currency: null };
  const currency = /\b([A-Z]{3})\b/.exec(text)?.[1] ?? null;
  const number = /-?\d[\d,]*(\.\d+)?/.exec(text)?.[0];
  if (!number) return { amount: null, currency };
  return { amount: new Decimal(number.replace(/,/g, '')), currency };
}

export const productSetSchema = z.looseObject({
  id: metaId,
  name: optStr,
  filter: z.unknown().optional(),
  product_count: optInt,
});

export interface ProductSetRecord {
  id: string;
  catalogId: string;
  name: string | null;
  filter: Json | null;
  productCount: number | null;
  raw: Json;
}

/** Parses a product set; its `filter` is a JSON string on the wire. */
export function parseProductSet(raw: unknown, ctx: { catalogId: string }): ProductSetRecord {
  const s = parseWith(productSetSchema, 'product set', raw);
  return { id: s.id, catalogId: ctx.catalogId, name: s.name ?? null, filter: jsonValue(s.filter), productCount: s.product_count ?? null, raw };
}

// ───────────────────────────── ad rules ─────────────────────────────

export const adRuleSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  status: optStr,
  evaluation_spec: z.unknown().optional(),
  execution_spec: z.unknown().optional(),
  schedule_spec: z.unknown().optional(),
  created_by: z.unknown().optional(),
  created_time: optTime,
  updated_time: optTime,
});

export interface AdRuleRecord {
  /** Meta's rule id. */
  metaRuleId: string;
  adAccountId: string;
  name: string | null;
  status: string | null;
  evaluationSpec: Json | null;
  executionSpec: Json | null;
  scheduleSpec: Json | null;
  createdBy: string | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses a rule from `act_x/adrules_library`. */
export function parseAdRule(raw: unknown, ctx: Partial<ParseContext> = {}): AdRuleRecord {
  const r = parseWith(adRuleSchema, 'ad rule', raw);
  const createdBy = r.created_by as { id?: unknown; name?: unknown } | string | null | undefined;
  return {
    metaRuleId: r.id,
    adAccountId: accountOf(r.account_id, ctx, 'ad rule'),
    name: r.name ?? null,
    status: r.status ?? null,
    evaluationSpec: jsonValue(r.evaluation_spec),
    executionSpec: jsonValue(r.execution_spec),
    scheduleSpec: jsonValue(r.schedule_spec),
    createdBy:
      typeof createdBy === 'string' ? createdBy : createdBy?.id !== undefined ? String(createdBy.id) : createdBy?.name !== undefined ? String(createdBy.name) : null,
    createdTime: optionalTime(r.created_time),
    updatedTime: optionalTime(r.updated_time),
    raw,
  };
}

// ───────────────────────────── helpers ─────────────────────────────

/** `act_<n>` from either form. */
export function toActId(id: string): string {
  return id.startsWith('act_') ? id : `act_${id}`;
}

function accountOf(accountId: string | null | undefined, ctx: Partial<ParseContext>, what: string): string {
  if (accountId) return toActId(accountId);
  if (ctx.adAccountId) return toActId(ctx.adAccountId);
  throw missingParent(what, '?', 'ad account (no account_id field and no adAccountId in the context)');
}

function minorOrNull(value: string | number | null | undefined, currency: string, zeroIsNull = false): Decimal | null {
  if (value === undefined || value === null || value === '') return null;
  if (zeroIsNull && (value === '0' || value === 0)) return null;
  return minorToMajor(typeof value === 'number' ? String(value) : value, currency);
}

function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function missingParent(what: string, id: string, parent: string): ValidationError {
  return new ValidationError(`Meta returned a ${what} (${id}) without its ${parent}`);
}
