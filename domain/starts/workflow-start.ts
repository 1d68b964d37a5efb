/**
 * What every workflow start carries, built in one place per workflow (the files beside this one)
 * so the fronts, the schedules and parent workflows start each workflow the same way. Pure: no
 * clock, no config, no I/O, so workflow code can call the builders too.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { SearchAttributes } from '../search-attributes';
import type { WorkflowKind, WorkflowType } from '../vocabulary';

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
  /** Ids and kinds only, for readers of the execution (memos are never encrypted either). */
  memo: Record<string, string>;
  /** One plain-text line for the Temporal UI's list: what runs, for whom. No secrets. */
  staticSummary: string;
}

/** Who an account-level workflow runs for. */
export interface AccountStartRef {
  companyId: string;
  adAccountId: string;
  /** The account's name when the caller knows it; the summary then reads "Name (act_…)". */
  accountName?: string | null;
}

const MAX_NAME_LENGTH = 80;

/**
 * A name as one safe summary line: whitespace (newlines included) collapsed, markdown emphasis
 * and link characters dropped, long names cut.
 */
export function summaryText(name: string): string {
  const line = name.replace(/[\s]+/g, ' ').replace(/[*_`[\]<>#|]/g, '').trim();
  return line.length > MAX_NAME_LENGTH ? `${line.slice(0, MAX_NAME_LENGTH - 1)}…` : line;
}

/** "Sim Account 1 (act_1)" when the name is known, else "act_1". */
export function accountLabel(ref: AccountStartRef): string {
  const name = ref.accountName ? summaryText(ref.accountName) : '';
  return name ? `${name} (${ref.adAccountId})` : ref.adAccountId;
}

/** CompanyId, AdAccountId and WorkflowKind of an account-level workflow. */
export function accountSearchAttributes(ref: AccountStartRef, kind: WorkflowKind): SearchAttributePair[] {
  return [
    { key: SearchAttributes.CompanyId, value: ref.companyId },
    { key: SearchAttributes.AdAccountId, value: ref.adAccountId },
    { key: SearchAttributes.WorkflowKind, value: kind },
  ];
}

/** The memo of an account-level workflow. */
export function accountMemo(ref: AccountStartRef, kind: WorkflowKind): Record<string, string> {
  return { companyId: ref.companyId, adAccountId: ref.adAccountId, kind };
}
