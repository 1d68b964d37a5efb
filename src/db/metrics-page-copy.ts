import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  insertSql, upsertSql,
  type DailyActionRow, type DailyMetricRow, type HourlyActionRow, type HourlyMetricRow, type MonthlyActionRow, type MonthlyMetricRow,
} from './metrics-upsert';

/**
 * Writes one page of Meta metric rows through staging tables: COPY the page into two session
 * temp tables, delete the staged buckets' stale action rows (as pruneStaleMetaActions does),
 * then run the statements of metrics-upsert.ts with the staging table as their row source. One
 * transaction per page: a retried page replays as a whole and changes nothing. COPY skips the
 * JSON build and `jsonb_to_recordset` parse that dominate large pages.
 *
 * A bucket (entity and day or hour) without a metric row yet, what a first read brings, has
 * nothing to update or compare: its metric row is inserted without ON CONFLICT and its action
 * rows, nine in ten of what a sync writes, are COPied straight into their table, at the speed
 * of a bare COPY where an upsert's speculative insertion costs about twice that. Should such a
 * bucket have rows after all (action rows left without their metric row, or rows a rollup wrote
 * meanwhile), the primary key stops the write and the page is written again, all of it through
 * the upserts.
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
    "kept" text[], "bucketNo" int, "fresh" boolean
  ) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS ${ACTION_STAGE} (
    "level" text, "entityId" text, "adAccountId" text, "actionType" text, "attributionWindow" text, "count" numeric, "value" numeric,
    "bucketStart" timestamptz, "localDate" date, "date" date, "month" date
  ) ON COMMIT DELETE ROWS`;

const METRIC_BASE = ['level', 'entityId', 'adAccountId', 'campaignId', 'adsetId', 'spend', 'impressions', 'clicks', 'inlineLinkClicks'] as const;
const META_ONLY = ['uniqueClicks', 'reach', 'frequency', 'ctr', 'cpc', 'cpm'] as const;
const ACTION_BASE = ['level', 'entityId', 'adAccountId', 'actionType', 'attributionWindow', 'count', 'value'] as const;

const COLUMNS = {
  hourly: { metrics: [...METRIC_BASE, 'bucketStart', 'localDate', 'localHour', 'kept', 'bucketNo'], actions: [...ACTION_BASE, 'bucketStart', 'localDate'] },
  daily: { metrics: [...METRIC_BASE, ...META_ONLY, 'date', 'kept', 'bucketNo'], actions: [...ACTION_BASE, 'date'] },
  monthly: { metrics: [...METRIC_BASE, ...META_ONLY, 'month'], actions: [...ACTION_BASE, 'month'] },
} as const;

/** Where a grain's action rows live, and its columns in the order of the staged action lines. */
const ACTION_TABLES = {
  hourly: {
    table: 'metrics_hourly_actions', metrics: 'metrics_hourly', bucket: 'bucket_start', stageBucket: 'bucketStart',
    columns: 'level, entity_id, ad_account_id, action_type, attribution_window, count, value, bucket_start, local_date',
  },
  daily: {
    table: 'metrics_daily_actions', metrics: 'metrics_daily', bucket: 'date', stageBucket: 'date',
    columns: 'level, entity_id, ad_account_id, action_type, attribution_window, count, value, date',
  },
} as const;

/**
 * Stale action rows of the staged buckets: Meta rows the page no longer carries and, for days,
 * rollup rows (a day read from Meta replaces what the rollup made of it). Each staged bucket
 * holds its kept "type<US>window" pairs (`kept`), as pruneStaleMetaActions does: an array test
 * per row stays linear where an anti-join against the action stage, which has no statistics,
 * was planned as a nested loop (seconds per 10,000 action rows). It runs before anything is
 * written, so it reads only the rows that were there before the page.
 */
function staleActionsSql(grain: 'hourly' | 'daily'): string {
  const { table, bucket, stageBucket } = ACTION_TABLES[grain];
  const stale = `a.source = 'meta' AND NOT ((a.action_type || chr(31) || a.attribution_window) = ANY (k."kept"))`;
  return `
    DELETE FROM ${table} a USING ${METRIC_STAGE} k
     WHERE a.level = k."level" AND a.entity_id = k."entityId" AND a.${bucket} = k."${stageBucket}"
       AND ${grain === 'daily' ? `(a.source = 'rollup' OR (${stale}))` : stale}`;
}

/** Marks the staged buckets without a metric row (`fresh`): their rows are inserted, not upserted. Returns their numbers. */
function markFreshBucketsSql(grain: 'hourly' | 'daily'): string {
  const { metrics, bucket, stageBucket } = ACTION_TABLES[grain];
  return `
    UPDATE ${METRIC_STAGE} k SET "fresh" = true
     WHERE NOT EXISTS (SELECT 1 FROM ${metrics} t WHERE t.level = k."level" AND t.entity_id = k."entityId" AND t.${bucket} = k."${stageBucket}")
    RETURNING k."bucketNo"`;
}

