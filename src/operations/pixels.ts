/** Reads of the synced pixels (when each last fired). */
import type { z } from 'zod';
import { listPixelRows, type PixelRow } from '../db/audience-repository';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { listPixelsInput, pixelView } from './schemas/pixels';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, iso } from './synced-reads';
import { parseInput } from './validation';

export type PixelView = z.infer<typeof pixelView>;

function toView(row: PixelRow): PixelView {
  return {
    id: row.id,
    adAccountId: row.adAccountId,
    name: row.name,
    lastFiredTime: iso(row.lastFiredTime),
    creationTime: iso(row.creationTime),
    isUnavailable: row.isUnavailable,
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

/** Pixels of the company's ad accounts (`read`), by id. */
export async function listPixels(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<PixelView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listPixelsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listPixelRows(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, toView, (row) => ({ id: row.id }));
}
