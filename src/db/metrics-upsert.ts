import type { Db } from './prisma-client';
import type { MetricLevel } from '../../domain/vocabulary';

/**
 * Bulk upserts of metric rows read from Meta (`source = 'meta'`), for the metrics sync. One
 * statement per call: rows travel as one JSON parameter (`jsonb_to_recordset`), so a page of
 * any size is a single round trip. Money is a decimal string in major units of the account
 * currency; counters are integers (number or decimal string). Rows are keyed by their natural
 * key; a repeated row in one call keeps the last one; a replayed page changes nothing (rows are
 * only rewritten when a value differs, so `synced_at` says when values last changed).
 *
 * A daily row from Meta replaces a rollup row of the same key, and removes that day's rollup
 * action rows: from then on Meta's action rows are the day's only ones.
 */

type Count = number | string;
type Money = string;

interface MetricKeyBase {
  level: MetricLevel;
  entityId: string;
  /** "act_<n>". */
  adAccountId: string;
}

interface MetricValues {
  campaignId?: string | null;
  adsetId?: string | null;
  spend: Money;
  impressions: Count;
  clicks: Count;
  inlineLinkClicks?: Count;
}

/** Ratios and deduplicated counts Meta reports at the row's own grain. */
interface MetaOnlyValues {
  uniqueClicks?: Count | null;
  reach?: Count | null;
  frequency?: string | null;
  /** When absent, ctr/cpc/cpm are computed from the row's sums as Meta defines them. */
  ctr?: string | null;
  cpc?: string | null;
  cpm?: string | null;
}

export interface HourlyMetricRow extends MetricKeyBase, MetricValues {
  /** Start of the hour as an ISO instant. */
  bucketStart: string;
  /** The account-local day and hour Meta reported (hourly_stats_aggregated_by_advertiser_time_zone). */
  localDate: string;
  localHour: number;
}

export interface DailyMetricRow extends MetricKeyBase, MetricValues, MetaOnlyValues {
  /** Account-local day, YYYY-MM-DD. */
  date: string;
}

export interface MonthlyMetricRow extends MetricKeyBase, MetricValues, MetaOnlyValues {
  /** First day of the account-local month, YYYY-MM-01. */
  month: string;
}

interface ActionValues extends MetricKeyBase {
  actionType: string;
  /** "value" for Meta's default total, else e.g. "7d_click", "1d_view". */
  attributionWindow: string;
  count: Money;
  value?: Money | null;
}

export interface HourlyActionRow extends ActionValues {
  bucketStart: string;
  localDate: string;
}

export interface DailyActionRow extends ActionValues {
  date: string;
}

export interface MonthlyActionRow extends ActionValues {
  month: string;
}

/** Keeps the last row of each key (a page may repeat a key; one ON CONFLICT statement may not see it twice). */
export function lastPerKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}

function json(rows: readonly unknown[]): string {
  return JSON.stringify(rows);
}

export const METRIC_COLUMNS = `"level" text, "entityId" text, "adAccountId" text, "campaignId" text, "adsetId" text, "spend" numeric,
  "impressions" bigint, "clicks" bigint, "inlineLinkClicks" bigint`;
export const META_COLUMNS = `"uniqueClicks" bigint, "reach" bigint, "frequency" numeric, "ctr" numeric, "cpc" numeric, "cpm" numeric`;
export const HOURLY_COLUMNS = `"bucketStart" timestamptz, "localDate" date, "localHour" int`;
export const DAILY_COLUMNS = `"date" date`;
export const MONTHLY_COLUMNS = `"month" date`;
const RATIO_SELECT = `
  coalesce(r."ctr", CASE WHEN r."impressions" > 0 THEN round(r."clicks"::numeric * 100 / r."impressions", 6) END),
  coalesce(r."cpc", CASE WHEN r."clicks" > 0 THEN round(r."spend" / r."clicks", 6) END),
  coalesce(r."cpm", CASE WHEN r."impressions" > 0 THEN round(r."spend" * 1000 / r."impressions", 6) END)`;

