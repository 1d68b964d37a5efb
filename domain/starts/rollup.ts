import type { SearchAttributePair } from '@temporalio/common';
import type { RollupInput } from '../contracts/rollup';
import { SearchAttributes } from '../search-attributes';
import { WorkflowKind, WorkflowType, type RollupGrain } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { namesMemo, startDetails, workflowSummaries } from '../workflow-summaries';
import type { WorkflowStartSpec } from './workflow-start';


export interface RollupBackfillStartInput {
  companyId: string;
  grain: RollupGrain;
  from: string;
  to: string;
  /** The company's accounts to recompute (resolved by the caller). */
  adAccountIds: string[];
  /** Set when one account was asked for: it scopes the id and the search attributes. */
  adAccountId?: string;
  /** Names for the summary and the memo, when the caller looked them up. */
  companyName?: string | null;
  accountName?: string | null;
}

/**
 * The start of a rollup over an explicit window that a company asked for. The id carries the
 * scope (the account, or the company) so two tenants' runs over the same window never attach
 * to each other, while a repeated request attaches to the running one.
 */
export function rollupBackfillStart(input: RollupBackfillStartInput): WorkflowStartSpec<RollupInput> {
  const scope = input.adAccountId ?? `company:${input.companyId}`;
  const searchAttributes: SearchAttributePair[] = [
    { key: SearchAttributes.CompanyId, value: input.companyId },
    { key: SearchAttributes.WorkflowKind, value: WorkflowKind.Rollup },
  ];
  if (input.adAccountId) searchAttributes.push({ key: SearchAttributes.AdAccountId, value: input.adAccountId });
  return {
    workflowType: WorkflowType.Rollup,
    workflowId: workflowIds.rollupBackfill(input.grain, input.from, input.to, scope),
    args: [{ grain: input.grain, from: input.from, to: input.to, adAccountIds: [...input.adAccountIds] }],
    searchAttributes,
    memo: { companyId: input.companyId, ...(input.adAccountId ? { adAccountId: input.adAccountId } : {}), kind: WorkflowKind.Rollup, ...namesMemo(input) },
    staticSummary: workflowSummaries.rollupBackfill({ ...input, accounts: input.adAccountIds.length }),
    staticDetails: startDetails(`Rollup backfill ${input.from} → ${input.to}`, input, [`Recomputes ${input.grain} metrics of ${input.adAccountIds.length} account(s) from the finer grain`]),
  };
}

/** The start a rollup schedule makes: no window, the run derives it from its scheduled time. */
export function scheduledRollupStart(input: { grain: RollupGrain }): WorkflowStartSpec<RollupInput> {
  return {
    workflowType: WorkflowType.Rollup,
    workflowId: workflowIds.scheduledRollup(input.grain),
    args: [{ grain: input.grain }],
    searchAttributes: [{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.Rollup }],
    memo: { kind: WorkflowKind.Rollup },
    staticSummary: workflowSummaries.scheduledRollup(input.grain),
  };
}
