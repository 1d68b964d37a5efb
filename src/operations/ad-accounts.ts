import type { z } from 'zod';
import { ConflictError, MetaApiError, NotFoundError, ServiceUnavailableError } from '../errors';
import {
  connectAdAccountRow, listAdAccountsOfCompany, loadOwnedAdAccount, markAdAccountDisconnected,
  type AdAccountRow,
} from '../db/ad-account-repository';
import { parseAdAccount } from '../meta/objects/ad-account';
import { scheduleAdAccountSyncs, unscheduleAdAccountSyncs } from './account-schedules';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { decodeCursor, toPage, type Page } from './paging';
import { adAccountRefInput, adAccountView, connectAdAccountInput, listAdAccountsInput } from './schemas/ad-accounts';
import type { ServiceContext } from './service-context';
import { metaClientFor, tokenCipherOf } from './service-deps';
import { parseInput } from './validation';

export type AdAccountView = z.infer<typeof adAccountView>;

export function toAdAccountView(row: AdAccountRow): AdAccountView {
  return {
    id: row.id,
    companyId: row.companyId,
    name: row.name,
    status: row.disconnectedAt ? 'disconnected' : row.tokenStatus === 'valid' ? 'connected' : 'needs_reauth',
    accountStatus: row.accountStatus,
    currency: row.currency,
    timezoneName: row.timezoneName,
    tokenStatus: row.disconnectedAt ? 'removed' : row.tokenStatus,
    connectedAt: row.connectedAt.toISOString(),
    disconnectedAt: row.disconnectedAt?.toISOString() ?? null,
    lastFullSyncAt: row.lastFullSyncAt?.toISOString() ?? null,
    lastIncrementalSyncAt: row.lastIncrementalSyncAt?.toISOString() ?? null,
    lastMetricsSyncAt: row.lastMetricsSyncAt?.toISOString() ?? null,
  };
}

/** A company id given by the caller must be the token's own; another company's is "not found". */
export function resolveCompany(actor: Actor, companyId: string | undefined): string {
  if (companyId !== undefined && companyId !== actor.companyId) throw new NotFoundError('Company', companyId);
  return actor.companyId;
}

/** Ad accounts of the company, by id, keyset-paged. */
export async function listAdAccounts(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<AdAccountView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAdAccountsInput, raw);
  const companyId = resolveCompany(actor, input.companyId);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await listAdAccountsOfCompany(ctx.db, { companyId, includeDisconnected: Boolean(input.includeDisconnected), afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, toAdAccountView, (row) => ({ id: row.id }));
}

export async function getAdAccount(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AdAccountView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(adAccountRefInput, raw);
  return toAdAccountView(await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId }));
}

/**
 * Connects (or re-connects) an ad account: validates the token against Meta, stores it
 * encrypted, schedules the account's syncs. The token goes nowhere else: not into the result,
 * logs, errors, workflow inputs or search attributes.
 *
 * Ownership is decided by the one statement that stores the row (connectAdAccountRow): a new
 * account, the company's own, or one another company disconnected is written; an account another
 * company holds connected is refused with a conflict, and nothing is written. Meta is asked first:
 * only a caller whose own token reaches the account learns whether someone else holds it.
 */
export async function connectAdAccount(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<AdAccountView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(connectAdAccountInput, raw);
  const companyId = resolveCompany(actor, input.companyId);

  let record: ReturnType<typeof parseAdAccount>;
  try {
    record = parseAdAccount(await metaClientFor(ctx, input.accessToken).getAdAccount(input.adAccountId));
  } catch (error) {
    if (error instanceof MetaApiError) throw error;
    throw new ServiceUnavailableError('Could not validate the access token with Meta; try again later');
  }
  if (record.id !== input.adAccountId) throw new NotFoundError('Ad account', input.adAccountId);

  const encrypted = tokenCipherOf(ctx).encrypt(input.accessToken);
  const outcome = await connectAdAccountRow(ctx.db, { companyId, adAccountId: input.adAccountId, details: record, encryptedToken: encrypted });
  if (!outcome.taken) {
    throw new ConflictError(`Ad account ${input.adAccountId} is connected by another company: it can be connected here only after that company disconnects it`, {
      adAccountId: input.adAccountId,
    });
  }
  const { row, previousCompanyId } = outcome;
  await scheduleAdAccountSyncs(ctx, { companyId, adAccountId: row.id, accountName: row.name });
  const details = { reconnect: previousCompanyId === companyId, takeover: previousCompanyId !== null && previousCompanyId !== companyId };
  await recordAudit(ctx, actor, { action: 'ad_account.connect', targetType: 'ad_account', targetId: row.id, details, requestId: meta.requestId });
  return toAdAccountView(row);
}

/** Disconnects: removes the stored token and the account's schedules; synced data stays. */
export async function disconnectAdAccount(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<AdAccountView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(adAccountRefInput, raw);
  const current = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  if (current.disconnectedAt) return toAdAccountView(current);
  await unscheduleAdAccountSyncs(ctx, current.id);
  const row = await markAdAccountDisconnected(ctx.db, current.id);
  await recordAudit(ctx, actor, { action: 'ad_account.disconnect', targetType: 'ad_account', targetId: row.id, requestId: meta.requestId });
  return toAdAccountView(row);
}

/** The account must be connected with a usable token before a sync can start. */
export async function requireConnected(ctx: ServiceContext, actor: Actor, adAccountId: string): Promise<AdAccountRow> {
  const row = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId });
  if (row.disconnectedAt) throw new ConflictError(`Ad account ${adAccountId} is disconnected: connect it again (POST /v1/ad-accounts) before syncing`);
  return row;
}

