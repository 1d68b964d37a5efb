/**
 * Turns what the Graph API answered (error envelope, HTTP status, usage headers) into the
 * project's error classes, so callers decide on retry/stop/re-auth by class, never by parsing
 * Meta's text. Every message and detail is redacted: no token or proof can leave through an error.
 */
import {
  MetaAuthError,
  MetaObjectChangeLimitError,
  MetaDataTooLargeError,
  MetaInvalidRequestError,
  MetaPermissionError,
  MetaThrottleError,
  MetaTransientError,
  type MetaApiError,
  type MetaErrorInfo,
} from '../errors';
import { redactSecrets } from './redaction';
import type { MetaUsage } from './usage-headers';

/** The `error` object of Meta's error envelope; every key is optional because Meta omits most. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: unknown;
  fbtrace_id?: string;
}

/** What went wrong below HTTP: no response at all. */
export type NetworkFailure = 'timeout' | 'network';

/** Inputs of {@link classifyMetaError}. */
export interface ClassifyMetaErrorInput {
  /** HTTP status, or the batch item's `code`. Undefined when no response arrived. */
  httpStatus?: number;
  /** The response body: the envelope `{error:{...}}`, the inner error object, or anything else. */
  body?: unknown;
  /** Usage parsed from the same response's headers. */
  usage?: MetaUsage;
  /** Ad account the call was for, named in auth messages so an operator knows what to re-connect. */
  adAccountId?: string;
  /** Set when the request got no response. */
  networkFailure?: NetworkFailure;
  /** Extra secrets to strip from Meta's text (token, proof). Well-known parameter patterns are always stripped. */
  secrets?: readonly (string | undefined)[];
  /** Short description of the call for messages, e.g. `GET act_1/campaigns` (must not contain secrets). */
  operation?: string;
}

/** Throttle codes: app (4), user/ad account (17), pages (32), ad-account/abuse (613), BUC (80000–80014). */
const THROTTLE_CODES: ReadonlySet<number> = new Set([4, 17, 32, 613, ...range(80000, 80014)]);
/** Codes that mean "temporary, try again". */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([2, 960]);
/** Token codes: 190 (with subcodes 458–467, 492) and 102 (legacy session). */
const AUTH_CODES: ReadonlySet<number> = new Set([190, 102]);
/**
 * Per-object change limits (code/subcode): ad set budget changed too often (613/1487632), spend
 * cap changed too often (17/1885172). They defer one object's change, never throttle the account.
 */
const OBJECT_CHANGE_LIMITS: ReadonlyArray<readonly [code: number, subcode: number]> = [[613, 1487632], [17, 1885172]];
/** Meta blocks the object for an hour after its limit. */
export const OBJECT_CHANGE_LIMIT_WAIT_MS = 60 * 60_000;
/** Back-off used when Meta throttles without saying for how long. */
export const DEFAULT_THROTTLE_BACKOFF_MS = 60_000;
/** Longest wait we accept from Meta's estimate; anything larger is a garbled header. */
const MAX_THROTTLE_BACKOFF_MS = 24 * 60 * 60_000;

const DATA_TOO_LARGE_PATTERN = /reduce the amount of data/i;
const UNKNOWN_ERROR_PATTERN = /unknown error/i;

