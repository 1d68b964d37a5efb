import type { TokenCheckInput } from '../contracts/token-check';
import { SearchAttributes } from '../search-attributes';
import { WorkflowKind, WorkflowType } from '../vocabulary';
import { workflowIds } from '../workflow-ids';
import { workflowSummaries } from '../workflow-summaries';
import type { WorkflowStartSpec } from './workflow-start';

/** The start the daily token-check schedule makes (every stored token, as of the scheduled time). */
export function scheduledTokenCheckStart(): WorkflowStartSpec<TokenCheckInput> {
  return {
    workflowType: WorkflowType.TokenCheck,
    workflowId: workflowIds.scheduledTokenCheck(),
    args: [{}],
    searchAttributes: [{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.TokenCheck }],
    memo: { kind: WorkflowKind.TokenCheck },
    staticSummary: workflowSummaries.tokenCheck(),
  };
}
