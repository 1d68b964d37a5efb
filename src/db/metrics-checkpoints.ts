import type { Db } from './prisma-client';

/**
 * Per-(ad account, grain, local day) checkpoints of the metrics sync: a day is checkpointed
 * once every level of it was read from Meta and written, so a failed run resumes from the first
 * unfinished day instead of from scratch. Days are account-local `YYYY-MM-DD` text throughout:
 * a JavaScript Date would shift them by the process's time zone.
 */

/** Grains the metrics sync checkpoints (`monthly` is the optional reach read). */
export type CheckpointGrain = 'hourly' | 'daily' | 'monthly';

/** Checkpointed days of an account and grain within [from, to] (inclusive), as `YYYY-MM-DD`. */
export async function listCheckpointedDays(
  db: Db,
  input: { adAccountId: string; grain: CheckpointGrain; from: string; to: string },
): Promise<Set<string>> {
  const rows = await db.$queryRaw<Array<{ day: string }>>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day FROM metrics_sync_checkpoints
     WHERE ad_account_id = ${input.adAccountId} AND grain = ${input.grain}
       AND day BETWEEN ${input.from}::date AND ${input.to}::date`;
  return new Set(rows.map((r) => r.day));
}

/**
 * Checkpoints every day of [since, until] for the account and grain, storing how many metric
 * rows (all levels) the day now has. Idempotent: a repeated call only refreshes the row count
 * and completion time.
 */
export async function checkpointDays(
  db: Db,
  input: { adAccountId: string; grain: CheckpointGrain; since: string; until: string; workflowId?: string },
): Promise<number> {
  const table = input.grain === 'hourly' ? 'metrics_hourly' : input.grain === 'monthly' ? 'metrics_monthly' : 'metrics_daily';
  const dayColumn = input.grain === 'hourly' ? 'local_date' : input.grain === 'monthly' ? 'month' : 'date';
  // Identifiers come from the two constant maps above, never from input.
  return db.$executeRawUnsafe(
    `INSERT INTO metrics_sync_checkpoints AS c (ad_account_id, grain, day, rows, completed_at, workflow_id)
     SELECT $1, $2, d::date, coalesce(n.rows, 0), now(), $5
       FROM generate_series($3::date, $4::date, interval '1 day') AS d
       LEFT JOIN (SELECT ${dayColumn} AS day, count(*)::int AS rows FROM ${table}
                   WHERE ad_account_id = $1 AND ${dayColumn} BETWEEN $3::date AND $4::date GROUP BY ${dayColumn}) n
              ON n.day = d::date
     ON CONFLICT (ad_account_id, grain, day) DO UPDATE
        SET rows = EXCLUDED.rows, completed_at = EXCLUDED.completed_at, workflow_id = EXCLUDED.workflow_id`,
    input.adAccountId,
    input.grain,
    input.since,
    input.until,
    input.workflowId ?? null,
  );
}

/** Every checkpoint of an account and grain, oldest first (for operators and tests). */
export async function listCheckpoints(
  db: Db,
  input: { adAccountId: string; grain: CheckpointGrain },
): Promise<Array<{ day: string; rows: number; completedAt: Date; workflowId: string | null }>> {
  return db.$queryRaw`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, rows, completed_at AS "completedAt", workflow_id AS "workflowId"
      FROM metrics_sync_checkpoints
     WHERE ad_account_id = ${input.adAccountId} AND grain = ${input.grain}
     ORDER BY day`;
}
