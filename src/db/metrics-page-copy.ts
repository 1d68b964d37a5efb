import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  upsertSql,
  type DailyActionRow, type DailyMetricRow, type HourlyActionRow, type HourlyMetricRow, type MonthlyActionRow, type MonthlyMetricRow,
} from './metrics-upsert';

/**
 * Writes one page of Meta metric rows through staging tables: COPY the page into two session
 * temp tables, then run the very upserts of metrics-upsert.ts with the staging table as their
 * row source, then delete the stale Meta action rows (as pruneStaleMetaActions does) from the
 * same staging data. One transaction per page: a retried page replays as a whole and changes
 * nothing. COPY skips the JSON build and `jsonb_to_recordset` parse that dominate large pages.
 */

/** The rows of one page, per grain. */
export type MetricsPageRows =
  | { grain: 'hourly'; metrics: readonly HourlyMetricRow[]; actions: readonly HourlyActionRow[] }
  | { grain: 'daily'; metrics: readonly DailyMetricRow[]; actions: readonly DailyActionRow[] }
  | { grain: 'monthly'; metrics: readonly MonthlyMetricRow[]; actions: readonly MonthlyActionRow[] };

const METRIC_STAGE = 'metrics_page_stage';
const ACTION_STAGE = 'metrics_page_action_stage';

// Column names match the JSON rows, so the upserts read `r."entityId"` from either source.
// ON COMMIT DELETE ROWS: each page starts from empty staging tables without a TRUNCATE.
const CREATE_STAGES = `
  CREATE TEMP TABLE IF NOT EXISTS ${METRIC_STAGE} (
    "level" text, "entityId" text, "adAccountId" text, "campaignId" text, "adsetId" text, "spend" numeric,
    "impressions" bigint, "clicks" bigint, "inlineLinkClicks" bigint,
    "uniqueClicks" bigint, "reach" bigint, "frequency" numeric, "ctr" numeric, "cpc" numeric, "cpm" numeric,
    "bucketStart" timestamptz, "localDate" date, "localHour" int, "date" date, "month" date,
    "kept" text[]
  ) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS ${ACTION_STAGE} (
    "level" text, "entityId" text, "adAccountId" text, "actionType" text, "attributionWindow" text, "count" numeric, "value" numeric,
    "bucketStart" timestamptz, "localDate" date, "date" date, "month" date
  ) ON COMMIT DELETE ROWS`;

const METRIC_BASE = ['level', 'entityId', 'adAccountId', 'campaignId', 'adsetId', 'spend', 'impressions', 'clicks', 'inlineLinkClicks'] as const;
const META_ONLY = ['uniqueClicks', 'reach', 'frequency', 'ctr', 'cpc', 'cpm'] as const;
const ACTION_BASE = ['level', 'entityId', 'adAccountId', 'actionType', 'attributionWindow', 'count', 'value'] as const;

const COLUMNS = {
  hourly: { metrics: [...METRIC_BASE, 'bucketStart', 'localDate', 'localHour', 'kept'], actions: [...ACTION_BASE, 'bucketStart', 'localDate'] },
  daily: { metrics: [...METRIC_BASE, ...META_ONLY, 'date', 'kept'], actions: [...ACTION_BASE, 'date'] },
  monthly: { metrics: [...METRIC_BASE, ...META_ONLY, 'month'], actions: [...ACTION_BASE, 'month'] },
} as const;

/**
 * Stale Meta action rows of the staged buckets: those the page no longer carries. Each staged
 * bucket holds its kept "type<US>window" pairs (`kept`), as pruneStaleMetaActions does: an array
 * test per row stays linear where an anti-join against the action stage, which has no
 * statistics, was planned as a nested loop (seconds per 10,000 action rows).
 */
function staleActionsSql(table: string, column: string, stageColumn: string): string {
  return `
    DELETE FROM ${table} a USING ${METRIC_STAGE} k
     WHERE a.level = k."level" AND a.entity_id = k."entityId" AND a.${column} = k."${stageColumn}" AND a.source = 'meta'
       AND NOT ((a.action_type || chr(31) || a.attribution_window) = ANY (k."kept"))`;
}

const STATEMENTS = Object.fromEntries(Object.entries({
  hourly: [
    upsertSql.hourlyMetrics(`${METRIC_STAGE} AS r`),
    upsertSql.hourlyActions(`${ACTION_STAGE} AS r`),
    staleActionsSql('metrics_hourly_actions', 'bucket_start', 'bucketStart'),
  ],
  daily: [
    upsertSql.dailyMetrics(`${METRIC_STAGE} AS r`),
    upsertSql.dailyActions(`${ACTION_STAGE} AS r`),
    staleActionsSql('metrics_daily_actions', 'date', 'date'),
  ],
  monthly: [upsertSql.monthlyMetrics(`${METRIC_STAGE} AS r`), upsertSql.monthlyActions(`${ACTION_STAGE} AS r`)],
}).map(([grain, statements]) => [grain, [...statements, 'COMMIT'].join(';\n')])) as Record<MetricsPageRows['grain'], string>;

/** Connections whose staging tables exist (temp tables live as long as the session). */
const staged = new WeakSet<pg.ClientBase>();

