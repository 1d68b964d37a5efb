import type { Db } from './prisma-client';

export interface HourlyRetentionResult {
  cutoffDate: string;
  deletedHourlyRows: number;
  deletedHourlyActionRows: number;
  keptUncoveredDays: number;
}

/**
 * Deletes hourly rows (and their action rows) whose local day is before `cutoffDate` and is
 * covered by a daily row of the same level and entity. Uncovered days are kept and counted so
 * an operator sees that a rollup or a daily pull is missing. Set-based; safe to repeat.
 */
export async function deleteCoveredHourlyRows(db: Db, cutoffDate: string): Promise<HourlyRetentionResult> {
  return db.$transaction(async (tx) => {
    const deletedHourlyActionRows = await tx.$executeRaw`
      DELETE FROM metrics_hourly_actions h
       WHERE h.local_date < ${cutoffDate}::date
         AND EXISTS (SELECT 1 FROM metrics_daily d
                      WHERE d.level = h.level AND d.entity_id = h.entity_id AND d.date = h.local_date)`;
    const deletedHourlyRows = await tx.$executeRaw`
      DELETE FROM metrics_hourly h
       WHERE h.local_date < ${cutoffDate}::date
         AND EXISTS (SELECT 1 FROM metrics_daily d
                      WHERE d.level = h.level AND d.entity_id = h.entity_id AND d.date = h.local_date)`;
    const [{ days }] = await tx.$queryRaw<Array<{ days: bigint }>>`
      SELECT count(*)::bigint AS days FROM (
        SELECT DISTINCT ad_account_id, local_date FROM metrics_hourly WHERE local_date < ${cutoffDate}::date) uncovered`;
    return { cutoffDate, deletedHourlyRows, deletedHourlyActionRows, keptUncoveredDays: Number(days) };
  });
}
