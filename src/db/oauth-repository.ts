/**
 * Facebook Login's rows: the states a company admin started (hashes only, consumed once) and the
 * grants a callback stored (the long-lived Meta token encrypted, pending until an admin connects
 * accounts with it). A grant of another company is answered like one that does not exist.
 */
import type { Db, Prisma } from './prisma-client';

/** A client or an interactive transaction's client: the grant is consumed inside the connect transaction. */
type DbOrTx = Db | Prisma.TransactionClient;

/** Stores a started login's state (its hash). */
export async function insertOAuthState(db: Db, input: { companyId: string; apiTokenId: string; stateHash: string; expiresAt: Date }): Promise<void> {
  await db.oAuthState.create({ data: input });
}

/**
 * Consumes a state in one statement: only an unconsumed, unexpired state of that company and API
 * token is marked used, so two callbacks with the same state cannot both pass. Null when none was.
 */
export async function consumeOAuthState(db: Db, input: { stateHash: string; companyId: string; apiTokenId: string }): Promise<boolean> {
  const consumed = await db.oAuthState.updateMany({
    where: { stateHash: input.stateHash, companyId: input.companyId, apiTokenId: input.apiTokenId, consumedAt: null, expiresAt: { gt: new Date() } },
    data: { consumedAt: new Date() },
  });
  return consumed.count === 1;
}

/** Whether the API token that started a login still works (not revoked or expired, its company active). */
export async function isApiTokenUsable(db: Db, input: { companyId: string; apiTokenId: string }): Promise<boolean> {
  const row = await db.apiToken.findFirst({ where: { id: input.apiTokenId, companyId: input.companyId }, select: { revokedAt: true, expiresAt: true, company: { select: { deactivatedAt: true } } } });
  return Boolean(row && !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > Date.now()) && !row.company.deactivatedAt);
}

/** An ad account a grant reaches, as the callback listed it. */
export interface GrantAdAccount {
  id: string;
  name: string | null;
  accountStatus: number | null;
  currency: string | null;
}

/** What a callback stores. */
export interface NewOAuthGrant {
  companyId: string;
  apiTokenId: string;
  encryptedToken: { ciphertext: string; keyId: string };
  tokenType: string;
  metaUserId: string | null;
  grantedScopes: string[];
  missingScopes: string[];
  tokenExpiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  adAccounts: GrantAdAccount[];
  expiresAt: Date;
}

/** A grant without its token (views). */
export const OAUTH_GRANT_VIEW_SELECT = {
  id: true, companyId: true, tokenType: true, metaUserId: true, grantedScopes: true, missingScopes: true, tokenExpiresAt: true,
  dataAccessExpiresAt: true, adAccounts: true, expiresAt: true, consumedAt: true, createdAt: true,
} as const satisfies Prisma.OAuthGrantSelect;
export type OAuthGrantRow = Prisma.OAuthGrantGetPayload<{ select: typeof OAUTH_GRANT_VIEW_SELECT }>;
/** A grant with its encrypted token (the connect operation only). */
export type OAuthGrantWithToken = OAuthGrantRow & { encryptedAccessToken: string; tokenKeyId: string };

export async function insertOAuthGrant(db: Db, input: NewOAuthGrant): Promise<OAuthGrantRow> {
  return db.oAuthGrant.create({
    data: {
      companyId: input.companyId, apiTokenId: input.apiTokenId, encryptedAccessToken: input.encryptedToken.ciphertext, tokenKeyId: input.encryptedToken.keyId,
      tokenType: input.tokenType, metaUserId: input.metaUserId, grantedScopes: input.grantedScopes, missingScopes: input.missingScopes,
      tokenExpiresAt: input.tokenExpiresAt, dataAccessExpiresAt: input.dataAccessExpiresAt, adAccounts: input.adAccounts as unknown as Prisma.InputJsonValue, expiresAt: input.expiresAt,
    },
    select: OAUTH_GRANT_VIEW_SELECT,
  });
}

/** The company's grant with its encrypted token, or null (also for another company's). */
export async function findOAuthGrantOfCompany(db: Db, ref: { companyId: string; grantId: string }): Promise<OAuthGrantWithToken | null> {
  return db.oAuthGrant.findFirst({ where: { id: ref.grantId, companyId: ref.companyId }, select: { ...OAUTH_GRANT_VIEW_SELECT, encryptedAccessToken: true, tokenKeyId: true } });
}

/** Marks the grant used and drops its token copy (the accounts hold it now), in the connect transaction: false when it was used (or expired) meanwhile. */
export async function consumeOAuthGrant(db: DbOrTx, ref: { companyId: string; grantId: string }): Promise<boolean> {
  const consumed = await db.oAuthGrant.updateMany({ where: { id: ref.grantId, companyId: ref.companyId, consumedAt: null, expiresAt: { gt: new Date() } }, data: { consumedAt: new Date(), encryptedAccessToken: '' } });
  return consumed.count === 1;
}
