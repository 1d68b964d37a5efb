import type { RetentionInput } from '../contracts/retention';
import { SearchAttributes } from '../search-attributes';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { workflowSummaries } from '../workflow-summaries';
import type { WorkflowStartSpec } from './workflow-start';

/** The start the retention schedule makes (hourly rows older than the retention age, once daily rows cover them). */
export function scheduledRetentionStart(input: { hourlyRetentionDays: number }): WorkflowStartSpec<RetentionInput> {
  return {
    workflowType: WorkflowType.Retention,
    workflowId: workflowIds.scheduledRetention(),
    args: [{ hourlyRetentionDays: input.hourlyRetentionDays }],
    searchAttributes: [{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.Retention }],
    memo: { kind: WorkflowKind.Retention },
    staticSummary: workflowSummaries.retention(input.hourlyRetentionDays),
  };
}
