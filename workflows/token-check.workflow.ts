import { proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activitySummaries } from '../domain/workflow-summaries';
import { WorkflowKind } from '../domain/vocabulary';
import { SearchAttributes } from '../domain/search-attributes';
import { progressQuery, WorkUnit, type WorkflowProgress } from '../domain/progress';
import type { TokenCheckBatchResult, TokenCheckInput, TokenCheckResult } from '../domain/contracts/token-check';
import { TOKEN_CHECK_ACTIVITY } from './activity-policies';
import { scheduledOrStartTime } from './scheduled-time';

const { listTokenCheckAccounts, checkTokens } = proxyActivities<Activities>(TOKEN_CHECK_ACTIVITY);

/**
 * The daily token check: Meta's debug_token for every connected account's token, one activity per
 * batch of accounts. Accounts whose token is invalid or lost a required scope need re-authorisation
 * from then on (their syncs stop at once, without calling Meta); valid tokens within 14 days of
 * expiry become attention items. Only account ids and counts pass through here, never a token.
 */
export async function tokenCheckWorkflow(input: TokenCheckInput = {}): Promise<TokenCheckResult> {
  const asOf = (input.asOf ? new Date(input.asOf) : scheduledOrStartTime()).toISOString();
  const batchSize = Math.max(1, input.batchSize ?? 50);
  let progress: WorkflowProgress = { kind: WorkflowKind.TokenCheck, phase: 'listing accounts', entities: {}, work: { done: 0, total: 0, unit: WorkUnit.Steps }, updatedAt: asOf };
  setHandler(progressQuery, () => progress);
  upsertSearchAttributes([{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.TokenCheck }]);
  setCurrentDetails(progress.phase);
  const ids = await listTokenCheckAccounts.executeWithOptions({ summary: activitySummaries.listTokenCheckAccounts() }, []);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
  const total: TokenCheckBatchResult = { checked: 0, invalid: 0, scopeWithdrawn: 0, expiring: 0, unanswered: 0 };
  for (const [index, adAccountIds] of batches.entries()) {
    progress = { ...progress, phase: `checking batch ${index + 1} of ${batches.length}`, work: { done: index, total: batches.length, unit: WorkUnit.Steps } };
    const batch = await checkTokens.executeWithOptions({ summary: activitySummaries.checkTokens(adAccountIds.length, asOf) }, [{ adAccountIds, asOf }]);
    for (const key of Object.keys(total) as Array<keyof TokenCheckBatchResult>) total[key] += batch[key];
  }
  progress = {
    ...progress,
    phase: 'done',
    work: { done: batches.length, total: batches.length, unit: WorkUnit.Steps },
    counters: { ...total },
    updatedAt: new Date(workflowInfo().runStartTime.getTime()).toISOString(),
  };
  setCurrentDetails(`checked ${total.checked} token(s): ${total.invalid} invalid, ${total.scopeWithdrawn} lost a scope, ${total.expiring} expiring within 14 days, ${total.unanswered} unanswered`);
  return { asOf, batches: batches.length, ...total };
}
