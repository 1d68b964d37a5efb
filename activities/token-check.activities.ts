import { MetaApiError } from '../src/errors';
import { FacebookLoginClient } from '../src/meta/facebook-login';
import { tokenAttentionOf, withdrawnScopes } from '../domain/token-attention';
import type { TokenCheckBatchResult } from '../domain/contracts/token-check';
import type { ActivityDeps } from './activity-deps';

/**
 * Activities of the token check. Tokens are decrypted here, one at a time, handed to Meta's
 * debug_token (with the app's own credentials) and dropped: only ids and counts go back.
 */
export function createTokenCheckActivities(deps: ActivityDeps) {
  const loginClient = (): FacebookLoginClient | null => {
    const { appId, appSecret } = deps.config.oauth;
    if (!appId || !appSecret) return null;
    return new FacebookLoginClient({ graphUrl: deps.config.meta.graphUrl, apiVersion: deps.config.meta.apiVersion, appId, appSecret });
  };

  return {
    /** Ids of the connected accounts whose tokens can still be checked (an account already needing re-authorisation waits for a person). */
    async listTokenCheckAccounts(): Promise<string[]> {
      const rows = await deps.db.adAccount.findMany({ where: { disconnectedAt: null, deletedAt: null, tokenStatus: 'valid' }, select: { id: true }, orderBy: { id: 'asc' } });
      return rows.map((row) => row.id);
    },

    /**
     * debug_token for each account of the batch, as of `asOf`: records expiry and granted scopes;
     * an invalid token or a withdrawn required scope marks the account needs_reauth (naming the
     * scopes). Without a configured Meta app nothing can be asked: every account is unanswered.
     */
    async checkTokens(input: { adAccountIds: string[]; asOf: string }): Promise<TokenCheckBatchResult> {
      const result: TokenCheckBatchResult = { checked: 0, invalid: 0, scopeWithdrawn: 0, expiring: 0, unanswered: 0 };
      const client = loginClient();
      const asOf = new Date(input.asOf);
      const rows = await deps.db.adAccount.findMany({
        where: { id: { in: input.adAccountIds }, disconnectedAt: null, tokenStatus: 'valid' },
        select: { id: true, encryptedAccessToken: true, tokenKeyId: true, tokenScopes: true },
      });
      result.unanswered += input.adAccountIds.length - rows.length;
      for (const row of rows) {
        if (!client) {
          result.unanswered++;
          continue;
        }
        let info;
        try {
          info = await client.debugToken(deps.tokenCipher.decrypt({ ciphertext: row.encryptedAccessToken, keyId: row.tokenKeyId }));
        } catch (error) {
          // Meta did not answer for this token (an outage, a throttle): the next daily check asks again.
          if (error instanceof MetaApiError) {
            result.unanswered++;
            continue;
          }
          throw error;
        }
        result.checked++;
        // Only the row still holding the token that was read is updated: a re-connect in between wins.
        const where = { id: row.id, encryptedAccessToken: row.encryptedAccessToken, tokenStatus: 'valid' };
        if (!info.isValid) {
          await deps.db.adAccount.updateMany({ where, data: { tokenStatus: 'needs_reauth', tokenError: `Meta's debug_token says the token is invalid: ${info.error ?? 'no reason given'}`.slice(0, 2000), tokenCheckedAt: asOf } });
          result.invalid++;
          continue;
        }
        const missing = withdrawnScopes(row.tokenScopes, info.scopes);
        await deps.db.adAccount.updateMany({
          where,
          data: {
            tokenCheckedAt: asOf,
            tokenExpiresAt: info.expiresAt,
            tokenDataAccessExpiresAt: info.dataAccessExpiresAt,
            ...(info.type ? { tokenType: info.type } : {}),
            ...(missing.length > 0
              ? { tokenStatus: 'needs_reauth', tokenMissingScopes: missing, tokenError: `Required Meta permission(s) withdrawn: ${missing.join(', ')}` }
              : { tokenScopes: info.scopes }),
          },
        });
        if (missing.length > 0) result.scopeWithdrawn++;
        else if (tokenAttentionOf({ tokenStatus: 'valid', tokenError: null, tokenExpiresAt: info.expiresAt, tokenCheckedAt: asOf, tokenMissingScopes: [] })) result.expiring++;
      }
      return result;
    },
  };
}
