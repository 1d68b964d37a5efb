/** Reads of the synced custom audiences (lookalikes included): size bounds, delivery and operation status. */
import type { z } from 'zod';
import { listCustomAudienceRows, type CustomAudienceRow } from '../db/audience-repository';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { customAudienceView, listCustomAudiencesInput } from './schemas/custom-audiences';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, countOf, iso, jsonOrNull } from './synced-reads';
import { parseInput } from './validation';

export type CustomAudienceView = z.infer<typeof customAudienceView>;

/** Meta's `{code, description}` status object, whatever else the stored JSON holds. */
function statusOf(value: unknown): { code: number | null; description: string | null } | null {
  if (!value || typeof value !== 'object') return null;
  const { code, description } = value as { code?: unknown; description?: unknown };
  return { code: typeof code === 'number' ? code : null, description: typeof description === 'string' ? description : null };
}

function toView(row: CustomAudienceRow): CustomAudienceView {
  return {
    id: row.id,
    adAccountId: row.adAccountId,
    name: row.name,
    subtype: row.subtype,
    description: row.description,
    approximateCountLowerBound: countOf(row.approximateCountLowerBound),
    approximateCountUpperBound: countOf(row.approximateCountUpperBound),
    deliveryStatus: statusOf(row.deliveryStatus),
    operationStatus: statusOf(row.operationStatus),
    retentionDays: row.retentionDays,
    lookalikeSpec: jsonOrNull(row.lookalikeSpec),
    originAudienceId: row.originAudienceId,
    timeCreated: iso(row.timeCreated),
    timeUpdated: iso(row.timeUpdated),
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

/** Custom audiences of the company's ad accounts (`read`), by id. */
export async function listCustomAudiences(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<CustomAudienceView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listCustomAudiencesInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listCustomAudienceRows(ctx.db, {
    companyId: actor.companyId, adAccountId: input.adAccountId, subtype: input.subtype, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1,
  });
  return toPage(rows, input.limit, toView, (row) => ({ id: row.id }));
}
