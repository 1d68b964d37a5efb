import type { RuleBacktestInput, RuleEvaluationInput } from '../contracts/rule-evaluation';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { accountMemo, accountSearchAttributes, summaryText, type WorkflowStartSpec } from './workflow-start';

export interface RuleStartRef {
  ruleId: string;
  ruleName: string;
  companyId: string;
  adAccountId: string;
}

/** An evaluation of a rule now (or at an instant), run by hand: one run per (rule, instant). */
export function manualRuleEvaluationStart(input: RuleStartRef & { asOf: string }): WorkflowStartSpec<RuleEvaluationInput> {
  return {
    workflowType: WorkflowType.RuleEvaluation,
    workflowId: workflowIds.ruleEvaluation(input.ruleId, input.asOf),
    args: [{ ruleId: input.ruleId, companyId: input.companyId, adAccountId: input.adAccountId, mode: 'manual', asOf: input.asOf }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.RuleEvaluation),
    memo: { ...accountMemo(input, WorkflowKind.RuleEvaluation), ruleId: input.ruleId },
    staticSummary: `Rule "${summaryText(input.ruleName)}" on ${input.adAccountId}, evaluated by hand as of ${input.asOf}`,
  };
}

/** What a rule's Schedule starts at each tick: the run takes its instant from TemporalScheduledStartTime. */
export function scheduledRuleEvaluationStart(input: RuleStartRef): WorkflowStartSpec<RuleEvaluationInput> {
  return {
    workflowType: WorkflowType.RuleEvaluation,
    workflowId: workflowIds.scheduledRuleEvaluation(input.ruleId),
    args: [{ ruleId: input.ruleId, companyId: input.companyId, adAccountId: input.adAccountId, mode: 'scheduled' }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.RuleEvaluation),
    memo: { ...accountMemo(input, WorkflowKind.RuleEvaluation), ruleId: input.ruleId },
    staticSummary: `Rule "${summaryText(input.ruleName)}" on ${input.adAccountId}, scheduled evaluation`,
  };
}

/** A backtest too long to answer inline. */
export function ruleBacktestStart(input: RuleStartRef & { backtestId: string; from: string; to: string }): WorkflowStartSpec<RuleBacktestInput> {
  return {
    workflowType: WorkflowType.RuleBacktest,
    workflowId: workflowIds.ruleBacktest(input.ruleId, input.backtestId),
    args: [{ ruleId: input.ruleId, companyId: input.companyId, adAccountId: input.adAccountId, backtestId: input.backtestId, from: input.from, to: input.to }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.RuleBacktest),
    memo: { ...accountMemo(input, WorkflowKind.RuleBacktest), ruleId: input.ruleId },
    staticSummary: `Backtest of rule "${summaryText(input.ruleName)}" on ${input.adAccountId}, ${input.from} → ${input.to} (writes nothing to Meta)`,
  };
}
