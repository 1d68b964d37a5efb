/**
 * Set-based writes of Meta objects: one page of records becomes ONE SQL statement
 * (`INSERT ... SELECT FROM jsonb_to_recordset($1) ON CONFLICT (id) DO UPDATE`), which also marks
 * the rows as seen (`synced_at = now()`, `deleted_at = NULL`) and, for campaigns, ad sets and ads,
 * records every changed tracked field in change_history. Objects a completed full read did not
 * return are soft-deleted (`deleted_at`), never removed.
 */
import Decimal from 'decimal.js';
import { changeHistoryCte, TRACKED_FIELDS, type ChangeHistoryContext } from './change-history';
import type { Db } from './prisma-client';

type SqlType = 'text' | 'numeric' | 'timestamptz' | 'jsonb' | 'int' | 'bigint' | 'boolean' | 'text[]';

interface TableSpec {
  table: string;
  columns: ReadonlyArray<readonly [name: string, type: SqlType]>;
  /** Tables without these columns (leads) are upserted but never soft-deleted. */
  softDelete: boolean;
  /** Singular type for change_history, when tracked. */
  entityType?: string;
}

const T = (name: string): readonly [string, SqlType] => [name, 'text'];
const N = (name: string): readonly [string, SqlType] => [name, 'numeric'];
const TS = (name: string): readonly [string, SqlType] => [name, 'timestamptz'];
const J = (name: string): readonly [string, SqlType] => [name, 'jsonb'];

/** Entities the sync writes, by SQL table. */
export const ENTITY_TABLES = {
  campaigns: {
    table: 'campaigns', softDelete: true, entityType: 'campaign',
    columns: [T('id'), T('ad_account_id'), T('name'), T('objective'), T('status'), T('configured_status'), T('effective_status'), T('buying_type'),
      T('bid_strategy'), N('daily_budget'), N('lifetime_budget'), N('budget_remaining'), N('spend_cap'), ['special_ad_categories', 'text[]'],
      TS('start_time'), TS('stop_time'), TS('created_time'), TS('updated_time'), J('raw')],
  },
  ad_sets: {
    table: 'ad_sets', softDelete: true, entityType: 'adset',
    columns: [T('id'), T('ad_account_id'), T('campaign_id'), T('name'), T('status'), T('configured_status'), T('effective_status'),
      T('optimization_goal'), T('billing_event'), T('bid_strategy'), N('bid_amount'), N('daily_budget'), N('lifetime_budget'), N('budget_remaining'),
      J('targeting'), J('promoted_object'), TS('start_time'), TS('end_time'), TS('created_time'), TS('updated_time'), J('raw')],
  },
  ads: {
    table: 'ads', softDelete: true, entityType: 'ad',
    columns: [T('id'), T('ad_account_id'), T('campaign_id'), T('adset_id'), T('creative_id'), T('name'), T('status'), T('configured_status'),
      T('effective_status'), N('bid_amount'), J('tracking_specs'), J('issues_info'), TS('created_time'), TS('updated_time'), J('raw')],
  },
  ad_creatives: {
    table: 'ad_creatives', softDelete: true,
    columns: [T('id'), T('ad_account_id'), T('name'), T('title'), T('body'), T('status'), T('object_story_id'), J('object_story_spec'),
      J('asset_feed_spec'), T('image_hash'), T('image_url'), T('video_id'), T('thumbnail_url'), T('call_to_action_type'), T('link_url'),
      T('url_tags'), J('raw')],
  },
  custom_audiences: {
    table: 'custom_audiences', softDelete: true,
    columns: [T('id'), T('ad_account_id'), T('name'), T('subtype'), T('description'), ['approximate_count_lower_bound', 'bigint'],
      ['approximate_count_upper_bound', 'bigint'], J('delivery_status'), J('operation_status'), ['retention_days', 'int'], J('rule'),
      J('lookalike_spec'), T('origin_audience_id'), TS('time_created'), TS('time_updated'), J('raw')],
  },
  pixels: {
    table: 'pixels', softDelete: true,
    columns: [T('id'), T('ad_account_id'), T('name'), TS('last_fired_time'), TS('creation_time'), ['is_unavailable', 'boolean'], J('raw')],
  },
  // Shared by every ad account of the business, whichever company connected it: no company column.
  business_managers: { table: 'business_managers', softDelete: true, columns: [T('id'), T('name'), T('verification_status'), J('raw')] },
  pages: { table: 'pages', softDelete: true, columns: [T('id'), T('business_id'), T('name'), T('category'), J('raw')] },
  instagram_accounts: { table: 'instagram_accounts', softDelete: true, columns: [T('id'), T('page_id'), T('username'), J('raw')] },
  lead_forms: {
    table: 'lead_forms', softDelete: true,
    columns: [T('id'), T('page_id'), T('name'), T('status'), ['leads_count', 'int'], J('questions'), TS('created_time'), J('raw')],
  },
  leads: {
    table: 'leads', softDelete: false,
    columns: [T('id'), T('form_id'), T('ad_id'), T('adset_id'), T('campaign_id'), ['is_organic', 'boolean'], T('platform'), J('field_data'),
      TS('created_time')],
  },
  product_catalogs: {
    table: 'product_catalogs', softDelete: true,
    columns: [T('id'), T('business_id'), T('name'), T('vertical'), ['product_count', 'int'], J('raw')],
  },
  product_feeds: {
    table: 'product_feeds', softDelete: true,
    columns: [T('id'), T('catalog_id'), T('name'), J('schedule'), ['product_count', 'int'], J('raw')],
  },
  products: {
    table: 'products', softDelete: true,
    columns: [T('id'), T('catalog_id'), T('retailer_id'), T('name'), N('price'), T('currency'), T('availability'), T('url'), T('image_url'), J('raw')],
  },
  product_sets: {
    table: 'product_sets', softDelete: true,
    columns: [T('id'), T('catalog_id'), T('name'), J('filter'), ['product_count', 'int'], J('raw')],
  },
} as const satisfies Record<string, TableSpec>;

