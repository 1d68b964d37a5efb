/**
 * Insights rows: the columns the sync asks for, the wire schema and the parsers. Insights money
 * (spend, cpc, cpm) is already a decimal string in major units, counters are strings that can
 * exceed 2^53 over long ranges (bigint), and `actions`/`action_values` are flattened into one
 * record per (action type, attribution window) so the metrics tables can store them as rows.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import type { MetricLevel } from '../../../domain/vocabulary';
import { ValidationError } from '../../errors';
import { looseDecimalString, metaId, optionalBigInt, optionalDecimal, parseWith } from '../wire-values';
import { toActId } from './common';

/**
 * Insights columns the metrics tables store. Ids/names of the level's ancestors are named so a
 * row can be placed without another lookup; `reach`/`frequency` are only meaningful at the
 * row's own grain (never summed downstream).
 */
export const INSIGHTS_FIELDS = [
  'account_id', 'campaign_id', 'adset_id', 'ad_id', 'date_start', 'date_stop', 'impressions', 'clicks',
  'inline_link_clicks', 'unique_clicks', 'reach', 'frequency', 'spend', 'ctr', 'cpc', 'cpm', 'actions', 'action_values',
] as const;

/** Hourly rows: Meta omits reach/unique metrics with the hourly breakdown, so they are not asked for. */
export const HOURLY_INSIGHTS_FIELDS = [
  'account_id', 'campaign_id', 'adset_id', 'ad_id', 'date_start', 'date_stop', 'impressions', 'clicks',
  'inline_link_clicks', 'spend', 'ctr', 'cpc', 'cpm', 'actions', 'action_values',
] as const;

/** Breakdown that turns insights rows into account-local hours. */
export const HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

const actionStat = z.looseObject({ action_type: z.string() });
const optDec = looseDecimalString.nullish();

const insightsRowSchema = z.looseObject({
  account_id: metaId.nullish(),
  campaign_id: metaId.nullish(),
  adset_id: metaId.nullish(),
  ad_id: metaId.nullish(),
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  date_stop: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  impressions: optDec,
  clicks: optDec,
  inline_link_clicks: optDec,
  unique_clicks: optDec,
  reach: optDec,
  frequency: optDec,
  spend: optDec,
  ctr: optDec,
  cpc: optDec,
  cpm: optDec,
  actions: z.array(actionStat).nullish(),
  action_values: z.array(actionStat).nullish(),
  [HOURLY_BREAKDOWN]: z.string().nullish(),
});

/** One action count (and value, when `action_values` had it) for one attribution window. */
export interface ActionMetric {
  actionType: string;
  /** `value` for Meta's default total, else the window key (`7d_click`, `1d_view`, ...). */
  attributionWindow: string;
  count: Decimal;
  value?: Decimal;
  /** Other action breakdown keys on the entry (action_target_id, action_destination, ...), when requested. */
  actionBreakdowns?: Record<string, string>;
}

export interface InsightsRowRecord {
  level: MetricLevel;
  /** Id of the object the row is about, per `level` (`act_<n>` for account rows). */
  entityId: string;
  adAccountId: string | null;
  campaignId: string | null;
  adsetId: string | null;
  adId: string | null;
  /** Account-local days, kept as `YYYY-MM-DD` text: a Date would shift them by the time zone. */
  dateStart: string;
  dateStop: string;
  /** 0–23 for hourly rows (from `hourly_stats_aggregated_by_advertiser_time_zone`), else undefined. */
  localHour?: number;
  impressions: bigint;
  clicks: bigint;
  inlineLinkClicks: bigint;
  uniqueClicks: bigint | null;
  /** Deduplicated at this row's grain: never sum it. */
  reach: bigint | null;
  frequency: Decimal | null;
  spend: Decimal;
  ctr: Decimal | null;
  cpc: Decimal | null;
  cpm: Decimal | null;
  actions: ActionMetric[];
  /** Values of any requested breakdowns other than the hourly one (age, country, ...). */
  breakdowns: Record<string, string>;
}

