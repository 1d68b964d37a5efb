import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ErrorCode } from '../errors';
import { validationErrorFrom } from '../operations/validation';

/** HTTP status for each stable error code: the one place the HTTP front maps errors. */
const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ConfirmationRequired]: 409,
  [ErrorCode.Configuration]: 500,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
  // Meta said no to what the caller asked: the caller's to fix (re-authorise, change the request).
  [ErrorCode.MetaAuth]: 422,
  [ErrorCode.MetaPermission]: 422,
  [ErrorCode.MetaInvalidRequest]: 422,
  // Meta is slow or throttling us: retry later.
  [ErrorCode.MetaThrottle]: 503,
  [ErrorCode.MetaObjectChangeLimit]: 503,
  [ErrorCode.MetaTransient]: 502,
  [ErrorCode.MetaDataTooLarge]: 502,
  [ErrorCode.MetaAsyncJobFailed]: 502,
  [ErrorCode.TokenCrypto]: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

/** Fastify's own 4xx errors, with messages of ours (theirs can echo headers or input). */
const FASTIFY_4XX: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but Content-Type is application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type: send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body',
  FST_ERR_CTP_INVALID_TYPE: 'The Content-Type header is not valid',
  FST_ERR_BAD_URL: 'The URL is not valid',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
  FST_ERR_ASYNC_CONSTRAINT: 'The request could not be routed',
};

/** Turns framework errors into our error classes where one fits (validation above all). */
function normalizeError(error: unknown): unknown {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'input';
    return validationErrorFrom(
      error.validation.slice(0, 20).map((issue) => {
        const keys = (issue.params as { keys?: unknown }).keys;
        const unknownKeys = Array.isArray(keys) ? keys.map((key) => String(key).slice(0, 64)).slice(0, 10) : undefined;
        return {
          path: `${context}${issue.instancePath.replace(/\//g, '.')}`.replace(/\.$/, '').slice(0, 200),
          message: issue.keyword === 'unrecognized_keys' && unknownKeys ? `unknown field(s): ${unknownKeys.join(', ')}` : String(issue.message).slice(0, 300),
        };
      }),
    );
  }
  return error;
}

/** The one JSON error shape; 5xx messages from our own failures are hidden. */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  error = normalizeError(error);
  if (error instanceof AppError) {
    const status = HTTP_STATUS_BY_CODE[error.code] ?? 500;
    const hide = status >= 500 && (error.code === ErrorCode.Internal || error.code === ErrorCode.Configuration || error.code === ErrorCode.TokenCrypto);
    return {
      status,
      body: {
        error: {
          code: error.code,
          message: hide ? 'Internal error: the failure was logged with this request id' : error.message,
          requestId,
          ...(error.details && !hide ? { details: error.details } : {}),
        },
      },
    };
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (fastifyError && fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const code = status === 429 ? ErrorCode.RateLimited : status === 404 ? ErrorCode.NotFound : status === 401 ? ErrorCode.Unauthenticated : status === 403 ? ErrorCode.Forbidden : ErrorCode.Validation;
    const message =
      (fastifyError.code && FASTIFY_4XX[fastifyError.code]) ??
      (status === 429 ? (fastifyError.message ?? 'Too many requests: slow down') : status === 413 ? 'The request body is too large' : 'The request is not valid');
    return { status, body: { error: { code, message, requestId } } };
  }
  return { status: 500, body: { error: { code: ErrorCode.Internal, message: 'Internal error: the failure was logged with this request id', requestId } } };
}