export type EntityTable = keyof typeof ENTITY_TABLES;

/** Options of {@link upsertEntityPage}. */
export interface UpsertPageOptions {
  /** Record every changed tracked field (campaigns, ad sets, ads) with this context. */
  changeHistory?: Omit<ChangeHistoryContext, 'entityType'>;
  /** Some parents (pages' businesses) are not ours to overwrite with null: keep the stored value. */
  keepWhenNull?: readonly string[];
}

/** What one page write did. */
export interface UpsertPageResult {
  rows: number;
  changes: number;
}

/** snake_case column → camelCase record key. */
function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Decimal) return value.toString();
  return value;
}

/** Picks the table's columns from parsed records (camelCase keys) as JSON-safe rows. */
export function toRows(table: EntityTable, records: readonly object[]): Record<string, unknown>[] {
  const spec: TableSpec = ENTITY_TABLES[table];
  return records.map((record) => {
    const r = record as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const [column] of spec.columns) row[column] = jsonSafe(column in r ? r[column] : r[camel(column)]);
    return row;
  });
}

/**
 * Upserts one page of records with one statement; rows are marked seen now and un-deleted.
 * Returns the number of rows written and of change_history rows recorded.
 */
export async function upsertEntityPage(db: Db, table: EntityTable, records: readonly object[], options: UpsertPageOptions = {}): Promise<UpsertPageResult> {
  if (records.length === 0) return { rows: 0, changes: 0 };
  const spec: TableSpec = ENTITY_TABLES[table];
  // Meta may list an object twice in one page when it moves during paging; the last copy wins.
  const byId = new Map<string, Record<string, unknown>>();
  for (const row of toRows(table, records)) byId.set(String(row.id), row);
  const rows = [...byId.values()];

  const recordDef = spec.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  const columns = spec.columns.map(([name]) => name);
  const insertColumns = [...columns, 'synced_at', ...(spec.softDelete ? ['deleted_at'] : [])];
  const selectList = [...columns, 'now()', ...(spec.softDelete ? ['NULL::timestamptz'] : [])];
  const keep = new Set(options.keepWhenNull ?? []);
  const updates = [
    ...columns.filter((c) => c !== 'id').map((c) => (keep.has(c) ? `${c} = COALESCE(EXCLUDED.${c}, ${spec.table}.${c})` : `${c} = EXCLUDED.${c}`)),
    'synced_at = EXCLUDED.synced_at',
    ...(spec.softDelete ? ['deleted_at = NULL'] : []),
  ];
  const tracked = TRACKED_FIELDS[spec.table];
  const history = options.changeHistory && tracked && spec.entityType ? options.changeHistory : undefined;
  const sql = `
    WITH incoming AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${recordDef}))
    ${history ? `, ${changeHistoryCte(spec.table, tracked!)}` : ''}
    , upserted AS (
      INSERT INTO ${spec.table} (${insertColumns.join(', ')})
      SELECT ${selectList.join(', ')} FROM incoming
      ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted)::int AS rows, ${history ? '(SELECT count(*) FROM changes)::int' : '0'} AS changes`;
  const params: unknown[] = [JSON.stringify(rows)];
  if (history) params.push(history.companyId, history.adAccountId, spec.entityType, history.source, history.workflowId ?? null);
  const result = await db.$queryRawUnsafe<Array<{ rows: number; changes: number }>>(sql, ...params);
  return { rows: result[0]?.rows ?? 0, changes: result[0]?.changes ?? 0 };
}

