/**
 * Pieces every area's schemas share: ids, dates, paging, ranges. The input and output schemas of
 * each area (one file per area beside this one) are shared by both fronts: the HTTP routes
 * (validation and OpenAPI) and the MCP tools (inputSchema / outputSchema). Operations parse their
 * input with these too, so a call that skips a front's validation still cannot reach Temporal or
 * the database unchecked. Inputs are strict objects: an unknown field is a mistake worth
 * reporting, not ignoring.
 */
import { z } from 'zod';
import { daysBetween, isCalendarDay, localDate } from '../../../domain/calendar';

export const adAccountIdSchema = z.string().regex(/^act_\d{1,25}$/, 'expected an ad account id such as act_1234567890').describe('Ad account id (act_<digits>)');
export const metaObjectIdSchema = z.string().regex(/^\d{1,25}$/, 'expected a numeric Meta object id').describe('Meta object id (digits)');
export const companyIdSchema = z.uuid('expected a company id (UUID)').describe('Company id (UUID)');
export const workflowIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_:.@-]+$/, 'expected a workflow id such as meta-full-sync:act_1234567890')
  .describe('Temporal workflow id');
export const scheduleIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_:.@-]+$/, 'expected a schedule id such as meta-incremental-sync-schedule:act_1234567890')
  .describe('Temporal schedule id');

/** A calendar day, YYYY-MM-DD, that exists. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => isCalendarDay(value) && value >= '2000-01-01' && value <= '2100-12-31', 'expected a real calendar date between 2000-01-01 and 2100-12-31');

export const cursorSchema = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_=-]+$/, 'expected the nextCursor of a previous page').describe('Opaque cursor from nextCursor');
/** Query strings carry numbers as text; MCP sends real numbers. Both are accepted. */
export const limitSchema = (max: number, fallback: number) =>
  z.coerce.number().int('limit must be a whole number').min(1).max(max).default(fallback).describe(`Page size (1-${max}, default ${fallback})`);
/** `true`/`false` as a JSON boolean or as query-string text. */
export const booleanishSchema = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

/** A Meta status as a list filter. */
export const statusFilterSchema = z.string().regex(/^[A-Z_]{1,40}$/, 'expected a Meta status such as ACTIVE or PAUSED');

/** Adds an issue on `to` when a from/to range is reversed or longer than `maxDays`. */
export function checkRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx, maxDays: number): void {
  // A date that is not a real day is reported on its own field; comparing it would add a second, false issue.
  if ((value.from !== undefined && !dateSchema.safeParse(value.from).success) || (value.to !== undefined && !dateSchema.safeParse(value.to).success)) return;
  if (value.from && value.to) {
    if (value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must not be before "from"' });
    else if (daysBetween(value.from, value.to) > maxDays) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxDays} days` });
  }
}

/**
 * Adds an issue on `from` when a range left open at the end (`to` is today) is reversed or longer
 * than `maxDays` in every time zone. A schema does not know the account's zone, so it refuses only
 * what is wrong everywhere; the operation that starts the work checks again with the account's own
 * today. Without this, giving `from` alone skipped the cap entirely.
 */
export function checkRangeToToday(from: string | undefined, ctx: z.RefinementCtx, maxDays: number, now = Date.now()): void {
  if (from === undefined || !dateSchema.safeParse(from).success) return;
  const earliestToday = localDate(now, 'Etc/GMT+12');
  const latestToday = localDate(now, 'Etc/GMT-14');
  if (from > latestToday) ctx.addIssue({ code: 'custom', path: ['from'], message: '"from" must not be after today when "to" is not given' });
  else if (daysBetween(from, earliestToday) > maxDays) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `without "to" the range runs to today, and it may span at most ${maxDays} days: give "to" as well, or a later "from"` });
  }
}

/** `{data, nextCursor}` for any item schema. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}
