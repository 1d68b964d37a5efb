/** What every read of synced objects shares: the account filter's ownership check and view helpers. */
import { ValidationError } from '../errors';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import type { Actor } from './actor';
import type { ServiceContext } from './service-context';

/** A named ad account must be the caller's company's (404 otherwise, like one that does not exist). */
export async function checkAccountFilter(ctx: ServiceContext, actor: Actor, adAccountId: string | undefined): Promise<void> {
  if (adAccountId) await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId });
}

export const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
export const decimalText = (value: { toString(): string } | null): string | null => (value === null ? null : value.toString());
/** A stored BigInt count (audience sizes) as a number: they stay far below 2^53. */
export const countOf = (value: bigint | null): number | null => (value === null ? null : Number(value));
/** A stored JSON value, or null when the column is empty. */
export const jsonOrNull = (value: unknown): unknown => value ?? null;

/** A cursor decoded by decodeCursor still carries text: a forged one must be a 400, never a failed query. */
export function checkCursorParts(cursor: Record<string, string> | undefined, parts: Record<string, 'time' | 'digits' | 'uuid'>): void {
  if (!cursor) return;
  const ok = Object.entries(parts).every(([key, kind]) => {
    const value = cursor[key] ?? '';
    if (kind === 'time') return /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value));
    if (kind === 'digits') return /^\d{1,19}$/.test(value);
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  });
  if (!ok) throw new ValidationError('The cursor is not valid: pass back the nextCursor of the previous page unchanged', { field: 'cursor' });
}
