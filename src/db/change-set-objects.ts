/**
 * The stored objects a change set is planned against: campaigns, ad sets and ads by id or by a
 * selection over the copy (level, campaigns, statuses, name contains), in the planner's
 * canonical form (money in minor units, UTC instants to the second), and the parents and
 * creatives a create needs. One statement per read, whatever the number of objects.
 */
import { canonicalTime, type ChangeLevel } from '../../domain/change-set-vocabulary';
import type { PlanObject } from '../../domain/change-set-plan';
import type { CreateParent } from '../../domain/object-create-plan';
import type { Db } from './prisma-client';

/** A selection over the stored objects of one ad account. */
export interface ObjectSelection {
  level: ChangeLevel;
  campaignIds?: readonly string[];
  adsetIds?: readonly string[];
  /** Configured statuses (ACTIVE, PAUSED, ARCHIVED, DELETED). */
  statuses?: readonly string[];
  effectiveStatuses?: readonly string[];
  /** Case-insensitive substring of the name. */
  nameContains?: string;
}

interface ObjectRow {
  id: string;
  name: string | null;
  status: string | null;
  campaign_id: string | null;
  daily_budget: string | null;
  lifetime_budget: string | null;
  bid_amount: string | null;
  spend_cap: string | null;
  bid_strategy: string | null;
  start_time: Date | null;
  end_time: Date | null;
  billing_event: string | null;
  campaign_has_budget: boolean;
  removed: boolean;
}

/** Column expressions per level, all in the same shape (minor units as text). */
function selectList(level: ChangeLevel): { from: string; list: string } {
  const minor = (col: string) => `CASE WHEN o.${col} IS NULL OR o.${col} = 0 THEN NULL ELSE round(o.${col} * $2::numeric)::bigint::text END`;
  const minorKeepZero = (col: string) => `CASE WHEN o.${col} IS NULL THEN NULL ELSE round(o.${col} * $2::numeric)::bigint::text END`;
  const common = `o.id, o.name, o.status, (o.deleted_at IS NOT NULL) AS removed`;
  switch (level) {
    case 'campaign':
      return {
        from: 'campaigns o',
        list: `${common}, o.id AS campaign_id, ${minor('daily_budget')} AS daily_budget, ${minor('lifetime_budget')} AS lifetime_budget, NULL::text AS bid_amount,
               ${minor('spend_cap')} AS spend_cap, o.bid_strategy, o.start_time, o.stop_time AS end_time, NULL::text AS billing_event, false AS campaign_has_budget`,
      };
    case 'adset':
      return {
        from: 'ad_sets o LEFT JOIN campaigns c ON c.id = o.campaign_id',
        list: `${common}, o.campaign_id, ${minor('daily_budget')} AS daily_budget, ${minor('lifetime_budget')} AS lifetime_budget, ${minorKeepZero('bid_amount')} AS bid_amount,
               NULL::text AS spend_cap, o.bid_strategy, o.start_time, o.end_time, o.billing_event,
               (COALESCE(c.daily_budget, 0) > 0 OR COALESCE(c.lifetime_budget, 0) > 0) AS campaign_has_budget`,
      };
    case 'ad':
      return {
        from: 'ads o',
        list: `${common}, o.campaign_id, NULL::text AS daily_budget, NULL::text AS lifetime_budget, ${minorKeepZero('bid_amount')} AS bid_amount,
               NULL::text AS spend_cap, NULL::text AS bid_strategy, NULL::timestamptz AS start_time, NULL::timestamptz AS end_time, NULL::text AS billing_event,
               false AS campaign_has_budget`,
      };
  }
}

function toPlanObject(level: ChangeLevel, r: ObjectRow): PlanObject {
  return {
    id: r.id, level, name: r.name, status: r.status, campaignId: r.campaign_id, dailyBudget: r.daily_budget, lifetimeBudget: r.lifetime_budget,
    bidAmount: r.bid_amount, spendCap: r.spend_cap, bidStrategy: r.bid_strategy, startTime: r.start_time ? canonicalTime(r.start_time) : null,
    endTime: r.end_time ? canonicalTime(r.end_time) : null, billingEvent: r.billing_event, campaignHasBudget: r.campaign_has_budget, removed: r.removed,
  };
}

