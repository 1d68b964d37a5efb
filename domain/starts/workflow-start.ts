/**
 * What every workflow start carries, built in one place per workflow (the files beside this one)
 * so the fronts, the schedules and parent workflows start each workflow the same way. Pure: no
 * clock, no config, no I/O, so workflow code can call the builders too.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { SearchAttributes } from '../search-attributes';
import type { WorkflowKind, WorkflowType } from '../vocabulary';
import { namesMemo } from '../workflow-summaries';

/** Everything needed to start one workflow, whoever starts it (client, schedule action or startChild). */
export interface WorkflowStartSpec<Input> {
  workflowType: WorkflowType;
  /**
   * The deterministic id (USE_EXISTING attaches a repeated request to the running job). For a
   * schedule's action it is the prefix the schedule appends each run's action time to.
   */
  workflowId: string;
  args: [Input];
  /** Ids and kinds only: search attributes are never encrypted. */
  searchAttributes: SearchAttributePair[];
  /**
   * Ids, kinds and the company's and account's names, for readers of the execution (memos are
   * never encrypted either: names are the company's own and Meta's, never a token).
   */
  memo: Record<string, string>;
  /** One plain-text line for the Temporal UI's list: what runs, for whom. No secrets (domain/workflow-summaries.ts). */
  staticSummary: string;
  /** Markdown for the workflow's page in the Temporal UI: for whom, by name and id, and what the job does. */
  staticDetails?: string;
}

/** Who an account-level workflow runs for. */
export interface AccountStartRef {
  companyId: string;
  adAccountId: string;
  /** The account's name when the caller knows it; the summary then reads "Name (act_…)". */
  accountName?: string | null;
  /** The company's name when the caller knows it, for the details and the memo. */
  companyName?: string | null;
}

/** CompanyId, AdAccountId and WorkflowKind of an account-level workflow. */
export function accountSearchAttributes(ref: AccountStartRef, kind: WorkflowKind): SearchAttributePair[] {
  return [
    { key: SearchAttributes.CompanyId, value: ref.companyId },
    { key: SearchAttributes.AdAccountId, value: ref.adAccountId },
    { key: SearchAttributes.WorkflowKind, value: kind },
  ];
}

/** The memo of an account-level workflow: ids, kind, and the names when known. */
export function accountMemo(ref: AccountStartRef, kind: WorkflowKind): Record<string, string> {
  return { companyId: ref.companyId, adAccountId: ref.adAccountId, kind, ...namesMemo(ref) };
}
