import { ValidationError } from '../errors';

/** One page of a list: every list in both fronts has this shape. */
export type Page<T> = {
  data: T[];
  /** Pass back as `cursor` for the next page; null when nothing remains. */
  nextCursor: string | null;
};

/** Opaque keyset cursor: base64url of the last row's sort key. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; anything else is the caller's mistake (400). */
export function decodeCursor<K extends string>(cursor: string | undefined, keys: readonly K[]): Record<K, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string')) {
      return value as Record<K, string>;
    }
  } catch {
    // fall through
  }
  throw new ValidationError('The cursor is not valid: pass back the nextCursor of the previous page unchanged', { field: 'cursor' });
}

/** Turns `limit + 1` fetched rows into a page. */
export function toPage<Row, T>(rows: Row[], limit: number, map: (row: Row) => T, keyOf: (row: Row) => Record<string, string>): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { data: kept.map(map), nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1])) : null };
}
