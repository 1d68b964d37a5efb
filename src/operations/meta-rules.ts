/**
 * Meta's own automated rules of an ad account (from its `adrules_library`, as the full sync
 * stored them): they run on Meta, not here, and are shown so an agent sees everything that can
 * change the account. The service's own rules are in rules.ts.
 */
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { listRulesOfCompany } from '../db/rule-repository';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, encodeCursor, type Page } from './paging';
import { toRuleView, type RuleView } from './rule-views';
import { listMetaRulesInput } from './schemas/account-history';
import type { ServiceContext } from './service-context';
import { checkCursorParts } from './synced-reads';
import { parseInput } from './validation';

/** Meta's rules of one of the company's ad accounts (`read`), newest first. */
export async function listMetaRules(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<RuleView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listMetaRulesInput, raw);
  const cursor = decodeCursor(input.cursor, ['createdAt', 'id'] as const);
  checkCursorParts(cursor, { createdAt: 'time', id: 'uuid' });
  const account = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const rows = await listRulesOfCompany(ctx.db, {
    companyId: actor.companyId,
    adAccountId: account.id,
    origin: 'meta',
    includeDeleted: input.includeDeleted ?? false,
    before: cursor ? { createdAt: new Date(cursor.createdAt), id: cursor.id } : undefined,
    take: input.limit + 1,
  });
  const more = rows.length > input.limit;
  const kept = more ? rows.slice(0, input.limit) : rows;
  const last = kept[kept.length - 1];
  return { data: kept.map((row) => toRuleView(row, null)), nextCursor: more && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
}