/** Maps one failed Graph response (or network failure) to the matching project error. */
export function classifyMetaError(input: ClassifyMetaErrorInput): MetaApiError {
  const secrets = input.secrets ?? [];
  const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : redactSecrets(text, secrets));
  const err = extractGraphError(input.body);
  const code = err?.code;
  const subcode = err?.error_subcode;
  const metaMessage = clean(err?.message);
  const userTitle = clean(err?.error_user_title);
  const userMessage = clean(err?.error_user_msg);
  const blameFields = extractBlameFields(err?.error_data);

  const info: MetaErrorInfo = stripUndefined({
    httpStatus: input.httpStatus,
    metaCode: code,
    metaSubcode: subcode,
    fbtraceId: clean(err?.fbtrace_id),
    adAccountId: input.adAccountId,
    userTitle,
    userMessage,
    blameFields: blameFields.length > 0 ? blameFields : undefined,
  });
  const where = input.operation ? ` (${clean(input.operation)})` : '';
  const codeText = code === undefined ? '' : ` (code ${code}${subcode === undefined ? '' : `/${subcode}`})`;
  const said = metaMessage ? ` Meta said: ${metaMessage}` : '';
  const account = input.adAccountId ? `ad account ${input.adAccountId}` : 'the ad account';

  if (input.networkFailure) {
    const what = input.networkFailure === 'timeout' ? 'did not answer in time' : 'could not be reached';
    return new MetaTransientError(`The Meta Graph API ${what}${where}; retry later.`, info);
  }
  if (code !== undefined && AUTH_CODES.has(code)) {
    return new MetaAuthError(
      `Meta rejected the access token for ${account}${codeText}: ${account} needs re-authorisation.${said}`,
      info,
    );
  }
  if (code !== undefined && (code === 10 || (code >= 200 && code <= 299))) {
    return new MetaPermissionError(
      `The access token for ${account} lacks a permission this call needs${codeText}${where}.${said}`,
      info,
    );
  }
  if (OBJECT_CHANGE_LIMITS.some(([c, sc]) => c === code && sc === subcode)) {
    return new MetaObjectChangeLimitError(
      `Meta limits how often this object may change${codeText}${where}; the change waits ${OBJECT_CHANGE_LIMIT_WAIT_MS / 60_000} minutes.${said}${userMessage ? ` ${userMessage}` : ''}`,
      { ...info, retryAfterMs: OBJECT_CHANGE_LIMIT_WAIT_MS },
    );
  }
  if (code !== undefined && THROTTLE_CODES.has(code)) {
    const retryAfterMs = throttleRetryAfterMs(input.usage);
    return new MetaThrottleError(
      `Meta is throttling ${account}${codeText}${where}; retry in ${Math.ceil(retryAfterMs / 1000)} s.${said}`,
      { ...info, retryAfterMs },
    );
  }
  if ((code === 1 && subcode === 99) || DATA_TOO_LARGE_PATTERN.test(`${err?.message ?? ''} ${err?.error_user_msg ?? ''}`)) {
    return new MetaDataTooLargeError(`Meta asks for less data per request${codeText}${where}: use a smaller page or range.${said}`, info);
  }
  const status = input.httpStatus;
  if (
    (code !== undefined && TRANSIENT_CODES.has(code)) ||
    err?.is_transient === true ||
    (status !== undefined && status >= 500) ||
    (code === 1 && (metaMessage === undefined || UNKNOWN_ERROR_PATTERN.test(metaMessage))) ||
    (status === undefined && err === undefined)
  ) {
    return new MetaTransientError(`Meta had a temporary failure${codeText}${where}; retry later.${said}`, info);
  }
  if (code === 2635) {
    return new MetaInvalidRequestError(`The configured Graph API version is no longer supported${codeText}: update META_API_VERSION.${said}`, info);
  }
  const userText = userTitle || userMessage ? ` ${[userTitle, userMessage].filter(Boolean).join(': ')}.` : '';
  const blame = blameFields.length > 0 ? ` Fields: ${blameFields.join(', ')}.` : '';
  const statusText = status !== undefined && code === undefined ? ` (HTTP ${status})` : '';
  return new MetaInvalidRequestError(`Meta rejected the request${codeText}${statusText}${where}.${said}${userText}${blame}`, info);
}

/** Meta's own wait estimate (BUC minutes → ms, or the account score's reset time), else the default. */
function throttleRetryAfterMs(usage: MetaUsage | undefined): number {
  let ms = usage?.regainAfterMs ?? 0;
  const resetSec = usage?.adAccountUsage?.resetTimeDurationSec;
  if (ms <= 0 && resetSec !== undefined && resetSec > 0 && (usage?.adAccountUsage?.accIdUtilPct ?? 0) >= 100) ms = resetSec * 1000;
  if (ms <= 0) return DEFAULT_THROTTLE_BACKOFF_MS;
  return Math.min(ms, MAX_THROTTLE_BACKOFF_MS);
}

/** Accepts `{error:{...}}`, the inner object, or a JSON string of either. */
function extractGraphError(body: unknown): GraphErrorBody | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const inner = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : record;
  const out: GraphErrorBody = stripUndefined({
    message: typeof inner.message === 'string' ? inner.message : undefined,
    type: typeof inner.type === 'string' ? inner.type : undefined,
    code: toInt(inner.code),
    error_subcode: toInt(inner.error_subcode),
    is_transient: typeof inner.is_transient === 'boolean' ? inner.is_transient : undefined,
    error_user_title: typeof inner.error_user_title === 'string' ? inner.error_user_title : undefined,
    error_user_msg: typeof inner.error_user_msg === 'string' ? inner.error_user_msg : undefined,
    error_data: inner.error_data,
    fbtrace_id: typeof inner.fbtrace_id === 'string' ? inner.fbtrace_id : undefined,
  });
  return out.code === undefined && out.message === undefined ? undefined : out;
}

/** `error_data.blame_field_specs` is a list of paths (lists of strings); flattened to `a.b` names. */
function extractBlameFields(errorData: unknown): string[] {
  let data = errorData;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return [];
    }
  }
  if (!data || typeof data !== 'object') return [];
  const specs = (data as { blame_field_specs?: unknown }).blame_field_specs;
  if (!Array.isArray(specs)) return [];
  return specs
    .map((spec) => (Array.isArray(spec) ? spec.map(String).join('.') : typeof spec === 'string' ? spec : ''))
    .filter((s) => s !== '');
}

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
