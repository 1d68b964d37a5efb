import { CancellationScope, ContinueAsNew, continueAsNew, isCancellation, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SyncEdgeResult, SyncEntity } from '../activities/entity-sync.activities';
import { WorkflowKind } from '../domain/vocabulary';
import { progressQuery, WorkUnit } from '../domain/progress';
import type { SyncResult } from '../domain/contracts/account-sync';
import type { FullSyncCarry, FullSyncWorkflowInput } from '../domain/contracts/full-sync';
import { activitySummaries } from '../domain/workflow-summaries';
import { DATABASE_ACTIVITY, META_READ_ACTIVITY } from './activity-policies';
import { acceptStartRequests } from './start-request-handlers';
import { describeFailure, ensureSearchAttributes, ProgressTracker, workflowFailure } from './sync-progress';

const readers = proxyActivities<Activities>(META_READ_ACTIVITY);
const control = proxyActivities<Activities>(DATABASE_ACTIVITY);

/**
 * Order of the reads: the hierarchy first (campaigns → ad sets → ads), then everything that only
 * needs the account, then children of pages and catalogs, then leads. Each stage is one activity
 * that reads its entities in this order, soft-deleting after each completed edge. The hierarchy
 * can be thousands of pages, so each level is a stage of its own (progress per level, a
 * continue-as-new point between them); the secondary objects are a page or two each, where an
 * activity per edge would cost more history events than the pages it reads.
 */
export const FULL_SYNC_STAGES: ReadonlyArray<readonly SyncEntity[]> = [
  ['campaigns'],
  ['adsets'],
  ['ads'],
  [
    'adcreatives', 'customaudiences', 'pixels', 'pages', 'productcatalogs', // need the account only
    'leadforms', 'instagramaccounts', 'productfeeds', 'products', 'productsets', // children of pages and catalogs
    'leads', // children of lead forms
  ],
];

/**
 * Stages of runs started before stage activities: one `syncEdge` + `softDeleteMissing` per entity,
 * the entities of a stage in parallel. Kept so those runs replay; remove once none is running.
 */
const LEGACY_STAGES: ReadonlyArray<readonly SyncEntity[]> = [
  ['campaigns'],
  ['adsets'],
  ['ads'],
  ['adcreatives', 'customaudiences', 'pixels', 'pages', 'productcatalogs'],
  ['leadforms', 'instagramaccounts', 'productfeeds', 'products', 'productsets'],
  ['leads'],
];

/**
 * Full sync of one ad account: account details, campaigns, ad sets, ads, creatives, custom
 * audiences, pixels, the account's pages with their lead forms, leads and Instagram accounts, and
 * the business's product catalogs with feeds, products and sets, ARCHIVED and DELETED included.
 * Objects a completed read did not return are soft-deleted. Id: `meta-full-sync:<adAccountId>`.
 */
export async function fullSyncWorkflow(input: FullSyncWorkflowInput): Promise<SyncResult> {
  const { companyId, adAccountId } = input;
  ensureSearchAttributes({ companyId, adAccountId, kind: WorkflowKind.FullSync });
  const carry = input.carry;
  const progress = new ProgressTracker(WorkflowKind.FullSync, carry?.entities, carry?.counters);
  setHandler(progressQuery, () => progress.state);
  // The account read and one read per object type (the same types in both stage layouts): the
  // work a notification counts, known before the first activity.
  const reads = 1 + FULL_SYNC_STAGES.flat().length;
  const worked = (accountDone: boolean): void =>
    progress.work((accountDone ? 1 : 0) + Object.values(progress.state.entities).filter((e) => e.done).length, reads, WorkUnit.Reads);
  worked(input.carry?.accountDone ?? false);
  // A full sync reads everything: any request for it asks nothing more than the running one.
  acceptStartRequests('full', () => ({ kind: 'full', summary: `every object of ${adAccountId}, archived and deleted included` }));

  const run = await control.startSyncRun({ companyId, adAccountId, kind: 'full' });
  const syncStartedAt = carry?.syncStartedAt ?? run.startedAt;
  let accountDone = carry?.accountDone ?? false;
  const counts = (): Record<string, number> => ({
    ...Object.fromEntries(Object.entries(progress.state.entities).map(([k, e]) => [k, e.rows])),
    ...progress.state.counters,
  });

  try {
    if (!accountDone) {
      progress.phase('reading the ad account');
      await readers.syncAdAccountDetails.executeWithOptions({ summary: activitySummaries.readAccount(adAccountId) }, [{ adAccountId }]);
      accountDone = true;
      progress.count('apiPages', 1);
      worked(accountDone);
    }
    const grouped = patched('full-sync-stage-activities');
    const stages = grouped ? FULL_SYNC_STAGES : LEGACY_STAGES;
    for (const [index, stage] of stages.entries()) {
      const todo = stage.filter((entity) => !progress.state.entities[entity]?.done);
      if (todo.length === 0) continue;
      progress.phase(`reading ${todo.join(', ')} (stage ${index + 1} of ${stages.length})`);
      for (const entity of todo) progress.entity(entity, { done: false });
      const done = (edge: SyncEdgeResult): void => {
        progress.count('softDeleted', edge.softDeleted ?? 0);
        progress.count('changes', edge.changes);
        progress.count('apiPages', edge.pages);
        progress.entity(edge.entity, { pages: edge.pages, rows: edge.rows, done: true });
        worked(accountDone);
      };
      if (grouped) {
        const result = await readers.syncEdges.executeWithOptions({ summary: activitySummaries.syncEntities(todo, 'full') }, [
          { adAccountId, entities: todo, mode: 'full', syncStartedAt, softDeleteMissing: true },
        ]);
        result.entities.forEach(done);
      } else {
        await Promise.all(
          todo.map(async (entity) => {
            const result = await readers.syncEdge({ adAccountId, entity, mode: 'full', syncStartedAt });
            const deleted = await control.softDeleteMissing({ adAccountId, entity, syncStartedAt });
            done({ ...result, softDeleted: deleted.softDeleted });
          }),
        );
      }
      if (workflowInfo().continueAsNewSuggested && index < stages.length - 1) {
        await control.finishSyncRun({ status: 'completed', counts: counts(), cursors: { continuedAsNew: true } });
        const next: FullSyncCarry = { syncStartedAt, accountDone, entities: progress.state.entities, counters: progress.state.counters ?? {} };
        await continueAsNew<typeof fullSyncWorkflow>({ companyId, adAccountId, carry: next });
      }
    }
    progress.phase('saving cursors');
    const { cursors } = await control.completeAccountSync({ adAccountId, kind: 'full' });
    await control.finishSyncRun({ status: 'completed', counts: counts(), cursors });
    progress.phase('done');
    return { adAccountId, kind: WorkflowKind.FullSync, counts: counts(), apiCalls: progress.state.counters?.apiPages ?? 0 };
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    progress.phase(isCancellation(error) ? 'cancelled' : 'failed');
    await CancellationScope.nonCancellable(() =>
      control.finishSyncRun({ status: isCancellation(error) ? 'canceled' : 'failed', counts: counts(), error: describeFailure(error) }),
    );
    throw workflowFailure(error);
  }
}
