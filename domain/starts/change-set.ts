import type { ChangeSetWorkflowInput } from '../contracts/change-set';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { accountLabel, accountMemo, accountSearchAttributes, type AccountStartRef, type WorkflowStartSpec } from './workflow-start';

/** What the summary line of a change set says besides its account. */
export interface ChangeSetHeadline {
  /** Daily budget delta per currency (major units, e.g. "+61.20"). */
  dailyBudgetDelta?: Record<string, string>;
  objectsTurnedOn?: number;
  objectsTurnedOff?: number;
}

/** The start of a change set's workflow (`meta-change-set:<changeSetId>`), begun by its preview. */
export function changeSetStart(ref: AccountStartRef, input: ChangeSetWorkflowInput, headline: ChangeSetHeadline = {}): WorkflowStartSpec<ChangeSetWorkflowInput> {
  const n = input.itemCount;
  const parts = [`${input.kind === 'create' ? 'Create' : 'Change'} ${n} object${n === 1 ? '' : 's'} of ${accountLabel(ref)}`];
  for (const [currency, delta] of Object.entries(headline.dailyBudgetDelta ?? {})) {
    if (!/^-?0(\.0+)?$/.test(delta)) parts.push(`daily budgets ${delta.startsWith('-') ? '' : '+'}${delta} ${currency}`);
  }
  if (headline.objectsTurnedOn) parts.push(`${headline.objectsTurnedOn} turned on`);
  if (headline.objectsTurnedOff) parts.push(`${headline.objectsTurnedOff} turned off`);
  return {
    workflowType: WorkflowType.ChangeSet,
    workflowId: workflowIds.changeSet(input.changeSetId),
    args: [input],
    searchAttributes: accountSearchAttributes(ref, WorkflowKind.ChangeSet),
    memo: { ...accountMemo(ref, WorkflowKind.ChangeSet), changeSetId: input.changeSetId },
    staticSummary: parts.join(', '),
  };
}
