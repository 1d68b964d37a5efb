/** The incremental sync's cursors: per account and entity, the highest `updated_time` already stored. */
import type { Db } from './prisma-client';

/** Highest `updated_time` stored per entity of an account: the incremental sync's starting point. */
export async function initialiseSyncCursors(db: Db, adAccountId: string): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const table of ['campaigns', 'ad_sets', 'ads'] as const) {
    const rows = await db.$queryRawUnsafe<Array<{ max: Date | null }>>(
      `WITH m AS (SELECT max(updated_time) AS max FROM ${table} WHERE ad_account_id = $1)
       INSERT INTO sync_cursors (ad_account_id, entity_type, cursor_time, updated_at)
       SELECT $1, $2, m.max, now() FROM m WHERE m.max IS NOT NULL
       ON CONFLICT (ad_account_id, entity_type) DO UPDATE SET cursor_time = GREATEST(sync_cursors.cursor_time, EXCLUDED.cursor_time), updated_at = now()
       RETURNING cursor_time AS max`,
      adAccountId,
      table,
    );
    out[table] = rows[0]?.max?.toISOString() ?? null;
  }
  return out;
}

/** The stored cursors of an account (none before its first full sync). */
export async function listSyncCursors(db: Db, adAccountId: string): Promise<Array<{ entityType: string; cursorTime: Date }>> {
  return db.syncCursor.findMany({ where: { adAccountId }, select: { entityType: true, cursorTime: true } });
}