/**
 * The update half of a Meta daily or monthly upsert: every column from Meta, marked `meta`, and
 * only when something changed (a replayed page writes nothing, and synced_at stays put).
 */
const META_ROW_UPDATE = `SET ad_account_id = EXCLUDED.ad_account_id, campaign_id = EXCLUDED.campaign_id, adset_id = EXCLUDED.adset_id,
           spend = EXCLUDED.spend, impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks,
           inline_link_clicks = EXCLUDED.inline_link_clicks, unique_clicks = EXCLUDED.unique_clicks, reach = EXCLUDED.reach,
           frequency = EXCLUDED.frequency, ctr = EXCLUDED.ctr, cpc = EXCLUDED.cpc, cpm = EXCLUDED.cpm, source = 'meta', synced_at = now()
     WHERE (t.ad_account_id, t.campaign_id, t.adset_id, t.spend, t.impressions, t.clicks, t.inline_link_clicks, t.unique_clicks,
            t.reach, t.frequency, t.ctr, t.cpc, t.cpm, t.source)
           IS DISTINCT FROM
           (EXCLUDED.ad_account_id, EXCLUDED.campaign_id, EXCLUDED.adset_id, EXCLUDED.spend, EXCLUDED.impressions, EXCLUDED.clicks,
            EXCLUDED.inline_link_clicks, EXCLUDED.unique_clicks, EXCLUDED.reach, EXCLUDED.frequency, EXCLUDED.ctr, EXCLUDED.cpc,
            EXCLUDED.cpm, 'meta')`;

/**
 * Plain inserts of Meta metric rows from `source` (see upsertSql), for rows whose key is known to
 * be new: a key that exists after all fails the statement with a unique violation.
 */
export const insertSql = {
  hourlyMetrics: (source: string) => `
    INSERT INTO metrics_hourly AS t (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, campaign_id, adset_id,
                                     spend, impressions, clicks, inline_link_clicks, source, synced_at)
    SELECT r."level", r."entityId", r."bucketStart", r."adAccountId", r."localDate", r."localHour", r."campaignId", r."adsetId",
           r."spend", r."impressions", r."clicks", coalesce(r."inlineLinkClicks", 0), 'meta', now()
      FROM ${source}`,

  dailyMetrics: (source: string) => `
    INSERT INTO metrics_daily AS t (level, entity_id, date, ad_account_id, campaign_id, adset_id, spend, impressions, clicks,
                                    inline_link_clicks, unique_clicks, reach, frequency, ctr, cpc, cpm, source, synced_at)
    SELECT r."level", r."entityId", r."date", r."adAccountId", r."campaignId", r."adsetId", r."spend", r."impressions", r."clicks",
           coalesce(r."inlineLinkClicks", 0), r."uniqueClicks", r."reach", r."frequency", ${RATIO_SELECT}, 'meta', now()
      FROM ${source}`,
};

/**
 * The upsert statements, each reading its rows from `source`: a FROM item aliased `r` whose
 * columns are named like the JSON rows (`jsonb_to_recordset($1::jsonb) AS r(...)` here, or a
 * staging table in metrics-page-copy.ts). Rows of `source` must be unique per key.
 */