/** Keys of an action entry that name an attribution window. */
const WINDOW_KEY = /^(value|default|dda|\d+d_(click|view|ev)|skan_[a-z0-9_]+|inline|1d_ev)$/;

/** Parses one insights row for a query at `level`; `breakdowns` names the breakdowns requested. */
export function parseInsightsRow(raw: unknown, ctx: { level: MetricLevel; breakdowns?: readonly string[] }): InsightsRowRecord {
  const r = parseWith(insightsRowSchema, 'insights row', raw);
  const adAccountId = r.account_id ? toActId(r.account_id) : null;
  const entityId = entityIdFor(ctx.level, { adAccountId, campaignId: r.campaign_id, adsetId: r.adset_id, adId: r.ad_id });
  const hourly = r[HOURLY_BREAKDOWN];
  const breakdowns: Record<string, string> = {};
  const record = raw as Record<string, unknown>;
  for (const key of ctx.breakdowns ?? []) {
    if (key === HOURLY_BREAKDOWN) continue;
    const value = record[key];
    if (value !== undefined && value !== null) breakdowns[key] = String(value);
  }
  const row: InsightsRowRecord = {
    level: ctx.level,
    entityId,
    adAccountId,
    campaignId: r.campaign_id ?? null,
    adsetId: r.adset_id ?? null,
    adId: r.ad_id ?? null,
    dateStart: r.date_start,
    dateStop: r.date_stop,
    impressions: counter(r.impressions),
    clicks: counter(r.clicks),
    inlineLinkClicks: counter(r.inline_link_clicks),
    uniqueClicks: optionalCounter(r.unique_clicks),
    reach: optionalCounter(r.reach),
    frequency: optionalDecimal(r.frequency),
    spend: optionalDecimal(r.spend) ?? new Decimal(0),
    ctr: optionalDecimal(r.ctr),
    cpc: optionalDecimal(r.cpc),
    cpm: optionalDecimal(r.cpm),
    actions: flattenActions(r.actions ?? [], r.action_values ?? []),
    breakdowns,
  };
  if (hourly) row.localHour = parseHourRange(hourly);
  return row;
}

/** "13:00:00 - 13:59:59" → 13. */
export function parseHourRange(text: string): number {
  const match = /^(\d{1,2}):00(:00)?\s*-/.exec(text.trim());
  const hour = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new ValidationError(`Meta returned an unexpected hourly bucket "${text}"`);
  }
  return hour;
}

/**
 * Flattens `actions` and `action_values` into one list. An entry's `value` key is Meta's default
 * attribution total; each window key (`7d_click`, `1d_view`, ...) is its own record. Values are
 * joined to counts by (action type, window, other breakdown keys).
 */
export function flattenActions(actions: readonly Record<string, unknown>[], actionValues: readonly Record<string, unknown>[] = []): ActionMetric[] {
  const out = new Map<string, ActionMetric>();
  const visit = (entries: readonly Record<string, unknown>[], kind: 'count' | 'value') => {
    for (const entry of entries) {
      const actionType = entry.action_type;
      if (typeof actionType !== 'string') continue;
      const extra: Record<string, string> = {};
      const windows: Array<[string, unknown]> = [];
      for (const [key, value] of Object.entries(entry)) {
        if (key === 'action_type') continue;
        if (WINDOW_KEY.test(key)) windows.push([key, value]);
        else if (value !== undefined && value !== null) extra[key] = String(value);
      }
      const extraKey = Object.keys(extra).sort().map((k) => `${k}=${extra[k]}`).join('&');
      for (const [window, value] of windows) {
        const amount = optionalDecimal(value as string | number | null | undefined);
        if (amount === null) continue;
        const key = `${actionType}\u0000${window}\u0000${extraKey}`;
        let metric = out.get(key);
        if (!metric) {
          metric = { actionType, attributionWindow: window, count: new Decimal(0) };
          if (extraKey) metric.actionBreakdowns = extra;
          out.set(key, metric);
        }
        if (kind === 'count') metric.count = amount;
        else metric.value = amount;
      }
    }
  };
  visit(actions, 'count');
  visit(actionValues, 'value');
  return [...out.values()];
}

