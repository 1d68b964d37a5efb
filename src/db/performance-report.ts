import { Prisma, type Db } from './prisma-client';
import type { MetricLevel } from '../../domain/vocabulary';

/**
 * Performance reports as ONE set-based, parameterised statement over the metric tables: sums per
 * object (or per time bucket) for a period and an optional comparison period, the ratios computed
 * from those sums, sorted and cut to the top N in the database, and a totals row over every
 * matching object. Only allow-listed names become SQL text (column aliases made here); every
 * value (ids, names, action types, dates) is a bound parameter.
 *
 * Where the rows come from, per period:
 * - whole past months wholly inside the period: the monthly tables, when they hold rows of that
 *   month at the level and no daily row of the month changed after them (a rollup that has not
 *   run since the last daily sync leaves the month to the daily rows);
 * - today: the hourly tables, when today has hourly rows at the level (else today's daily rows);
 * - every other day: the daily tables.
 * Reach is never summed: it is taken only from a row that covers the whole period (or bucket) by
 * itself, a daily row of a one-day period or a monthly row of a one-month period, and only when
 * one row holds it (one object); otherwise it is NULL. Results are the actions of the type the
 * object's optimization goal counts (result_action_types), at the requested attribution window;
 * a campaign's (or account's) results are its ad sets' when they all count the same thing.
 */

/** Additive and per-period columns the statement sums, chosen from what the metrics need. */
export interface ReportColumns {
  reach: boolean;
  results: boolean;
  purchases: boolean;
  purchaseValue: boolean;
  leads: boolean;
  /** Action types named by `action:`/`actionValue:`/`costPerAction:` metrics, by alias index. */
  actionTypes: string[];
}

export interface ReportPeriod {
  key: 'p' | 'c';
  from: string;
  to: string;
  /** First days of the whole past months inside the period (candidates for monthly rows). */
  months: string[];
}

export interface PerformanceQuery {
  adAccountId: string;
  level: MetricLevel;
  /** The account's local today. */
  today: string;
  periods: ReportPeriod[];
  attributionWindow: string;
  filter: { ids?: string[]; statuses?: string[]; nameContains?: string };
  columns: ReportColumns;
  /** Metric names to answer, in order (validated names only). */
  metrics: string[];
  shape: { kind: 'report'; sort: { metric: string; descending: boolean }; limit: number } | { kind: 'series'; grain: 'day' | 'week' | 'month' };
}

/** One answered row: figures as text, keyed `<metric index>_<period key>`. */
export interface ReportSqlRow {
  kind: 'row' | 'total';
  id: string | null;
  name: string | null;
  status: string | null;
  effectiveStatus: string | null;
  resultKey: string | null;
  bucket: string | null;
  objects: number;
  figures: Record<string, string | null>;
}

/** Meta's aggregated type first, then the narrower ones it includes: the first the period has counts. */
export const PURCHASE_TYPES = ['omni_purchase', 'purchase', 'offsite_conversion.fb_pixel_purchase'] as const;
export const LEAD_TYPES = ['lead', 'onsite_conversion.lead_grouped', 'offsite_conversion.fb_pixel_lead'] as const;

const sql = Prisma.sql;
const raw = Prisma.raw;
const join = Prisma.join;

