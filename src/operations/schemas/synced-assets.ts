/**
 * Pieces the reads of synced objects beyond campaigns, ad sets and ads share: the list filters
 * (account, deleted rows, paging) and instants given as an ISO time or a calendar day.
 */
import { z } from 'zod';
import { adAccountIdSchema, booleanishSchema, cursorSchema, dateSchema, limitSchema } from './common';

/** Filters of every list of an account's synced objects; `limit` defaults differ per list. */
export const syncedListBase = (maxLimit = 500, defaultLimit = 100) => ({
  adAccountId: adAccountIdSchema.optional().describe('Defaults to every ad account of the company'),
  includeDeleted: booleanishSchema.optional().describe('Include objects Meta no longer reports (deletedAt set)'),
  cursor: cursorSchema.optional(),
  limit: limitSchema(maxLimit, defaultLimit),
});

/** A page of a list scoped to one parent object (no account filter: the parent names it). */
export const childListBase = (maxLimit = 500, defaultLimit = 100) => ({
  includeDeleted: booleanishSchema.optional().describe('Include objects Meta no longer reports (deletedAt set)'),
  cursor: cursorSchema.optional(),
  limit: limitSchema(maxLimit, defaultLimit),
});

/** An instant bound of a time range: an ISO 8601 time with offset, or a UTC calendar day. */
export const instantSchema = z
  .union([dateSchema, z.iso.datetime({ offset: true, message: 'expected an ISO 8601 time with offset such as 2026-11-30T12:00:00Z, or a day YYYY-MM-DD' })])
  .describe('ISO 8601 time with offset, or a day YYYY-MM-DD (UTC)');

/**
 * [from, to) as instants: a day as `from` is its first instant (UTC), a day as `to` includes
 * that whole day. Undefined stays undefined.
 */
export function instantRange(range: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const day = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
  const from = range.from === undefined ? undefined : new Date(day(range.from) ? `${range.from}T00:00:00Z` : range.from);
  const to = range.to === undefined ? undefined : day(range.to) ? new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000) : new Date(range.to);
  return { from, to };
}

/** Adds an issue on `to` when both bounds are given and `to` is not after `from`. */
export function checkInstantRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (value.from === undefined || value.to === undefined) return;
  if (!instantSchema.safeParse(value.from).success || !instantSchema.safeParse(value.to).success) return;
  const { from, to } = instantRange(value);
  if (from!.getTime() >= to!.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must be after "from"' });
}

export const timestamp = z.string().describe('ISO 8601 time');
export const optionalTimestamp = z.string().nullable().describe('ISO 8601 time, or null');
export const money = z.string().nullable().describe('Decimal string in major units of the currency');
