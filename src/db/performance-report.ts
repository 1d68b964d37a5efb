import { Prisma, type Db } from './prisma-client';
import type { MetricLevel } from '../../domain/vocabulary';

/**
 * Performance reports as one set-based, parameterised statement over the metric tables (after a
 * small probe of which rows can answer, see probeReportSources): sums per
 * object (or per time bucket) for a period and an optional comparison period, the ratios computed
 * from those sums, sorted and cut to the top N in the database, and a totals row over every
 * matching object. Only allow-listed names become SQL text (column aliases made here); every
 * value (ids, names, action types, dates) is a bound parameter.
 *
 * Where the rows come from, per period (the probe decides, the statement reads plain date ranges):
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

/** What the probe found: which candidate months the monthly rows cover, and whether today has hourly rows. */
export interface ReportSources {
  coveredMonths: string[];
  hourlyToday: boolean;
}

/**
 * Which stored rows answer a query: the candidate months (whole past months of the periods) that
 * the monthly tables cover at the level, fresh (no daily row of the month changed after the
 * monthly rows), and whether today has hourly rows. One small statement on the tables' indexes,
 * so the report's own statement reads plain date ranges the planner can estimate.
 */
export async function probeReportSources(db: Db, q: { adAccountId: string; level: MetricLevel; today: string; months: string[]; includesToday: boolean }): Promise<ReportSources> {
  if (q.months.length === 0 && !q.includesToday) return { coveredMonths: [], hourlyToday: false };
  const [row] = await db.$queryRaw<Array<{ months: string[] | null; hourly: boolean }>>`
    SELECT ARRAY(
             SELECT c.month::text FROM unnest(${q.months}::date[]) AS c(month)
              WHERE EXISTS (SELECT 1 FROM metrics_monthly x WHERE x.ad_account_id = ${q.adAccountId} AND x.level = ${q.level} AND x.month = c.month)
                AND NOT EXISTS (SELECT 1 FROM metrics_daily d
                                 WHERE d.ad_account_id = ${q.adAccountId} AND d.level = ${q.level} AND d.date >= c.month AND d.date < (c.month + interval '1 month')::date
                                   AND d.synced_at > (SELECT max(x.synced_at) FROM metrics_monthly x WHERE x.ad_account_id = ${q.adAccountId} AND x.level = ${q.level} AND x.month = c.month))
              ORDER BY 1) AS months,
           ${q.includesToday} AND EXISTS (SELECT 1 FROM metrics_hourly h WHERE h.ad_account_id = ${q.adAccountId} AND h.level = ${q.level} AND h.local_date = ${q.today}::date) AS hourly`;
  return { coveredMonths: row?.months ?? [], hourlyToday: row?.hourly ?? false };
}

/** Where one period's rows come from: daily day ranges, covered months, today's hours. */
interface PeriodSources {
  key: 'p' | 'c';
  daily: Array<{ from: string; to: string }>;
  monthly: string[];
  hourly: boolean;
  /** Whether a daily (monthly) row's reach covers the whole period or bucket by itself. */
  dailyReach: boolean;
  monthlyReach: boolean;
}

