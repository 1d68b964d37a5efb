import { ActivityFailure, ApplicationFailure, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { WorkflowKind } from '../domain/vocabulary';
import { progressQuery, type WorkflowProgress } from '../domain/progress';
import { ErrorType } from '../domain/error-types';
import type { RuleEvaluationInput, RuleEvaluationResult, RuleEvaluationStep } from '../domain/contracts/rule-evaluation';
import { RULE_SQL_ACTIVITY, RULE_WEBHOOK_ACTIVITY } from './activity-policies';
import { scheduledOrStartTime } from './scheduled-time';

const { evaluateRuleAt, settleRuleExecution, markRuleWebhookFailed } = proxyActivities<Activities>(RULE_SQL_ACTIVITY);
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
  let progress: WorkflowProgress = {
    kind: WorkflowKind.RuleEvaluation,
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
      updatedAt: new Date().toISOString(),
    };
    setCurrentDetails(phase);
  };

  const step = await evaluateRuleAt({ ruleId: input.ruleId, asOf, mode: input.mode, workflowId: workflowInfo().workflowId });
  const result: RuleEvaluationResult = { ...step, ruleId: input.ruleId, asOf };
  if (step.status !== 'acting') {
    report(step.status === 'completed' ? `matched ${step.matched}, nothing to act on` : `${step.status}: ${step.reason ?? ''}`, step);
    return result;
  }
  report(`matched ${step.matched}, acting on ${step.acted}`, step);

  if (step.notificationId && step.webhookPending) {
    try {
      await deliverRuleWebhook({ notificationId: step.notificationId });
      result.webhook = 'delivered';
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Retries spent or the receiver refused: the notice stays recorded, marked undelivered.
      result.webhook = 'failed';
      await markRuleWebhookFailed({ notificationId: step.notificationId, error: error.cause?.message ?? error.message });
    }
  }

  await settleRuleExecution({ executionId: step.executionId, detail: result.webhook ? { webhook: result.webhook } : undefined });
  result.status = 'completed';
  report(`done: acted on ${step.acted}`, step);
  return result;
}
