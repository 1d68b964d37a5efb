import type { FullSyncInput } from '../contracts/full-sync';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type AccountStartRef, type WorkflowStartSpec } from './workflow-start';

/** The start of a full sync of one ad account (`meta-full-sync:<adAccountId>`). */
export function fullSyncStart(ref: AccountStartRef): WorkflowStartSpec<FullSyncInput> {
  return {
    workflowType: WorkflowType.FullSync,
    workflowId: workflowIds.fullSync(ref.adAccountId),
    args: [{ companyId: ref.companyId, adAccountId: ref.adAccountId }],
    searchAttributes: accountSearchAttributes(ref, WorkflowKind.FullSync),
    memo: accountMemo(ref, WorkflowKind.FullSync),
    staticSummary: workflowSummaries.fullSync(ref),
    staticDetails: startDetails('Full sync', ref, workflowDetails.fullSync),
  };
}
