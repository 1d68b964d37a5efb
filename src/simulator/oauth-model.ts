/**
 * Facebook Login as the simulator plays it: the authorization codes the dialog hands out, the
 * user and system-user tokens the token endpoint issues, and what `debug_token` says of them.
 * Token lifetimes run on the simulated clock, so moving `/__sim/clock` past `expires_at` expires
 * a token exactly as Meta would (190/463). One simulated person stands behind every user token.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_META_APP } from '../../domain/demo-meta-app';
import { expiredToken, GraphError, invalidParameter, invalidToken } from './graph-errors';

/** A Meta app that may use the dialog and the token endpoint. */
export interface SimOAuthApp {
  appId: string;
  appSecret: string;
}

/** A token the simulator issued through Facebook Login (or a system user's, from Business Manager). */
export interface IssuedToken {
  type: 'USER' | 'SYSTEM_USER';
  /** short: from a code; long: from fb_exchange_token; system: a system user's. */
  kind: 'short' | 'long' | 'system';
  appId: string;
  userId: string;
  scopes: string[];
  /** Ad accounts (`act_…`) the person (or system user) may use. */
  adAccountIds: string[];
  issuedAtMs: number;
  /** 0 = never expires. */
  expiresAtMs: number;
  dataAccessExpiresAtMs: number;
}

interface AuthorizationCode {
  appId: string;
  redirectUri: string;
  scopes: string[];
  adAccountIds: string[];
  expiresAtMs: number;
  used: boolean;
}

/** What the simulated person does in the dialog (set through `/__sim/oauth/person`). */
export interface SimPerson {
  userId: string;
  /** Ad accounts the person shares; undefined = every account of the simulator. */
  adAccountIds?: string[];
  /** Scopes the person unticks in the dialog. */
  declineScopes: string[];
  /** The person presses "Cancel". */
  deny: boolean;
}

const DAY_MS = 86_400_000;
/** Meta: a short-lived user token lasts about an hour or two; a long-lived one about 60 days; data access 90 days. */
export const TOKEN_LIFETIMES = { shortMs: 2 * 3_600_000, longMs: 60 * DAY_MS, dataAccessMs: 90 * DAY_MS, codeMs: 10 * 60_000 } as const;

function newToken(prefix: string): string {
  return `${prefix}${randomBytes(30).toString('base64url')}`;
}

/** The OAuth side of the simulator's state. */
export class OAuthModel {
  readonly apps: SimOAuthApp[];
  person: SimPerson = { userId: '', declineScopes: [], deny: false };
  private codes = new Map<string, AuthorizationCode>();
  readonly tokens = new Map<string, IssuedToken>();

  constructor(apps: SimOAuthApp[] = [DEMO_META_APP], private readonly now: () => number, private readonly allAccounts: () => string[]) {
    this.apps = apps;
  }

  /** Forget every code and token (reset). */
  clear(userId: string): void {
    this.codes.clear();
    this.tokens.clear();
    this.person = { userId, declineScopes: [], deny: false };
  }

  app(appId: string | undefined): SimOAuthApp | undefined {
    return this.apps.find((app) => app.appId === appId);
  }

  /** The token, if the simulator issued it through Facebook Login (expired ones too). */
  issued(token: string | undefined): IssuedToken | undefined {
    return token === undefined ? undefined : this.tokens.get(token);
  }

  /** Throws Meta's 190/463 when an issued token's lifetime is over on the simulated clock. */
  checkAlive(token: IssuedToken): void {
    const now = this.now();
    if (token.expiresAtMs > 0 && now >= token.expiresAtMs) throw expiredToken(token.expiresAtMs, now);
  }

  /** The dialog's grant: a code bound to the app and redirect URI, valid 10 minutes, single use. */
  authorize(input: { appId: string; redirectUri: string; scopes: string[] }): string {
    const code = newToken('AQ');
    const scopes = input.scopes.filter((scope) => !this.person.declineScopes.includes(scope));
    const adAccountIds = this.person.adAccountIds ?? this.allAccounts();
    this.codes.set(code, { appId: input.appId, redirectUri: input.redirectUri, scopes: [...new Set(scopes)], adAccountIds, expiresAtMs: this.now() + TOKEN_LIFETIMES.codeMs, used: false });
    return code;
  }

