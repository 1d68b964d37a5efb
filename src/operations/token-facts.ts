/**
 * What Meta says of a token a company hands over (debug_token with the app's own token): its
 * type (a person's USER token or a Business Manager SYSTEM_USER token), scopes and expiries, kept
 * beside the encrypted token so its lifetime is known.
 */
import type { StoredTokenFacts } from '../db/ad-account-repository';
import { MetaApiError } from '../errors';
import { FacebookLoginClient, type TokenDebugInfo } from '../meta/facebook-login';
import type { ServiceContext } from './service-context';

/** debug_token of the configured app, or null when no app is configured. */
export function facebookLoginClientOf(ctx: ServiceContext): FacebookLoginClient | null {
  const { appId, appSecret } = ctx.config.oauth;
  if (!appId || !appSecret) return null;
  return new FacebookLoginClient({ graphUrl: ctx.config.meta.graphUrl, apiVersion: ctx.config.meta.apiVersion, appId, appSecret });
}

/** The facts stored for a valid token. */
export function storedFactsOf(info: TokenDebugInfo): StoredTokenFacts {
  return { type: info.type, scopes: info.scopes, expiresAt: info.expiresAt, dataAccessExpiresAt: info.dataAccessExpiresAt };
}

/**
 * The facts of a pasted token, or undefined when they cannot be learnt (no app configured, or
 * Meta's debug_token did not answer): the account read that follows is what proves the token.
 */
export async function describePastedToken(ctx: ServiceContext, accessToken: string): Promise<StoredTokenFacts | undefined> {
  const client = facebookLoginClientOf(ctx);
  if (!client) return undefined;
  try {
    const info = await client.debugToken(accessToken);
    return info.isValid ? storedFactsOf(info) : undefined;
  } catch (error) {
    if (error instanceof MetaApiError) return undefined;
    throw error;
  }
}
