import type { LeadWorkflowInput } from '../contracts/lead';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type AccountStartRef, type WorkflowStartSpec } from './workflow-start';

export interface LeadStartInput extends AccountStartRef {
  leadgenId: string;
  pageId: string;
  formId?: string;
}

/** The start of one lead's read from a webhook notification (`meta-lead:<leadgenId>`). */
export function leadStart(input: LeadStartInput): WorkflowStartSpec<LeadWorkflowInput> {
  return {
    workflowType: WorkflowType.Lead,
    workflowId: workflowIds.lead(input.leadgenId),
    args: [{ companyId: input.companyId, adAccountId: input.adAccountId, leadgenId: input.leadgenId, pageId: input.pageId, ...(input.formId ? { formId: input.formId } : {}) }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.Lead),
    memo: accountMemo(input, WorkflowKind.Lead),
    staticSummary: workflowSummaries.lead(input),
    staticDetails: startDetails('New lead', input, workflowDetails.lead),
  };
}