/** Which rows of a table belong to the scope a full read covered. */
export type SoftDeleteScope =
  | { kind: 'adAccount'; adAccountId: string }
  | { kind: 'pagesOfAdAccount'; adAccountId: string }
  | { kind: 'childrenOfAccountPages'; adAccountId: string }
  | { kind: 'business'; businessId: string }
  | { kind: 'childrenOfBusinessCatalogs'; businessId: string };

/**
 * Sets `deleted_at` on rows of the scope that the completed read did not return
 * (`synced_at < syncStartedAt`). Call only after the whole edge was read.
 */
export async function softDeleteMissing(db: Db, table: EntityTable, scope: SoftDeleteScope, syncStartedAt: Date): Promise<number> {
  const spec: TableSpec = ENTITY_TABLES[table];
  if (!spec.softDelete) return 0;
  let where: string;
  let key: string;
  switch (scope.kind) {
    case 'adAccount':
      where = 'ad_account_id = $1';
      key = scope.adAccountId;
      break;
    case 'pagesOfAdAccount':
      return unlinkUnseenPages(db, scope.adAccountId, syncStartedAt);
    case 'childrenOfAccountPages':
      where = 'page_id IN (SELECT page_id FROM ad_account_pages WHERE ad_account_id = $1)';
      key = scope.adAccountId;
      break;
    case 'business':
      where = 'business_id = $1';
      key = scope.businessId;
      break;
    case 'childrenOfBusinessCatalogs':
      where = 'catalog_id IN (SELECT id FROM product_catalogs WHERE business_id = $1)';
      key = scope.businessId;
      break;
  }
  return db.$executeRawUnsafe(
    `UPDATE ${spec.table} SET deleted_at = now() WHERE ${where} AND deleted_at IS NULL AND synced_at < $2::timestamptz`,
    key,
    syncStartedAt.toISOString(),
  );
}

/** Links an ad account to the pages it can promote, stamping when its read returned them (idempotent). */
export async function linkAdAccountPages(db: Db, adAccountId: string, pageIds: readonly string[]): Promise<void> {
  if (pageIds.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO ad_account_pages (ad_account_id, page_id, seen_at) SELECT $1, unnest($2::text[]), now()
     ON CONFLICT (ad_account_id, page_id) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
    adAccountId,
    [...pageIds],
  );
}

/**
 * After a complete read of the account's pages: the pages it did not return are no longer the
 * account's (its company stops seeing them, their forms and leads), and only a page no other ad
 * account links any more is marked deleted. Pages are shared between accounts of any company, so
 * one account losing a page must not delete it for the others. One statement; returns the pages
 * marked deleted.
 */
async function unlinkUnseenPages(db: Db, adAccountId: string, syncStartedAt: Date): Promise<number> {
  // The main statement sees the links as they were before the CTE's DELETE: other accounts' links only.
  return db.$executeRawUnsafe(
    `WITH unlinked AS (DELETE FROM ad_account_pages WHERE ad_account_id = $1 AND seen_at < $2::timestamptz RETURNING page_id)
     UPDATE pages SET deleted_at = now()
     WHERE id IN (SELECT page_id FROM unlinked) AND deleted_at IS NULL AND synced_at < $2::timestamptz
       AND NOT EXISTS (SELECT 1 FROM ad_account_pages l WHERE l.page_id = pages.id AND l.ad_account_id <> $1)`,
    adAccountId,
    syncStartedAt.toISOString(),
  );
}

/** Replaces the carousel cards of the given creatives with the ones Meta returned (one statement each way). */
export async function replaceCarouselCards(db: Db, cards: ReadonlyArray<{ creativeId: string; position: number; name: string | null; description: string | null; link: string | null; imageHash: string | null; videoId: string | null; raw: unknown }>, creativeIds: readonly string[]): Promise<void> {
  if (creativeIds.length === 0) return;
  const rows = cards.map((c) => ({ creative_id: c.creativeId, position: c.position, name: c.name, description: c.description, link: c.link, image_hash: c.imageHash, video_id: c.videoId, raw: c.raw }));
  await db.$transaction([
    db.$executeRawUnsafe(`DELETE FROM creative_carousel_cards WHERE creative_id = ANY($1::text[])`, [...creativeIds]),
    db.$executeRawUnsafe(
      `INSERT INTO creative_carousel_cards (creative_id, position, name, description, link, image_hash, video_id, raw)
       SELECT creative_id, position, name, description, link, image_hash, video_id, raw
       FROM jsonb_to_recordset($1::jsonb) AS x(creative_id text, position int, name text, description text, link text, image_hash text, video_id text, raw jsonb)`,
      JSON.stringify(rows),
    ),
  ]);
}
