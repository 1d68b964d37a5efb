/**
 * Confirming and cancelling change sets. A confirm is the workflow's `confirm` Update, sent with
 * Update-With-Start (USE_EXISTING): its validator refuses a wrong plan hash, an expired plan or
 * a token without the `write` scope before anything is recorded; every confirm of one set
 * reaches the same run and gets the same answer. The checks run here first too, so a mistake
 * gets a clear error without a round trip through Temporal.
 */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { z } from 'zod';
import { ChangeSetStatus, ConfirmRejection, cancelChangeSetSignal, confirmChangeSetUpdate, type ConfirmChangeSetResult } from '../../domain/contracts/change-set';
import { WorkflowType } from '../../domain/vocabulary';
import { workflowIds } from '../../domain/workflow-ids';
import { cancelUnsentItems, countChangeSetItems, findChangeSet, finishChangeSet, requestChangeSetCancel, type ChangeSetRow } from '../db/change-set-repository';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { cancelChangeSetView, changeSetRefInput, confirmChangeSetInput, confirmChangeSetView } from './schemas/change-sets';
import { changeSetStartOptions, loadOwnedChangeSet } from './change-set-store';
import type { ServiceContext } from './service-context';
import { mapTemporalError, withTemporal } from './temporal-errors';
import { parseInput } from './validation';

export type ConfirmChangeSetView = z.infer<typeof confirmChangeSetView>;
export type CancelChangeSetView = z.infer<typeof cancelChangeSetView>;

/**
 * Confirms a previewed change set with its plan hash (`write` scope): the workflow applies it.
 * Answers the workflow id and run; a second confirm answers the same run.
 */
export async function confirmChangeSet(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ConfirmChangeSetView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(confirmChangeSetInput, raw);
  const row = await loadOwnedChangeSet(ctx, actor, input.changeSetId);
  const answer = await confirmStoredChangeSet(ctx, actor, row, input.planHash);
  await recordAudit(ctx, actor, { action: 'change_set.confirm', targetType: 'change_set', targetId: row.id, details: { workflowId: answer.workflowId }, requestId: meta.requestId });
  return answer;
}

/** Checks a stored set can be confirmed with this hash now; throws the error the caller should see. */
function assertConfirmable(row: ChangeSetRow, planHash: string): void {
  if (row.status === ChangeSetStatus.Blocked) {
    throw new ValidationError(`Change set ${row.id} has ${row.violationCount} violation(s) and can never be applied: fix them and preview again`, { changeSetId: row.id, reason: 'blocked' });
  }
  if (row.confirmedAt) return;
  if (row.status === ChangeSetStatus.Expired || (row.status === ChangeSetStatus.Previewed && row.expiresAt.getTime() <= Date.now())) {
    throw new ConflictError(`Change set ${row.id} expired at ${row.expiresAt.toISOString()} without a confirm: preview it again`, { changeSetId: row.id, reason: 'expired' });
  }
  if (row.status === ChangeSetStatus.Canceled) throw new ConflictError(`Change set ${row.id} was canceled`, { changeSetId: row.id, reason: 'canceled' });
  if (planHash !== row.planHash) {
    throw new ConflictError(`The plan hash does not match change set ${row.id}: confirm with the planHash its preview answered (preview again if the plan changed)`, {
      changeSetId: row.id,
      reason: 'plan_hash_mismatch',
    });
  }
}

/** The confirm itself (also used by a preview with `confirm: true`): Update-With-Start on the set's workflow. */
export async function confirmStoredChangeSet(ctx: ServiceContext, actor: Actor, row: ChangeSetRow, planHash: string): Promise<ConfirmChangeSetView> {
  assertConfirmable(row, planHash);
  const options = changeSetStartOptions(ctx, row);
  let result: ConfirmChangeSetResult;
  try {
    result = await ctx.temporal.workflow.executeUpdateWithStart(confirmChangeSetUpdate, {
      args: [{ planHash, tokenId: actor.tokenId, scopes: [...actor.scopes] }],
      startWorkflowOperation: new WithStartWorkflowOperation(WorkflowType.ChangeSet, options),
    });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw rejectionError(row, error.cause);
    if (error instanceof WorkflowExecutionAlreadyStartedError) return answerFinished(ctx, row);
    throw mapTemporalError(error, { kind: 'Change set', id: row.id });
  }
  return { ...result, status: ChangeSetStatus.Applying };
}

