import type { ChangeSetWorkflowInput } from '../contracts/change-set';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type AccountStartRef, type WorkflowStartSpec } from './workflow-start';

/** What the summary line of a change set says besides its account. */
export interface ChangeSetHeadline {
  /** Daily budget delta per currency (major units, e.g. "+61.20"). */
  dailyBudgetDelta?: Record<string, string>;
  objectsTurnedOn?: number;
  objectsTurnedOff?: number;
  /** The rule whose evaluation made the set, when a rule did. */
  ruleName?: string;
}

/** The start of a change set's workflow (`meta-change-set:<changeSetId>`), begun by its preview. */
export function changeSetStart(ref: AccountStartRef, input: ChangeSetWorkflowInput, headline: ChangeSetHeadline = {}): WorkflowStartSpec<ChangeSetWorkflowInput> {
  const summary = workflowSummaries.changeSet(ref, { kind: input.kind, itemCount: input.itemCount, ...headline });
  return {
    workflowType: WorkflowType.ChangeSet,
    workflowId: workflowIds.changeSet(input.changeSetId),
    args: [input],
    searchAttributes: accountSearchAttributes(ref, WorkflowKind.ChangeSet),
    memo: { ...accountMemo(ref, WorkflowKind.ChangeSet), changeSetId: input.changeSetId },
    staticSummary: summary,
    staticDetails: startDetails(summary, ref, workflowDetails.changeSet),
  };
}
