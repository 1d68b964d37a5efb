import type { Db } from './prisma-client';

/**
 * Change history of Meta objects, computed set-based: the incoming rows of a page are compared
 * with the stored rows field by field inside the same SQL statement as the upsert, so a
 * replayed page (values already equal) records nothing new.
 */

/** Who made a change: a sync saw it on Meta, or we made it through a front, a rule or a bulk request. */
export type ChangeSource = 'sync' | 'api' | 'mcp' | 'rule' | 'bulk';

/** Context written on every change_history row of one statement. */
export interface ChangeHistoryContext {
  companyId: string;
  adAccountId: string;
  /** Singular entity type: campaign | adset | ad. */
  entityType: string;
  source: ChangeSource;
  workflowId?: string;
}

/** Fields of campaigns, ad sets and ads whose changes are recorded (SQL column names). */
export const TRACKED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  campaigns: [
    'name', 'status', 'configured_status', 'effective_status', 'objective', 'bid_strategy', 'daily_budget',
    'lifetime_budget', 'spend_cap', 'start_time', 'stop_time',
  ],
  ad_sets: [
    'name', 'status', 'configured_status', 'effective_status', 'campaign_id', 'optimization_goal', 'billing_event',
    'bid_strategy', 'bid_amount', 'daily_budget', 'lifetime_budget', 'targeting', 'start_time', 'end_time',
  ],
  ads: ['name', 'status', 'configured_status', 'effective_status', 'adset_id', 'creative_id', 'bid_amount'],
};

/**
 * A data-modifying CTE (`changes AS (...)`) that inserts one change_history row per tracked
 * field whose incoming value differs from the stored one. `incoming` is the CTE of the page's
 * rows; `$2`..`$6` are bound to the context (company, account, entity type, source, workflow id).
 */
export function changeHistoryCte(table: string, fields: readonly string[]): string {
  const values = fields.map((f) => `('${f}', to_jsonb(e.${f}), to_jsonb(i.${f}))`).join(', ');
  return `changes AS (
    INSERT INTO change_history (company_id, ad_account_id, entity_type, entity_id, field, old_value, new_value, source, workflow_id, occurred_at)
    SELECT $2::uuid, $3, $4, i.id, f.field, f.old_value, f.new_value, $5, $6, now()
    FROM incoming i
    JOIN ${table} e ON e.id = i.id
    CROSS JOIN LATERAL (VALUES ${values}) AS f(field, old_value, new_value)
    WHERE f.old_value IS DISTINCT FROM f.new_value
    RETURNING 1
  )`;
}

/**
 * Ids of the account's objects of one type (campaign or adset) whose status changed: their
 * children's effective status changed on Meta without their own `updated_time` moving. Every
 * source counts: a change a sync saw (`sync`) since the instant, and a change we made ourselves
 * (`api`, `mcp`, `bulk`, `rule`) since the previous completed entity sync of the account began
 * (which may not have seen it). By id.
 */
export async function listStatusChangedEntityIds(db: Db, input: { adAccountId: string; entityType: 'campaign' | 'adset'; since: string }): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT DISTINCT entity_id AS id FROM change_history
     WHERE ad_account_id = $1 AND entity_type = $2 AND field IN ('status', 'configured_status', 'effective_status')
       AND ((source = 'sync' AND occurred_at >= $3::timestamptz)
         OR (source <> 'sync' AND occurred_at >= COALESCE(
               (SELECT max(started_at) FROM sync_runs
                 WHERE ad_account_id = $1 AND kind IN ('full', 'incremental') AND status = 'completed' AND started_at < $3::timestamptz),
               $3::timestamptz)))
     ORDER BY 1`,
    input.adAccountId,
    input.entityType,
    input.since,
  );
  return rows.map((r) => r.id);
}

/** One recorded change as the fronts read it; numbers in the values come back as decimal strings. */
export interface ChangeHistoryRow {
  id: string;
  adAccountId: string;
  entityType: string;
  entityId: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  source: string;
  actor: string | null;
  workflowId: string | null;
  occurredAt: Date;
}

/** Filters of a change-history read; every one narrows the company's own rows. */
export interface ChangeHistoryFilter {
  companyId: string;
  adAccountId?: string;
  entityType?: string;
  entityId?: string;
  source?: string;
  actor?: string;
  field?: string;
  /** [from, to) on occurred_at. */
  from?: Date;
  to?: Date;
  /** Keyset: rows older than this (occurred_at, id) in newest-first order. */
  before?: { occurredAt: Date; id: string };
  /** Page size plus one. */
  take: number;
}

/**
 * The company's change history, newest first, keyset-paged on (occurred_at, id). Values are
 * stored as JSON of the column (budgets as JSON numbers of major units): a number is answered as
 * its decimal text, so money never passes through a float.
 */
export async function listChangeHistoryRows(db: Db, filter: ChangeHistoryFilter): Promise<ChangeHistoryRow[]> {
  const value = (column: string) => `CASE WHEN jsonb_typeof(${column}) = 'number' THEN to_jsonb(${column} #>> '{}') ELSE ${column} END`;
  return db.$queryRawUnsafe<ChangeHistoryRow[]>(
    `SELECT id::text AS id, ad_account_id AS "adAccountId", entity_type AS "entityType", entity_id AS "entityId", field,
            ${value('old_value')} AS "oldValue", ${value('new_value')} AS "newValue", source, actor, workflow_id AS "workflowId", occurred_at AS "occurredAt"
     FROM change_history
     WHERE company_id = $1::uuid
       AND ($2::text IS NULL OR ad_account_id = $2)
       AND ($3::text IS NULL OR entity_type = $3)
       AND ($4::text IS NULL OR entity_id = $4)
       AND ($5::text IS NULL OR source = $5)
       AND ($6::text IS NULL OR actor = $6)
       AND ($7::text IS NULL OR field = $7)
       AND ($8::timestamptz IS NULL OR occurred_at >= $8)
       AND ($9::timestamptz IS NULL OR occurred_at < $9)
       AND ($10::timestamptz IS NULL OR (occurred_at, id) < ($10::timestamptz, $11::bigint))
     ORDER BY occurred_at DESC, id DESC
     LIMIT $12`,
    filter.companyId,
    filter.adAccountId ?? null,
    filter.entityType ?? null,
    filter.entityId ?? null,
    filter.source ?? null,
    filter.actor ?? null,
    filter.field ?? null,
    filter.from ?? null,
    filter.to ?? null,
    filter.before?.occurredAt ?? null,
    filter.before?.id ?? null,
    filter.take,
  );
}

/** The type (campaign | adset | ad) of a campaign, ad set or ad of the company, or null when it has none of them. */
export async function findTrackedObjectType(db: Db, ref: { companyId: string; id: string }): Promise<'campaign' | 'adset' | 'ad' | null> {
  const rows = await db.$queryRawUnsafe<Array<{ type: 'campaign' | 'adset' | 'ad' }>>(
    `SELECT o.type FROM (
       SELECT 'campaign' AS type, ad_account_id FROM campaigns WHERE id = $1
       UNION ALL SELECT 'adset', ad_account_id FROM ad_sets WHERE id = $1
       UNION ALL SELECT 'ad', ad_account_id FROM ads WHERE id = $1
     ) o JOIN ad_accounts a ON a.id = o.ad_account_id
     WHERE a.company_id = $2::uuid
     LIMIT 1`,
    ref.id,
    ref.companyId,
  );
  return rows[0]?.type ?? null;
}