interface FreshWrites {
  /** Marks the fresh buckets in the stage and returns their numbers. */
  mark: string;
  /** COPY of their action rows straight into the action table. */
  copy: string;
}

function freshWrites(grain: 'hourly' | 'daily'): FreshWrites {
  return { mark: markFreshBucketsSql(grain), copy: `COPY ${ACTION_TABLES[grain].table} (${ACTION_TABLES[grain].columns}) FROM STDIN` };
}

const FRESH_WRITES = { hourly: freshWrites('hourly'), daily: freshWrites('daily') };

const FRESH_METRICS = `(SELECT * FROM ${METRIC_STAGE} WHERE "fresh") AS r`;
const KNOWN_METRICS = `(SELECT * FROM ${METRIC_STAGE} WHERE "fresh" IS NOT TRUE) AS r`;

/**
 * Every statement of a page reaches the metric tables by primary-key prefix from a stage of at
 * most one page. A table that a first sync is filling grows faster than autovacuum analyzes it:
 * with statistics that say "a few hundred rows" the planner sorts or hashes the whole table for
 * each page (seen: 600 ms a page at 300,000 action rows, growing with the table). Within the
 * page's transaction only index nested loops are planned, which stay flat whatever the size.
 * JIT is off too: those settings price every plan above the JIT thresholds, and compiling each
 * page's statements would cost more than running them.
 */
const BEGIN_PAGE = ['BEGIN', 'SET LOCAL jit = off', 'SET LOCAL enable_seqscan = off', 'SET LOCAL enable_hashjoin = off', 'SET LOCAL enable_mergejoin = off'].join(';\n');

const STATEMENTS: Record<MetricsPageRows['grain'], string> = {
  hourly: [
    staleActionsSql('hourly'), insertSql.hourlyMetrics(FRESH_METRICS), upsertSql.hourlyMetrics(KNOWN_METRICS), upsertSql.hourlyActions(`${ACTION_STAGE} AS r`),
  ].join(';\n'),
  daily: [
    staleActionsSql('daily'), insertSql.dailyMetrics(FRESH_METRICS), upsertSql.dailyMetrics(KNOWN_METRICS), upsertSql.dailyActions(`${ACTION_STAGE} AS r`),
  ].join(';\n'),
  monthly: [upsertSql.monthlyMetrics(`${METRIC_STAGE} AS r`), upsertSql.monthlyActions(`${ACTION_STAGE} AS r`)].join(';\n'),
};

/** Connections whose staging tables exist (temp tables live as long as the session). */
const staged = new WeakSet<pg.ClientBase>();

