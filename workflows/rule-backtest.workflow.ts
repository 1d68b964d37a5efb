import { proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activitySummaries } from '../domain/workflow-summaries';
import { WorkflowKind } from '../domain/vocabulary';
import { progressQuery, WorkUnit, type WorkflowProgress } from '../domain/progress';
import type { RuleBacktestInput, RuleBacktestSummary } from '../domain/contracts/rule-evaluation';
import { RULE_BACKTEST_ACTIVITY } from './activity-policies';

const { runRuleBacktest } = proxyActivities<Activities>(RULE_BACKTEST_ACTIVITY);

/**
 * A backtest too long to answer inline: the rule at each tick of its schedule over stored
 * history, in one heartbeating activity. Writes only its own `backtest` executions; nothing goes
 * to Meta. The summary is the result; the fires are in the rule's executions.
 */
export async function ruleBacktestWorkflow(input: RuleBacktestInput): Promise<RuleBacktestSummary> {
  let progress: WorkflowProgress = { kind: WorkflowKind.RuleBacktest, phase: `backtesting ${input.from} → ${input.to}`, entities: {}, work: { done: 0, total: 1, unit: WorkUnit.Steps }, updatedAt: workflowInfo().runStartTime.toISOString() };
  setHandler(progressQuery, () => progress);
  setCurrentDetails(progress.phase);
  const summary = await runRuleBacktest.executeWithOptions({ summary: activitySummaries.backtest(input.from, input.to) }, [{ ...input, workflowId: workflowInfo().workflowId }]);
  progress = {
    ...progress,
    phase: 'done',
    work: { done: 1, total: 1, unit: WorkUnit.Steps },
    counters: { ticks: summary.ticks, firedTicks: summary.firedTicks, actions: summary.actions, objects: summary.objects },
    updatedAt: new Date().toISOString(),
  };
  setCurrentDetails(`${summary.firedTicks} of ${summary.ticks} ticks would have fired, on ${summary.objects} objects`);
  return summary;
}
