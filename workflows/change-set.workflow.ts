import {
  ApplicationFailure, CancellationScope, ContinueAsNew, allHandlersFinished, condition, continueAsNew, isCancellation, proxyActivities, setCurrentDetails,
  setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ApplyChunksResult } from '../activities/change-set.activities';
import {
  CONFIRM_SCOPES, ChangeSetStatus, ConfirmRejection, cancelChangeSetSignal, confirmChangeSetUpdate, emptyCounts,
  type ChangeSetCounts, type ChangeSetResult, type ChangeSetWorkflowInput, type ConfirmChangeSetArgs, type ConfirmChangeSetResult,
} from '../domain/contracts/change-set';
import { progressQuery, WorkUnit, type WorkflowProgress } from '../domain/progress';
import { WorkflowKind } from '../domain/vocabulary';
import { activitySummaries, timerSummaries } from '../domain/workflow-summaries';
import { CHANGE_SET_APPLY_ACTIVITY, DATABASE_ACTIVITY } from './activity-policies';
import { describeFailure, ensureSearchAttributes, workflowFailure } from './sync-progress';

/** Database steps: confirm, expire, cancel, finish. */
const control = proxyActivities<Activities>(DATABASE_ACTIVITY);
const apply = proxyActivities<Activities>(CHANGE_SET_APPLY_ACTIVITY);

const DEFAULT_OBJECT_LIMIT_DEFER_MS = 3_600_000;
const DEFAULT_CHUNKS_PER_ACTIVITY = 8;

/**
 * Applies one change set (`meta-change-set:<changeSetId>`). Started by the preview, it waits for
 * the `confirm` Update until the plan expires (durable timer), then marks an unconfirmed set
 * expired. Once confirmed it sends the set chunk by chunk through activities that read items
 * from the database (never through history), waits on durable timers for items Meta's
 * per-object limits deferred, honours the `cancel` signal (items not sent yet are canceled,
 * items in flight settled by a read), and continues as new when Temporal suggests it.
 */
