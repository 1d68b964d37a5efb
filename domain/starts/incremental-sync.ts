import type { IncrementalSyncInput } from '../contracts/incremental-sync';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type AccountStartRef, type WorkflowStartSpec } from './workflow-start';

export interface IncrementalSyncStartInput extends AccountStartRef {
  /** @default the workflow's 300 seconds */
  overlapSeconds?: number;
}

/** The start of an incremental entity sync of one ad account (`meta-incremental-sync:<adAccountId>`). */
export function incrementalSyncStart(input: IncrementalSyncStartInput): WorkflowStartSpec<IncrementalSyncInput> {
  return {
    workflowType: WorkflowType.IncrementalSync,
    workflowId: workflowIds.incrementalSync(input.adAccountId),
    args: [{ companyId: input.companyId, adAccountId: input.adAccountId, ...(input.overlapSeconds !== undefined ? { overlapSeconds: input.overlapSeconds } : {}) }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.IncrementalSync),
    memo: accountMemo(input, WorkflowKind.IncrementalSync),
    staticSummary: workflowSummaries.incrementalSync(input, input.overlapSeconds),
    staticDetails: startDetails('Incremental sync', input, workflowDetails.incrementalSync),
  };
}
