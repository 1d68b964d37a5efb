import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, executeChild, patched, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { WorkflowKind, WorkflowType } from '../domain/vocabulary';
import { workflowIds } from '../domain/workflow-ids';
import { changeSetStart } from '../domain/starts/change-set';
import { activitySummaries } from '../domain/workflow-summaries';
import type { ChangeSetResult } from '../domain/contracts/change-set';
import { progressQuery, WorkUnit, type WorkDone, type WorkflowProgress } from '../domain/progress';
import { ErrorType } from '../domain/error-types';
import type { RuleEvaluationInput, RuleEvaluationResult, RuleEvaluationStep } from '../domain/contracts/rule-evaluation';
import { RULE_SQL_ACTIVITY, RULE_WEBHOOK_ACTIVITY } from './activity-policies';
import { scheduledOrStartTime } from './scheduled-time';

const { evaluateRuleAt, settleRuleExecution, markRuleWebhookFailed, storeRuleChangeSet } = proxyActivities<Activities>(RULE_SQL_ACTIVITY);
const { deliverRuleWebhook } = proxyActivities<Activities>(RULE_WEBHOOK_ACTIVITY);

/**
 * One evaluation of a rule at one instant (`asOf` = the schedule's TemporalScheduledStartTime):
 * the evaluation step runs the rule's one SQL statement over the stored metrics (or records
 * `stale_metrics` and acts on nothing), applies cooldown and count limits, and records the
 * execution with one match row per object. A NOTIFICATION rule's notice is then POSTed to its
 * webhook (signed, retried durably); objects the rule changes go into one change set applied by
 * `changeSetWorkflow` as a child. The execution is settled last: the cooldown state follows what
 * actually applied. Ids and counts only in history.
 */
export async function ruleEvaluationWorkflow(input: RuleEvaluationInput): Promise<RuleEvaluationResult> {
  if (input.mode !== 'scheduled' && input.mode !== 'manual') throw ApplicationFailure.nonRetryable(`mode must be scheduled or manual, got ${String(input.mode)}`, ErrorType.Validation);
  const asOf = input.asOf ?? scheduledOrStartTime().toISOString();
  if (Number.isNaN(Date.parse(asOf))) throw ApplicationFailure.nonRetryable(`asOf must be an ISO instant, got ${asOf}`, ErrorType.Validation);
  // Steps: the evaluation; when it acts, the webhook and the change set it needs, and the settling.
  const work: WorkDone = { done: 0, total: 1, unit: WorkUnit.Steps };
  let progress: WorkflowProgress = {
    kind: WorkflowKind.RuleEvaluation,
    work: { ...work },
    phase: `evaluating rule ${input.ruleId} as of ${asOf}`,
    entities: {},
    counters: {},
    updatedAt: workflowInfo().runStartTime.toISOString(),
  };
  setHandler(progressQuery, () => progress);
  setCurrentDetails(progress.phase);
  const report = (phase: string, step?: RuleEvaluationStep) => {
    progress = {
      ...progress,
      phase,
      counters: step ? { matched: step.matched, acted: step.acted, skippedCooldown: step.skippedCooldown, skippedOther: step.skippedOther } : progress.counters,
      work: { ...work },
      updatedAt: new Date().toISOString(),
    };
    setCurrentDetails(phase);
  };

  const step = await evaluateRuleAt.executeWithOptions({ summary: activitySummaries.evaluateRule(asOf) }, [{ ruleId: input.ruleId, asOf, mode: input.mode, workflowId: workflowInfo().workflowId }]);
  const result: RuleEvaluationResult = { ...step, ruleId: input.ruleId, asOf };
  work.done = 1;
  if (step.status === 'acting') work.total = 2 + (step.notificationId && step.webhookPending ? 1 : 0) + (step.changes > 0 ? 1 : 0);
  if (step.status !== 'acting') {
    report(step.status === 'completed' ? `matched ${step.matched}, nothing to act on` : `${step.status}: ${step.reason ?? ''}`, step);
    return result;
  }
  report(`matched ${step.matched}, acting on ${step.acted}`, step);

  if (step.notificationId && step.webhookPending) {
    try {
      await deliverRuleWebhook.executeWithOptions({ summary: activitySummaries.deliverWebhook() }, [{ notificationId: step.notificationId }]);
      result.webhook = 'delivered';
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Retries spent or the receiver refused: the notice stays recorded, marked undelivered.
      result.webhook = 'failed';
      await markRuleWebhookFailed({ notificationId: step.notificationId, error: error.cause?.message ?? error.message });
    }
    work.done += 1;
  }

  const detail: Record<string, unknown> = result.webhook ? { webhook: result.webhook } : {};
  // NOTIFICATION rules make no change set: their commands are the same as before this step existed.
  if (step.changes > 0 && patched('rule-actions-change-set')) {
    const set = await storeRuleChangeSet.executeWithOptions({ summary: activitySummaries.storeRuleChangeSet() }, [{ executionId: step.executionId }]);
    result.changeSetId = set.changeSetId;
    detail.changeSetId = set.changeSetId;
    if (set.blocked || !set.input) {
      detail.changeSetStatus = 'blocked';
      detail.violations = set.violations;
      report(`change set ${set.changeSetId} is blocked by ${set.violations} violation(s) of the account's caps; nothing applied`, step);
    } else {
      report(`applying change set ${set.changeSetId}`, step);
      try {
        const label = set.label;
        const start = changeSetStart(
          { companyId: input.companyId, adAccountId: input.adAccountId, accountName: label?.accountName, companyName: label?.companyName },
          set.input,
          label ? { ...label.headline, ruleName: label.ruleName } : {},
        );
        const applied = await executeChild<(input: typeof set.input) => Promise<ChangeSetResult>>(WorkflowType.ChangeSet, {
          workflowId: workflowIds.changeSet(set.changeSetId),
          args: [set.input],
          typedSearchAttributes: start.searchAttributes,
          memo: start.memo,
          staticSummary: start.staticSummary,
          staticDetails: start.staticDetails,
        });
        detail.changeSetStatus = applied.status;
        detail.applied = applied.counts.applied + applied.counts.alreadyApplied;
        detail.failed = applied.counts.failed;
      } catch (error) {
        if (!(error instanceof ChildWorkflowFailure)) throw error;
        // The set recorded its own failure; the cooldown below follows what did apply.
        detail.changeSetStatus = 'failed';
      }
    }
  }
  // A change set counted in the total and done (applied, blocked, or made by a run before change sets).
  work.done = work.total - 1;
  await settleRuleExecution.executeWithOptions({ summary: activitySummaries.settleRuleExecution() }, [{ executionId: step.executionId, detail: Object.keys(detail).length > 0 ? detail : undefined }]);
  result.status = 'completed';
  work.done = work.total;
  report(`done: acted on ${step.acted}`, step);
  return result;
}
