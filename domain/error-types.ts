/**
 * Names of the error classes in src/errors.ts. Activities throw those classes; the SDK turns
 * them into ApplicationFailures whose `type` is the class name, which workflows match here.
 */
export const ErrorType = {
  Validation: 'ValidationError',
  NotFound: 'NotFoundError',
  MetaAuth: 'MetaAuthError',
  MetaPermission: 'MetaPermissionError',
  MetaThrottle: 'MetaThrottleError',
  MetaObjectChangeLimit: 'MetaObjectChangeLimitError',
  MetaTransient: 'MetaTransientError',
  MetaInvalidRequest: 'MetaInvalidRequestError',
  MetaDataTooLarge: 'MetaDataTooLargeError',
  MetaAsyncJobFailed: 'MetaAsyncJobFailedError',
  TokenCrypto: 'TokenCryptoError',
  ConfirmationRequired: 'ConfirmationRequiredError',
  Conflict: 'ConflictError',
} as const;

/** Errors no retry can fix: fail the activity at once. */
export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  ErrorType.Validation,
  ErrorType.NotFound,
  ErrorType.MetaAuth,
  ErrorType.MetaPermission,
  ErrorType.MetaInvalidRequest,
  ErrorType.TokenCrypto,
  ErrorType.ConfirmationRequired,
  ErrorType.Conflict,
];