/** The workflow of a confirmed set has finished: a repeated confirm gets the first confirm's answer. */
async function answerFinished(ctx: ServiceContext, row: ChangeSetRow): Promise<ConfirmChangeSetView> {
  const fresh = (await findChangeSet(ctx.db, row.id)) ?? row;
  if (!fresh.confirmedAt || !fresh.confirmedBy) {
    throw new ConflictError(`Change set ${row.id} is ${fresh.status}; it can no longer be confirmed`, { changeSetId: row.id, reason: fresh.status });
  }
  const workflowId = workflowIds.changeSet(row.id);
  const description = await withTemporal({ kind: 'Workflow', id: workflowId }, () => ctx.temporal.workflow.getHandle(workflowId).describe());
  return {
    changeSetId: row.id,
    workflowId,
    // The first run's id, as every confirm answers it (the set may have continued as new since).
    runId: description.raw.workflowExecutionInfo?.firstRunId || description.runId,
    status: fresh.status,
    confirmedBy: fresh.confirmedBy,
    confirmedAt: fresh.confirmedAt.toISOString(),
  };
}

/** Turns the validator's or handler's rejection into our error classes. */
function rejectionError(row: ChangeSetRow, cause: unknown): Error {
  const failure = cause instanceof ApplicationFailure ? cause : undefined;
  const message = failure?.message ?? 'The confirm was refused';
  switch (failure?.type) {
    case ConfirmRejection.PlanHashMismatch:
      return new ConflictError(message, { changeSetId: row.id, reason: 'plan_hash_mismatch' });
    case ConfirmRejection.Expired:
      return new ConflictError(message, { changeSetId: row.id, reason: 'expired' });
    case ConfirmRejection.Canceled:
      return new ConflictError(message, { changeSetId: row.id, reason: 'canceled' });
    case ConfirmRejection.MissingScope:
      return new ForbiddenError(Scope.Write);
    case ConfirmRejection.Conflict:
    case 'ConflictError':
      return new ConflictError(message, { changeSetId: row.id, reason: 'outstanding_change', ...((failure?.details?.[0] as object | undefined) ?? {}) });
    case 'NotFoundError':
      return new NotFoundError('Change set', row.id);
    default:
      return new ConflictError(message, { changeSetId: row.id });
  }
}

/**
 * Cancels a change set (`write` scope): a set not confirmed yet ends canceled; a set being applied
 * stops before its next chunk, items not sent yet are canceled and items in flight are settled by
 * a read, never written again.
 */
export async function cancelChangeSet(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<CancelChangeSetView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(changeSetRefInput, raw);
  const row = await loadOwnedChangeSet(ctx, actor, input.changeSetId);
  const finished: string[] = [ChangeSetStatus.Completed, ChangeSetStatus.CompletedWithErrors, ChangeSetStatus.Expired, ChangeSetStatus.Failed];
  if (finished.includes(row.status)) throw new ConflictError(`Change set ${row.id} is ${row.status}; nothing to cancel`, { changeSetId: row.id, reason: row.status });
  let status: CancelChangeSetView['status'] = 'cancel_requested';
  if (row.status === ChangeSetStatus.Canceled) {
    status = 'canceled';
  } else if (row.status === ChangeSetStatus.Blocked || !row.workflowId) {
    // No workflow runs for a set that could never be confirmed.
    await cancelUnsentItems(ctx.db, row.id);
    await finishChangeSet(ctx.db, { changeSetId: row.id, status: ChangeSetStatus.Canceled, counts: await countChangeSetItems(ctx.db, row.id) });
    status = 'canceled';
  } else {
    await requestChangeSetCancel(ctx.db, row.id);
    try {
      await ctx.temporal.workflow.getHandle(row.workflowId).signal(cancelChangeSetSignal, { tokenId: actor.tokenId });
    } catch (error) {
      const mapped = mapTemporalError(error, { kind: 'Workflow', id: row.workflowId });
      // The run just ended (finished or expired): nothing is left to cancel.
      if (!(mapped instanceof NotFoundError)) throw mapped;
    }
  }
  await recordAudit(ctx, actor, { action: 'change_set.cancel', targetType: 'change_set', targetId: row.id, requestId: meta.requestId });
  return { changeSetId: row.id, status, workflowId: row.workflowId };
}
