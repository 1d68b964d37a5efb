/**
 * The ad account aggregate: the `ad_accounts` row and its 1:1 `ad_account_limits` row (the
 * write caps and Meta's cached minimum budgets of that row are ad-account-limits-repository.ts's).
 * Every other read and write of them goes through here, and so does the one tenancy rule: an ad
 * account of another company is answered exactly like one that does not exist.
 */
import { NotFoundError } from '../errors';
import type { Db, Prisma } from './prisma-client';

/** Columns a view needs: the encrypted token is never selected for a view. */
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

/** An ad account as the fronts show it (no token). */
export type AdAccountRow = Prisma.AdAccountGetPayload<{ select: typeof AD_ACCOUNT_VIEW_SELECT }>;

/** An ad account of a company, named by the caller. */
export interface OwnedAdAccountRef {
  companyId: string;
  adAccountId: string;
  /**
   * What the 404 names when the account is missing or not the company's (a schedule id, when the
   * account was only reached through one). @default { what: 'Ad account', id: adAccountId }
   */
  notFoundAs?: { what: string; id: string };
}

function notFound(ref: OwnedAdAccountRef): NotFoundError {
  return ref.notFoundAs ? new NotFoundError(ref.notFoundAs.what, ref.notFoundAs.id) : new NotFoundError('Ad account', ref.adAccountId);
}

/**
 * The ad account if it belongs to the company, null if there is none with that id, and a
 * NotFoundError when another company holds it (no hint either way). The only ownership check.
 */
export async function findOwnedAdAccount(db: Db, ref: OwnedAdAccountRef): Promise<AdAccountRow | null> {
  // findUnique on the key (then the tenancy check here): Prisma batches concurrent findUniques
  // into one query, which matters when many agents start or read the same account at once.
  const row = await db.adAccount.findUnique({ where: { id: ref.adAccountId }, select: AD_ACCOUNT_VIEW_SELECT });
  if (row && row.companyId !== ref.companyId) throw notFound(ref);
  return row;
}

/** Loads an ad account of the company, or throws NotFoundError (also for another company's account). */
export async function loadOwnedAdAccount(db: Db, ref: OwnedAdAccountRef): Promise<AdAccountRow> {
  const row = await findOwnedAdAccount(db, ref);
  if (!row) throw notFound(ref);
  return row;
}

/** Ad accounts of a company by id, keyset-paged (`take` is the page size plus one). */
export async function listAdAccountsOfCompany(
  db: Db,
  input: { companyId: string; includeDisconnected: boolean; afterId?: string; take: number },
): Promise<AdAccountRow[]> {
  return db.adAccount.findMany({
    where: { companyId: input.companyId, ...(input.includeDisconnected ? {} : { disconnectedAt: null }), ...(input.afterId !== undefined ? { id: { gt: input.afterId } } : {}) },
    orderBy: { id: 'asc' },
    take: input.take,
    select: AD_ACCOUNT_VIEW_SELECT,
  });
}

