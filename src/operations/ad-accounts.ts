import type { z } from 'zod';
import { ConflictError, MetaApiError, NotFoundError, ServiceUnavailableError } from '../errors';
import type { Prisma } from '../db/prisma-client';
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

interface AdAccountRow {
  id: string;
  companyId: string;
  name: string | null;
  accountStatus: number | null;
  currency: string | null;
  timezoneName: string | null;
  tokenStatus: string;
  connectedAt: Date;
  disconnectedAt: Date | null;
  lastFullSyncAt: Date | null;
  lastIncrementalSyncAt: Date | null;
  lastMetricsSyncAt: Date | null;
}

/** Columns a view needs: the encrypted token is never selected outside connect. */
export const AD_ACCOUNT_VIEW_SELECT = {
  id: true,
  companyId: true,
  name: true,
  accountStatus: true,
  currency: true,
  timezoneName: true,
  tokenStatus: true,
  connectedAt: true,
  disconnectedAt: true,
  lastFullSyncAt: true,
  lastIncrementalSyncAt: true,
  lastMetricsSyncAt: true,
} as const satisfies Prisma.AdAccountSelect;

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

/** Loads an ad account of the actor's company, or 404 (also for another company's account). */
export async function loadOwnedAdAccount(ctx: ServiceContext, actor: Actor, adAccountId: string): Promise<AdAccountRow> {
  // findUnique on the key (then the tenancy check here): Prisma batches concurrent findUniques
  // into one query, which matters when many agents start or read the same account at once.
  const row = await ctx.db.adAccount.findUnique({ where: { id: adAccountId }, select: AD_ACCOUNT_VIEW_SELECT });
  if (!row || row.companyId !== actor.companyId) throw new NotFoundError('Ad account', adAccountId);
  return row;
}

/** Ad accounts of the company, by id, keyset-paged. */
export async function listAdAccounts(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<AdAccountView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAdAccountsInput, raw);
  const companyId = resolveCompany(actor, input.companyId);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await ctx.db.adAccount.findMany({
    where: { companyId, ...(input.includeDisconnected ? {} : { disconnectedAt: null }), ...(after ? { id: { gt: after.id } } : {}) },
    orderBy: { id: 'asc' },
    take: input.limit + 1,
    select: AD_ACCOUNT_VIEW_SELECT,
  });
  return toPage(rows, input.limit, toAdAccountView, (row) => ({ id: row.id }));
}

export async function getAdAccount(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AdAccountView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(adAccountRefInput, raw);
  return toAdAccountView(await loadOwnedAdAccount(ctx, actor, input.adAccountId));
}

/**
 * Connects (or re-connects) an ad account: validates the token against Meta, stores it
 * encrypted, schedules the account's syncs. The token goes nowhere else: not into the result,
 * logs, errors, workflow inputs or search attributes.
 */
export async function connectAdAccount(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<AdAccountView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(connectAdAccountInput, raw);
  const companyId = resolveCompany(actor, input.companyId);
  const existing = await ctx.db.adAccount.findUnique({ where: { id: input.adAccountId }, select: { companyId: true } });
  // Another company's account: answer as if it did not exist (no hint either way).
  if (existing && existing.companyId !== companyId) throw new NotFoundError('Ad account', input.adAccountId);

  let record: ReturnType<typeof parseAdAccount>;
  try {
    record = parseAdAccount(await metaClientFor(ctx, input.accessToken).getAdAccount(input.adAccountId));
  } catch (error) {
    if (error instanceof MetaApiError) throw error;
    throw new ServiceUnavailableError('Could not validate the access token with Meta; try again later');
  }
  if (record.id !== input.adAccountId) throw new NotFoundError('Ad account', input.adAccountId);

  const encrypted = tokenCipherOf(ctx).encrypt(input.accessToken);
  const fields = {
    accountId: record.accountId,
    businessId: record.businessId,
    name: record.name,
    accountStatus: record.accountStatus,
    disableReason: record.disableReason,
    currency: record.currency,
    timezoneName: record.timezoneName,
    timezoneOffsetHours: record.timezoneOffsetHours?.toString() ?? null,
    amountSpent: record.amountSpent?.toString() ?? null,
    balance: record.balance?.toString() ?? null,
    spendCap: record.spendCap?.toString() ?? null,
    createdTime: record.createdTime,
    raw: record.raw as Prisma.InputJsonValue,
    encryptedAccessToken: encrypted.ciphertext,
    tokenKeyId: encrypted.keyId,
    tokenStatus: 'valid',
    tokenError: null,
    disconnectedAt: null,
  };
  const row = await ctx.db.adAccount.upsert({
    where: { id: input.adAccountId },
    create: { id: input.adAccountId, companyId, ...fields },
    update: { ...fields, connectedAt: new Date() },
    select: AD_ACCOUNT_VIEW_SELECT,
  });
  await scheduleAdAccountSyncs(ctx, { companyId, adAccountId: row.id });
  await recordAudit(ctx, actor, { action: 'ad_account.connect', targetType: 'ad_account', targetId: row.id, details: { reconnect: Boolean(existing) }, requestId: meta.requestId });
  return toAdAccountView(row);
}

/** Disconnects: removes the stored token and the account's schedules; synced data stays. */
export async function disconnectAdAccount(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<AdAccountView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(adAccountRefInput, raw);
  const current = await loadOwnedAdAccount(ctx, actor, input.adAccountId);
  if (current.disconnectedAt) return toAdAccountView(current);
  await unscheduleAdAccountSyncs(ctx, current.id);
  const row = await ctx.db.adAccount.update({
    where: { id: current.id },
    data: { disconnectedAt: new Date(), encryptedAccessToken: '', tokenStatus: 'removed', tokenError: null },
    select: AD_ACCOUNT_VIEW_SELECT,
  });
  await recordAudit(ctx, actor, { action: 'ad_account.disconnect', targetType: 'ad_account', targetId: row.id, requestId: meta.requestId });
  return toAdAccountView(row);
}

/** The account must be connected with a usable token before a sync can start. */
export async function requireConnected(ctx: ServiceContext, actor: Actor, adAccountId: string): Promise<AdAccountRow> {
  const row = await loadOwnedAdAccount(ctx, actor, adAccountId);
  if (row.disconnectedAt) throw new ConflictError(`Ad account ${adAccountId} is disconnected: connect it again (POST /v1/ad-accounts) before syncing`);
  return row;
}

