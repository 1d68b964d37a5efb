import type { z } from 'zod';
import { ConflictError, MetaApiError, NotFoundError, ServiceUnavailableError } from '../errors';
import {
  connectAdAccountRow, listAdAccountsOfCompany, loadOwnedAdAccount, markAdAccountDisconnected, replaceAdAccountToken,
  type AdAccountRow, type StoredTokenFacts,
} from '../db/ad-account-repository';
import type { Prisma } from '../db/prisma-client';
import { parseAdAccount } from '../meta/objects/ad-account';
import { scheduleAdAccountSyncs, unscheduleAdAccountSyncs } from './account-schedules';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { decodeCursor, toPage, type Page } from './paging';
import { adAccountRefInput, adAccountView, connectAdAccountInput, listAdAccountsInput } from './schemas/ad-accounts';
import type { ServiceContext } from './service-context';
import { metaClientFor, tokenCipherOf } from './service-deps';
import { describePastedToken } from './token-facts';
import { parseInput } from './validation';
import { tokenAttentionOf } from '../../domain/token-attention';

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
    tokenType: row.disconnectedAt ? null : row.tokenType,
    tokenExpiresAt: row.disconnectedAt ? null : row.tokenExpiresAt?.toISOString() ?? null,
    tokenCheckedAt: row.disconnectedAt ? null : row.tokenCheckedAt?.toISOString() ?? null,
    tokenMissingScopes: row.disconnectedAt ? [] : row.tokenMissingScopes,
    attention: row.disconnectedAt ? null : tokenAttentionOf(row),
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
  // A Business Manager system-user token is accepted here too, and recognised as one (debug_token).
  const tokenFacts = await describePastedToken(ctx, input.accessToken);
  const { connected } = await connectAdAccountsWithToken(ctx, actor, { companyId, adAccountIds: [input.adAccountId], accessToken: input.accessToken, tokenFacts }, meta);
  return connected[0]!;
}

/** Inputs of {@link connectAdAccountsWithToken}. */
export interface ConnectWithTokenInput {
  companyId: string;
  /** Accounts to connect (each read from Meta with the token first). */
  adAccountIds: string[];
  accessToken: string;
  /** What debug_token said of the token (Facebook Login). @default unknown */
  tokenFacts?: StoredTokenFacts;
  /** Accounts the company holds connected that get the new token too (a re-login covering them). @default none */
  replaceTokenOf?: string[];
  /** Runs first inside the transaction (consuming a grant); throwing rolls everything back. */
  inTransaction?: (tx: Prisma.TransactionClient) => Promise<void>;
  /** Audit detail naming the path (`oauth`). */
  via?: string;
}

/**
 * The one connect operation (POST /v1/ad-accounts and Facebook Login's grants): every account is
 * read from Meta with the token, then all rows are written in ONE transaction, each by
 * connectAdAccountRow's ownership-deciding statement: if another company holds any of them,
 * nothing at all is written (409). Schedules and audit events follow the commit.
 */
export async function connectAdAccountsWithToken(
  ctx: ServiceContext,
  actor: Actor,
  input: ConnectWithTokenInput,
  meta: { requestId?: string } = {},
): Promise<{ connected: AdAccountView[]; tokenReplaced: string[] }> {
  const client = metaClientFor(ctx, input.accessToken);
  const records: Array<ReturnType<typeof parseAdAccount>> = [];
  for (const adAccountId of input.adAccountIds) {
    let record: ReturnType<typeof parseAdAccount>;
    try {
      record = parseAdAccount(await client.getAdAccount(adAccountId));
    } catch (error) {
      if (error instanceof MetaApiError) throw error;
      throw new ServiceUnavailableError('Could not validate the access token with Meta; try again later');
    }
    if (record.id !== adAccountId) throw new NotFoundError('Ad account', adAccountId);
    records.push(record);
  }
  const cipher = tokenCipherOf(ctx);
  const chosen = new Set(input.adAccountIds);
  const replaceIds = (input.replaceTokenOf ?? []).filter((id) => !chosen.has(id));
  const outcomes = await ctx.db.$transaction(async (tx) => {
    await input.inTransaction?.(tx);
    const taken: Array<{ row: AdAccountRow; previousCompanyId: string | null }> = [];
    for (const record of records) {
      const outcome = await connectAdAccountRow(tx, { companyId: input.companyId, adAccountId: record.id, details: record, encryptedToken: cipher.encrypt(input.accessToken), tokenFacts: input.tokenFacts });
      if (!outcome.taken) {
        throw new ConflictError(`Ad account ${record.id} is connected by another company: it can be connected here only after that company disconnects it`, { adAccountId: record.id });
      }
      taken.push(outcome);
    }
    const replaced: string[] = [];
    for (const adAccountId of replaceIds) {
      const facts = input.tokenFacts ?? { type: null, scopes: [], expiresAt: null, dataAccessExpiresAt: null };
      if (await replaceAdAccountToken(tx, { companyId: input.companyId, adAccountId, encryptedToken: cipher.encrypt(input.accessToken), tokenFacts: facts })) replaced.push(adAccountId);
    }
    return { taken, replaced };
  });
  for (const { row, previousCompanyId } of outcomes.taken) {
    await scheduleAdAccountSyncs(ctx, { companyId: input.companyId, adAccountId: row.id, accountName: row.name });
    const details = { reconnect: previousCompanyId === input.companyId, takeover: previousCompanyId !== null && previousCompanyId !== input.companyId, ...(input.via ? { via: input.via } : {}) };
    await recordAudit(ctx, actor, { action: 'ad_account.connect', targetType: 'ad_account', targetId: row.id, details, requestId: meta.requestId });
  }
  for (const adAccountId of outcomes.replaced) {
    await recordAudit(ctx, actor, { action: 'ad_account.token_replace', targetType: 'ad_account', targetId: adAccountId, details: { via: input.via ?? 'connect' }, requestId: meta.requestId });
  }
  return { connected: outcomes.taken.map(({ row }) => toAdAccountView(row)), tokenReplaced: outcomes.replaced };
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

