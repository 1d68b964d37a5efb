/**
 * Facebook Login's server-side calls (the authorization-code flow): the code exchange, the
 * long-lived exchange (`fb_exchange_token`), `debug_token` and the ad accounts the person can use.
 * Tokens and the app secret travel only in POST bodies and the Authorization header, never in a
 * URL; failures become the project's Meta errors with every secret stripped from Meta's text.
 */
import { MetaInvalidRequestError } from '../errors';
import { classifyMetaError } from './error-classification';
import { appsecretProof } from './graph-api';

/** Options of {@link FacebookLoginClient}. */
export interface FacebookLoginOptions {
  graphUrl: string;
  apiVersion: string;
  appId: string;
  appSecret: string;
  /** @default 15000 */
  timeoutMs?: number;
}

/** A token from the token endpoint. */
export interface ExchangedToken {
  accessToken: string;
  /** Seconds until it expires, as Meta said (0 or absent: no expiry given). */
  expiresInSeconds: number | null;
}

/** What `debug_token` says of a token. */
export interface TokenDebugInfo {
  isValid: boolean;
  /** USER, SYSTEM_USER, PAGE, APP. */
  type: string | null;
  appId: string | null;
  userId: string | null;
  scopes: string[];
  /** null: never expires (Meta's 0). */
  expiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  /** Meta's reason when not valid (no token in it). */
  error: string | null;
}

/** An ad account the person can use, as `/me/adaccounts` lists it. */
export interface PersonAdAccount {
  id: string;
  name: string | null;
  accountStatus: number | null;
  currency: string | null;
}

const MAX_ACCOUNT_PAGES = 50;

/** Facebook Login calls of one Meta app. */
export class FacebookLoginClient {
  private readonly base: string;
  constructor(private readonly options: FacebookLoginOptions) {
    this.base = `${options.graphUrl.replace(/\/+$/, '')}/${options.apiVersion}`;
  }

  /** The dialog's `code` → a (short-lived) user token; `redirectUri` must be the dialog's. */
  async exchangeCode(input: { code: string; redirectUri: string }): Promise<ExchangedToken> {
    const body = await this.post('oauth/access_token', { client_id: this.options.appId, client_secret: this.options.appSecret, redirect_uri: input.redirectUri, code: input.code }, [input.code]);
    return exchanged(body);
  }

  /** A short-lived user token → a long-lived one (about 60 days). */
  async exchangeForLongLived(shortLived: string): Promise<ExchangedToken> {
    const body = await this.post('oauth/access_token', { grant_type: 'fb_exchange_token', client_id: this.options.appId, client_secret: this.options.appSecret, fb_exchange_token: shortLived }, [shortLived]);
    return exchanged(body);
  }

  /** `debug_token` with the app's own access token: validity, type, scopes and expiries. */
  async debugToken(token: string): Promise<TokenDebugInfo> {
    const body = (await this.post('debug_token', { method: 'GET', input_token: token, access_token: `${this.options.appId}|${this.options.appSecret}` }, [token])) as { data?: Record<string, unknown> };
    const data = body.data ?? {};
    const seconds = (value: unknown): Date | null => (typeof value === 'number' && value > 0 ? new Date(value * 1000) : null);
    const error = data.error && typeof data.error === 'object' ? String((data.error as { message?: unknown }).message ?? 'invalid') : null;
    return {
      isValid: data.is_valid === true,
      type: typeof data.type === 'string' ? data.type : null,
      appId: data.app_id === undefined ? null : String(data.app_id),
      userId: data.user_id === undefined ? null : String(data.user_id),
      scopes: Array.isArray(data.scopes) ? data.scopes.filter((s): s is string => typeof s === 'string') : [],
      expiresAt: seconds(data.expires_at),
      dataAccessExpiresAt: seconds(data.data_access_expires_at),
      error,
    };
  }

  /** Every ad account the token's person can use (cursor-paged with `after`, never by following `next`: it repeats the token). */
  async listAdAccounts(token: string): Promise<PersonAdAccount[]> {
    const out: PersonAdAccount[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_ACCOUNT_PAGES; page++) {
      const query = new URLSearchParams({ fields: 'id,name,account_status,currency', limit: '100', ...(after ? { after } : {}) });
      const body = (await this.call('GET', `me/adaccounts?${query.toString()}`, undefined, token, [])) as { data?: Array<Record<string, unknown>>; paging?: { cursors?: { after?: string }; next?: string } };
      for (const row of body.data ?? []) {
        if (typeof row.id !== 'string') continue;
        out.push({ id: row.id, name: typeof row.name === 'string' ? row.name : null, accountStatus: typeof row.account_status === 'number' ? row.account_status : null, currency: typeof row.currency === 'string' ? row.currency : null });
      }
      after = body.paging?.next ? body.paging.cursors?.after : undefined;
      if (!after) break;
    }
    return out;
  }

  private post(path: string, form: Record<string, string>, secrets: string[]): Promise<unknown> {
    return this.call('POST', path, new URLSearchParams(form).toString(), undefined, secrets);
  }

  private async call(method: 'GET' | 'POST', path: string, body: string | undefined, token: string | undefined, secrets: string[]): Promise<unknown> {
    const operation = `${method} ${path.split('?')[0]}`;
    const allSecrets = [...secrets, token, this.options.appSecret];
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (token) {
      headers.authorization = `Bearer ${token}`;
    }
    const url = token ? `${this.base}/${path}${path.includes('?') ? '&' : '?'}appsecret_proof=${appsecretProof(token, this.options.appSecret)}` : `${this.base}/${path}`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000), redirect: 'error' });
    } catch (error) {
      throw classifyMetaError({ networkFailure: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network', operation, secrets: allSecrets });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok || (parsed && typeof parsed === 'object' && 'error' in parsed && path !== 'debug_token')) {
      throw classifyMetaError({ httpStatus: response.status, body: parsed ?? text.slice(0, 500), operation, secrets: allSecrets });
    }
    if (parsed === undefined) throw classifyMetaError({ httpStatus: 502, body: text.slice(0, 200), operation, secrets: allSecrets });
    return parsed;
  }
}

function exchanged(body: unknown): ExchangedToken {
  const b = body as { access_token?: unknown; expires_in?: unknown };
  if (typeof b.access_token !== 'string' || !b.access_token) throw new MetaInvalidRequestError('Meta answered the token exchange without an access token', {});
  return { accessToken: b.access_token, expiresInSeconds: typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : null };
}
