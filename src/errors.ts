/**
 * The service's error classes. Every class has a stable `code` that both fronts map once
 * (HTTP status in src/api, `isError` results in src/mcp). Class names double as Temporal
 * `ApplicationFailure` types: the SDK uses `constructor.name`, so workflows list these names
 * (mirrored as strings in domain/error-types.ts `ErrorType`) in `nonRetryableErrorTypes`.
 *
 * Messages are written for the person or agent who must act on them, and never contain a
 * secret: callers pass ids, not tokens.
 */

export const ErrorCode = {
  Validation: 'VALIDATION_ERROR',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  RateLimited: 'RATE_LIMITED',
  Configuration: 'CONFIGURATION_ERROR',
  Unavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_ERROR',
  MetaAuth: 'META_AUTH_ERROR',
  MetaPermission: 'META_PERMISSION_ERROR',
  MetaThrottle: 'META_THROTTLED',
  MetaObjectChangeLimit: 'META_OBJECT_CHANGE_LIMIT',
  MetaTransient: 'META_TRANSIENT_ERROR',
  MetaInvalidRequest: 'META_INVALID_REQUEST',
  MetaDataTooLarge: 'META_DATA_TOO_LARGE',
  MetaAsyncJobFailed: 'META_ASYNC_JOB_FAILED',
  TokenCrypto: 'TOKEN_CRYPTO_ERROR',
  ConfirmationRequired: 'CONFIRMATION_REQUIRED',
  /** The request body exceeds API_BODY_LIMIT_BYTES (HTTP 413). */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** PostgreSQL did not answer in time or refused connections. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** The Temporal server (or, for requests a worker must answer, its worker) did not answer in time. */
  TemporalUnavailable: 'TEMPORAL_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: a stable code, a human message, optional safe details (never secrets). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  /** Whether retrying the same call later may succeed. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }
}

/** The caller sent something invalid; nothing was changed. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.Validation, message, { details });
  }
}

/** The thing does not exist, or the caller may not know that it exists. */
export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(ErrorCode.NotFound, `${what} ${id} was not found`, { details: { what, id } });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.Conflict, message, { details });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'A valid API token is required: send "Authorization: Bearer <token>"') {
    super(ErrorCode.Unauthenticated, message);
  }
}

/** Too many requests (or failed authentications) from one caller; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, message, { details: { retryAfterSeconds }, retryable: true });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ForbiddenError extends AppError {
  constructor(requiredScope: string) {
    super(ErrorCode.Forbidden, `This API token lacks the "${requiredScope}" scope`, { details: { requiredScope } });
  }
}

/** A webhook call Meta did not sign with the app secret, or a subscription handshake with the wrong verify token. */
export class WebhookRefusedError extends AppError {
  constructor(message: string) {
    super(ErrorCode.Forbidden, message);
  }
}

/** A write that spends more or turns delivery on was asked without `confirm: true`. */
export class ConfirmationRequiredError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.ConfirmationRequired, message, { details });
  }
}

export class ConfigurationError extends AppError {
  constructor(message: string) {
    super(ErrorCode.Configuration, message);
  }
}

/** A dependency (database, Temporal, worker) is down. */
export class ServiceUnavailableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.Unavailable, message, { details, retryable: true });
  }
}

/** A dependency the request needs did not answer: the code names which (retry later). */
export class DependencyUnavailableError extends AppError {
  readonly dependency: 'database' | 'temporal';
  constructor(dependency: 'database' | 'temporal', message: string, options: { cause?: unknown } = {}) {
    super(dependency === 'database' ? ErrorCode.DatabaseUnavailable : ErrorCode.TemporalUnavailable, message, { details: { dependency }, cause: options.cause, retryable: true });
    this.dependency = dependency;
  }
}

export class TokenCryptoError extends AppError {
  constructor(message: string) {
    super(ErrorCode.TokenCrypto, message);
  }
}

/** Facts Meta sent with an error, minus anything secret. */
export interface MetaErrorInfo {
  httpStatus?: number;
  metaCode?: number;
  metaSubcode?: number;
  fbtraceId?: string;
  adAccountId?: string;
  userTitle?: string;
  userMessage?: string;
  blameFields?: string[];
}

/** Base of every error that came back from the Graph API. */
export class MetaApiError extends AppError {
  readonly meta: MetaErrorInfo;
  constructor(code: ErrorCode, message: string, meta: MetaErrorInfo, retryable: boolean) {
    super(code, message, { details: { ...meta }, retryable });
    this.meta = meta;
  }
}

/** Token expired, revoked or invalid (code 190): the account needs re-authorisation. Never retried. */
export class MetaAuthError extends MetaApiError {
  constructor(message: string, meta: MetaErrorInfo) {
    super(ErrorCode.MetaAuth, message, meta, false);
  }
}

/** The token works but lacks a permission on this object (codes 10, 200-299). Never retried. */
export class MetaPermissionError extends MetaApiError {
  constructor(message: string, meta: MetaErrorInfo) {
    super(ErrorCode.MetaPermission, message, meta, false);
  }
}

/** Meta asks us to slow down; `retryAfterMs` is Meta's own estimate when it gave one. */
export class MetaThrottleError extends MetaApiError {
  readonly retryAfterMs: number;
  constructor(message: string, meta: MetaErrorInfo & { retryAfterMs: number }) {
    super(ErrorCode.MetaThrottle, message, meta, true);
    this.retryAfterMs = meta.retryAfterMs;
  }
}

/**
 * Meta's limit on how often one object may change (ad set budget 4 times an hour, 613/1487632;
 * spend cap 10 times a day, 17/1885172). It concerns that object only: the change waits
 * (`retryAfterMs`, Meta says an hour) while the account and its syncs go on unthrottled.
 */
export class MetaObjectChangeLimitError extends MetaApiError {
  readonly retryAfterMs: number;
  constructor(message: string, meta: MetaErrorInfo & { retryAfterMs: number }) {
    super(ErrorCode.MetaObjectChangeLimit, message, meta, true);
    this.retryAfterMs = meta.retryAfterMs;
  }
}

/** A temporary failure on Meta's side (code 2, is_transient, HTTP 5xx, network). */
export class MetaTransientError extends MetaApiError {
  constructor(message: string, meta: MetaErrorInfo) {
    super(ErrorCode.MetaTransient, message, meta, true);
  }
}

/** Meta rejected the request itself (code 100 and kin). Retrying changes nothing. */
export class MetaInvalidRequestError extends MetaApiError {
  constructor(message: string, meta: MetaErrorInfo) {
    super(ErrorCode.MetaInvalidRequest, message, meta, false);
  }
}

/** "Please reduce the amount of data you're asking for": retry with a smaller page. */
export class MetaDataTooLargeError extends MetaApiError {
  constructor(message: string, meta: MetaErrorInfo) {
    super(ErrorCode.MetaDataTooLarge, message, meta, true);
  }
}

/** An async insights report run ended as "Job Failed" or "Job Skipped". */
export class MetaAsyncJobFailedError extends MetaApiError {
  readonly asyncStatus: string;
  constructor(message: string, meta: MetaErrorInfo & { asyncStatus: string }) {
    super(ErrorCode.MetaAsyncJobFailed, message, meta, true);
    this.asyncStatus = meta.asyncStatus;
  }
}
