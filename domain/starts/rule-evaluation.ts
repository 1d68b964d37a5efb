import type { RuleBacktestInput, RuleEvaluationInput } from '../contracts/rule-evaluation';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { startDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type WorkflowStartSpec } from './workflow-start';

export interface RuleStartRef {
  ruleId: string;
  ruleName: string;
  companyId: string;
  adAccountId: string;
  /** Names for the summaries and the memo, when the caller looked them up. */
  accountName?: string | null;
  companyName?: string | null;
}

/** An evaluation of a rule now (or at an instant), run by hand: one run per (rule, instant). */
export function manualRuleEvaluationStart(input: RuleStartRef & { asOf: string }): WorkflowStartSpec<RuleEvaluationInput> {
  return {
    workflowType: WorkflowType.RuleEvaluation,
    workflowId: workflowIds.ruleEvaluation(input.ruleId, input.asOf),
    args: [{ ruleId: input.ruleId, companyId: input.companyId, adAccountId: input.adAccountId, mode: 'manual', asOf: input.asOf }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.RuleEvaluation),
    memo: { ...accountMemo(input, WorkflowKind.RuleEvaluation), ruleId: input.ruleId },
    staticSummary: workflowSummaries.manualRuleEvaluation(input, input.asOf),
    staticDetails: startDetails(workflowSummaries.manualRuleEvaluation(input, input.asOf), input, [`Rule id \`${input.ruleId}\``]),
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
    staticSummary: workflowSummaries.scheduledRuleEvaluation(input),
    staticDetails: startDetails(workflowSummaries.scheduledRuleEvaluation(input), input, [`Rule id \`${input.ruleId}\`; the instant evaluated is the tick's scheduled time`]),
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
    staticSummary: workflowSummaries.ruleBacktest(input, input.from, input.to),
    staticDetails: startDetails(workflowSummaries.ruleBacktest(input, input.from, input.to), input, [`Rule id \`${input.ruleId}\`, backtest \`${input.backtestId}\``]),
  };
}
