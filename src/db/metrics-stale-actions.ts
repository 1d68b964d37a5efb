import type { Db } from './prisma-client';

/**
 * Removes Meta action rows that a re-read no longer carries. Meta lists an action type only
 * while one of its counts is non-zero, so when late attribution revises an action to zero it
 * simply disappears from the row; an upsert alone would keep the old count forever. Given the
 * (level, entity, bucket) keys of a page that was just written, and the action rows it wrote,
 * deletes the other `source = 'meta'` action rows of those keys. One statement per page.
 */

/** A (level, entity, bucket) key: bucket is a day (daily) or the hour's start instant (hourly). */
export interface ActionBucketKey {
  level: string;
  entityId: string;
  bucket: string;
}

export interface ActionKey extends ActionBucketKey {
  actionType: string;
  attributionWindow: string;
}

/** Deletes stale Meta action rows of the given buckets; returns how many were deleted. */
export async function pruneStaleMetaActions(db: Db, grain: 'hourly' | 'daily', buckets: readonly ActionBucketKey[], kept: readonly ActionKey[]): Promise<number> {
  if (buckets.length === 0) return 0;
  const table = grain === 'hourly' ? 'metrics_hourly_actions' : 'metrics_daily_actions';
  const column = grain === 'hourly' ? 'bucket_start' : 'date';
  const type = grain === 'hourly' ? 'timestamptz' : 'date';
  // Each bucket carries the "type<US>window" pairs it kept: an array test per row stays linear
  // where a join against a second JSON set would be planned as a nested loop (no row estimates).
  const byBucket = new Map<string, ActionBucketKey & { kept: string[] }>();
  for (const b of buckets) byBucket.set(bucketKey(b), { level: b.level, entityId: b.entityId, bucket: b.bucket, kept: [] });
  for (const a of kept) byBucket.get(bucketKey(a))?.kept.push(`${a.actionType}\u001f${a.attributionWindow}`);
  // Identifiers come from the constants above, never from input.
  return db.$executeRawUnsafe(
    `WITH k AS MATERIALIZED (
       SELECT level, "entityId", bucket, kept FROM jsonb_to_recordset($1::jsonb) AS r(level text, "entityId" text, bucket ${type}, kept text[])
     )
     DELETE FROM ${table} a
      USING k
      WHERE a.level = k.level AND a.entity_id = k."entityId" AND a.${column} = k.bucket AND a.source = 'meta'
        AND NOT ((a.action_type || chr(31) || a.attribution_window) = ANY (k.kept))`,
    JSON.stringify([...byBucket.values()]),
  );
}

function bucketKey(b: ActionBucketKey): string {
  return `${b.level}\u0000${b.entityId}\u0000${b.bucket}`;
}
