import { ScheduleNotFoundError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { AppError, ErrorCode, NotFoundError, ServiceUnavailableError } from '../errors';
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
  if (error instanceof ServiceError || isGrpcLike(error)) {
    const code = (error as { code?: number }).code ?? (error as { cause?: { code?: number } }).cause?.code;
    if (code === 5) return new NotFoundError(what.kind, what.id);
    return new ServiceUnavailableError('Temporal did not answer; try again shortly');
  }
  return error;
}

function isGrpcLike(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && 'details' in error;
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
