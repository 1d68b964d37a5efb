/**
 * Zod building blocks for Meta wire values: ids that must stay strings, `±hhmm` datetimes,
 * minor-unit money strings, string counters. Shared by the entity and insights parsers.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { ValidationError } from '../errors';

/** Meta ids are numeric strings beyond 2^53; a number here would already have lost digits, so it is accepted only when safe. */
export const metaId = z.union([
  z.string().min(1),
  z.number().int().refine((n) => Number.isSafeInteger(n), 'id is not a safe integer').transform(String),
]);

/** A string, or a number Meta sometimes sends for the same field. */
export const looseString = z.union([z.string(), z.number().transform(String)]);

/** Integer-ish values that Meta sends as numbers or numeric strings. */
export const looseInt = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);

/** Decimal-ish values (numbers or strings) kept exact. */
export const looseDecimalString = z.union([z.string().regex(/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i), z.number().transform(String)]);

/** Datetime as Meta sends it (`2024-03-12T15:02:47-0700`, ISO with colon, or unix seconds). */
export const metaTime = z.union([z.string(), z.number()]);

/** Parses a Meta datetime; unix seconds (number or digit string) and `±hhmm` offsets included. */
export function parseMetaTime(value: string | number): Date {
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const seconds = Number(value);
    const date = new Date(seconds * 1000);
    if (Number.isNaN(date.getTime())) throw new ValidationError(`"${value}" is not a valid Meta time`);
    return date;
  }
  // Meta writes offsets without a colon, which Date.parse does not promise to accept.
  const normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime())) throw new ValidationError(`"${value}" is not a valid Meta time`);
  return date;
}

/** Like {@link parseMetaTime}, but empty/absent/zero ("no end time") becomes null. */
export function optionalTime(value: string | number | null | undefined): Date | null {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return null;
  return parseMetaTime(value);
}

/** A counter as bigint (Meta sends "12345"); null when absent. */
export function optionalBigInt(value: string | number | null | undefined): bigint | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'number' ? String(Math.trunc(value)) : value.trim();
  if (!/^-?\d+$/.test(text)) throw new ValidationError(`"${text}" is not an integer counter`);
  return BigInt(text);
}

/** A major-unit decimal (insights spend, cpc, frequency); null when absent. */
export function optionalDecimal(value: string | number | null | undefined): Decimal | null {
  if (value === undefined || value === null || value === '') return null;
  return new Decimal(typeof value === 'number' ? String(value) : value.trim());
}

/** JSON-valued fields Meta sometimes returns as a JSON string (custom audience `rule`, product set `filter`). */
export function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Runs a zod schema and turns a failure into a ValidationError naming the entity and the bad paths. */
export function parseWith<T>(schema: z.ZodType<T>, what: string, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ValidationError(`Meta returned an unexpected ${what}: ${problems}`, { what });
  }
  return result.data;
}
