import { Prisma, type Db } from './prisma-client';
import { ValidationError } from '../errors';
import { METRIC_LEVELS, type MetricLevel, type RollupGrain } from '../../domain/vocabulary';
import type { LevelRollupCounts, RollupWindow } from '../../domain/contracts/rollup';
import { addDays } from '../../domain/calendar';

/**
 * Set-based rollups: hourly → daily (grouped by the account-local day Meta reported, so time
 * zones and daylight-saving days hold by construction) and daily → monthly. One statement per
 * (level, table); each statement upserts the sums and deletes stale rollup rows of its window.
 *
 * Sources and what a rollup may touch:
 * - daily: a rollup only writes rows whose `source` is `rollup` (a `meta` row, pulled at daily
 *   grain, is the authority and is never overwritten). Daily action rows follow their parent:
 *   no rollup action row is written for a (level, entity, day) whose daily row is `meta`.
 * - monthly: additive columns and ratios are always recomputed from daily rows (additive sums of
 *   the daily authority are exact); `reach`, `frequency` and `unique_clicks` are never computed,
 *   they keep what a Meta monthly read wrote (NULL when none). `source` says where the additive
 *   columns came from: it turns `rollup` only when the sums differ from what Meta's read said.
 * - reach/frequency/unique counts are NULL on every rollup-written row: they cannot be summed.
 * A rerun over unchanged data writes nothing (`IS DISTINCT FROM` guards), so `synced_at` moves
 * only when values do.
 */