/** Writes one page (see the module comment); an empty page writes nothing. */
export async function writeMetricsPageByCopy(pool: pg.Pool, page: MetricsPageRows): Promise<void> {
  if (page.metrics.length === 0 && page.actions.length === 0) return;
  const columns = COLUMNS[page.grain];
  const { metricRows, actionRows } = uniqueRows(page);
  const metrics = copyText(metricRows, columns.metrics);
  const actions = copyText(actionRows, columns.actions);
  const client = await pool.connect();
  let broken = false;
  try {
    if (!staged.has(client)) {
      await client.query(CREATE_STAGES);
      staged.add(client);
    }
    await client.query('BEGIN');
    try {
      if (metrics) await copyInto(client, `COPY ${METRIC_STAGE} (${quoted(columns.metrics)}) FROM STDIN`, metrics);
      if (actions) await copyInto(client, `COPY ${ACTION_STAGE} (${quoted(columns.actions)}) FROM STDIN`, actions);
      // One round trip: an error skips the rest of the string (COMMIT included) and is rolled back below.
      await client.query(STATEMENTS[page.grain]);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    }
  } catch (error) {
    broken ||= !isSqlError(error);
    throw error;
  } finally {
    // A connection that failed mid-COPY is dropped rather than reused in an unknown state.
    client.release(broken);
  }
}

/**
 * The page's rows with the last one of each natural key kept (as lastPerKey does for the JSON
 * upserts) and, for hourly and daily pages, each metric row's `kept`: a text[] literal of the
 * "type<US>window" pairs its bucket's action rows carry. Metric rows are copies; the caller's
 * objects are not changed.
 */
function uniqueRows(page: MetricsPageRows): { metricRows: Record<string, unknown>[]; actionRows: Record<string, unknown>[] } {
  const bucketOf = page.grain === 'hourly' ? instantKey : page.grain === 'daily' ? dateKey : monthKey;
  const metricsByKey = new Map<string, Record<string, unknown>>();
  for (const row of page.metrics as unknown as readonly Record<string, unknown>[]) {
    metricsByKey.set((row.level as string) + '\u0000' + (row.entityId as string) + '\u0000' + bucketOf(row), row);
  }
  // Per bucket, per "type<US>window" pair: the pair is both the rest of the key and the kept element.
  const actionsByBucket = new Map<string, Map<string, Record<string, unknown>>>();
  for (const row of page.actions as unknown as readonly Record<string, unknown>[]) {
    const bucket = (row.level as string) + '\u0000' + (row.entityId as string) + '\u0000' + bucketOf(row);
    let pairs = actionsByBucket.get(bucket);
    if (!pairs) {
      pairs = new Map();
      actionsByBucket.set(bucket, pairs);
    }
    pairs.set((row.actionType as string) + '\u001f' + (row.attributionWindow as string), row);
  }
  const actionRows: Record<string, unknown>[] = [];
  for (const pairs of actionsByBucket.values()) for (const row of pairs.values()) actionRows.push(row);
  if (page.grain === 'monthly') return { metricRows: [...metricsByKey.values()], actionRows };
  const metricRows: Record<string, unknown>[] = [];
  for (const [key, row] of metricsByKey) {
    let kept = '';
    const pairs = actionsByBucket.get(key);
    if (pairs) for (const pair of pairs.keys()) kept += (kept ? ',' : '') + arrayElement(pair);
    metricRows.push({ ...row, kept: `{${kept}}` });
  }
  return { metricRows, actionRows };
}

const dateKey = (r: Record<string, unknown>): string => String(r.date);
const monthKey = (r: Record<string, unknown>): string => String(r.month);

const instants = new Map<string, string>();
/** One text per instant, whatever ISO form it came in (cached: a page repeats a few hours many times). */
function instantKey(r: Record<string, unknown>): string {
  const text = String(r.bucketStart);
  let iso = instants.get(text);
  if (iso === undefined) {
    iso = new Date(text).toISOString();
    if (instants.size > 100_000) instants.clear();
    instants.set(text, iso);
  }
  return iso;
}

/** A quoted element of a PostgreSQL array literal. */
function arrayElement(text: string): string {
  return ARRAY_SPECIAL.test(text) ? `"${text.replace(ARRAY_SPECIAL_ALL, (c) => `\\${c}`)}"` : `"${text}"`;
}
const ARRAY_SPECIAL = /["\\]/;
const ARRAY_SPECIAL_ALL = /["\\]/g;

function isSqlError(error: unknown): boolean {
  return typeof (error as { code?: unknown } | null)?.code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code);
}

async function copyInto(client: pg.PoolClient, sql: string, text: string): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
}

function quoted(columns: readonly string[]): string {
  return columns.map((c) => `"${c}"`).join(', ');
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text format: tab-separated, `\N` for null, backslash escapes. */
function copyText(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const v = row[columns[i] as string];
      let s: string;
      if (v === null || v === undefined) s = '\\N';
      else {
        s = typeof v === 'string' ? v : String(v);
        if (SPECIAL.test(s)) s = s.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string);
      }
      out += i === 0 ? s : `\t${s}`;
    }
    out += '\n';
  }
  return out;
}
