/**
 * Connecting ad accounts with Facebook Login (the authorization-code flow), in three steps:
 * 1. start (a company admin): the Meta dialog URL with a signed, single-use `state` bound to the
 *    company and the API token that asked, expiring in OAUTH_STATE_TTL;
 * 2. callback (Meta redirects the browser; authenticated by `state` alone): the code is exchanged
 *    server-side, then for a long-lived token, which debug_token describes; the accounts the person
 *    can use are listed and the token is stored encrypted as a pending grant;
 * 3. connect (admin or write): the chosen accounts of the grant through the one connect operation
 *    of POST /v1/ad-accounts, in one transaction, with every account of the company the grant
 *    covers getting the new token too.
 * No Meta token or code is ever in a result, an error, a log line or a redirect.
 */
import type { z } from 'zod';
import { connectedAdAccountHolders, connectedAdAccountIdsAmong } from '../db/ad-account-repository';
import {
  consumeOAuthGrant, consumeOAuthState, findOAuthGrantOfCompany, insertOAuthGrant, insertOAuthState, isApiTokenUsable,
  type GrantAdAccount, type OAuthGrantRow,
} from '../db/oauth-repository';
import { ConflictError, NotFoundError, ServiceUnavailableError, UnauthenticatedError, ValidationError } from '../errors';
import { FacebookLoginClient } from '../meta/facebook-login';
import { connectAdAccountsWithToken, type AdAccountView } from './ad-accounts';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { hashOAuthState, signOAuthState, verifyOAuthState } from './oauth-state';
import { connectOAuthGrantInput, META_OAUTH_SCOPES, oauthCallbackInput, oauthGrantView, type oauthStartView } from './schemas/meta-oauth';
import type { ServiceContext } from './service-context';
import { tokenCipherOf } from './service-deps';
import { parseInput } from './validation';

export type OAuthStartView = z.infer<typeof oauthStartView>;
export type OAuthGrantView = z.infer<typeof oauthGrantView>;

/** The one message for every refused state: which check failed helps only someone guessing. */
const STATE_REFUSED = 'The login state is invalid, expired or already used: start again with GET /v1/meta/oauth/start';

interface LoginSettings {
  appId: string;
  appSecret: string;
  redirectUri: string;
  dialogUrl: string;
  stateSecret: string;
}

/** Facebook Login's settings, or a 503 naming what to configure. */
function loginSettings(ctx: ServiceContext): LoginSettings {
  const o = ctx.config.oauth;
  const missing = [!o.appId && 'META_APP_ID', !o.appSecret && 'META_APP_SECRET', !o.redirectUri && 'META_OAUTH_REDIRECT_URI'].filter(Boolean);
  if (missing.length || !o.stateSecret) throw new ServiceUnavailableError(`Facebook Login is not configured: set ${missing.join(', ')}`);
  return { appId: o.appId!, appSecret: o.appSecret!, redirectUri: o.redirectUri!, dialogUrl: o.dialogUrl, stateSecret: o.stateSecret };
}

function loginClient(ctx: ServiceContext, s: LoginSettings): FacebookLoginClient {
  return new FacebookLoginClient({ graphUrl: ctx.config.meta.graphUrl, apiVersion: ctx.config.meta.apiVersion, appId: s.appId, appSecret: s.appSecret });
}