function entityIdFor(
  level: MetricLevel,
  ids: { adAccountId: string | null; campaignId?: string | null; adsetId?: string | null; adId?: string | null },
): string {
  const id = { account: ids.adAccountId, campaign: ids.campaignId, adset: ids.adsetId, ad: ids.adId }[level];
  if (!id) throw new ValidationError(`Meta returned a ${level}-level insights row without its ${level} id; request the id field`);
  return id;
}

function counter(value: string | null | undefined): bigint {
  return optionalCounter(value) ?? 0n;
}

/** Counters are integers, but tolerate "12.0". */
function optionalCounter(value: string | null | undefined): bigint | null {
  if (value === undefined || value === null || value === '') return null;
  const d = new Decimal(value);
  return optionalBigInt(d.truncated().toFixed(0));
}

// ───────────────────────────── the hot path: rows as wire strings ─────────────────────────────

/** An insights row with numbers as canonical decimal strings (what the database takes), for bulk writes. */
export interface InsightsWireRow {
  entityId: string;
  adAccountId: string | null;
  campaignId: string | null;
  adsetId: string | null;
  dateStart: string;
  localHour?: number;
  /** Integer text. */
  impressions: string;
  clicks: string;
  inlineLinkClicks: string;
  uniqueClicks: string | null;
  reach: string | null;
  /** Decimal text, as Decimal#toFixed() writes it. */
  spend: string;
  frequency: string | null;
  ctr: string | null;
  cpc: string | null;
  cpm: string | null;
  actions: Array<{ actionType: string; attributionWindow: string; count: string; value: string | null }>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Text Decimal#toFixed() and BigInt#toString() give back unchanged: such values skip both. */
const CANONICAL_INT = /^(?:0|-?[1-9]\d*)$/;
const CANONICAL_DECIMAL = /^(?:(?:0|-?[1-9]\d*)(?:\.\d*[1-9])?|-0\.\d*[1-9])$/;

/**
 * Same result as {@link parseInsightsRow} followed by string conversion, without zod, Decimal or
 * BigInt for the shape Meta sends (string ids, canonical number strings, window-keyed action
 * entries). Anything else (numbers, exponents, extra action breakdowns, invalid values) takes
 * the full parser, so validation and its errors are the same.
 */
export function parseInsightsWireRow(raw: unknown, ctx: { level: MetricLevel; breakdowns?: readonly string[] }): InsightsWireRow {
  return fastWireRow(raw, ctx) ?? toWireRow(parseInsightsRow(raw, ctx));
}

function fastWireRow(raw: unknown, ctx: { level: MetricLevel; breakdowns?: readonly string[] }): InsightsWireRow | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  if (ctx.breakdowns?.some((b) => b !== HOURLY_BREAKDOWN)) return undefined;
  const r = raw as Record<string, unknown>;
  const accountId = optId(r.account_id);
  const campaignId = optId(r.campaign_id);
  const adsetId = optId(r.adset_id);
  const adId = optId(r.ad_id);
  if (accountId === false || campaignId === false || adsetId === false || adId === false) return undefined;
  const dateStart = r.date_start;
  const dateStop = r.date_stop;
  if (typeof dateStart !== 'string' || typeof dateStop !== 'string' || !DAY.test(dateStart) || !DAY.test(dateStop)) return undefined;
  const impressions = num(r.impressions, CANONICAL_INT);
  const clicks = num(r.clicks, CANONICAL_INT);
  const inlineLinkClicks = num(r.inline_link_clicks, CANONICAL_INT);
  const uniqueClicks = num(r.unique_clicks, CANONICAL_INT);
  const reach = num(r.reach, CANONICAL_INT);
  const spend = num(r.spend, CANONICAL_DECIMAL);
  const frequency = num(r.frequency, CANONICAL_DECIMAL);
  const ctr = num(r.ctr, CANONICAL_DECIMAL);
  const cpc = num(r.cpc, CANONICAL_DECIMAL);
  const cpm = num(r.cpm, CANONICAL_DECIMAL);
  if (impressions === false || clicks === false || inlineLinkClicks === false || uniqueClicks === false || reach === false) return undefined;
  if (spend === false || frequency === false || ctr === false || cpc === false || cpm === false) return undefined;
  const hourly = r[HOURLY_BREAKDOWN];
  if (hourly !== undefined && hourly !== null && typeof hourly !== 'string') return undefined;
  const actions = wireActions(r.actions, r.action_values);
  if (!actions) return undefined;
  const adAccountId = accountId ? toActId(accountId) : null;
  const row: InsightsWireRow = {
    entityId: entityIdFor(ctx.level, { adAccountId, campaignId, adsetId, adId }),
    adAccountId,
    campaignId,
    adsetId,
    dateStart,
    impressions: impressions ?? '0',
    clicks: clicks ?? '0',
    inlineLinkClicks: inlineLinkClicks ?? '0',
    uniqueClicks,
    reach,
    spend: spend ?? '0',
    frequency,
    ctr,
    cpc,
    cpm,
    actions,
  };
  if (hourly) row.localHour = parseHourRange(hourly);
  return row;
}

