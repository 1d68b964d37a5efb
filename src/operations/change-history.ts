/**
 * Reads of the change history: every changed field of a campaign, ad set or ad, whether a sync
 * saw it on Meta or this service made it (with the token that asked). Per account or per object.
 */
import type { z } from 'zod';
import { findTrackedObjectType, listChangeHistoryRows, type ChangeHistoryFilter, type ChangeHistoryRow } from '../db/change-history';
import { NotFoundError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { changeHistoryView, listChangeHistoryInput, objectChangeHistoryInput } from './schemas/account-history';
import { instantRange } from './schemas/synced-assets';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, checkCursorParts } from './synced-reads';
import { parseInput } from './validation';

export type ChangeHistoryView = z.infer<typeof changeHistoryView>;

function toView(row: ChangeHistoryRow): ChangeHistoryView {
  return { ...row, oldValue: row.oldValue ?? null, newValue: row.newValue ?? null, occurredAt: row.occurredAt.toISOString() };
}

type Filters = { source?: string; actor?: string; field?: string; from?: string; to?: string; cursor?: string; limit: number };

async function page(ctx: ServiceContext, actor: Actor, input: Filters, scope: Pick<ChangeHistoryFilter, 'adAccountId' | 'entityType' | 'entityId'>): Promise<Page<ChangeHistoryView>> {
  const before = decodeCursor(input.cursor, ['occurredAt', 'id']);
  checkCursorParts(before, { occurredAt: 'time', id: 'digits' });
  const rows = await listChangeHistoryRows(ctx.db, {
    companyId: actor.companyId,
    ...scope,
    source: input.source,
    actor: input.actor,
    field: input.field,
    ...instantRange(input),
    before: before ? { occurredAt: new Date(before.occurredAt), id: before.id } : undefined,
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, toView, (row) => ({ occurredAt: row.occurredAt.toISOString(), id: row.id }));
}

/** The company's change history (`read`), newest first, narrowed by account, object, source, actor, field and time. */
export async function listChangeHistory(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ChangeHistoryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listChangeHistoryInput, raw);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  return page(ctx, actor, input, { adAccountId: input.adAccountId, entityType: input.entityType, entityId: input.entityId });
}

/** The change history of one campaign, ad set or ad of the company (`read`); 404 for an object it does not have. */
export async function getObjectChangeHistory(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ChangeHistoryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(objectChangeHistoryInput, raw);
  const type = await findTrackedObjectType(ctx.db, { companyId: actor.companyId, id: input.entityId });
  if (!type) throw new NotFoundError('Campaign, ad set or ad', input.entityId);
  return page(ctx, actor, input, { entityType: type, entityId: input.entityId });
}