function dayAfter(day: string, n = 1): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function monthEndOf(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** Splits each period into the day ranges daily rows answer, the months monthly rows answer, and today. */
export function planSources(q: PerformanceQuery, sources: ReportSources): PeriodSources[] {
  const grain = q.shape.kind === 'series' ? q.shape.grain : null;
  return q.periods.map((p) => {
    const monthly = p.months.filter((m) => sources.coveredMonths.includes(m));
    const hourly = sources.hourlyToday && p.from <= q.today && q.today <= p.to;
    // Days not answered elsewhere, as ranges between the covered months and around today.
    const holes = [...monthly.map((m) => ({ from: m, to: monthEndOf(m) })), ...(hourly ? [{ from: q.today, to: q.today }] : [])].sort((a, b) => (a.from < b.from ? -1 : 1));
    const daily: Array<{ from: string; to: string }> = [];
    let cursor = p.from;
    for (const hole of holes) {
      if (cursor < hole.from) daily.push({ from: cursor, to: dayAfter(hole.from, -1) });
      cursor = dayAfter(hole.to);
    }
    if (cursor <= p.to) daily.push({ from: cursor, to: p.to });
    const wholeMonth = monthly.length === 1 && p.from === monthly[0] && p.to === monthEndOf(monthly[0]!);
    return {
      key: p.key,
      daily,
      monthly,
      hourly,
      dailyReach: grain === null ? p.from === p.to : grain === 'day',
      monthlyReach: grain === null ? wholeMonth : grain === 'month',
    };
  });
}

/** Compiles a report or series query into one statement, reading the rows `sources` names. */
export function compilePerformanceQuery(q: PerformanceQuery, sources: ReportSources = { coveredMonths: [], hourlyToday: false }): Prisma.Sql {
  const series = q.shape.kind === 'series' ? q.shape.grain : null;
  const keys = q.periods.map((p) => p.key);
  const plan = planSources(q, sources);
  const actions = q.columns.results || q.columns.purchases || q.columns.purchaseValue || q.columns.leads || q.columns.actionTypes.length > 0;
  const account = q.adAccountId;
  const level = q.level;
  const filtered = hasFilter(q);

  // The bucket of a source row: one constant group for a report, the local day/week/month for a series.
  const bucket = (column: string) => raw(series === null ? `'1970-01-01'::date` : series === 'day' ? column : `date_trunc('${series}', ${column})::date`);
  const onlyEntities = (alias: string) => (filtered ? raw(`AND ${alias}.entity_id IN (SELECT id FROM e)`) : Prisma.empty);
  const ranges = (alias: string, column: string, list: Array<{ from: string; to: string }>) =>
    sql`(${join(list.map((r) => sql`${raw(`${alias}.${column}`)} BETWEEN ${r.from}::date AND ${r.to}::date`), ' OR ')})`;

  /** One branch per source of each period: daily ranges, covered months, today's hours. */
  const branches = (tables: { daily: string; monthly: string; hourly: string }, columns: (alias: string, reach: boolean) => string, where: (alias: string) => Prisma.Sql): Prisma.Sql[] => {
    const out: Prisma.Sql[] = [];
    for (const s of plan) {
      const key = raw(`'${s.key}'`);
      if (s.daily.length) {
        out.push(sql`SELECT ${key} AS key, ${bucket('d.date')} AS g, ${raw(columns('d', s.dailyReach))} FROM ${raw(tables.daily)} d
           WHERE d.ad_account_id = ${account} AND d.level = ${level} AND ${ranges('d', 'date', s.daily)} ${where('d')} ${onlyEntities('d')}`);
      }
      if (s.monthly.length) {
        out.push(sql`SELECT ${key} AS key, ${bucket('m.month')} AS g, ${raw(columns('m', s.monthlyReach))} FROM ${raw(tables.monthly)} m
           WHERE m.ad_account_id = ${account} AND m.level = ${level} AND m.month = ANY(${s.monthly}::date[]) ${where('m')} ${onlyEntities('m')}`);
      }
      if (s.hourly) {
        out.push(sql`SELECT ${key} AS key, ${bucket('h.local_date')} AS g, ${raw(columns('h', false))} FROM ${raw(tables.hourly)} h
           WHERE h.ad_account_id = ${account} AND h.level = ${level} AND h.local_date = ${q.today}::date ${where('h')} ${onlyEntities('h')}`);
      }
    }
    return out;
  };

  // ── delivery rows ──
  const metricParts = branches(
    { daily: 'metrics_daily', monthly: 'metrics_monthly', hourly: 'metrics_hourly' },
    (a, reach) => `${a}.entity_id, ${a}.spend, ${a}.impressions, ${a}.clicks, ${reach ? `${a}.reach` : 'NULL::bigint AS reach'}`,
    () => Prisma.empty,
  );
  // Nothing stored can answer (e.g. a period in the future): an empty source of the same shape.
  if (metricParts.length === 0) metricParts.push(raw(`SELECT 'p' AS key, NULL::date AS g, NULL::text AS entity_id, 0::numeric AS spend, 0::bigint AS impressions, 0::bigint AS clicks, NULL::bigint AS reach WHERE false`));
  const metricSums = keys.flatMap((k) => [
    `sum(u.spend) FILTER (WHERE u.key = '${k}') AS ${k}_spend`,
    `sum(u.impressions) FILTER (WHERE u.key = '${k}') AS ${k}_impressions`,
    `sum(u.clicks) FILTER (WHERE u.key = '${k}') AS ${k}_clicks`,
    // Reach only from the one row that covers the whole period (or bucket) by itself.
    `CASE WHEN count(*) FILTER (WHERE u.key = '${k}') = 1 THEN max(u.reach) FILTER (WHERE u.key = '${k}') END AS ${k}_reach`,
  ]);
  const ctes: Prisma.Sql[] = [];
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
      return sql`AND ${raw(alias)}.attribution_window = ${q.attributionWindow} AND (${join(alternatives, ' OR ')})`;
    };
    const actionParts = branches(
      { daily: 'metrics_daily_actions', monthly: 'metrics_monthly_actions', hourly: 'metrics_hourly_actions' },
      (a) => `${a}.entity_id, ${a}.action_type, ${a}.count, ${a}.value`,
      typeFilter,
    );
    if (actionParts.length === 0) actionParts.push(raw(`SELECT 'p' AS key, NULL::date AS g, NULL::text AS entity_id, NULL::text AS action_type, 0::numeric AS count, NULL::numeric AS value WHERE false`));
    const sums: Prisma.Sql[] = [];
    for (const k of keys) {
      if (q.columns.results) sums.push(raw(`sum(t.count) FILTER (WHERE t.key = '${k}' AND t.action_type = e.result_action_type) AS ${k}_results`));
      for (const column of typeColumns) {
        const each = column.types.map((type) => sql`sum(t.${raw(column.kind)}) FILTER (WHERE t.key = ${k} AND t.action_type = ${type})`);
        sums.push(sql`${each.length === 1 ? each[0]! : sql`coalesce(${join(each, ', ')})`} AS ${raw(`${k}_${column.alias}`)}`);
      }
    }
    // Summed per action type first: the join to each object's result type then sees a few rows per object, not one per day.
    ctes.push(sql`a AS (
      SELECT t.entity_id, t.g, ${join(sums, ', ')}
        FROM (SELECT ua.key, ua.entity_id, ua.g, ua.action_type, sum(ua.count) AS count, sum(ua.value) AS value
                FROM (${join(actionParts, ' UNION ALL ')}) ua GROUP BY ua.key, ua.entity_id, ua.g, ua.action_type) t
        ${q.columns.results ? raw('LEFT JOIN e ON e.id = t.entity_id') : Prisma.empty}
       GROUP BY t.entity_id, t.g)`);
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
  const sources = await probeReportSources(db, {
    adAccountId: q.adAccountId,
    level: q.level,
    today: q.today,
    months: [...new Set(q.periods.flatMap((p) => p.months))],
    includesToday: q.periods.some((p) => p.from <= q.today && q.today <= p.to),
  });
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>(compilePerformanceQuery(q, sources));
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
