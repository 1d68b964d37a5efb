import { CancellationScope, continueAsNew, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { IncrementalEntity } from '../activities/entity-sync.activities';
import { WorkflowKind } from '../domain/vocabulary';
import { progressQuery, WorkUnit } from '../domain/progress';
import type { SyncResult } from '../domain/contracts/account-sync';
import type { IncrementalSyncInput } from '../domain/contracts/incremental-sync';
import { activitySummaries } from '../domain/workflow-summaries';
import { DATABASE_ACTIVITY, META_READ_ACTIVITY } from './activity-policies';
import { acceptStartRequests } from './start-request-handlers';
import { describeFailure, ensureSearchAttributes, ProgressTracker, workflowFailure } from './sync-progress';

const readers = proxyActivities<Activities>(META_READ_ACTIVITY);
const control = proxyActivities<Activities>(DATABASE_ACTIVITY);

/** Entity → cursor key in sync_cursors (the SQL table name). */
const CURSOR_KEYS: Record<IncrementalEntity, string> = { campaigns: 'campaigns', adsets: 'ad_sets', ads: 'ads' };
const ORDER: readonly IncrementalEntity[] = ['campaigns', 'adsets', 'ads'];
const DEFAULT_OVERLAP_SECONDS = 300;

/**
 * Incremental sync of one ad account: per entity type, `filtering` on `updated_time` greater than
 * the stored cursor minus a safety overlap (all statuses included); every changed field of a
 * campaign, ad set or ad is recorded in the change history (old value, new value, source `sync`).
 * Children of campaigns and ad sets whose status changed are read again, because their effective
 * status moves without their `updated_time`. An entity without a cursor is read in full.
 * Id: `meta-incremental-sync:<adAccountId>`.
 */
export async function incrementalSyncWorkflow(input: IncrementalSyncInput): Promise<SyncResult> {
  const { companyId, adAccountId } = input;
  const overlapSeconds = input.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
  const overlapMs = overlapSeconds * 1000;
  ensureSearchAttributes({ companyId, adAccountId, kind: WorkflowKind.IncrementalSync });
  const progress = new ProgressTracker(WorkflowKind.IncrementalSync);
  setHandler(progressQuery, () => progress.state);
  // The account read and one read per object type: the work a notification counts.
  const reads = 1 + ORDER.length;
  progress.work(0, reads, WorkUnit.Reads);
  // A request for a longer overlap than this run's is queued as a follow-up run (continue-as-new
  // with the longest overlap asked) once this one has finished: never silently dropped.
  let followUpOverlap: number | undefined;
  acceptStartRequests('incremental', (ask) => {
    const asked = ask.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
    if (asked > overlapSeconds) followUpOverlap = Math.max(followUpOverlap ?? 0, asked);
    const longest = followUpOverlap ?? overlapSeconds;
    return {
      kind: 'incremental',
      overlapSeconds: longest,
      followUp: followUpOverlap !== undefined,
      summary:
        followUpOverlap !== undefined
          ? `objects updated since the stored cursors minus ${overlapSeconds} s, then a follow-up run minus ${followUpOverlap} s`
          : `objects updated since the stored cursors minus ${overlapSeconds} s`,
    };
  });
  const counts = (): Record<string, number> => ({
    ...Object.fromEntries(Object.entries(progress.state.entities).map(([k, e]) => [k, e.rows])),
    ...progress.state.counters,
  });

  const run = await control.startSyncRun({ companyId, adAccountId, kind: 'incremental' });
  try {
    progress.phase('reading the ad account');
    await readers.syncAdAccountDetails.executeWithOptions({ summary: activitySummaries.readAccount(adAccountId) }, [{ adAccountId }]);
    progress.count('apiPages', 1);
    progress.work(1, reads, WorkUnit.Reads);
    const cursors = await control.loadSyncCursors({ adAccountId });
    for (const entity of ORDER) {
      const cursor = cursors[CURSOR_KEYS[entity]];
      const since = cursor ? new Date(new Date(cursor).getTime() - overlapMs).toISOString() : undefined;
      progress.phase(since ? `reading ${entity} updated after ${since}` : `reading all ${entity} (no cursor yet)`);
      progress.entity(entity, { done: false, cursor: since });
      const mode = since ? 'incremental' : 'full';
      const result = await readers.syncEdge.executeWithOptions({ summary: activitySummaries.syncEntities([entity], mode, since) }, [
        { adAccountId, entity, mode, since, syncStartedAt: run.startedAt },
      ]);
      progress.count('changes', result.changes);
      progress.count('apiPages', result.pages);
      progress.entity(entity, { pages: result.pages, rows: result.rows, done: true });
      progress.work(1 + Object.values(progress.state.entities).filter((e) => e.done).length, reads, WorkUnit.Reads);
    }
    progress.phase('saving cursors');
    const next = await control.completeAccountSync({ adAccountId, kind: 'incremental' });
    await control.finishSyncRun({ status: 'completed', counts: counts(), cursors: next.cursors });
    progress.phase('done');
  } catch (error) {
    progress.phase(isCancellation(error) ? 'cancelled' : 'failed');
    await CancellationScope.nonCancellable(() =>
      control.finishSyncRun({ status: isCancellation(error) ? 'canceled' : 'failed', counts: counts(), error: describeFailure(error) }),
    );
    throw workflowFailure(error);
  }
  if (followUpOverlap !== undefined) {
    return continueAsNew<typeof incrementalSyncWorkflow>({ companyId, adAccountId, overlapSeconds: followUpOverlap });
  }
  return { adAccountId, kind: WorkflowKind.IncrementalSync, counts: counts(), apiCalls: progress.state.counters?.apiPages ?? 0 };
}