/** Objects of a level of the account with these ids (missing ids are simply absent). */
export async function loadPlanObjects(db: Db, input: { adAccountId: string; level: ChangeLevel; ids: readonly string[]; offset: number }): Promise<PlanObject[]> {
  if (input.ids.length === 0) return [];
  const { from, list } = selectList(input.level);
  const rows = await db.$queryRawUnsafe<ObjectRow[]>(
    `SELECT ${list} FROM ${from} WHERE o.ad_account_id = $1 AND o.id = ANY($3::text[])`,
    input.adAccountId,
    String(input.offset),
    [...input.ids],
  );
  return rows.map((r) => toPlanObject(input.level, r));
}

/**
 * Objects of the account matching a selection, in id order (numeric), at most `limit` + 1 so
 * the caller can tell a selection that is too large. Soft-deleted objects are never selected.
 */
export async function selectPlanObjects(db: Db, input: { adAccountId: string; selection: ObjectSelection; offset: number; limit: number }): Promise<PlanObject[]> {
  const s = input.selection;
  const { from, list } = selectList(s.level);
  const where = ['o.ad_account_id = $1', 'o.deleted_at IS NULL'];
  const params: unknown[] = [input.adAccountId, String(input.offset)];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (s.campaignIds?.length) where.push(`${s.level === 'campaign' ? 'o.id' : 'o.campaign_id'} = ANY(${bind([...s.campaignIds])}::text[])`);
  if (s.adsetIds?.length && s.level === 'ad') where.push(`o.adset_id = ANY(${bind([...s.adsetIds])}::text[])`);
  if (s.adsetIds?.length && s.level === 'adset') where.push(`o.id = ANY(${bind([...s.adsetIds])}::text[])`);
  if (s.statuses?.length) where.push(`o.status = ANY(${bind([...s.statuses])}::text[])`);
  if (s.effectiveStatuses?.length) where.push(`o.effective_status = ANY(${bind([...s.effectiveStatuses])}::text[])`);
  if (s.nameContains) where.push(`strpos(lower(o.name), lower(${bind(s.nameContains)})) > 0`);
  const rows = await db.$queryRawUnsafe<ObjectRow[]>(
    `SELECT ${list} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY length(o.id), o.id LIMIT ${Math.floor(input.limit) + 1}`,
    ...params,
  );
  return rows.map((r) => toPlanObject(s.level, r));
}

/** The stored parent a create names (campaign of an ad set, ad set of an ad), or null. */
export async function loadCreateParent(db: Db, input: { adAccountId: string; level: 'campaign' | 'adset'; id: string }): Promise<CreateParent | null> {
  const rows =
    input.level === 'campaign'
      ? await db.$queryRawUnsafe<Array<{ id: string; status: string | null; removed: boolean; campaign_id: string | null; objective: string | null; has_budget: boolean }>>(
          `SELECT id, status, deleted_at IS NOT NULL AS removed, id AS campaign_id, objective,
                  (COALESCE(daily_budget, 0) > 0 OR COALESCE(lifetime_budget, 0) > 0) AS has_budget
           FROM campaigns WHERE ad_account_id = $1 AND id = $2`,
          input.adAccountId,
          input.id,
        )
      : await db.$queryRawUnsafe<Array<{ id: string; status: string | null; removed: boolean; campaign_id: string | null; objective: string | null; has_budget: boolean }>>(
          `SELECT s.id, s.status, s.deleted_at IS NOT NULL AS removed, s.campaign_id, c.objective, false AS has_budget
           FROM ad_sets s LEFT JOIN campaigns c ON c.id = s.campaign_id WHERE s.ad_account_id = $1 AND s.id = $2`,
          input.adAccountId,
          input.id,
        );
  const r = rows[0];
  if (!r) return null;
  return { id: r.id, level: input.level, status: r.status, removed: r.removed, campaignId: r.campaign_id, objective: r.objective, hasBudget: r.has_budget };
}

/** A creative of the account, or null. */
export async function loadCreative(db: Db, input: { adAccountId: string; id: string }): Promise<{ id: string; removed: boolean } | null> {
  const row = await db.adCreative.findFirst({ where: { id: input.id, adAccountId: input.adAccountId }, select: { id: true, deletedAt: true, status: true } });
  return row ? { id: row.id, removed: row.deletedAt !== null || row.status === 'DELETED' } : null;
}
