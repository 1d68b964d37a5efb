import { createHash } from 'node:crypto';
import type { Db } from './prisma-client';

/** Where a learned page size applies: one Graph edge read with one field list. */
export interface PageSizeKey {
  edge: string;
  fields: readonly string[];
}

/** Stable short hash of a field list (order matters to Meta's request, so it matters here). */
export function fieldsHash(fields: readonly string[]): string {
  return createHash('sha256').update(fields.join(',')).digest('hex').slice(0, 16);
}

/** The page size learned for an edge and field list, if any worker stored one. */
export async function loadPageSize(db: Db, key: PageSizeKey): Promise<number | undefined> {
  const row = await db.metaPageSize.findUnique({ where: { edge_fieldsHash: { edge: key.edge, fieldsHash: fieldsHash(key.fields) } } });
  return row?.pageSize;
}

/**
 * Stores the page size that worked. A smaller size wins over a larger one learned elsewhere (the
 * larger one may be a size that failed since); `learned_at` moves either way.
 */
export async function savePageSize(db: Db, key: PageSizeKey & { pageSize: number }): Promise<void> {
  const hash = fieldsHash(key.fields);
  await db.$executeRaw`
    INSERT INTO meta_page_sizes (edge, fields_hash, page_size, learned_at) VALUES (${key.edge}, ${hash}, ${key.pageSize}, now())
    ON CONFLICT (edge, fields_hash) DO UPDATE SET page_size = LEAST(meta_page_sizes.page_size, EXCLUDED.page_size), learned_at = now()`;
}