/** Ids of every ad account of a company (disconnected ones too), by id. */
export async function listAdAccountIdsOfCompany(db: Db, companyId: string): Promise<string[]> {
  const rows = await db.adAccount.findMany({ where: { companyId }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((row) => row.id);
}

/** Connected (neither disconnected nor deleted) ad accounts, of one company or of all, by id, with their company's name. */
export async function listConnectedAdAccounts(db: Db, filter: { companyId?: string } = {}): Promise<Array<{ id: string; companyId: string; name: string | null; companyName: string }>> {
  const rows = await db.adAccount.findMany({
    where: { ...(filter.companyId !== undefined ? { companyId: filter.companyId } : {}), disconnectedAt: null, deletedAt: null },
    select: { id: true, companyId: true, name: true, company: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  return rows.map(({ company, ...row }) => ({ ...row, companyName: company.name }));
}

/** What activities need to know about an account besides its token. */
export interface AdAccountFacts {
  id: string;
  companyId: string;
  /** ISO 4217; null until the first account read. */
  currency: string | null;
  timezoneName: string | null;
  businessId: string | null;
}

const FACTS_SELECT = { id: true, companyId: true, currency: true, timezoneName: true, businessId: true } as const satisfies Prisma.AdAccountSelect;

/** The account's facts; throws (Prisma's not-found error) when the row does not exist. */
export async function loadAdAccountFacts(db: Db, adAccountId: string): Promise<AdAccountFacts> {
  return db.adAccount.findUniqueOrThrow({ where: { id: adAccountId }, select: FACTS_SELECT });
}

/** The account's facts with its encrypted token, token state and Meta's block, for opening a Meta client. */
export interface AdAccountAccess extends AdAccountFacts {
  encryptedAccessToken: string;
  tokenKeyId: string;
  tokenStatus: string;
  disconnectedAt: Date | null;
  /** Until when Meta blocks the account, if it announced a block. */
  throttledUntil: Date | null;
}

/** Loads what opening a Meta client for the account needs (the token stays encrypted here), or null. */
export async function loadAdAccountAccess(db: Db, adAccountId: string): Promise<AdAccountAccess | null> {
  const row = await db.adAccount.findUnique({
    where: { id: adAccountId },
    select: { ...FACTS_SELECT, encryptedAccessToken: true, tokenKeyId: true, tokenStatus: true, disconnectedAt: true, limits: { select: { throttledUntil: true } } },
  });
  if (!row) return null;
  const { limits, ...rest } = row;
  return { ...rest, throttledUntil: limits?.throttledUntil ?? null };
}

type Decimalish = { toString(): string } | null;

/** The parts of Meta's ad account record that are stored (the parsed record from src/meta fits). */
export interface AdAccountDetails {
  accountId: string;
  businessId: string | null;
  name: string | null;
  accountStatus: number | null;
  disableReason: number | null;
  currency: string | null;
  timezoneName: string | null;
  timezoneOffsetHours: Decimalish;
  amountSpent: Decimalish;
  balance: Decimalish;
  spendCap: Decimalish;
  createdTime: Date | null;
  /** The node as Meta sent it. */
  raw: unknown;
}

/** Columns of an ad account read from Meta: the one mapping, for connect and for the details sync. */
function detailColumns(record: AdAccountDetails) {
  return {
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
  };
}

/** What {@link connectAdAccountRow} did. */
export type ConnectOutcome =
  | { taken: true; row: AdAccountRow; previousCompanyId: string | null }
  /** Another company holds the account connected: nothing was written. */
  | { taken: false };

/**
 * Stores a connected (or re-connected) account in ONE statement: Meta's record, the encrypted
 * token, a valid token state. The row is written when it is new, already the company's, or
 * disconnected (a company that proved access with its own token takes a disconnected account
 * over); when another company holds it connected, nothing is written and `taken` is false. The
 * ownership check is the statement's own `ON CONFLICT ... WHERE`, evaluated on the row as it is
 * when the write happens, so two companies connecting the same account at once cannot both win
 * and no token ever lands on another company's row.
 */
export async function connectAdAccountRow(
  db: Db,
  input: { companyId: string; adAccountId: string; details: AdAccountDetails; encryptedToken: { ciphertext: string; keyId: string } },
): Promise<ConnectOutcome> {
  const c = detailColumns(input.details);
  const rows = await db.$queryRaw<Array<{ id: string; previous_company_id: string | null }>>`
    WITH previous AS (SELECT company_id FROM ad_accounts WHERE id = ${input.adAccountId})
    INSERT INTO ad_accounts AS a (
      id, company_id, account_id, business_id, name, account_status, disable_reason, currency, timezone_name,
      timezone_offset_hours, amount_spent, balance, spend_cap, created_time, raw,
      encrypted_access_token, token_key_id, token_status, token_error, connected_at, disconnected_at, updated_at)
    VALUES (
      ${input.adAccountId}, ${input.companyId}::uuid, ${c.accountId}, ${c.businessId}, ${c.name}, ${c.accountStatus}::int, ${c.disableReason}::int,
      ${c.currency}, ${c.timezoneName}, ${c.timezoneOffsetHours}::numeric, ${c.amountSpent}::numeric, ${c.balance}::numeric, ${c.spendCap}::numeric,
      ${c.createdTime}::timestamptz, ${c.raw === null || c.raw === undefined ? null : JSON.stringify(c.raw)}::jsonb,
      ${input.encryptedToken.ciphertext}, ${input.encryptedToken.keyId}, 'valid', NULL, now(), NULL, now())
    ON CONFLICT (id) DO UPDATE SET
      company_id = EXCLUDED.company_id, account_id = EXCLUDED.account_id, business_id = EXCLUDED.business_id, name = EXCLUDED.name,
      account_status = EXCLUDED.account_status, disable_reason = EXCLUDED.disable_reason, currency = EXCLUDED.currency,
      timezone_name = EXCLUDED.timezone_name, timezone_offset_hours = EXCLUDED.timezone_offset_hours, amount_spent = EXCLUDED.amount_spent,
      balance = EXCLUDED.balance, spend_cap = EXCLUDED.spend_cap, created_time = EXCLUDED.created_time, raw = EXCLUDED.raw,
      encrypted_access_token = EXCLUDED.encrypted_access_token, token_key_id = EXCLUDED.token_key_id, token_status = 'valid',
      token_error = NULL, connected_at = now(), disconnected_at = NULL, updated_at = now()
    WHERE a.company_id = EXCLUDED.company_id OR a.disconnected_at IS NOT NULL
    RETURNING a.id, (SELECT company_id::text FROM previous) AS previous_company_id`;
  if (rows.length === 0) return { taken: false };
  const row = await db.adAccount.findUniqueOrThrow({ where: { id: input.adAccountId }, select: AD_ACCOUNT_VIEW_SELECT });
  return { taken: true, row, previousCompanyId: rows[0]!.previous_company_id };
}

/**
 * Stores Meta's current record of an account and stamps `synced_at`. A read without currency or
 * time zone keeps the stored ones: budgets and local days depend on them.
 */
export async function saveAdAccountDetails(db: Db, input: { adAccountId: string; details: AdAccountDetails }): Promise<void> {
  const columns = detailColumns(input.details);
  await db.adAccount.update({
    where: { id: input.adAccountId },
    data: { ...columns, currency: columns.currency ?? undefined, timezoneName: columns.timezoneName ?? undefined, syncedAt: new Date() },
  });
}

/** Stores the time zone (and currency, when Meta sent one) read ahead of the first entity sync. */
export async function saveAdAccountTimezone(db: Db, input: { adAccountId: string; timezoneName: string; currency?: string }): Promise<void> {
  await db.adAccount.updateMany({
    where: { id: input.adAccountId },
    data: { timezoneName: input.timezoneName, ...(input.currency !== undefined ? { currency: input.currency } : {}) },
  });
}

/** Disconnects: drops the stored token (synced data stays). */
export async function markAdAccountDisconnected(db: Db, adAccountId: string): Promise<AdAccountRow> {
  return db.adAccount.update({
    where: { id: adAccountId },
    data: { disconnectedAt: new Date(), encryptedAccessToken: '', tokenStatus: 'removed', tokenError: null },
    select: AD_ACCOUNT_VIEW_SELECT,
  });
}

/** Marks the account's token as rejected, with Meta's reason (no token in it). */
export async function markAdAccountNeedsReauth(db: Db, input: { adAccountId: string; reason: string }): Promise<void> {
  await db.adAccount.updateMany({ where: { id: input.adAccountId }, data: { tokenStatus: 'needs_reauth', tokenError: input.reason.slice(0, 2000) } });
}

/** Records until when Meta blocks the account, so other activities stop before calling. */
export async function markAdAccountThrottled(db: Db, input: { adAccountId: string; throttledUntil: Date }): Promise<void> {
  await db.adAccountLimit.upsert({
    where: { adAccountId: input.adAccountId },
    create: { adAccountId: input.adAccountId, throttledUntil: input.throttledUntil },
    update: { throttledUntil: input.throttledUntil },
  });
}

/** Records the Marketing API access tier Meta reported for the account. */
export async function saveAdAccountAccessTier(db: Db, input: { adAccountId: string; accessTier: string }): Promise<void> {
  await db.adAccountLimit.upsert({
    where: { adAccountId: input.adAccountId },
    create: { adAccountId: input.adAccountId, accessTier: input.accessTier },
    update: { accessTier: input.accessTier },
  });
}

/**
 * Stamps when a sync of the kind last finished. The entity syncs' stamp fails on a missing row
 * (the account was opened moments before); the metrics stamp comes after the run was closed and
 * is a no-op then.
 */
export async function stampAdAccountSynced(db: Db, input: { adAccountId: string; kind: 'full' | 'incremental' | 'metrics' }): Promise<void> {
  const now = new Date();
  if (input.kind === 'metrics') {
    await db.adAccount.updateMany({ where: { id: input.adAccountId }, data: { lastMetricsSyncAt: now } });
    return;
  }
  await db.adAccount.update({
    where: { id: input.adAccountId },
    data: input.kind === 'full' ? { lastFullSyncAt: now } : { lastIncrementalSyncAt: now },
  });
}
