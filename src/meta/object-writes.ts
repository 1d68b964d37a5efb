/**
 * Change-set writes of campaigns, ad sets and ads, on top of each object's own write parameters
 * (src/meta/objects): the fields a live read asks for, the live values in the change set's
 * canonical form (minor-unit strings, "0" budgets as unset, UTC instants to the second), and the
 * parameters of an update or a create.
 */
import { canonicalTime, type ChangeField, type ChangeLevel, type FieldValue } from '../../domain/change-set-vocabulary';
import type { GraphParams } from './graph-api';
import { AD_WRITE_PARAMS, adCreateParams } from './objects/ad';
import { ADSET_WRITE_PARAMS, adSetCreateParams } from './objects/ad-set';
import { CAMPAIGN_WRITE_PARAMS, campaignCreateParams } from './objects/campaign';

/** Graph parameter of each field per level (from each object's file). */
export const META_PARAM: Readonly<Record<ChangeLevel, Partial<Record<ChangeField, string>>>> = {
  campaign: CAMPAIGN_WRITE_PARAMS,
  adset: ADSET_WRITE_PARAMS,
  ad: AD_WRITE_PARAMS,
};

/** Fields a live read of a level asks for: every writable field, plus what recording needs. */
export function liveReadFields(level: ChangeLevel): string[] {
  return ['id', ...new Set(Object.values(META_PARAM[level])), 'effective_status', 'updated_time'];
}

const MONEY_PARAMS = new Set(['daily_budget', 'lifetime_budget', 'bid_amount', 'spend_cap']);
const UNSET_WHEN_ZERO = new Set(['daily_budget', 'lifetime_budget', 'spend_cap']);
const TIME_PARAMS = new Set(['start_time', 'end_time', 'stop_time']);

/** One Graph value in canonical form. */
export function canonicalLiveValue(param: string, value: unknown): FieldValue {
  if (value === undefined || value === null || value === '') return null;
  if (MONEY_PARAMS.has(param)) {
    const text = String(value).trim();
    if (UNSET_WHEN_ZERO.has(param) && (text === '0' || text === '')) return null;
    return /^-?\d+$/.test(text) ? BigInt(text).toString() : text;
  }
  if (TIME_PARAMS.has(param)) {
    if (value === 0 || value === '0') return null;
    const normalised = typeof value === 'number' || /^\d+$/.test(String(value)) ? Number(value) * 1000 : String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    return canonicalTime(normalised);
  }
  return String(value);
}

/** The change-set fields of a live Graph object in canonical form. */
export function liveValues(level: ChangeLevel, raw: Record<string, unknown>, fields: readonly ChangeField[]): Partial<Record<ChangeField, FieldValue>> {
  const out: Partial<Record<ChangeField, FieldValue>> = {};
  for (const field of fields) {
    const param = META_PARAM[level][field];
    if (param) out[field] = canonicalLiveValue(param, raw[param]);
  }
  return out;
}

/** Parameters of an update that sets these fields to these canonical values. */
export function updateParams(level: ChangeLevel, values: Partial<Record<ChangeField, FieldValue>>): GraphParams {
  const params: GraphParams = {};
  for (const [field, value] of Object.entries(values) as Array<[ChangeField, FieldValue]>) {
    const param = META_PARAM[level][field];
    if (!param) continue;
    params[param] = value === null ? (TIME_PARAMS.has(param) ? 0 : '') : value;
  }
  return params;
}

/** Edge a level is created on (`act_<n>/<edge>`). */
export const CREATE_EDGE: Readonly<Record<ChangeLevel, string>> = { campaign: 'campaigns', adset: 'adsets', ad: 'ads' };

/** Graph parameters of a create from a canonical create spec (see domain/object-create-plan). */
export function createParams(level: ChangeLevel, spec: Record<string, unknown>): GraphParams {
  switch (level) {
    case 'campaign':
      return campaignCreateParams(spec);
    case 'adset':
      return adSetCreateParams(spec);
    case 'ad':
      return adCreateParams(spec);
  }
}
