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
