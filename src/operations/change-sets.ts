/**
 * Reading change sets: one set with its items (keyset-paged), outcome counts and the state of
 * its workflow; the company's sets, newest first. Every read is scoped to the actor's company:
 * another company's set is "not found".
 */
import type { z } from 'zod';
import { currencyOffset } from '../meta/money';
import type { MinorOffset } from '../../domain/minor-units';
import { findOwnedAdAccount, loadOwnedAdAccount } from '../db/ad-account-repository';
import { countChangeSetItems, listChangeSetItems, listChangeSets as listStoredChangeSets } from '../db/change-set-repository';
import { NotFoundError, ValidationError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { changeSetView, getChangeSetInput, listChangeSetsInput } from './schemas/change-sets';
import { loadOwnedChangeSet } from './change-set-store';
import { itemView, summaryView, type ChangeSetSummaryView } from './change-set-views';
import { decodeCursor, encodeCursor, toPage, type Page } from './paging';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';
import { getWorkflowStatus } from './workflows';

export type ChangeSetView = z.infer<typeof changeSetView>;

/** A change set (`read` scope): summary, counts per outcome, a page of items, and its workflow's status and progress. */
export async function getChangeSet(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<ChangeSetView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(getChangeSetInput, raw);
  const row = await loadOwnedChangeSet(ctx, actor, input.changeSetId);
  const account = await findOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: row.adAccountId });
  const offset = (account?.currency ? currencyOffset(account.currency) : 100) as MinorOffset;
  const after = decodeCursor(input.itemsCursor, ['position']);
  if (after && !/^\d{1,9}$/.test(after.position)) throw invalidCursor('itemsCursor');
  const [rows, counts, workflow] = await Promise.all([
    listChangeSetItems(ctx.db, { changeSetId: row.id, afterPosition: after ? Number(after.position) : undefined, limit: input.itemsLimit + 1, status: input.itemStatus }),
    countChangeSetItems(ctx.db, row.id),
    row.workflowId ? workflowState(ctx, actor, row.workflowId) : Promise.resolve(null),
  ]);
  const more = rows.length > input.itemsLimit;
  const kept = more ? rows.slice(0, input.itemsLimit) : rows;
  return {
    ...summaryView(row),
    counts,
    violations: row.violations as unknown as ChangeSetView['violations'],
    workflow,
    items: kept.map((r) => itemView(r, offset)),
    itemsNextCursor: more ? encodeCursor({ position: String(kept[kept.length - 1]!.position) }) : null,
  };
}

async function workflowState(ctx: ServiceContext, actor: Actor, workflowId: string): Promise<ChangeSetView['workflow']> {
  try {
    const status = await getWorkflowStatus(ctx, actor, { workflowId });
    return { status: status.status, runId: status.runId, progress: status.progress };
  } catch (error) {
    // Not started (yet), or removed by Temporal's retention: the database still tells the outcome.
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** The company's change sets (`read` scope), newest first, optionally of one ad account or status. */
export async function listChangeSets(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ChangeSetSummaryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listChangeSetsInput, raw);
  if (input.adAccountId) {
    await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  }
  const cursor = decodeCursor(input.cursor, ['createdAt', 'id']);
  const before = cursor ? { createdAt: new Date(cursor.createdAt), id: cursor.id } : undefined;
  if (cursor && (Number.isNaN(before!.createdAt.getTime()) || !UUID.test(cursor.id))) throw invalidCursor('cursor');
  const rows = await listStoredChangeSets(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId, status: input.status, before, limit: input.limit + 1 });
  return toPage(rows, input.limit, summaryView, (r) => ({ createdAt: r.createdAt.toISOString(), id: r.id }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidCursor(field: string): ValidationError {
  return new ValidationError(`The ${field} is not valid: pass back the cursor of the previous page unchanged`, { field });
}