/** SQL of one metric over the summed columns of period `k` of the relation aliased `r`. */
export function metricExpression(metric: string, r: string, k: string, actionTypes: readonly string[]): string {
  const c = (name: string) => `${r}.${k}_${name}`;
  const ratio = (num: string, den: string) => `round(${num} / nullif(${den}, 0), 6)`;
  switch (metric) {
    case 'spend':
    case 'impressions':
    case 'clicks':
    case 'reach':
    case 'results':
    case 'purchases':
    case 'leads':
      return c(metric);
    case 'purchaseValue':
      return c('purchase_value');
    case 'ctr':
      return ratio(`${c('clicks')}::numeric * 100`, c('impressions'));
    case 'cpc':
      return ratio(c('spend'), c('clicks'));
    case 'cpm':
      return ratio(`${c('spend')} * 1000`, c('impressions'));
    case 'frequency':
      return ratio(`${c('impressions')}::numeric`, c('reach'));
    case 'costPerResult':
      return ratio(c('spend'), c('results'));
    case 'roas':
      return ratio(c('purchase_value'), c('spend'));
    case 'costPerLead':
      return ratio(c('spend'), c('leads'));
    default: {
      const [kind, type] = [metric.slice(0, metric.indexOf(':')), metric.slice(metric.indexOf(':') + 1)];
      const i = actionTypes.indexOf(type);
      if (i < 0) throw new Error(`action type ${type} has no column`);
      if (kind === 'action') return c(`x${i}_n`);
      if (kind === 'actionValue') return c(`x${i}_v`);
      if (kind === 'costPerAction') return ratio(c('spend'), c(`x${i}_n`));
      throw new Error(`unknown metric ${metric}`);
    }
  }
}

/** The ad sets' result keys (`a:<action type>` or `m:<metric>`), from their optimization goal. */
const AD_SET_RESULTS = `SELECT s.id, s.campaign_id, s.deleted_at IS NOT NULL AS deleted,
         (SELECT coalesce('a:' || t.action_type, 'm:' || t.metric) FROM result_action_types t
           WHERE t.optimization_goal = s.optimization_goal
             AND t.custom_event_type IN (coalesce(s.promoted_object->>'custom_event_type', ''), '')
           ORDER BY t.custom_event_type DESC LIMIT 1) AS key
    FROM ad_sets s WHERE s.ad_account_id = `;
/** One key when every live ad set counts the same thing, else NULL (Ads Manager shows none). */
const SHARED_KEY = `CASE WHEN count(*) > 0 AND count(rs.key) = count(*) AND count(DISTINCT rs.key) = 1 THEN min(rs.key) END`;

function entitiesSql(q: PerformanceQuery): Prisma.Sql {
  const account = q.adAccountId;
  const results = q.columns.results;
  const conditions: Prisma.Sql[] = [];
  const x = 'x';
  if (q.filter.ids?.length) conditions.push(sql`${raw(x)}.id = ANY(${q.filter.ids}::text[])`);
  if (q.filter.statuses?.length) conditions.push(sql`${raw(x)}.effective_status = ANY(${q.filter.statuses}::text[])`);
  if (q.filter.nameContains) conditions.push(sql`strpos(lower(${raw(x)}.name), lower(${q.filter.nameContains})) > 0`);
  const where = conditions.length ? sql`AND ${join(conditions, ' AND ')}` : Prisma.empty;
  const rs = results ? sql`rs AS MATERIALIZED (${raw(AD_SET_RESULTS)}${account}),` : Prisma.empty;
  let body: Prisma.Sql;
  switch (q.level) {
    case 'ad':
      body = results
        ? sql`SELECT x.id, x.name, x.status, x.effective_status, rs.key AS result_key FROM ads x LEFT JOIN rs ON rs.id = x.adset_id WHERE x.ad_account_id = ${account} ${where}`
        : sql`SELECT x.id, x.name, x.status, x.effective_status, NULL::text AS result_key FROM ads x WHERE x.ad_account_id = ${account} ${where}`;
      break;
    case 'adset':
      body = results
        ? sql`SELECT x.id, x.name, x.status, x.effective_status, rs.key AS result_key FROM ad_sets x LEFT JOIN rs ON rs.id = x.id WHERE x.ad_account_id = ${account} ${where}`
        : sql`SELECT x.id, x.name, x.status, x.effective_status, NULL::text AS result_key FROM ad_sets x WHERE x.ad_account_id = ${account} ${where}`;
      break;
    case 'campaign':
      body = sql`SELECT x.id, x.name, x.status, x.effective_status,
                        ${results ? raw(`(SELECT ${SHARED_KEY} FROM rs WHERE rs.campaign_id = x.id AND NOT rs.deleted)`) : raw('NULL::text')} AS result_key
                   FROM campaigns x WHERE x.ad_account_id = ${account} ${where}`;
      break;
    case 'account':
      body = sql`SELECT x.id, x.name, x.account_status::text AS status, NULL::text AS effective_status,
                        ${results ? raw(`(SELECT ${SHARED_KEY} FROM rs WHERE NOT rs.deleted)`) : raw('NULL::text')} AS result_key
                   FROM (SELECT a.id, a.name, a.account_status, NULL::text AS effective_status FROM ad_accounts a WHERE a.id = ${account}) x WHERE true ${where}`;
      break;
  }
  return sql`${rs} e AS MATERIALIZED (
    SELECT y.*, CASE WHEN starts_with(y.result_key, 'a:') THEN substr(y.result_key, 3) END AS result_action_type,
           CASE WHEN starts_with(y.result_key, 'm:') THEN substr(y.result_key, 3) END AS result_metric
      FROM (${body}) y)`;
}

