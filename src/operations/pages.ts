/** Reads of the Facebook pages the company's ad accounts promote, and of their Instagram accounts. */
import type { z } from 'zod';
import { listInstagramAccountRows, listPageRows, type InstagramAccountRow, type PageRow } from '../db/page-repository';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { instagramAccountView, listInstagramAccountsInput, listPagesInput, pageView } from './schemas/pages';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, iso } from './synced-reads';
import { parseInput } from './validation';

export type PageView = z.infer<typeof pageView>;
export type InstagramAccountView = z.infer<typeof instagramAccountView>;

function toPageView(row: PageRow): PageView {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    businessId: row.businessId,
    adAccountIds: row.adAccounts.map((link) => link.adAccountId),
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

function toInstagramView(row: InstagramAccountRow): InstagramAccountView {
  return { id: row.id, pageId: row.pageId, username: row.username, syncedAt: row.syncedAt.toISOString(), deletedAt: iso(row.deletedAt) };
}

/** Pages the company's ad accounts can promote (`read`), by id. */
export async function listPages(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<PageView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listPagesInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listPageRows(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, toPageView, (row) => ({ id: row.id }));
}

/** Instagram accounts of those pages (`read`), by id; another company's page narrows the list to nothing. */
export async function listInstagramAccounts(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<InstagramAccountView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listInstagramAccountsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listInstagramAccountRows(ctx.db, {
    companyId: actor.companyId, adAccountId: input.adAccountId, pageId: input.pageId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1,
  });
  return toPage(rows, input.limit, toInstagramView, (row) => ({ id: row.id }));
}
