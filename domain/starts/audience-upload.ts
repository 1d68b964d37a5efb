import type { AudienceUploadInput } from '../contracts/audience-upload';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import { accountMemo, accountSearchAttributes, type WorkflowStartSpec } from './workflow-start';

export interface AudienceUploadStartRef extends AudienceUploadInput {
  mode: 'add' | 'replace';
  rows: number;
  accountName?: string | null;
  companyName?: string | null;
}

/** A customer-list upload: one run per upload id. */
export function audienceUploadStart(input: AudienceUploadStartRef): WorkflowStartSpec<AudienceUploadInput> {
  const summary = workflowSummaries.audienceUpload(input);
  return {
    workflowType: WorkflowType.AudienceUpload,
    workflowId: workflowIds.audienceUpload(input.uploadId),
    args: [{ uploadId: input.uploadId, companyId: input.companyId, adAccountId: input.adAccountId, audienceId: input.audienceId, batches: input.batches }],
    searchAttributes: accountSearchAttributes(input, WorkflowKind.AudienceUpload),
    memo: { ...accountMemo(input, WorkflowKind.AudienceUpload), uploadId: input.uploadId, audienceId: input.audienceId },
    staticSummary: summary,
    staticDetails: startDetails(summary, input, [`Upload \`${input.uploadId}\`, audience \`${input.audienceId}\`, ${input.batches} batch(es)`, ...workflowDetails.audienceUpload]),
  };
}