/** A Meta id as text, null when absent, false when the fast path cannot take it. */
function optId(v: unknown): string | null | false {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' && v.length > 0 ? v : false;
}

/** Canonical number text, null when absent, false when the fast path cannot take it. */
function num(v: unknown, canonical: RegExp): string | null | false {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' && canonical.test(v) ? v : false;
}

function wireActions(actions: unknown, values: unknown): InsightsWireRow['actions'] | undefined {
  // A row lists a handful of (type, window) pairs: a scan of them beats a Map keyed by a new string per entry.
  const out: InsightsWireRow['actions'] = [];
  for (const [entries, kind] of [[actions, 'count'], [values, 'value']] as const) {
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) return undefined;
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null) return undefined;
      const e = entry as Record<string, unknown>;
      const actionType = e.action_type;
      if (typeof actionType !== 'string') return undefined;
      for (const key in e) {
        if (key === 'action_type') continue;
        const v = e[key];
        if (!WINDOW_KEY.test(key)) {
          if (v === undefined || v === null) continue;
          return undefined; // another action breakdown: the full parser keeps it apart
        }
        const amount = num(v, CANONICAL_DECIMAL);
        if (amount === false) return undefined;
        if (amount === null) continue;
        let metric = out.find((m) => m.actionType === actionType && m.attributionWindow === key);
        if (!metric) {
          metric = { actionType, attributionWindow: key, count: '0', value: null };
          out.push(metric);
        }
        if (kind === 'count') metric.count = amount;
        else metric.value = amount;
      }
    }
  }
  return out;
}

function toWireRow(row: InsightsRowRecord): InsightsWireRow {
  const wire: InsightsWireRow = {
    entityId: row.entityId,
    adAccountId: row.adAccountId,
    campaignId: row.campaignId,
    adsetId: row.adsetId,
    dateStart: row.dateStart,
    impressions: row.impressions.toString(),
    clicks: row.clicks.toString(),
    inlineLinkClicks: row.inlineLinkClicks.toString(),
    uniqueClicks: row.uniqueClicks?.toString() ?? null,
    reach: row.reach?.toString() ?? null,
    spend: row.spend.toFixed(),
    frequency: row.frequency?.toFixed() ?? null,
    ctr: row.ctr?.toFixed() ?? null,
    cpc: row.cpc?.toFixed() ?? null,
    cpm: row.cpm?.toFixed() ?? null,
    actions: row.actions.map((a) => ({ actionType: a.actionType, attributionWindow: a.attributionWindow, count: a.count.toFixed(), value: a.value?.toFixed() ?? null })),
  };
  if (row.localHour !== undefined) wire.localHour = row.localHour;
  return wire;
}