export async function changeSetWorkflow(input: ChangeSetWorkflowInput): Promise<ChangeSetResult> {
  ensureSearchAttributes({ companyId: input.companyId, adAccountId: input.adAccountId, kind: WorkflowKind.ChangeSet });
  const { changeSetId } = input;
  const workflowId = workflowInfo().workflowId;
  const counts: ChangeSetCounts = { ...emptyCounts(), planned: input.continuation ? 0 : input.itemCount };
  const progress: WorkflowProgress = { kind: WorkflowKind.ChangeSet, phase: 'starting', entities: {}, counters: counts as unknown as Record<string, number>, updatedAt: now() };
  setHandler(progressQuery, () => progress);
  const report = (phase: string, wait?: string): void => {
    progress.phase = phase;
    progress.updatedAt = now();
    if (wait) progress.throttledUntil = wait;
    else delete progress.throttledUntil;
    // Items settled one way or another, of the set's items.
    const settled = counts.applied + counts.alreadyApplied + counts.failed + counts.skipped + counts.canceled;
    progress.work = { done: Math.max(progress.work?.done ?? 0, settled), total: Math.max(input.itemCount, settled), unit: WorkUnit.Items };
    setCurrentDetails(
      `**${phase}**\n\n${input.itemCount} items: ${counts.applied} applied, ${counts.alreadyApplied} already applied, ${counts.inFlight} in flight, ` +
        `${counts.pending} pending, ${counts.deferred} deferred, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.canceled} canceled`,
    );
  };

  let confirmation: { confirmedBy: string; confirmedAt: string } | undefined = input.continuation
    ? { confirmedBy: input.continuation.confirmedBy, confirmedAt: input.continuation.confirmedAt }
    : undefined;
  let confirming: Promise<ConfirmChangeSetResult> | undefined;
  let canceled = input.continuation?.canceled ?? false;
  const answer = (c: { confirmedBy: string; confirmedAt: string }): ConfirmChangeSetResult => ({
    changeSetId, workflowId, runId: workflowInfo().firstExecutionRunId, confirmedBy: c.confirmedBy, confirmedAt: c.confirmedAt,
  });

  setHandler(cancelChangeSetSignal, () => {
    canceled = true;
  });
  setHandler(
    confirmChangeSetUpdate,
    async (args) => {
      if (confirmation) return answer(confirmation);
      confirming ??= control.confirmChangeSetItems({ changeSetId, confirmedBy: args.tokenId }).then(
        (c) => {
          confirmation = c;
          return answer(c);
        },
        (error: unknown) => {
          confirming = undefined;
          const failure = describeFailure(error);
          throw ApplicationFailure.create({ type: failure.type === 'ConflictError' ? ConfirmRejection.Conflict : (failure.type ?? 'ConfirmFailed'), message: failure.message, nonRetryable: true });
        },
      );
      return confirming;
    },
    {
      // A rejected confirm leaves no trace in history; nothing changes.
      validator: (args: ConfirmChangeSetArgs) => {
        if (args.planHash !== input.planHash) {
          throw ApplicationFailure.create({ type: ConfirmRejection.PlanHashMismatch, nonRetryable: true, message: `The plan hash does not match change set ${changeSetId}: confirm with the planHash its preview answered` });
        }
        if (!args.scopes.some((s) => CONFIRM_SCOPES.includes(s))) {
          throw ApplicationFailure.create({ type: ConfirmRejection.MissingScope, nonRetryable: true, message: 'Confirming a change set needs an API token with the "write" scope' });
        }
        if (confirmation || confirming) return;
        if (canceled) throw ApplicationFailure.create({ type: ConfirmRejection.Canceled, nonRetryable: true, message: `Change set ${changeSetId} was canceled` });
        if (Date.now() >= Date.parse(input.expiresAt)) {
          throw ApplicationFailure.create({ type: ConfirmRejection.Expired, nonRetryable: true, message: `Change set ${changeSetId} expired at ${input.expiresAt}: preview it again` });
        }
      },
    },
  );

  const absorb = (r: Pick<ApplyChunksResult, 'counts'>): void => {
    Object.assign(counts, r.counts);
  };

  try {
    if (!confirmation) {
      report(`waiting for a confirm until ${input.expiresAt}`);
      await condition(() => confirmation !== undefined || canceled, Math.max(1, Date.parse(input.expiresAt) - Date.now()), { summary: timerSummaries.confirmWindow(input.expiresAt) });
      // A confirm the validator accepted before the expiry is honoured even if its activity is still running.
      if (!confirmation && confirming) await confirming.catch(() => undefined);
      if (!confirmation) {
        if (canceled) {
          await control.cancelUnsentChangeSetItems({ changeSetId });
          const done = await control.finishChangeSetRun({ changeSetId, canceled: true });
          absorb(done);
          report('canceled before it was confirmed');
          return { changeSetId, status: done.status, counts };
        }
        const expired = await control.expireChangeSet({ changeSetId });
        absorb(expired);
        report('expired: nobody confirmed it');
        return { changeSetId, status: ChangeSetStatus.Expired, counts };
      }
    }
    counts.planned = 0;
    const chunksPerActivity = input.chunksPerActivity ?? DEFAULT_CHUNKS_PER_ACTIVITY;
    const objectLimitDeferMs = input.objectLimitDeferMs ?? DEFAULT_OBJECT_LIMIT_DEFER_MS;
    while (!canceled) {
      report('applying');
      const step = await apply.applyChangeSetChunks.executeWithOptions({ summary: activitySummaries.applyChangeSet(chunksPerActivity) }, [
        { changeSetId, adAccountId: input.adAccountId, workflowId, maxChunks: chunksPerActivity, objectLimitDeferMs },
      ]);
      absorb(step);
      if (step.remaining === 'done') break;
      if (step.remaining === 'canceled') canceled = true;
      else if (step.remaining === 'deferred' && step.nextDueAt) {
        report(`waiting for Meta's per-object limit until ${step.nextDueAt}`, step.nextDueAt);
        // A durable timer; a cancel ends the wait at once.
        await condition(() => canceled, Math.max(1_000, Date.parse(step.nextDueAt) - Date.now()), { summary: timerSummaries.objectLimit(step.nextDueAt) });
      }
      if (!canceled && workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof changeSetWorkflow>({ ...input, continuation: { ...confirmation!, canceled } });
      }
    }
    if (canceled) await cancelAndSettle(changeSetId, input.adAccountId, workflowId, absorb, report);
    const done = await control.finishChangeSetRun({ changeSetId, canceled });
    absorb(done);
    report(done.status === ChangeSetStatus.Completed ? 'done' : done.status.replace(/_/g, ' '));
    return { changeSetId, status: done.status, counts };
  } catch (error) {
    // The hand-over to the next run is not a failure.
    if (error instanceof ContinueAsNew) throw error;
    if (isCancellation(error)) {
      // Cancelled from the Temporal UI or API: the same as the cancel signal, then end as cancelled.
      await CancellationScope.nonCancellable(async () => {
        if (confirmation) await cancelAndSettle(changeSetId, input.adAccountId, workflowId, absorb, report);
        else await control.cancelUnsentChangeSetItems({ changeSetId });
        absorb(await control.finishChangeSetRun({ changeSetId, canceled: true }));
      });
      throw error;
    }
    const failure = describeFailure(error);
    await CancellationScope.nonCancellable(async () => {
      absorb(await control.failChangeSet({ changeSetId, code: failure.type ?? 'WORKFLOW_FAILED', message: failure.message }));
    });
    report(`failed: ${failure.message}`);
    throw workflowFailure(error);
  }
}

/** Cancels items not sent yet, then settles items in flight by reading them (never writing). */
async function cancelAndSettle(
  changeSetId: string,
  adAccountId: string,
  workflowId: string,
  absorb: (r: Pick<ApplyChunksResult, 'counts'>) => void,
  report: (phase: string) => void,
): Promise<void> {
  report('canceling: items not sent yet are canceled, items in flight are read to settle them');
  await control.cancelUnsentChangeSetItems({ changeSetId });
  for (;;) {
    const step = await apply.applyChangeSetChunks.executeWithOptions({ summary: activitySummaries.applyChangeSet(8, true) }, [
      { changeSetId, adAccountId, workflowId, maxChunks: 8, objectLimitDeferMs: DEFAULT_OBJECT_LIMIT_DEFER_MS, settleOnly: true },
    ]);
    absorb(step);
    if (step.remaining !== 'more') return;
  }
}

function now(): string {
  return new Date(Date.now()).toISOString();
}
