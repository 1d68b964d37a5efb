/**
 * Customer-list fields normalised as Meta specifies before hashing ("Customer file custom
 * audiences", hashing and normalisation): EMAIL trimmed and lower-cased; PHONE digits only, with
 * the country code, without leading zeros; FN and LN lower-cased, letters only (no punctuation or
 * spaces, UTF-8 letters kept); EXTERN_ID trimmed and sent as is (Meta does not require hashing
 * it). Pure: the service hashes what these return with SHA-256 (src/operations/audience-rows.ts).
 */

/** The customer-list keys this service uploads, in Meta's schema names. */
export const AUDIENCE_FIELDS = ['EMAIL', 'PHONE', 'FN', 'LN', 'EXTERN_ID'] as const;
export type AudienceField = (typeof AUDIENCE_FIELDS)[number];

/** Keys whose normalised value is SHA-256 hashed before it leaves the service. */
export const HASHED_AUDIENCE_FIELDS: ReadonlySet<AudienceField> = new Set(['EMAIL', 'PHONE', 'FN', 'LN']);

/** Meta's limit of rows per `/users` call, which is also the size of one upload batch. */
export const AUDIENCE_BATCH_ROWS = 10_000;

/** A field normalised, or why it cannot be (the reason never repeats the value). */
export type Normalised = { ok: true; value: string } | { ok: false; reason: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Meta: trim leading and trailing whitespace, lower-case. */
export function normaliseEmail(raw: string): Normalised {
  const value = raw.trim().toLowerCase();
  if (!EMAIL.test(value)) return { ok: false, reason: 'not an email address' };
  return { ok: true, value };
}

/**
 * Meta: digits only (remove symbols, letters and spaces), no leading zeros, with the country
 * code. E.164 numbers are 8 to 15 digits with the country code; a shorter one has lost it.
 */
export function normalisePhone(raw: string): Normalised {
  const value = raw.replace(/\D/g, '').replace(/^0+/, '');
  if (value.length < 8) return { ok: false, reason: 'too few digits for a phone number with its country code' };
  if (value.length > 15) return { ok: false, reason: 'more than 15 digits' };
  return { ok: true, value };
}

/** Meta: lower-case, no punctuation; UTF-8 letters (accents included) are kept. */
export function normaliseName(raw: string): Normalised {
  const value = raw.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{M}]/gu, '');
  if (!value) return { ok: false, reason: 'no letters' };
  return { ok: true, value };
}

/** EXTERN_ID: the advertiser's own id, trimmed; not hashed. */
export function normaliseExternId(raw: string): Normalised {
  const value = raw.trim();
  if (!value) return { ok: false, reason: 'empty' };
  if (value.length > 256) return { ok: false, reason: 'longer than 256 characters' };
  return { ok: true, value };
}

/** The normaliser of each field. */
export const NORMALISERS: Record<AudienceField, (raw: string) => Normalised> = {
  EMAIL: normaliseEmail,
  PHONE: normalisePhone,
  FN: normaliseName,
  LN: normaliseName,
  EXTERN_ID: normaliseExternId,
};

/** Why a row is not uploaded: its 1-based number in the list, the field and the reason. Never the value. */
export interface InvalidAudienceRow {
  row: number;
  field: AudienceField | null;
  reason: string;
}

/**
 * One row's fields normalised, in schema order ('' where the row has none), or the first reason
 * it cannot be uploaded. A row needs at least one identifier; a field present but invalid makes
 * the row invalid rather than silently dropping that field.
 */
export function normaliseAudienceRow(schema: readonly AudienceField[], values: readonly (string | null | undefined)[]): { ok: true; values: string[] } | { ok: false; field: AudienceField | null; reason: string } {
  const out: string[] = [];
  let any = false;
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i] as AudienceField;
    const raw = values[i];
    if (raw === null || raw === undefined || raw.trim() === '') {
      out.push('');
      continue;
    }
    const result = NORMALISERS[field](raw);
    if (!result.ok) return { ok: false, field, reason: result.reason };
    out.push(result.value);
    any = true;
  }
  if (!any) return { ok: false, field: null, reason: 'no identifier in the row' };
  return { ok: true, values: out };
}
