import type { Db } from './prisma-client';

export interface HourlyRetentionResult {
  cutoffDate: string;
  deletedHourlyRows: number;
  deletedHourlyActionRows: number;
  keptUncoveredDays: number;
}

/**
 * Deletes hourly rows (and their action rows) whose local day is before `cutoffDate`, one
 * (ad account, level, local day) at a time and only when every entity of that group is covered
 * by its daily row: a `meta` daily row, or a `rollup` daily row whose additive values equal the
 * sums of the hourly rows (so a rollup that missed a late hour does not count as coverage).
 * Whole groups go or stay, which is what lets a later rollup of an old window tell "hourly rows
 * deleted by retention" (leave the daily rows) from "an entity's hourly rows vanished" (delete its
 * stale rollup row). Uncovered (account, day) pairs are kept and counted so an operator sees that
 * a rollup or a daily pull is missing. One statement; safe to repeat.
 */
export async function deleteCoveredHourlyRows(db: Db, cutoffDate: string): Promise<HourlyRetentionResult> {
  const [row] = await db.$queryRaw<Array<{ deleted: number; deleted_actions: number; kept_days: number }>>`
    WITH hourly AS MATERIALIZED (
      SELECT h.ad_account_id, h.level, h.entity_id, h.local_date,
             sum(h.spend) AS spend, sum(h.impressions) AS impressions, sum(h.clicks) AS clicks, sum(h.inline_link_clicks) AS inline_link_clicks
        FROM metrics_hourly h
       WHERE h.local_date < ${cutoffDate}::date
       GROUP BY h.ad_account_id, h.level, h.entity_id, h.local_date
    ),
    groups AS MATERIALIZED (
      SELECT hr.ad_account_id, hr.level, hr.local_date,
             bool_and(coalesce(d.source = 'meta'
                               OR (d.source = 'rollup' AND d.spend = hr.spend AND d.impressions = hr.impressions
                                   AND d.clicks = hr.clicks AND d.inline_link_clicks = hr.inline_link_clicks), false)) AS covered
        FROM hourly hr
        LEFT JOIN metrics_daily d ON d.level = hr.level AND d.entity_id = hr.entity_id AND d.date = hr.local_date
       GROUP BY hr.ad_account_id, hr.level, hr.local_date
    ),
    del_actions AS (
      DELETE FROM metrics_hourly_actions a USING groups g
       WHERE g.covered AND a.ad_account_id = g.ad_account_id AND a.level = g.level AND a.local_date = g.local_date
      RETURNING 1
    ),
    del AS (
      DELETE FROM metrics_hourly h USING groups g
       WHERE g.covered AND h.ad_account_id = g.ad_account_id AND h.level = g.level AND h.local_date = g.local_date
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM del)::int AS deleted,
           (SELECT count(*) FROM del_actions)::int AS deleted_actions,
           (SELECT count(DISTINCT (ad_account_id, local_date)) FROM groups WHERE NOT covered)::int AS kept_days`;
  return { cutoffDate, deletedHourlyRows: row.deleted, deletedHourlyActionRows: row.deleted_actions, keptUncoveredDays: row.kept_days };
}
