import { ScheduleNotFoundError, ServiceError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { AppError, DependencyUnavailableError, ErrorCode, NotFoundError } from '../errors';
import { ErrorType } from '../../domain/error-types';

/** Stable codes for the failure types workflows raise (class names of src/errors.ts). */
const CODE_BY_FAILURE_TYPE: Record<string, ErrorCode> = {
  [ErrorType.Validation]: ErrorCode.Validation,
  [ErrorType.NotFound]: ErrorCode.NotFound,
  [ErrorType.MetaAuth]: ErrorCode.MetaAuth,
  [ErrorType.MetaPermission]: ErrorCode.MetaPermission,
  [ErrorType.MetaThrottle]: ErrorCode.MetaThrottle,
  [ErrorType.MetaTransient]: ErrorCode.MetaTransient,
  [ErrorType.MetaInvalidRequest]: ErrorCode.MetaInvalidRequest,
  [ErrorType.MetaDataTooLarge]: ErrorCode.MetaDataTooLarge,
  [ErrorType.MetaAsyncJobFailed]: ErrorCode.MetaAsyncJobFailed,
  [ErrorType.TokenCrypto]: ErrorCode.TokenCrypto,
  [ErrorType.ConfirmationRequired]: ErrorCode.ConfirmationRequired,
  [ErrorType.MetaObjectChangeLimit]: ErrorCode.MetaObjectChangeLimit,
  [ErrorType.Conflict]: ErrorCode.Conflict,
};

/**
 * Runs a Temporal call, turning Temporal's errors into ours: "not found" is a 404 of the thing
 * asked about, an unreachable server a 503. Our own errors pass through.
 */
export async function withTemporal<T>(what: { kind: string; id: string }, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapTemporalError(error, what);
  }
}

export function mapTemporalError(error: unknown, what: { kind: string; id: string }): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof WorkflowNotFoundError || error instanceof ScheduleNotFoundError) return new NotFoundError(what.kind, what.id);
  if (error instanceof ServiceError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcLike(error)) {
    const code = grpcCodeOf(error);
    if (code === 5) return new NotFoundError(what.kind, what.id);
    return temporalUnavailable(error);
  }
  return error;
}

/** gRPC status codes meaning "no answer" (DEADLINE_EXCEEDED, UNAVAILABLE, CANCELLED, RESOURCE_EXHAUSTED). */
const UNAVAILABLE_GRPC_CODES = new Set([1, 4, 8, 14]);

/**
 * True when a raw error (one no operation mapped) says the Temporal server did not answer: the
 * fronts' error mappings turn it into 503 TEMPORAL_UNAVAILABLE.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return false;
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCodeOf(error);
  return (error instanceof ServiceError || isGrpcLike(error)) && code !== undefined && UNAVAILABLE_GRPC_CODES.has(code);
}

/** 503 naming Temporal; a deadline says how long we waited (the server's address is never shown). */
export function temporalUnavailable(error: unknown): DependencyUnavailableError {
  const code = grpcCodeOf(error);
  const reason = code === 4 || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ? 'did not answer in time' : code === 14 ? 'cannot be reached' : 'did not answer';
  return new DependencyUnavailableError('temporal', `Temporal ${reason}; try again shortly`, { cause: error });
}

function isGrpcLike(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && 'details' in error;
}

/** The gRPC status of an error or of the error it wraps (the SDK wraps them in ServiceError). */
function grpcCodeOf(error: unknown): number | undefined {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** A workflow's failure as `{code, message}`: the failure type mapped to our stable code when known. */
export function describeWorkflowFailure(cause: unknown): { code: string; message: string } {
  const chain: unknown[] = [];
  for (let current = cause; current && chain.length < 8; current = (current as { cause?: unknown }).cause) chain.push(current);
  for (const failure of chain) {
    if (failure instanceof CancelledFailure) return { code: 'CANCELED', message: 'The workflow was canceled' };
    if (failure instanceof TerminatedFailure) return { code: 'TERMINATED', message: 'The workflow was terminated by an operator' };
    if (failure instanceof TimeoutFailure) return { code: 'TIMED_OUT', message: 'The workflow timed out' };
  }
  // The innermost ApplicationFailure says what went wrong (activity failures wrap it).
  const application = chain.filter((failure): failure is ApplicationFailure => failure instanceof ApplicationFailure).pop();
  if (application) {
    return { code: (application.type && CODE_BY_FAILURE_TYPE[application.type]) || application.type || ErrorCode.Internal, message: application.message.slice(0, 1000) };
  }
  const last = chain[chain.length - 1];
  return { code: 'WORKFLOW_FAILED', message: (last instanceof Error ? last.message : 'The workflow failed').slice(0, 1000) };
}