export interface RollupLevelInput {
  grain: RollupGrain;
  level: MetricLevel;
  window: RollupWindow;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Memory each rollup statement's hash aggregate may use before spilling (per level, 4 at once). */
const ROLLUP_WORK_MEM = '128MB';
/**
 * How much of a tenant's window one transaction recomputes: a month of hourly rows (daily grain,
 * ~744 rows per entity) or a year of daily rows (monthly grain, ~365 per entity). Each transaction
 * holds the (grain, level) lock that every scheduled rollup of every tenant also takes, so a long
 * window over a few accounts must never hold it for its whole length.
 */
export const ROLLUP_CHUNK = { dailyDays: 31, monthlyMonths: 12 } as const;

const NOTHING: LevelRollupCounts = { upserted: 0, deleted: 0, actionsUpserted: 0, actionsDeleted: 0 };

/**
 * The windows a rollup recomputes one transaction each, in order. A tenant's explicit window (its
 * accounts listed) is cut into bounded chunks: monthly ones on whole months, since the monthly
 * statement widens its bounds to months. A scheduled instant covers a day or a month per account
 * already, and an operator's explicit all-account window stays one statement per level.
 */
export function rollupWindowChunks(grain: RollupGrain, window: RollupWindow): RollupWindow[] {
  if ('asOf' in window || !window.adAccountIds || window.adAccountIds.length === 0) return [window];
  validateRollupWindow(window);
  const chunks: RollupWindow[] = [];
  if (grain === 'daily') {
    for (let from = window.from; from <= window.to; from = addDays(from, ROLLUP_CHUNK.dailyDays)) {
      const to = addDays(from, ROLLUP_CHUNK.dailyDays - 1);
      chunks.push({ from, to: to < window.to ? to : window.to, adAccountIds: window.adAccountIds });
    }
    return chunks;
  }
  const lastMonth = window.to.slice(0, 7);
  for (let month = window.from.slice(0, 7); month <= lastMonth; month = addMonths(month, ROLLUP_CHUNK.monthlyMonths)) {
    const endMonth = addMonths(month, ROLLUP_CHUNK.monthlyMonths - 1);
    const last = endMonth < lastMonth ? endMonth : lastMonth;
    chunks.push({ from: `${month}-01`, to: addDays(`${addMonths(last, 1)}-01`, -1), adAccountIds: window.adAccountIds });
  }
  return chunks;
}

/** `YYYY-MM` plus n months. */
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Checks a window at the edge; bad input fails without touching anything. */
export function validateRollupWindow(window: RollupWindow): void {
  if ('asOf' in window) {
    if (Number.isNaN(Date.parse(window.asOf))) throw new ValidationError(`asOf must be an ISO instant, got ${window.asOf}`);
  } else {
    if (!DATE.test(window.from) || !DATE.test(window.to)) throw new ValidationError('from and to must be local dates (YYYY-MM-DD)', { from: window.from, to: window.to });
    if (window.from > window.to) throw new ValidationError(`from (${window.from}) is after to (${window.to})`);
  }
  if (window.adAccountIds && window.adAccountIds.some((id) => !/^act_\d+$/.test(id))) throw new ValidationError('adAccountIds must look like act_<digits>');
}

/** Recomputes one level of one grain for a window, in one transaction (an empty account list touches nothing). */
export async function rollupLevel(db: Db, input: RollupLevelInput): Promise<LevelRollupCounts> {
  if (!METRIC_LEVELS.includes(input.level)) throw new ValidationError(`unknown level ${input.level}`);
  validateRollupWindow(input.window);
  if (input.window.adAccountIds?.length === 0) return { ...NOTHING };
  return db.$transaction(
    async (tx) => {
      // Serializes concurrent runs of the same grain and level (a backfill beside the live
      // schedule): overlapping upserts in different orders would otherwise deadlock.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`meta-rollup:${input.grain}:${input.level}`}))`;
      // The GROUP BY of a large window spills to disk at the default 4MB; this transaction only.
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${ROLLUP_WORK_MEM}'`);
      let zones: string[] = [];
      if ('asOf' in input.window) {
        // An unknown zone name would fail the statement for every account: leave that account out.
        const rows = await tx.$queryRaw<Array<{ tz: string }>>`SELECT DISTINCT coalesce(timezone_name, 'UTC') AS tz FROM ad_accounts`;
        zones = rows.map((row) => row.tz).filter(isKnownTimeZone);
      }
      const metrics = input.grain === 'daily' ? dailyMetricsSql(input.level, input.window, zones) : monthlyMetricsSql(input.level, input.window, zones);
      const actions = input.grain === 'daily' ? dailyActionsSql(input.level, input.window, zones) : monthlyActionsSql(input.level, input.window, zones);
      const [m] = await tx.$queryRaw<Array<{ upserted: number; deleted: number }>>(metrics);
      const [a] = await tx.$queryRaw<Array<{ upserted: number; deleted: number }>>(actions);
      return { upserted: m.upserted, deleted: m.deleted, actionsUpserted: a.upserted, actionsDeleted: a.deleted };
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}

// ───────────── windows ─────────────

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

interface WindowSql {
  /** `rollup_window AS (...),` or nothing. */
  cte: Prisma.Sql;
  /** FROM clause of the finer table aliased `alias`, restricted to the window on `dateColumn`. */
  from(table: string, alias: string, dateColumn: string): Prisma.Sql;
  /** Condition restricting rows of the target table aliased `alias` to the window on `dateColumn`. */
  where(alias: string, dateColumn: string): Prisma.Sql;
}

function accountFilter(alias: string, ids: string[] | undefined): Prisma.Sql {
  return ids ? Prisma.sql`AND ${Prisma.raw(alias)}.ad_account_id = ANY(${ids}::text[])` : Prisma.empty;
}

/**
 * Daily windows are local dates. An explicit range is a plain date filter; a scheduled instant
 * becomes one (from, to) pair of local dates per account, computed from ad_accounts.timezone_name.
 */
function windowSql(grain: RollupGrain, window: RollupWindow, zones: string[]): WindowSql {
  if ('from' in window) {
    const from = grain === 'daily' ? Prisma.sql`${window.from}::date` : Prisma.sql`date_trunc('month', ${window.from}::date)::date`;
    const to = grain === 'daily' ? Prisma.sql`${window.to}::date` : Prisma.sql`(date_trunc('month', ${window.to}::date) + interval '1 month - 1 day')::date`;
    return {
      cte: Prisma.empty,
      from: (table, alias, col) =>
        Prisma.sql`${Prisma.raw(`${table} ${alias}`)} WHERE ${Prisma.raw(`${alias}.${col}`)} BETWEEN ${from} AND ${to} ${accountFilter(alias, window.adAccountIds)}`,
      where: (alias, col) => Prisma.sql`${Prisma.raw(`${alias}.${col}`)} BETWEEN ${from} AND ${to} ${accountFilter(alias, window.adAccountIds)}`,
    };
  }
  const tz = Prisma.sql`coalesce(a.timezone_name, 'UTC')`;
  const asOf = Prisma.sql`${window.asOf}::timestamptz`;
  const bounds =
    grain === 'daily'
      ? Prisma.sql`((${asOf} - interval '1 hour') AT TIME ZONE ${tz})::date AS from_date, (${asOf} AT TIME ZONE ${tz})::date AS to_date`
      : Prisma.sql`date_trunc('month', ((${asOf} - interval '1 day') AT TIME ZONE ${tz})::date)::date AS from_date,
                   (date_trunc('month', ((${asOf} - interval '1 day') AT TIME ZONE ${tz})::date) + interval '1 month - 1 day')::date AS to_date`;
  return {
    cte: Prisma.sql`rollup_window AS MATERIALIZED (SELECT a.id AS ad_account_id, ${bounds} FROM ad_accounts a
                   WHERE coalesce(a.timezone_name, 'UTC') = ANY(${zones}::text[]) ${accountFilter('a', window.adAccountIds)}),`,
    from: (table, alias, col) =>
      Prisma.sql`rollup_window w JOIN ${Prisma.raw(`${table} ${alias}`)} ON ${Prisma.raw(`${alias}.ad_account_id = w.ad_account_id AND ${alias}.${col} BETWEEN w.from_date AND w.to_date`)} WHERE true`,
    where: (alias, col) =>
      Prisma.sql`EXISTS (SELECT 1 FROM rollup_window w WHERE ${Prisma.raw(`w.ad_account_id = ${alias}.ad_account_id AND ${alias}.${col} BETWEEN w.from_date AND w.to_date`)})`,
  };
}

// Ratios from sums, NULL when the divisor is 0; rounded to the column's scale so reruns compare equal.
const RATIOS = Prisma.raw(`
  CASE WHEN s.impressions > 0 THEN round(s.clicks::numeric * 100 / s.impressions, 6) END,
  CASE WHEN s.clicks > 0 THEN round(s.spend / s.clicks, 6) END,
  CASE WHEN s.impressions > 0 THEN round(s.spend * 1000 / s.impressions, 6) END`);

// ───────────── hourly → daily ─────────────

function dailyMetricsSql(level: MetricLevel, window: RollupWindow, zones: string[]): Prisma.Sql {
  const w = windowSql('daily', window, zones);
  return Prisma.sql`
    WITH ${w.cte}
    src AS MATERIALIZED (
      SELECT h.entity_id, h.local_date AS date, h.ad_account_id, h.campaign_id, h.adset_id,
             sum(h.spend) AS spend, sum(h.impressions)::bigint AS impressions, sum(h.clicks)::bigint AS clicks,
             sum(h.inline_link_clicks)::bigint AS inline_link_clicks
        FROM ${w.from('metrics_hourly', 'h', 'local_date')} AND h.level = ${level}
       GROUP BY h.entity_id, h.local_date, h.ad_account_id, h.campaign_id, h.adset_id
    ),
    up AS (
      INSERT INTO metrics_daily AS d (level, entity_id, date, ad_account_id, campaign_id, adset_id, spend, impressions, clicks,
                                      inline_link_clicks, unique_clicks, reach, frequency, ctr, cpc, cpm, source, synced_at)
      SELECT ${level}, s.entity_id, s.date, s.ad_account_id, s.campaign_id, s.adset_id, s.spend, s.impressions, s.clicks,
             s.inline_link_clicks, NULL, NULL, NULL, ${RATIOS}, 'rollup', now()
        FROM src s
      ON CONFLICT (level, entity_id, date) DO UPDATE
         SET ad_account_id = EXCLUDED.ad_account_id, campaign_id = EXCLUDED.campaign_id, adset_id = EXCLUDED.adset_id,
             spend = EXCLUDED.spend, impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks,
             inline_link_clicks = EXCLUDED.inline_link_clicks, unique_clicks = NULL, reach = NULL, frequency = NULL,
             ctr = EXCLUDED.ctr, cpc = EXCLUDED.cpc, cpm = EXCLUDED.cpm, synced_at = EXCLUDED.synced_at
       WHERE d.source = 'rollup'
         AND (d.ad_account_id, d.campaign_id, d.adset_id, d.spend, d.impressions, d.clicks, d.inline_link_clicks, d.ctr, d.cpc, d.cpm)
             IS DISTINCT FROM
             (EXCLUDED.ad_account_id, EXCLUDED.campaign_id, EXCLUDED.adset_id, EXCLUDED.spend, EXCLUDED.impressions, EXCLUDED.clicks,
              EXCLUDED.inline_link_clicks, EXCLUDED.ctr, EXCLUDED.cpc, EXCLUDED.cpm)
      RETURNING 1
    ),
    del AS (
      -- Rollup rows whose hourly rows are gone. Only account-days that still have hourly rows at
      -- this level: once retention has removed a day's hourly rows, its rollup rows are final.
      DELETE FROM metrics_daily d
       USING (SELECT x.entity_id, x.date FROM metrics_daily x
               WHERE x.level = ${level} AND x.source = 'rollup' AND ${w.where('x', 'date')}
              EXCEPT SELECT s.entity_id, s.date FROM src s) stale
       WHERE d.level = ${level} AND d.entity_id = stale.entity_id AND d.date = stale.date AND d.source = 'rollup'
         AND (d.ad_account_id, stale.date) IN (SELECT s.ad_account_id, s.date FROM src s)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up)::int AS upserted, (SELECT count(*) FROM del)::int AS deleted`;
}

function dailyActionsSql(level: MetricLevel, window: RollupWindow, zones: string[]): Prisma.Sql {
  const w = windowSql('daily', window, zones);
  return Prisma.sql`
    WITH ${w.cte}
    grouped AS MATERIALIZED (
      SELECT h.entity_id, h.local_date AS date, h.action_type, h.attribution_window, h.ad_account_id,
             sum(h.count) AS count, sum(h.value) AS value
        FROM ${w.from('metrics_hourly_actions', 'h', 'local_date')} AND h.level = ${level}
       GROUP BY h.entity_id, h.local_date, h.action_type, h.attribution_window, h.ad_account_id
    ),
    src AS MATERIALIZED (
      -- A day pulled from Meta at daily grain owns its action rows too.
      SELECT g.* FROM grouped g
       WHERE NOT EXISTS (SELECT 1 FROM metrics_daily d
                          WHERE d.level = ${level} AND d.entity_id = g.entity_id AND d.date = g.date AND d.source = 'meta')
    ),
    up AS (
      INSERT INTO metrics_daily_actions AS a (level, entity_id, date, action_type, attribution_window, ad_account_id, count, value, source)
      SELECT ${level}, s.entity_id, s.date, s.action_type, s.attribution_window, s.ad_account_id, s.count, s.value, 'rollup'
        FROM src s
      ON CONFLICT (level, entity_id, date, action_type, attribution_window) DO UPDATE
         SET ad_account_id = EXCLUDED.ad_account_id, count = EXCLUDED.count, value = EXCLUDED.value
       WHERE a.source = 'rollup'
         AND (a.ad_account_id, a.count, a.value) IS DISTINCT FROM (EXCLUDED.ad_account_id, EXCLUDED.count, EXCLUDED.value)
      RETURNING 1
    ),
    del AS (
      DELETE FROM metrics_daily_actions a
       USING (SELECT x.entity_id, x.date, x.action_type, x.attribution_window FROM metrics_daily_actions x
               WHERE x.level = ${level} AND x.source = 'rollup' AND ${w.where('x', 'date')}
              EXCEPT SELECT s.entity_id, s.date, s.action_type, s.attribution_window FROM src s) stale
       WHERE a.level = ${level} AND a.entity_id = stale.entity_id AND a.date = stale.date AND a.action_type = stale.action_type
         AND a.attribution_window = stale.attribution_window AND a.source = 'rollup'
         AND (a.ad_account_id, stale.date) IN (SELECT g.ad_account_id, g.date FROM grouped g)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up)::int AS upserted, (SELECT count(*) FROM del)::int AS deleted`;
}

// ───────────── daily → monthly ─────────────

function monthlyMetricsSql(level: MetricLevel, window: RollupWindow, zones: string[]): Prisma.Sql {
  const w = windowSql('monthly', window, zones);
  return Prisma.sql`
    WITH ${w.cte}
    src AS MATERIALIZED (
      SELECT d.entity_id, date_trunc('month', d.date)::date AS month, d.ad_account_id, d.campaign_id, d.adset_id,
             sum(d.spend) AS spend, sum(d.impressions)::bigint AS impressions, sum(d.clicks)::bigint AS clicks,
             sum(d.inline_link_clicks)::bigint AS inline_link_clicks
        FROM ${w.from('metrics_daily', 'd', 'date')} AND d.level = ${level}
       GROUP BY d.entity_id, date_trunc('month', d.date), d.ad_account_id, d.campaign_id, d.adset_id
    ),
    up AS (
      INSERT INTO metrics_monthly AS m (level, entity_id, month, ad_account_id, campaign_id, adset_id, spend, impressions, clicks,
                                        inline_link_clicks, unique_clicks, reach, frequency, ctr, cpc, cpm, source, synced_at)
      SELECT ${level}, s.entity_id, s.month, s.ad_account_id, s.campaign_id, s.adset_id, s.spend, s.impressions, s.clicks,
             s.inline_link_clicks, NULL, NULL, NULL, ${RATIOS}, 'rollup', now()
        FROM src s
      ON CONFLICT (level, entity_id, month) DO UPDATE
         -- reach, frequency and unique_clicks stay as a Meta monthly read left them.
         SET ad_account_id = EXCLUDED.ad_account_id, campaign_id = EXCLUDED.campaign_id, adset_id = EXCLUDED.adset_id,
             spend = EXCLUDED.spend, impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks,
             inline_link_clicks = EXCLUDED.inline_link_clicks, ctr = EXCLUDED.ctr, cpc = EXCLUDED.cpc, cpm = EXCLUDED.cpm,
             source = 'rollup', synced_at = EXCLUDED.synced_at
       WHERE (m.ad_account_id, m.campaign_id, m.adset_id, m.spend, m.impressions, m.clicks, m.inline_link_clicks, m.ctr, m.cpc, m.cpm)
             IS DISTINCT FROM
             (EXCLUDED.ad_account_id, EXCLUDED.campaign_id, EXCLUDED.adset_id, EXCLUDED.spend, EXCLUDED.impressions, EXCLUDED.clicks,
              EXCLUDED.inline_link_clicks, EXCLUDED.ctr, EXCLUDED.cpc, EXCLUDED.cpm)
      RETURNING 1
    ),
    del AS (
      DELETE FROM metrics_monthly m
       USING (SELECT x.entity_id, x.month FROM metrics_monthly x
               WHERE x.level = ${level} AND x.source = 'rollup' AND ${w.where('x', 'month')}
              EXCEPT SELECT s.entity_id, s.month FROM src s) stale
       WHERE m.level = ${level} AND m.entity_id = stale.entity_id AND m.month = stale.month AND m.source = 'rollup'
         AND (m.ad_account_id, stale.month) IN (SELECT s.ad_account_id, s.month FROM src s)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up)::int AS upserted, (SELECT count(*) FROM del)::int AS deleted`;
}

function monthlyActionsSql(level: MetricLevel, window: RollupWindow, zones: string[]): Prisma.Sql {
  const w = windowSql('monthly', window, zones);
  return Prisma.sql`
    WITH ${w.cte}
    src AS MATERIALIZED (
      SELECT d.entity_id, date_trunc('month', d.date)::date AS month, d.action_type, d.attribution_window, d.ad_account_id,
             sum(d.count) AS count, sum(d.value) AS value
        FROM ${w.from('metrics_daily_actions', 'd', 'date')} AND d.level = ${level}
       GROUP BY d.entity_id, date_trunc('month', d.date), d.action_type, d.attribution_window, d.ad_account_id
    ),
    up AS (
      INSERT INTO metrics_monthly_actions AS a (level, entity_id, month, action_type, attribution_window, ad_account_id, count, value, source)
      SELECT ${level}, s.entity_id, s.month, s.action_type, s.attribution_window, s.ad_account_id, s.count, s.value, 'rollup'
        FROM src s
      ON CONFLICT (level, entity_id, month, action_type, attribution_window) DO UPDATE
         SET ad_account_id = EXCLUDED.ad_account_id, count = EXCLUDED.count, value = EXCLUDED.value, source = 'rollup'
       WHERE (a.ad_account_id, a.count, a.value) IS DISTINCT FROM (EXCLUDED.ad_account_id, EXCLUDED.count, EXCLUDED.value)
      RETURNING 1
    ),
    del AS (
      DELETE FROM metrics_monthly_actions a
       USING (SELECT x.entity_id, x.month, x.action_type, x.attribution_window FROM metrics_monthly_actions x
               WHERE x.level = ${level} AND x.source = 'rollup' AND ${w.where('x', 'month')}
              EXCEPT SELECT s.entity_id, s.month, s.action_type, s.attribution_window FROM src s) stale
       WHERE a.level = ${level} AND a.entity_id = stale.entity_id AND a.month = stale.month AND a.action_type = stale.action_type
         AND a.attribution_window = stale.attribution_window AND a.source = 'rollup'
         AND (a.ad_account_id, stale.month) IN (SELECT s.ad_account_id, s.month FROM src s)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM up)::int AS upserted, (SELECT count(*) FROM del)::int AS deleted`;
}