export const upsertSql = {
  hourlyMetrics: (source: string) => `
    ${insertSql.hourlyMetrics(source)}
    ON CONFLICT (level, entity_id, bucket_start) DO UPDATE
       SET ad_account_id = EXCLUDED.ad_account_id, local_date = EXCLUDED.local_date, local_hour = EXCLUDED.local_hour,
           campaign_id = EXCLUDED.campaign_id, adset_id = EXCLUDED.adset_id, spend = EXCLUDED.spend,
           impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks, inline_link_clicks = EXCLUDED.inline_link_clicks,
           source = 'meta', synced_at = now()
     WHERE (t.ad_account_id, t.local_date, t.local_hour, t.campaign_id, t.adset_id, t.spend, t.impressions, t.clicks, t.inline_link_clicks, t.source)
           IS DISTINCT FROM
           (EXCLUDED.ad_account_id, EXCLUDED.local_date, EXCLUDED.local_hour, EXCLUDED.campaign_id, EXCLUDED.adset_id, EXCLUDED.spend,
            EXCLUDED.impressions, EXCLUDED.clicks, EXCLUDED.inline_link_clicks, 'meta')`,

  /** A rollup row of the key becomes Meta's; its rollup action rows are the caller's to remove. */
  dailyMetrics: (source: string) => `
    ${insertSql.dailyMetrics(source)}
    ON CONFLICT (level, entity_id, date) DO UPDATE
       ${META_ROW_UPDATE}`,

  monthlyMetrics: (source: string) => `
    INSERT INTO metrics_monthly AS t (level, entity_id, month, ad_account_id, campaign_id, adset_id, spend, impressions, clicks,
                                      inline_link_clicks, unique_clicks, reach, frequency, ctr, cpc, cpm, source, synced_at)
    SELECT r."level", r."entityId", date_trunc('month', r."month")::date, r."adAccountId", r."campaignId", r."adsetId", r."spend",
           r."impressions", r."clicks", coalesce(r."inlineLinkClicks", 0), r."uniqueClicks", r."reach", r."frequency",
           ${RATIO_SELECT}, 'meta', now()
      FROM ${source}
    ON CONFLICT (level, entity_id, month) DO UPDATE
       ${META_ROW_UPDATE}`,

  hourlyActions: (source: string) => `
    INSERT INTO metrics_hourly_actions AS t (level, entity_id, bucket_start, action_type, attribution_window, ad_account_id, local_date, count, value, source)
    SELECT r."level", r."entityId", r."bucketStart", r."actionType", r."attributionWindow", r."adAccountId", r."localDate", r."count", r."value", 'meta'
      FROM ${source}
    ON CONFLICT (level, entity_id, bucket_start, action_type, attribution_window) DO UPDATE
       SET ad_account_id = EXCLUDED.ad_account_id, local_date = EXCLUDED.local_date, count = EXCLUDED.count, value = EXCLUDED.value, source = 'meta'
     WHERE (t.ad_account_id, t.local_date, t.count, t.value, t.source) IS DISTINCT FROM (EXCLUDED.ad_account_id, EXCLUDED.local_date, EXCLUDED.count, EXCLUDED.value, 'meta')`,

  dailyActions: (source: string) => `
    INSERT INTO metrics_daily_actions AS t (level, entity_id, date, action_type, attribution_window, ad_account_id, count, value, source)
    SELECT r."level", r."entityId", r."date", r."actionType", r."attributionWindow", r."adAccountId", r."count", r."value", 'meta'
      FROM ${source}
    ON CONFLICT (level, entity_id, date, action_type, attribution_window) DO UPDATE
       SET ad_account_id = EXCLUDED.ad_account_id, count = EXCLUDED.count, value = EXCLUDED.value, source = 'meta'
     WHERE (t.ad_account_id, t.count, t.value, t.source) IS DISTINCT FROM (EXCLUDED.ad_account_id, EXCLUDED.count, EXCLUDED.value, 'meta')`,

  monthlyActions: (source: string) => `
    INSERT INTO metrics_monthly_actions AS t (level, entity_id, month, action_type, attribution_window, ad_account_id, count, value, source)
    SELECT r."level", r."entityId", date_trunc('month', r."month")::date, r."actionType", r."attributionWindow", r."adAccountId", r."count", r."value", 'meta'
      FROM ${source}
    ON CONFLICT (level, entity_id, month, action_type, attribution_window) DO UPDATE
       SET ad_account_id = EXCLUDED.ad_account_id, count = EXCLUDED.count, value = EXCLUDED.value, source = 'meta'
     WHERE (t.ad_account_id, t.count, t.value, t.source) IS DISTINCT FROM (EXCLUDED.ad_account_id, EXCLUDED.count, EXCLUDED.value, 'meta')`,
};