  /** `GET /oauth/access_token`: a code or a short-lived token in, a token out, as Meta answers it. */
  exchange(params: Record<string, string>): { access_token: string; token_type: 'bearer'; expires_in: number } {
    const app = this.app(params.client_id);
    if (!app) throw new GraphError(400, { message: 'Error validating application. Invalid application ID.', type: 'OAuthException', code: 101 });
    if (params.client_secret !== app.appSecret) throw new GraphError(400, { message: 'Error validating client secret.', type: 'OAuthException', code: 1 });
    const now = this.now();
    if (params.grant_type === 'fb_exchange_token') {
      const short = this.issued(params.fb_exchange_token);
      if (!short || short.appId !== app.appId || short.type !== 'USER') throw invalidToken();
      this.checkAlive(short);
      return this.issue({ ...short, kind: 'long', issuedAtMs: now, expiresAtMs: now + TOKEN_LIFETIMES.longMs }, 'EAAL');
    }
    if (params.grant_type !== undefined && params.grant_type !== 'authorization_code') {
      throw invalidParameter(`(#100) Unsupported grant_type: ${params.grant_type.slice(0, 40)}`);
    }
    if (!params.code) throw invalidParameter('Missing authorization code', { error_subcode: 36007 });
    const code = this.codes.get(params.code);
    if (!code || code.appId !== app.appId) throw invalidParameter('Invalid verification code format.', { error_subcode: 36007 });
    if (code.used) throw invalidParameter('This authorization code has been used.', { error_subcode: 36009 });
    if (now >= code.expiresAtMs) throw invalidParameter('This authorization code has expired.', { error_subcode: 36007 });
    if (params.redirect_uri !== code.redirectUri) {
      throw invalidParameter('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', { error_subcode: 36008 });
    }
    code.used = true;
    return this.issue(
      { type: 'USER', kind: 'short', appId: app.appId, userId: this.person.userId, scopes: code.scopes, adAccountIds: code.adAccountIds, issuedAtMs: now, expiresAtMs: now + TOKEN_LIFETIMES.shortMs, dataAccessExpiresAtMs: now + TOKEN_LIFETIMES.dataAccessMs },
      'EAAS',
    );
  }

  /** A system user's token (Business Manager): `expiresInSeconds` 0 = never expires. */
  issueSystemUserToken(input: { scopes: string[]; adAccountIds?: string[]; expiresInSeconds: number; appId?: string }): string {
    const now = this.now();
    const issued = this.issue(
      {
        type: 'SYSTEM_USER', kind: 'system', appId: input.appId ?? this.apps[0]!.appId, userId: `${this.person.userId}9`, scopes: input.scopes,
        adAccountIds: input.adAccountIds ?? this.allAccounts(), issuedAtMs: now, expiresAtMs: input.expiresInSeconds > 0 ? now + input.expiresInSeconds * 1000 : 0, dataAccessExpiresAtMs: now + TOKEN_LIFETIMES.dataAccessMs,
      },
      'EAAY',
    );
    return issued.access_token;
  }

  /** The person removes a permission in their settings: every token of theirs loses it at once. */
  withdrawScope(scope: string): number {
    let changed = 0;
    for (const token of this.tokens.values()) {
      if (token.type === 'USER' && token.scopes.includes(scope)) {
        token.scopes = token.scopes.filter((s) => s !== scope);
        changed++;
      }
    }
    return changed;
  }

  /** `GET /debug_token?input_token=`: Meta's `data` object, valid or not (an unknown token is not an error). */
  debug(inputToken: string | undefined, staticTokens: ReadonlySet<string>, appId: string): Record<string, unknown> {
    const now = this.now();
    const seconds = (ms: number): number => Math.floor(ms / 1000);
    if (inputToken && staticTokens.has(inputToken)) {
      // Tokens the simulator was started with: a user's that never expires, with every permission.
      return { app_id: appId, type: 'USER', application: 'Simulator', data_access_expires_at: 0, expires_at: 0, is_valid: true, scopes: ['ads_management', 'ads_read', 'business_management', 'leads_retrieval', 'pages_read_engagement', 'pages_manage_metadata'], user_id: this.person.userId };
    }
    const token = this.issued(inputToken);
    if (!token) return { error: { code: 190, message: 'Invalid OAuth access token.' }, is_valid: false, scopes: [] };
    const base = {
      app_id: token.appId,
      type: token.type,
      application: 'Simulator',
      data_access_expires_at: seconds(token.dataAccessExpiresAtMs),
      expires_at: token.expiresAtMs > 0 ? seconds(token.expiresAtMs) : 0,
      issued_at: seconds(token.issuedAtMs),
      scopes: token.scopes,
      granular_scopes: token.scopes.map((scope) => (scope.startsWith('ads_') ? { scope, target_ids: token.adAccountIds.map((id) => id.replace(/^act_/, '')) } : { scope })),
      user_id: token.userId,
    };
    if (token.expiresAtMs > 0 && now >= token.expiresAtMs) {
      return { ...base, is_valid: false, error: { code: 190, subcode: 463, message: expiredToken(token.expiresAtMs, now).message } };
    }
    return { ...base, is_valid: true };
  }

  private issue(token: IssuedToken, prefix: string): { access_token: string; token_type: 'bearer'; expires_in: number } {
    const value = newToken(prefix);
    this.tokens.set(value, { ...token, scopes: [...token.scopes], adAccountIds: [...token.adAccountIds] });
    return { access_token: value, token_type: 'bearer', expires_in: token.expiresAtMs > 0 ? Math.round((token.expiresAtMs - this.now()) / 1000) : 0 };
  }
}