const hasFilter = (q: PerformanceQuery) => Boolean(q.filter.ids?.length || q.filter.statuses?.length || q.filter.nameContains);

/** Compiles a report or series query into one statement. */
export function compilePerformanceQuery(q: PerformanceQuery): Prisma.Sql {
  const series = q.shape.kind === 'series' ? q.shape.grain : null;
  const keys = q.periods.map((p) => p.key);
  const includesToday = q.periods.some((p) => p.from <= q.today && q.today <= p.to);
  const months = q.periods.flatMap((p) => p.months.map((month) => ({ key: p.key, month })));
  const actions = q.columns.results || q.columns.purchases || q.columns.purchaseValue || q.columns.leads || q.columns.actionTypes.length > 0;
  const account = q.adAccountId;
  const level = q.level;
  const filtered = hasFilter(q);

  const periods = sql`periods(key, f, t) AS (VALUES ${join(q.periods.map((p) => sql`(${p.key}, ${p.from}::date, ${p.to}::date)`), ', ')})`;
  const covered = months.length
    ? sql`covered AS MATERIALIZED (
        SELECT c.key, c.month FROM (VALUES ${join(months.map((m) => sql`(${m.key}, ${m.month}::date)`), ', ')}) c(key, month)
         WHERE EXISTS (SELECT 1 FROM metrics_monthly x WHERE x.ad_account_id = ${account} AND x.level = ${level} AND x.month = c.month)
           AND NOT EXISTS (SELECT 1 FROM metrics_daily d
                            WHERE d.ad_account_id = ${account} AND d.level = ${level} AND d.date >= c.month AND d.date < (c.month + interval '1 month')::date
                              AND d.synced_at > (SELECT max(x.synced_at) FROM metrics_monthly x WHERE x.ad_account_id = ${account} AND x.level = ${level} AND x.month = c.month)))`
    : null;
  const hourlyToday = includesToday
    ? sql`hourly_today AS MATERIALIZED (SELECT EXISTS (SELECT 1 FROM metrics_hourly h WHERE h.ad_account_id = ${account} AND h.level = ${level} AND h.local_date = ${q.today}::date) AS yes)`
    : null;

  // The bucket of a source row: one constant group for a report, the local day/week/month for a series.
  const bucket = (column: string) => raw(series === null ? `'1970-01-01'::date` : series === 'day' ? column : `date_trunc('${series}', ${column})::date`);
  const onlyEntities = (alias: string) => (filtered ? raw(`AND ${alias}.entity_id IN (SELECT id FROM e)`) : Prisma.empty);
  const dailyExclusions = (alias: string) => {
    const parts: Prisma.Sql[] = [];
    if (covered) parts.push(raw(`AND NOT EXISTS (SELECT 1 FROM covered c WHERE c.key = p.key AND c.month = date_trunc('month', ${alias}.date)::date)`));
    if (hourlyToday) parts.push(sql`AND NOT (${raw(alias)}.date = ${q.today}::date AND (SELECT yes FROM hourly_today))`);
    return parts.length ? join(parts, ' ') : Prisma.empty;
  };
  const monthEnd = (alias: string) => `(${alias}.month + interval '1 month - 1 day')::date`;

  // ── delivery rows ──
  const dailyReach = series === null ? raw('CASE WHEN p.f = p.t THEN d.reach END') : raw(series === 'day' ? 'd.reach' : 'NULL::bigint');
  const metricParts: Prisma.Sql[] = [
    sql`SELECT p.key, ${bucket('d.date')} AS g, d.entity_id, d.spend, d.impressions, d.clicks, ${dailyReach} AS reach
          FROM periods p JOIN metrics_daily d ON d.ad_account_id = ${account} AND d.level = ${level} AND d.date BETWEEN p.f AND p.t
         WHERE true ${onlyEntities('d')} ${dailyExclusions('d')}`,
  ];
  if (covered) {
    const monthlyReach = series === null ? raw(`CASE WHEN p.f = m.month AND p.t = ${monthEnd('m')} THEN m.reach END`) : raw('m.reach');
    metricParts.push(sql`SELECT p.key, ${bucket('m.month')} AS g, m.entity_id, m.spend, m.impressions, m.clicks, ${monthlyReach} AS reach
          FROM covered c JOIN periods p ON p.key = c.key
          JOIN metrics_monthly m ON m.ad_account_id = ${account} AND m.level = ${level} AND m.month = c.month
         WHERE true ${onlyEntities('m')}`);
  }
  if (hourlyToday) {
    metricParts.push(sql`SELECT p.key, ${bucket('h.local_date')} AS g, h.entity_id, h.spend, h.impressions, h.clicks, NULL::bigint AS reach
          FROM periods p JOIN metrics_hourly h ON h.ad_account_id = ${account} AND h.level = ${level} AND h.local_date = ${q.today}::date
         WHERE ${q.today}::date BETWEEN p.f AND p.t ${onlyEntities('h')}`);
  }
  const metricSums = keys.flatMap((k) => [
    `sum(u.spend) FILTER (WHERE u.key = '${k}') AS ${k}_spend`,
    `sum(u.impressions) FILTER (WHERE u.key = '${k}') AS ${k}_impressions`,
    `sum(u.clicks) FILTER (WHERE u.key = '${k}') AS ${k}_clicks`,
    // Reach only from the one row that covers the whole period (or bucket) by itself.
    `CASE WHEN count(*) FILTER (WHERE u.key = '${k}') = 1 THEN max(u.reach) FILTER (WHERE u.key = '${k}') END AS ${k}_reach`,
  ]);
  const ctes: Prisma.Sql[] = [periods];
  if (covered) ctes.push(covered);
  if (hourlyToday) ctes.push(hourlyToday);
  ctes.push(entitiesSql(q));
  ctes.push(sql`m AS (SELECT u.entity_id, u.g, ${raw(metricSums.join(', '))} FROM (${join(metricParts, ' UNION ALL ')}) u GROUP BY u.entity_id, u.g)`);

  // ── action rows ──
  const typeColumns: Array<{ alias: string; kind: 'count' | 'value'; types: readonly string[] }> = [];
  if (q.columns.purchases) typeColumns.push({ alias: 'purchases', kind: 'count', types: PURCHASE_TYPES });
  if (q.columns.purchaseValue) typeColumns.push({ alias: 'purchase_value', kind: 'value', types: PURCHASE_TYPES });
  if (q.columns.leads) typeColumns.push({ alias: 'leads', kind: 'count', types: LEAD_TYPES });
  q.columns.actionTypes.forEach((type, i) => {
    typeColumns.push({ alias: `x${i}_n`, kind: 'count', types: [type] });
    typeColumns.push({ alias: `x${i}_v`, kind: 'value', types: [type] });
  });
  if (actions) {
    const types = [...new Set(typeColumns.flatMap((c) => c.types))];
    const typeFilter = (alias: string) => {
      const alternatives: Prisma.Sql[] = [];
      if (types.length) alternatives.push(sql`${raw(alias)}.action_type = ANY(${types}::text[])`);
      if (q.columns.results) alternatives.push(raw(`${alias}.action_type IN (SELECT DISTINCT e.result_action_type FROM e WHERE e.result_action_type IS NOT NULL)`));
      return sql`(${join(alternatives, ' OR ')})`;
    };
    const w = q.attributionWindow;
    const actionParts: Prisma.Sql[] = [
      sql`SELECT p.key, ${bucket('d.date')} AS g, d.entity_id, d.action_type, d.count, d.value
            FROM periods p JOIN metrics_daily_actions d ON d.ad_account_id = ${account} AND d.level = ${level} AND d.date BETWEEN p.f AND p.t
           WHERE d.attribution_window = ${w} AND ${typeFilter('d')} ${onlyEntities('d')} ${dailyExclusions('d')}`,
    ];
    if (covered) {
      actionParts.push(sql`SELECT p.key, ${bucket('m.month')} AS g, m.entity_id, m.action_type, m.count, m.value
            FROM covered c JOIN periods p ON p.key = c.key
            JOIN metrics_monthly_actions m ON m.ad_account_id = ${account} AND m.level = ${level} AND m.month = c.month
           WHERE m.attribution_window = ${w} AND ${typeFilter('m')} ${onlyEntities('m')}`);
    }
    if (hourlyToday) {
      actionParts.push(sql`SELECT p.key, ${bucket('h.local_date')} AS g, h.entity_id, h.action_type, h.count, h.value
            FROM periods p JOIN metrics_hourly_actions h ON h.ad_account_id = ${account} AND h.level = ${level} AND h.local_date = ${q.today}::date
           WHERE ${q.today}::date BETWEEN p.f AND p.t AND h.attribution_window = ${w} AND ${typeFilter('h')} ${onlyEntities('h')}`);
    }
    const sums: Prisma.Sql[] = [];
    for (const k of keys) {
      if (q.columns.results) sums.push(raw(`sum(ua.count) FILTER (WHERE ua.key = '${k}' AND ua.action_type = e.result_action_type) AS ${k}_results`));
      for (const column of typeColumns) {
        const field = column.kind === 'count' ? 'count' : 'value';
        const each = column.types.map((type) => sql`sum(ua.${raw(field)}) FILTER (WHERE ua.key = ${k} AND ua.action_type = ${type})`);
        sums.push(sql`${each.length === 1 ? each[0]! : sql`coalesce(${join(each, ', ')})`} AS ${raw(`${k}_${column.alias}`)}`);
      }
    }
    ctes.push(sql`a AS (SELECT ua.entity_id, ua.g, ${join(sums, ', ')}
      FROM (${join(actionParts, ' UNION ALL ')}) ua ${q.columns.results ? raw('LEFT JOIN e ON e.id = ua.entity_id') : Prisma.empty}
     GROUP BY ua.entity_id, ua.g)`);
  }

  // ── one row per object (and bucket) ──
  const perColumns = keys.flatMap((k) => {
    const out = [`coalesce(m.${k}_spend, 0) AS ${k}_spend`, `coalesce(m.${k}_impressions, 0) AS ${k}_impressions`, `coalesce(m.${k}_clicks, 0) AS ${k}_clicks`, `m.${k}_reach AS ${k}_reach`];
    if (q.columns.results) {
      out.push(`CASE WHEN e.result_metric = 'impressions' THEN coalesce(m.${k}_impressions, 0)
                     WHEN e.result_metric = 'reach' THEN m.${k}_reach
                     WHEN e.result_action_type IS NOT NULL THEN coalesce(a.${k}_results, 0) END AS ${k}_results`);
    }
    for (const column of typeColumns) out.push(`coalesce(a.${k}_${column.alias}, 0) AS ${k}_${column.alias}`);
    return out;
  });
  ctes.push(sql`per AS (
    SELECT m.entity_id AS id, m.g, e.name, e.status, e.effective_status, e.result_key, ${raw(perColumns.join(', '))}
      FROM m ${raw(filtered ? 'JOIN' : 'LEFT JOIN')} e ON e.id = m.entity_id ${actions ? raw('LEFT JOIN a ON a.entity_id = m.entity_id AND a.g = m.g') : Prisma.empty})`);

  // ── sums over objects: the totals row, and a series' buckets ──
  const aggColumns = keys.flatMap((k) => {
    const out = [`sum(per.${k}_spend) AS ${k}_spend`, `sum(per.${k}_impressions) AS ${k}_impressions`, `sum(per.${k}_clicks) AS ${k}_clicks`, `CASE WHEN count(*) = 1 THEN max(per.${k}_reach) END AS ${k}_reach`];
    // Results add up only when every object counts the same thing.
    if (q.columns.results) out.push(`CASE WHEN count(DISTINCT per.result_key) = 1 AND count(per.result_key) = count(*) THEN sum(per.${k}_results) END AS ${k}_results`);
    for (const column of typeColumns) out.push(`sum(per.${k}_${column.alias}) AS ${k}_${column.alias}`);
    return out;
  });
  const figures = (r: string) => q.metrics.flatMap((metric, i) => keys.map((k) => `(${metricExpression(metric, r, k, q.columns.actionTypes)})::text AS "f${i}_${k}"`)).join(', ');

  if (q.shape.kind === 'report') {
    const { sort, limit } = q.shape;
    const order = sort.metric === 'name' ? 'per.name' : metricExpression(sort.metric, 'per', 'p', q.columns.actionTypes);
    const direction = sort.descending ? 'DESC' : 'ASC';
    ctes.push(sql`tot AS (SELECT count(*)::int AS objects, ${raw(aggColumns.join(', '))} FROM per)`);
    return sql`
      WITH ${join(ctes, ',\n')}
      SELECT * FROM (
        (SELECT 'row' AS kind, row_number() OVER (ORDER BY ${raw(order)} ${raw(direction)} NULLS LAST, per.id) AS ord,
                per.id, per.name, per.status, per.effective_status AS "effectiveStatus", per.result_key AS "resultKey", NULL::text AS bucket, 1 AS objects, ${raw(figures('per'))}
           FROM per ORDER BY ${raw(order)} ${raw(direction)} NULLS LAST, per.id LIMIT ${limit})
        UNION ALL
        (SELECT 'total', 0, NULL, NULL, NULL, NULL, NULL, NULL, tot.objects, ${raw(figures('tot'))} FROM tot)
      ) out ORDER BY out.kind, out.ord`;
  }
  ctes.push(sql`buckets AS (SELECT per.g, count(*)::int AS objects, ${raw(aggColumns.join(', '))} FROM per GROUP BY per.g)`);
  ctes.push(sql`tot AS (SELECT count(DISTINCT per.id)::int AS objects, ${raw(aggColumns.join(', '))} FROM per)`);
  return sql`
    WITH ${join(ctes, ',\n')}
    SELECT * FROM (
      (SELECT 'row' AS kind, 0 AS ord, NULL::text AS id, NULL::text AS name, NULL::text AS status, NULL::text AS "effectiveStatus", NULL::text AS "resultKey",
              buckets.g::text AS bucket, buckets.objects, ${raw(figures('buckets'))} FROM buckets)
      UNION ALL
      (SELECT 'total', 0, NULL, NULL, NULL, NULL, NULL, NULL, tot.objects, ${raw(figures('tot'))} FROM tot)
    ) out ORDER BY out.kind, out.bucket`;
}

/** Runs a compiled report: rows (top N, or buckets in order), then the totals row. */
export async function runPerformanceQuery(db: Db, q: PerformanceQuery): Promise<ReportSqlRow[]> {
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>(compilePerformanceQuery(q));
  return rows.map((row) => {
    const figures: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(row)) if (key.startsWith('f')) figures[key.slice(1)] = value === null ? null : String(value);
    return {
      kind: row.kind as 'row' | 'total',
      id: (row.id as string | null) ?? null,
      name: (row.name as string | null) ?? null,
      status: (row.status as string | null) ?? null,
      effectiveStatus: (row.effectiveStatus as string | null) ?? null,
      resultKey: (row.resultKey as string | null) ?? null,
      bucket: (row.bucket as string | null) ?? null,
      objects: Number(row.objects),
      figures,
    };
  });
}