/** Natural keys of each kind of row (last row wins within one call). */
export const rowKey = {
  hourlyMetric: (r: HourlyMetricRow) => `${r.level}|${r.entityId}|${new Date(r.bucketStart).toISOString()}`,
  dailyMetric: (r: DailyMetricRow) => `${r.level}|${r.entityId}|${r.date}`,
  monthlyMetric: (r: MonthlyMetricRow) => `${r.level}|${r.entityId}|${r.month}`,
  hourlyAction: (r: HourlyActionRow) => `${r.level}|${r.entityId}|${new Date(r.bucketStart).toISOString()}|${r.actionType}|${r.attributionWindow}`,
  dailyAction: (r: DailyActionRow) => `${r.level}|${r.entityId}|${r.date}|${r.actionType}|${r.attributionWindow}`,
  monthlyAction: (r: MonthlyActionRow) => `${r.level}|${r.entityId}|${r.month}|${r.actionType}|${r.attributionWindow}`,
};

export const ACTION_COLUMNS = `"level" text, "entityId" text, "adAccountId" text, "actionType" text, "attributionWindow" text, "count" numeric, "value" numeric`;

function jsonSource(columns: string): string {
  return `jsonb_to_recordset($1::jsonb) AS r(${columns})`;
}

/** Upserts hourly rows from Meta. */
export async function upsertHourlyMetrics(db: Db, rows: readonly HourlyMetricRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(upsertSql.hourlyMetrics(jsonSource(`${METRIC_COLUMNS}, ${HOURLY_COLUMNS}`)), json(lastPerKey(rows, rowKey.hourlyMetric)));
}

/**
 * Upserts daily rows pulled from Meta at daily grain; they replace rollup rows of the same day,
 * and the day's rollup action rows go in the same statement (metrics-page-copy.ts removes them
 * with its stale action rows instead).
 */
export async function upsertDailyMetrics(db: Db, rows: readonly DailyMetricRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const [{ written }] = await db.$queryRawUnsafe<Array<{ written: number }>>(
    `WITH r AS MATERIALIZED (SELECT * FROM ${jsonSource(`${METRIC_COLUMNS}, ${META_COLUMNS}, ${DAILY_COLUMNS}`)}),
     up AS (${upsertSql.dailyMetrics('r')} RETURNING 1),
     rollup_actions AS (
       DELETE FROM metrics_daily_actions a USING r
        WHERE a.level = r."level" AND a.entity_id = r."entityId" AND a.date = r."date" AND a.source = 'rollup'
     )
     SELECT count(*)::int AS written FROM up`,
    json(lastPerKey(rows, rowKey.dailyMetric)),
  );
  return written;
}

/**
 * Upserts monthly rows from a Meta read at monthly grain (`time_increment=monthly`): the only
 * source of monthly reach, frequency and unique clicks. The monthly rollup later recomputes the
 * additive columns from daily rows and keeps these.
 */
export async function upsertMonthlyMetrics(db: Db, rows: readonly MonthlyMetricRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(upsertSql.monthlyMetrics(jsonSource(`${METRIC_COLUMNS}, ${META_COLUMNS}, ${MONTHLY_COLUMNS}`)), json(lastPerKey(rows, rowKey.monthlyMetric)));
}

/** Upserts hourly action rows from Meta. */
export async function upsertHourlyActions(db: Db, rows: readonly HourlyActionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(upsertSql.hourlyActions(jsonSource(`${ACTION_COLUMNS}, "bucketStart" timestamptz, "localDate" date`)), json(lastPerKey(rows, rowKey.hourlyAction)));
}

/** Upserts daily action rows pulled from Meta at daily grain; they replace rollup action rows. */
export async function upsertDailyActions(db: Db, rows: readonly DailyActionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(upsertSql.dailyActions(jsonSource(`${ACTION_COLUMNS}, "date" date`)), json(lastPerKey(rows, rowKey.dailyAction)));
}

/** Upserts monthly action rows from a Meta monthly read. */
export async function upsertMonthlyActions(db: Db, rows: readonly MonthlyActionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(upsertSql.monthlyActions(jsonSource(`${ACTION_COLUMNS}, "month" date`)), json(lastPerKey(rows, rowKey.monthlyAction)));
}
