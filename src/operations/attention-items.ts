/**
 * Attention items of a company: its connected ad accounts whose Meta token needs a person, as the
 * daily token check (and any sync Meta refused) left them. Always the caller's company only.
 */
import type { z } from 'zod';
import { tokenAttentionOf } from '../../domain/token-attention';
import { requireScope, Scope, type Actor } from './actor';
import { attentionItemView, listAttentionItemsInput } from './schemas/attention-items';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type AttentionItemView = z.infer<typeof attentionItemView>;

/** The company's attention items (at most one per connected account), by account id. */
export async function listAttentionItems(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<{ data: AttentionItemView[] }> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAttentionItemsInput, raw);
  return { data: await attentionItemsOfCompany(ctx, actor.companyId, input) };
}

/** Without scope checks: /status shows a caller's company its own items. */
export async function attentionItemsOfCompany(ctx: ServiceContext, companyId: string, filter: z.infer<typeof listAttentionItemsInput> = {}): Promise<AttentionItemView[]> {
  const rows = await ctx.db.adAccount.findMany({
    where: {
      companyId,
      disconnectedAt: null,
      deletedAt: null,
      ...(filter.adAccountId ? { id: filter.adAccountId } : {}),
      // Only rows that can be an item: rejected, or checked with a known expiry.
      OR: [{ tokenStatus: 'needs_reauth' }, { tokenCheckedAt: { not: null }, tokenExpiresAt: { not: null } }],
    },
    select: { id: true, name: true, tokenStatus: true, tokenError: true, tokenExpiresAt: true, tokenCheckedAt: true, tokenMissingScopes: true },
    orderBy: { id: 'asc' },
  });
  const items: AttentionItemView[] = [];
  for (const row of rows) {
    const attention = tokenAttentionOf(row);
    if (attention && (!filter.kind || attention.kind === filter.kind)) items.push({ adAccountId: row.id, accountName: row.name, ...attention });
  }
  return items;
}
