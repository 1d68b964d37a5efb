/**
 * What the Meta object files beside this one share. Each object file holds the object's field
 * list, its zod wire schema and the `parse*` function that turns it into the typed record the
 * database stores.
 *
 * Field lists: only `id` comes back unless fields are named, so each list covers every column the
 * database stores (prisma/schema.prisma) plus what the parsers need to place a row (parent ids,
 * account id). Keep lists short: Meta answers "reduce the amount of data" when limit × fields
 * grows, and each field costs CPU quota.
 *
 * Records: ids as strings, object times as `Date`, budgets as `Decimal` major units of the
 * account currency, counts as bigint. Each record keeps `raw` (the object as Meta sent it) so a
 * field we do not map yet is not lost. Absent fields become `null` (not undefined) so a record
 * can be written as-is by an upsert. Daily/lifetime budgets of "0" and a spend cap of "0" mean
 * "not set" on Meta and become null.
 */
import type Decimal from 'decimal.js';
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { minorToMajor } from '../money';
import { looseInt, looseString, metaId, metaTime } from '../wire-values';

/** A JSON value as Meta sent it. */
export type Json = unknown;

/** What a parser needs beyond the object itself. */
export interface ParseContext {
  /** Account currency (ISO 4217), for minor-unit budgets. */
  currency: string;
  /** `act_<n>`; used when the object does not carry `account_id`. */
  adAccountId?: string;
}

export const optStr = looseString.nullish();
export const optId = metaId.nullish();
export const optTime = metaTime.nullish();
export const optMinor = z.union([z.string(), z.number()]).nullish();
export const optInt = looseInt.nullish();
export const idRef = z.looseObject({ id: metaId }).nullish();

/** `act_<n>` from either form. */
export function toActId(id: string): string {
  return id.startsWith('act_') ? id : `act_${id}`;
}

/** The record's `act_` account: the object's own `account_id`, else the context's. */
export function accountOf(accountId: string | null | undefined, ctx: Partial<ParseContext>, what: string): string {
  if (accountId) return toActId(accountId);
  if (ctx.adAccountId) return toActId(ctx.adAccountId);
  throw missingParent(what, '?', 'ad account (no account_id field and no adAccountId in the context)');
}

/** Minor units of `currency` as a major-unit Decimal; absent (and, when asked, zero) is null. */
export function minorOrNull(value: string | number | null | undefined, currency: string, zeroIsNull = false): Decimal | null {
  if (value === undefined || value === null || value === '') return null;
  if (zeroIsNull && (value === '0' || value === 0)) return null;
  return minorToMajor(typeof value === 'number' ? String(value) : value, currency);
}

/** A string or number as text, anything else null. */
export function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** The error for an object Meta returned without the parent it must have. */
export function missingParent(what: string, id: string, parent: string): ValidationError {
  return new ValidationError(`Meta returned a ${what} (${id}) without its ${parent}`);
}

/** Copies the spec's keys that are set to their Graph names, with `status=PAUSED` (a create never starts delivery). */
export function pick(spec: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  const params: Record<string, unknown> = { status: 'PAUSED' };
  for (const [from, to] of Object.entries(names)) if (spec[from] !== undefined) params[to] = spec[from];
  return params;
}
