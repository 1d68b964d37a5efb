import {
  ApplicationFailure, ChildWorkflowFailure, proxyActivities, setHandler, startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { WorkflowKind } from '../domain/vocabulary';
import { progressQuery } from '../domain/progress';
import { METRICS_SYNC_DEFAULTS, type MetricsSyncSettings } from '../domain/contracts/metrics-sync';
import type { CompanySyncInput, CompanySyncOutcome, CompanySyncResult } from '../domain/contracts/company-sync';
import { companySyncChildStart } from '../domain/starts/company-sync';
import { DATABASE_ACTIVITY } from './activity-policies';
import { ensureSearchAttributes, ProgressTracker } from './sync-progress';

const control = proxyActivities<Activities>(DATABASE_ACTIVITY);

const DEFAULT_MAX_PARALLEL = 4;

/**
 * Runs the requested syncs for every connected ad account of a company as child workflows with
 * the per-account deterministic ids, at most `maxParallel` accounts at once; an account's kinds run
 * in the given order. A failing child (e.g. a token that needs re-authorisation) does not fail
 * the others; the result lists every child's outcome. Id: `meta-company-sync:<companyId>`.
 */
export async function companySyncWorkflow(input: CompanySyncInput): Promise<CompanySyncResult> {
  const { companyId } = input;
  if (!input.kinds?.length) throw ApplicationFailure.nonRetryable('kinds must name at least one sync kind', 'ValidationError');
  ensureSearchAttributes({ companyId, kind: WorkflowKind.CompanySync });
  const progress = new ProgressTracker(WorkflowKind.CompanySync, {}, { children: 0, completed: 0, failed: 0 });
  setHandler(progressQuery, () => progress.state);

  const { adAccountIds, names } = await control.listCompanyAdAccounts({ companyId });
  // Runs started before the company sync carried the metrics settings: the built-in defaults, as then.
  const metrics: MetricsSyncSettings = input.metrics ?? { lookbackDays: METRICS_SYNC_DEFAULTS.lookbackDays, attributionWindows: METRICS_SYNC_DEFAULTS.attributionWindows };
  const maxParallel = Math.max(1, input.maxParallel ?? DEFAULT_MAX_PARALLEL);
  progress.phase(`syncing ${adAccountIds.length} ad accounts, ${maxParallel} at once`);
  const outcomes: CompanySyncOutcome[] = [];

  const runAccount = async (adAccountId: string): Promise<void> => {
    for (const kind of input.kinds) {
      // `names` is absent in the activity results recorded before it was added.
      const child = companySyncChildStart(kind, { companyId, adAccountId, accountName: names?.[adAccountId] }, metrics);
      progress.count('children', 1);
      let outcome: CompanySyncOutcome;
      try {
        const handle = await startChild(child.workflowType, {
          workflowId: child.workflowId,
          args: child.args,
          typedSearchAttributes: child.searchAttributes,
          memo: child.memo,
          staticSummary: child.staticSummary,
        });
        await handle.result();
        outcome = { adAccountId, kind, workflowId: child.workflowId, status: 'completed' };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          outcome = { adAccountId, kind, workflowId: child.workflowId, status: 'already-running' };
        } else if (error instanceof ChildWorkflowFailure) {
          const cause = error.cause;
          outcome = { adAccountId, kind, workflowId: child.workflowId, status: 'failed', errorType: cause instanceof ApplicationFailure ? cause.type ?? undefined : cause?.name };
        } else {
          throw error;
        }
      }
      outcomes.push(outcome);
      progress.count(outcome.status === 'failed' ? 'failed' : 'completed', 1);
      progress.entity(`${adAccountId}:${kind}`, { pages: 0, rows: 0, done: true });
      // A failed full sync (e.g. re-authorisation needed) makes the account's later kinds pointless.
      if (outcome.status === 'failed') break;
    }
  };

  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < adAccountIds.length) {
      const adAccountId = adAccountIds[next++]!;
      await runAccount(adAccountId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallel, adAccountIds.length) }, lane));
  progress.phase('done');
  return { companyId, outcomes };
}