/** Writes one page (see the module comment); an empty page writes nothing. */
export async function writeMetricsPageByCopy(pool: pg.Pool, page: MetricsPageRows): Promise<void> {
  if (page.metrics.length === 0 && page.actions.length === 0) return;
  const lines = pageLines(page);
  const client = await pool.connect();
  let broken = false;
  try {
    if (!staged.has(client)) {
      await client.query(CREATE_STAGES);
      staged.add(client);
    }
    const fresh = page.grain === 'monthly' ? undefined : FRESH_WRITES[page.grain];
    try {
      await writePageLines(client, page.grain, lines, fresh);
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      await writePageLines(client, page.grain, lines, undefined);
    }
  } catch (error) {
    broken = !isSqlError(error) || unusable.has(client);
    throw error;
  } finally {
    // A connection that failed mid-COPY is dropped rather than reused in an unknown state.
    client.release(broken);
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * One transaction: stage, (mark fresh buckets), delete stale, write, COPY fresh action rows,
 * commit. Without `fresh` (monthly pages, or a page written again) every row is upserted.
 */
async function writePageLines(client: pg.PoolClient, grain: MetricsPageRows['grain'], lines: PageLines, fresh: FreshWrites | undefined): Promise<void> {
  const columns = COLUMNS[grain];
  await client.query(BEGIN_PAGE);
  try {
    if (lines.metrics) await copyInto(client, `COPY ${METRIC_STAGE} (${quoted(columns.metrics)}) FROM STDIN`, lines.metrics);
    const freshBuckets = new Set<number>();
    if (fresh && lines.metrics) for (const row of (await client.query<{ bucketNo: number }>(fresh.mark)).rows) freshBuckets.add(row.bucketNo);
    const upserted: string[] = [lines.unbucketedActions];
    const direct: string[] = [];
    for (let no = 0; no < lines.actionsByBucket.length; no++) (freshBuckets.has(no) ? direct : upserted).push(lines.actionsByBucket[no] as string);
    const upsertedText = upserted.join('');
    if (upsertedText) await copyInto(client, `COPY ${ACTION_STAGE} (${quoted(columns.actions)}) FROM STDIN`, upsertedText);
    await client.query(STATEMENTS[grain]);
    const directText = direct.join('');
    if (fresh && directText) await copyInto(client, fresh.copy, directText);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => unusable.add(client));
    throw error;
  }
}

/** Connections whose ROLLBACK failed: they are dropped, not returned to the pool. */
const unusable = new WeakSet<pg.ClientBase>();

/** A page as COPY text: metric lines, and action lines grouped by their metric row's bucket number. */
interface PageLines {
  metrics: string;
  /** Indexed by `bucketNo`, the metric line's ordinal. */
  actionsByBucket: string[];
  /** Action lines whose bucket has no metric row on the page (only callers other than the sync build such pages). */
  unbucketedActions: string;
}

/** A metric row with the action rows of its bucket (entity and day, hour or month). */
interface Bucket {
  row: Record<string, unknown>;
  actions: Record<string, unknown>[];
}

/**
 * The page's rows as COPY lines, with the last one of each natural key kept (as lastPerKey does
 * for the JSON upserts) and, for hourly and daily pages, each metric line's `kept` (a text[]
 * literal of the "type<US>window" pairs its bucket's action rows carry) and `bucketNo`.
 * Pages list a bucket's action rows together, so only a change of bucket costs a key lookup.
 */
function pageLines(page: MetricsPageRows): PageLines {
  const write = WRITERS[page.grain];
  const bucketOf = page.grain === 'hourly' ? instantKey : page.grain === 'daily' ? dateKey : monthKey;
  const keyOf = (row: Record<string, unknown>): string => (row.level as string) + '\u0000' + (row.entityId as string) + '\u0000' + bucketOf(row);
  const bucketColumn = page.grain === 'hourly' ? 'bucketStart' : page.grain === 'daily' ? 'date' : 'month';
  const indexByKey = new Map<string, number>();
  const buckets: Bucket[] = [];
  for (const row of page.metrics as unknown as readonly Record<string, unknown>[]) {
    const key = keyOf(row);
    const index = indexByKey.get(key);
    if (index === undefined) {
      indexByKey.set(key, buckets.length);
      buckets.push({ row, actions: [] });
    } else (buckets[index] as Bucket).row = row;
  }
  const orphans = new Map<string, Bucket>();
  let previous: Record<string, unknown> | undefined;
  let bucket: Bucket | undefined;
  for (const row of page.actions as unknown as readonly Record<string, unknown>[]) {
    const same = previous !== undefined && row.entityId === previous.entityId && row.level === previous.level && row[bucketColumn] === previous[bucketColumn];
    if (!same) {
      const key = keyOf(row);
      const index = indexByKey.get(key);
      bucket = index === undefined ? orphans.get(key) : buckets[index];
      if (!bucket) {
        bucket = { row, actions: [] };
        orphans.set(key, bucket);
      }
    }
    previous = row;
    // Last row of a "type<US>window" pair wins, in the place of the first.
    const actions = (bucket as Bucket).actions;
    let i = actions.length - 1;
    while (i >= 0 && !(actions[i]?.actionType === row.actionType && actions[i]?.attributionWindow === row.attributionWindow)) i--;
    if (i >= 0) actions[i] = row;
    else actions.push(row);
  }
  const keyed = page.grain !== 'monthly';
  const metrics: string[] = [];
  const actionsByBucket: string[] = [];
  for (let no = 0; no < buckets.length; no++) {
    const { row, actions } = buckets[no] as Bucket;
    const lines: string[] = [];
    const kept: string[] = [];
    for (const action of actions) {
      lines.push(write.actions(action));
      if (keyed) kept.push(arrayElement((action.actionType as string) + '\u001f' + (action.attributionWindow as string)));
    }
    metrics.push(write.metrics(row, `{${kept.join(',')}}`, no));
    actionsByBucket.push(lines.join(''));
  }
  const unbucketed: string[] = [];
  for (const orphan of orphans.values()) for (const action of orphan.actions) unbucketed.push(write.actions(action));
  return { metrics: metrics.join(''), actionsByBucket, unbucketedActions: unbucketed.join('') };
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

/** A value in COPY text format: `\\N` for null, backslash escapes. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : s;
}

type LineWriter = (row: Record<string, unknown>, kept?: string, bucketNo?: number) => string;

/**
 * A writer of COPY lines (tab-separated, newline-ended) for one column list, compiled once:
 * each column becomes a named property read, where a loop reading `row[column]` went
 * megamorphic and cost more than the values' escaping. `kept` and `bucketNo` are arguments,
 * not properties of the row. Column names are this module's constants, never input.
 */
function lineWriter(columns: readonly string[]): LineWriter {
  const values = columns.map((c) => (c === 'kept' ? 'copyValue(kept)' : c === 'bucketNo' ? 'copyValue(bucketNo)' : `copyValue(row[${JSON.stringify(c)}])`));
  return new Function('copyValue', `return (row, kept, bucketNo) => ${values.join(" + '\\t' + ")} + '\\n';`)(copyValue) as LineWriter;
}

const WRITERS = {
  hourly: { metrics: lineWriter(COLUMNS.hourly.metrics), actions: lineWriter(COLUMNS.hourly.actions) },
  daily: { metrics: lineWriter(COLUMNS.daily.metrics), actions: lineWriter(COLUMNS.daily.actions) },
  monthly: { metrics: lineWriter(COLUMNS.monthly.metrics), actions: lineWriter(COLUMNS.monthly.actions) },
} as const;
