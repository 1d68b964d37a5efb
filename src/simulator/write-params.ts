/**
 * Parsing of write parameters as Meta reads them: form strings, JSON-valued specs, integers in
 * minor units, times as ISO 8601 or unix seconds, enums. Each failure is Meta's code 100
 * validation envelope with the parameter blamed.
 */
import { invalidParameter, validationError } from './graph-errors';

/** Params that are never object fields (transport, paging, SDK extras). */
export const TRANSPORT_PARAMS: ReadonlySet<string> = new Set([
  'access_token', 'appsecret_proof', 'fields', 'method', 'format', 'pretty', 'suppress_http_code', 'locale', 'include_headers', 'execution_options',
]);

/** Configured statuses a client may set. */
export const WRITABLE_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'] as const;

/** Bid strategies [SDK]. */
export const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP', 'LOWEST_COST_WITH_MIN_ROAS'] as const;

/** Optimization goals [SDK AdSet.OptimizationGoal]. */
export const OPTIMIZATION_GOALS = [
  'NONE', 'APP_INSTALLS', 'AD_RECALL_LIFT', 'ENGAGED_USERS', 'EVENT_RESPONSES', 'IMPRESSIONS', 'LEAD_GENERATION', 'QUALITY_LEAD',
  'LINK_CLICKS', 'OFFSITE_CONVERSIONS', 'PAGE_LIKES', 'POST_ENGAGEMENT', 'QUALITY_CALL', 'REACH', 'LANDING_PAGE_VIEWS',
  'VISIT_INSTAGRAM_PROFILE', 'VALUE', 'THRUPLAY', 'DERIVED_EVENTS', 'APP_INSTALLS_AND_OFFSITE_CONVERSIONS', 'CONVERSATIONS',
  'IN_APP_VALUE', 'MESSAGING_PURCHASE_CONVERSION', 'SUBSCRIBERS', 'REMINDERS_SET', 'MEANINGFUL_CALL_ATTEMPT',
  'PROFILE_VISIT', 'PROFILE_AND_PAGE_ENGAGEMENT', 'ADVERTISER_SILOED_VALUE', 'AUTOMATIC_OBJECTIVE',
  'MESSAGING_APPOINTMENT_CONVERSION', 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS', 'STORE_VISITS',
] as const;

/** Billing events [SDK AdSet.BillingEvent]. */
export const BILLING_EVENTS = [
  'APP_INSTALLS', 'CLICKS', 'IMPRESSIONS', 'LINK_CLICKS', 'LISTING_INTERACTION', 'NONE', 'OFFER_CLAIMS', 'PAGE_LIKES',
  'POST_ENGAGEMENT', 'PURCHASE', 'THRUPLAY',
] as const;

/** Special ad categories [SDK Campaign.SpecialAdCategories]. */
export const SPECIAL_AD_CATEGORIES = ['NONE', 'CREDIT', 'EMPLOYMENT', 'HOUSING', 'ISSUES_ELECTIONS_POLITICS', 'FINANCIAL_PRODUCTS_SERVICES', 'ONLINE_GAMBLING_AND_GAMING'] as const;

/** A JSON-valued param, parsed (undefined when absent). */
export function jsonParam(params: Record<string, string>, field: string): unknown {
  const raw = params[field];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw validationError(field, 'Invalid parameter', `The value of ${field} must be valid JSON.`);
  }
}

/** A JSON object param (undefined when absent). */
export function objectParam(params: Record<string, string>, field: string): Record<string, unknown> | undefined {
  const v = jsonParam(params, field);
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw validationError(field, 'Invalid parameter', `${field} must be a JSON object.`);
  return v as Record<string, unknown>;
}

/** The trimmed name, required. */
export function requireName(params: Record<string, string>, what: string): string {
  const name = params.name?.trim();
  if (!name) throw validationError('name', `Missing ${what} name`, `Please give your ${what} a name.`);
  return name;
}

/** A whole non-negative amount in the account currency's minor unit, as Meta's string. */
export function minorUnits(params: Record<string, string>, field: string): string | undefined {
  const raw = params[field];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw validationError(field, 'Invalid budget', `The ${field} must be a whole number in the minor unit of the account currency.`);
  if (n < 0) throw validationError(field, 'Invalid budget', `The ${field} can't be negative.`);
  return String(n);
}

/**
 * A time param in epoch ms: ISO 8601 (`2026-11-20T00:00:00-0800`) or unix seconds. `0` means
 * "no end" and gives null, accepted only where `clearable`.
 */
export function timeParam(params: Record<string, string>, field: string, clearable: boolean): number | null | undefined {
  const raw = params[field]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) {
    const seconds = Number(raw);
    if (seconds === 0) {
      if (clearable) return null;
      throw validationError(field, 'Invalid time', `${field} must be a date and time.`);
    }
    return seconds * 1000;
  }
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw validationError(field, 'Invalid time', `${field} must be an ISO 8601 date and time or a unix timestamp.`);
  return ms;
}

/** An enum param (undefined when absent). */
export function enumParam<T extends string>(params: Record<string, string>, field: string, values: readonly T[]): T | undefined {
  const v = params[field];
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalidParameter(`(#100) param ${field} must be one of {${values.join(', ')}}`, { error_data: { blame_field_specs: [[field]] } });
  }
  return v as T;
}

/** True when `execution_options` asks to validate without applying. */
export function validateOnly(params: Record<string, string>): boolean {
  return (params.execution_options ?? '').includes('validate_only');
}

/** Throws code 100 naming the first param that is not in `allowed`. */
export function refuseUnknownParams(params: Record<string, string>, allowed: ReadonlySet<string>, action: 'creating' | 'updating'): string[] {
  const keys = Object.keys(params).filter((k) => !TRANSPORT_PARAMS.has(k));
  for (const k of keys) {
    if (!allowed.has(k)) throw invalidParameter(`(#100) Param ${k} is not a valid param for ${action} this object`, { error_data: { blame_field_specs: [[k]] } });
  }
  return keys;
}
