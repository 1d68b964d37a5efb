import type { CompanySyncInput, CompanySyncKind } from '../contracts/company-sync';
import type { MetricsSyncSettings } from '../contracts/metrics-sync';
import { SearchAttributes } from '../search-attributes';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { fullSyncStart } from './full-sync';
import { incrementalSyncStart } from './incremental-sync';
import { metricsSyncStart } from './metrics-sync';
import { namesMemo, startDetails, workflowDetails, workflowSummaries } from '../workflow-summaries';
import type { AccountStartRef, WorkflowStartSpec } from './workflow-start';

export interface CompanySyncStartInput {
  companyId: string;
  /** The company's name when the caller knows it, for the summary. */
  companyName?: string | null;
  kinds: CompanySyncKind[];
  maxParallel: number;
  /** Passed on to every metrics child. */
  metrics: MetricsSyncSettings;
}

/** The start of the company-wide sync over every connected ad account (`meta-company-sync:<companyId>`). */
export function companySyncStart(input: CompanySyncStartInput): WorkflowStartSpec<CompanySyncInput> {
  const kinds = [...new Set(input.kinds)];
  return {
    workflowType: WorkflowType.CompanySync,
    workflowId: workflowIds.companySync(input.companyId),
    args: [{ companyId: input.companyId, kinds, maxParallel: input.maxParallel, metrics: { lookbackDays: input.metrics.lookbackDays, attributionWindows: [...input.metrics.attributionWindows] } }],
    searchAttributes: [
      { key: SearchAttributes.CompanyId, value: input.companyId },
      { key: SearchAttributes.WorkflowKind, value: WorkflowKind.CompanySync },
    ],
    memo: { companyId: input.companyId, kind: WorkflowKind.CompanySync, ...namesMemo(input) },
    staticSummary: workflowSummaries.companySync(input, kinds, input.maxParallel),
    staticDetails: startDetails('Company sync', input, workflowDetails.companySync(kinds)),
  };
}

/** The child a company sync starts for one account and kind: the same start the fronts make. */
export function companySyncChildStart(kind: CompanySyncKind, ref: AccountStartRef, metrics: MetricsSyncSettings): WorkflowStartSpec<unknown> {
  switch (kind) {
    case 'full':
      return fullSyncStart(ref);
    case 'incremental':
      return incrementalSyncStart(ref);
    case 'metrics-daily':
      return metricsSyncStart({ ...ref, grain: 'daily', settings: metrics });
    case 'metrics-hourly':
      return metricsSyncStart({ ...ref, grain: 'hourly', settings: metrics });
  }
}
