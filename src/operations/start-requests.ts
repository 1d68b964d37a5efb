/**
 * Start requests for syncs: Update-With-Start (USE_EXISTING) of the sync's `startRequest` update,
 * so one atomic call either starts the run or reaches the one already running with the same id,
 * which takes on what the request asks beyond its own work (more days of metrics, a longer
 * overlap as a follow-up run, more kinds or newly connected accounts for a company sync) and
 * answers what it will cover. The caller learns whether it
 * attached and what is covered; a request never silently does less than it asked.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy } from '@temporalio/common';
import {
  START_REQUEST_MEMO_KEY, StartRequestRejection, startRequestUpdate, type CoverageOf, type StartCoverage, type StartRequestAsk,
} from '../../domain/contracts/start-request';
import type { WorkflowStartSpec } from '../../domain/starts/workflow-start';
import { ConflictError, ValidationError } from '../errors';
import { workflowStartOptions } from '../temporal/workflow-starts';
import type { ServiceContext } from './service-context';
import { mapTemporalError } from './temporal-errors';
import type { WorkflowStart } from './workflows';

/** What a sync start answers: the run, whether the request attached to it, and what it covers. */
export interface SyncStart<Covers extends StartCoverage = StartCoverage> extends WorkflowStart {
  /** True when a run with this id was already running and the request joined it. */
  attached: boolean;
  covers: Covers;
}

/**
 * Waits between attempts when the running run is finishing (it refuses new work in its last
 * step): the next attempt starts a new run once it has closed. About 6 s in all.
 */
const CLOSING_RETRY_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 2_000];

/**
 * Sends a start request for a sync: starts `spec` with `ask`, or hands `ask` to the running run
 * of the same id. Refusals of the run (a day it cannot read) are validation errors.
 */
export async function requestSyncStart<Ask extends StartRequestAsk>(ctx: ServiceContext, spec: WorkflowStartSpec<unknown>, ask: Ask): Promise<SyncStart<CoverageOf<Ask>>> {
  const requestId = randomUUID();
  const what = { kind: 'Workflow', id: spec.workflowId };
  for (let attempt = 0; ; attempt++) {
    const options = workflowStartOptions(spec, ctx.config.temporal.taskQueue);
    const startWorkflowOperation = new WithStartWorkflowOperation(spec.workflowType, {
      ...options,
      // The run tells the request that started it from one that attached by this id (ids only).
      memo: { ...options.memo, [START_REQUEST_MEMO_KEY]: requestId },
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    try {
      // The running run (so a worker) must answer: bounded by TEMPORAL_UPDATE_TIMEOUT_MS, then 503.
      const { update, answer } = await ctx.temporal.withDeadline(Date.now() + ctx.config.timeouts.temporalUpdateMs, async () => {
        const update = await ctx.temporal.workflow.startUpdateWithStart(startRequestUpdate, {
          args: [{ requestId, ask }],
          startWorkflowOperation,
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        });
        return { update, answer: await update.result() };
      });
      // The run that took the request on: the one it started or the one running.
      // A run answers a request of its own kind only (its validator refuses any other).
      return { workflowId: update.workflowId, runId: update.workflowRunId ?? '', attached: answer.attached, covers: answer.covers as CoverageOf<Ask> };
    } catch (error) {
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      if (type === StartRequestRejection.Closing) {
        const delay = CLOSING_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          throw new ConflictError(`Workflow ${spec.workflowId} is finishing and takes no more work; repeat the request in a few seconds to start a new run`, {
            workflowId: spec.workflowId,
            reason: 'finishing',
          });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      if (type === StartRequestRejection.Invalid) throw new ValidationError((cause as ApplicationFailure).message, { workflowId: spec.workflowId });
      if (error instanceof WorkflowUpdateFailedError) {
        // The run ended (failed, canceled) before it could take the request on: its status says why.
        throw new ConflictError(`Workflow ${spec.workflowId} ended before it took the request on: ${cause instanceof Error ? cause.message : 'see its status'}`, {
          workflowId: spec.workflowId,
          reason: 'ended',
        });
      }
      throw mapTemporalError(error, what);
    }
  }
}
