import { AppError, ErrorCode } from '../errors';

/** HTTP status for each stable error code: the one place the HTTP front maps errors. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
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
  [ErrorCode.MetaTransient]: 502,
  [ErrorCode.MetaDataTooLarge]: 502,
  [ErrorCode.MetaAsyncJobFailed]: 502,
  [ErrorCode.TokenCrypto]: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

/** The one JSON error shape; 5xx messages from our own failures are hidden. */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
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
  const fastifyError = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const code =
      fastifyError.statusCode === 429 ? ErrorCode.RateLimited : fastifyError.statusCode === 404 ? ErrorCode.NotFound : fastifyError.statusCode === 401 ? ErrorCode.Unauthenticated : ErrorCode.Validation;
    return { status: fastifyError.statusCode, body: { error: { code, message: fastifyError.message ?? 'Bad request', requestId } } };
  }
  return { status: 500, body: { error: { code: ErrorCode.Internal, message: 'Internal error: the failure was logged with this request id', requestId } } };
}