/** Step 1 (company admin): Meta's dialog URL with a fresh state. */
export async function startMetaOAuth(ctx: ServiceContext, actor: Actor, meta: { requestId?: string } = {}): Promise<OAuthStartView> {
  requireScope(actor, Scope.Admin);
  const s = loginSettings(ctx);
  const expiresAt = new Date(Date.now() + ctx.config.oauth.stateTtlMs);
  const { state, hash } = signOAuthState(s.stateSecret, { companyId: actor.companyId, apiTokenId: actor.tokenId, expiresAt });
  await insertOAuthState(ctx.db, { companyId: actor.companyId, apiTokenId: actor.tokenId, stateHash: hash, expiresAt });
  const url = new URL(s.dialogUrl);
  url.searchParams.set('client_id', s.appId);
  url.searchParams.set('redirect_uri', s.redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', META_OAUTH_SCOPES.join(','));
  await recordAudit(ctx, actor, { action: 'meta_oauth.start', targetType: 'company', targetId: actor.companyId, requestId: meta.requestId });
  return { url: url.toString(), scopes: [...META_OAUTH_SCOPES], redirectUri: s.redirectUri, expiresAt: expiresAt.toISOString() };
}

/**
 * Step 2 (Meta's redirect): the state is checked (signature, expiry, then consumed once in the
 * database), the code exchanged, the long-lived token described and stored as a pending grant.
 * `caller` is the bearer token's actor when the browser sent one: it must be the state's company.
 */
export async function completeMetaOAuth(ctx: ServiceContext, raw: unknown, options: { caller?: Actor; requestId?: string } = {}): Promise<OAuthGrantView> {
  const input = parseInput(oauthCallbackInput, raw);
  const s = loginSettings(ctx);
  const payload = verifyOAuthState(s.stateSecret, input.state);
  if (!payload || payload.expiresAt.getTime() <= Date.now()) throw new ValidationError(STATE_REFUSED, { field: 'state' });
  if (options.caller && options.caller.companyId !== payload.companyId) throw new ValidationError(STATE_REFUSED, { field: 'state' });
  if (!(await consumeOAuthState(ctx.db, { stateHash: hashOAuthState(input.state), companyId: payload.companyId, apiTokenId: payload.apiTokenId }))) {
    throw new ValidationError(STATE_REFUSED, { field: 'state' });
  }
  // The token that started the login must still be good: revoking it (or deactivating the company) stops its logins too.
  if (!(await isApiTokenUsable(ctx.db, payload))) throw new UnauthenticatedError('The API token that started this login was revoked or expired, or its company is deactivated: start again with a working token');
  const actor: Actor = { tokenId: payload.apiTokenId, companyId: payload.companyId, scopes: [] };
  if (input.error || !input.code) {
    const reason = `${input.error ?? 'no code'}${input.error_reason ? ` (${input.error_reason})` : ''}`.replace(/[^\w ()-]/g, '').slice(0, 120);
    await recordAudit(ctx, actor, { action: 'meta_oauth.declined', targetType: 'company', targetId: payload.companyId, details: { reason }, requestId: options.requestId });
    throw new ValidationError(`Facebook Login did not grant access: ${reason}. Start again and allow the permissions.`, { field: 'code' });
  }

  const client = loginClient(ctx, s);
  const short = await client.exchangeCode({ code: input.code, redirectUri: s.redirectUri });
  const long = await client.exchangeForLongLived(short.accessToken);
  const info = await client.debugToken(long.accessToken);
  if (!info.isValid) throw new ValidationError(`Meta says the new token is not valid (${(info.error ?? 'no reason given').slice(0, 200)}): start again`, { field: 'code' });
  if (info.appId && info.appId !== s.appId) throw new ValidationError('The token Meta returned belongs to another app: start again', { field: 'code' });
  const accounts = await client.listAdAccounts(long.accessToken);
  const missingScopes = META_OAUTH_SCOPES.filter((scope) => !info.scopes.includes(scope));
  const expiresAt = info.expiresAt ?? (long.expiresInSeconds ? new Date(Date.now() + long.expiresInSeconds * 1000) : null);
  const grant = await insertOAuthGrant(ctx.db, {
    companyId: payload.companyId,
    apiTokenId: payload.apiTokenId,
    encryptedToken: tokenCipherOf(ctx).encrypt(long.accessToken),
    tokenType: info.type ?? 'USER',
    metaUserId: info.userId,
    grantedScopes: info.scopes,
    missingScopes,
    tokenExpiresAt: expiresAt,
    dataAccessExpiresAt: info.dataAccessExpiresAt,
    adAccounts: accounts,
    expiresAt: new Date(Date.now() + ctx.config.oauth.grantTtlMs),
  });
  await recordAudit(ctx, actor, { action: 'meta_oauth.grant', targetType: 'oauth_grant', targetId: grant.id, details: { accounts: accounts.length, missingScopes, tokenType: grant.tokenType }, requestId: options.requestId });
  return toGrantView(ctx, grant);
}

/**
 * Step 3 (admin or write): connects the chosen accounts of the grant, once. The grant is consumed
 * in the same transaction as the rows: a 409 (another company holds one) connects nothing and
 * leaves the grant usable; a second connect with the same grant is refused.
 */
export async function connectMetaOAuthGrant(
  ctx: ServiceContext,
  actor: Actor,
  raw: unknown,
  meta: { requestId?: string } = {},
): Promise<{ grantId: string; connected: AdAccountView[]; tokenReplaced: string[] }> {
  requireScope(actor, Scope.Write);
  const input = parseInput(connectOAuthGrantInput, raw);
  const grant = await findOAuthGrantOfCompany(ctx.db, { companyId: actor.companyId, grantId: input.grantId });
  if (!grant) throw new NotFoundError('Facebook Login grant', input.grantId);
  if (grant.consumedAt) throw new ConflictError('This grant was already used to connect accounts: start a new login to connect more');
  if (grant.expiresAt.getTime() <= Date.now()) throw new ConflictError('This grant has expired: start a new login');
  const reachable = new Set(grantAccounts(grant).map((account) => account.id));
  const outside = input.adAccountIds.filter((id) => !reachable.has(id));
  if (outside.length) throw new ValidationError(`Not among the ad accounts this login reaches: ${outside.join(', ')}`, { field: 'adAccountIds' });

  const accessToken = tokenCipherOf(ctx).decrypt({ ciphertext: grant.encryptedAccessToken, keyId: grant.tokenKeyId });
  const tokenFacts = { type: grant.tokenType, scopes: grant.grantedScopes, expiresAt: grant.tokenExpiresAt, dataAccessExpiresAt: grant.dataAccessExpiresAt };
  // Every account of the company this login covers gets the new token: re-logging in fixes them all at once.
  const replaceTokenOf = await connectedAdAccountIdsAmong(ctx.db, { companyId: actor.companyId, adAccountIds: [...reachable] });
  const result = await connectAdAccountsWithToken(
    ctx,
    actor,
    {
      companyId: actor.companyId,
      adAccountIds: input.adAccountIds,
      accessToken,
      tokenFacts,
      replaceTokenOf,
      via: 'oauth',
      inTransaction: async (tx) => {
        if (!(await consumeOAuthGrant(tx, { companyId: actor.companyId, grantId: grant.id }))) throw new ConflictError('This grant was already used or has expired: start a new login');
      },
    },
    meta,
  );
  return { grantId: grant.id, ...result };
}

function grantAccounts(grant: Pick<OAuthGrantRow, 'adAccounts'>): GrantAdAccount[] {
  return Array.isArray(grant.adAccounts) ? (grant.adAccounts as unknown as GrantAdAccount[]) : [];
}

async function toGrantView(ctx: ServiceContext, grant: OAuthGrantRow): Promise<OAuthGrantView> {
  const accounts = grantAccounts(grant);
  const holder = await connectedAdAccountHolders(ctx.db, accounts.map((a) => a.id));
  return {
    grantId: grant.id,
    tokenType: grant.tokenType,
    grantedScopes: grant.grantedScopes,
    missingScopes: grant.missingScopes,
    tokenExpiresAt: grant.tokenExpiresAt?.toISOString() ?? null,
    dataAccessExpiresAt: grant.dataAccessExpiresAt?.toISOString() ?? null,
    expiresAt: grant.expiresAt.toISOString(),
    adAccounts: accounts.map((a) => ({
      id: a.id, name: a.name, accountStatus: a.accountStatus, currency: a.currency,
      connection: !holder.has(a.id) ? 'available' : holder.get(a.id) === grant.companyId ? 'connected_here' : 'connected_elsewhere',
    })),
  };
}
