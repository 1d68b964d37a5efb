/**
 * What needs a person's attention about an ad account's Meta token: it was rejected or lost a
 * required scope (the account needs re-authorisation), or it expires within the warning window
 * of the last daily check. Pure, so the check workflow's activity and the fronts agree.
 */
import { DAY_MS } from './calendar';

/** From this many days before expiry the token check reports an account. */
export const TOKEN_EXPIRY_WARNING_DAYS = 14;

/** The scopes the service needs of a Meta token (the Facebook Login dialog asks for these). */
export const REQUIRED_META_SCOPES = ['ads_management', 'ads_read', 'business_management', 'leads_retrieval', 'pages_read_engagement', 'pages_manage_metadata'] as const;

export type AttentionKind = 'needs_reauth' | 'scope_withdrawn' | 'token_expiring';

export interface TokenState {
  tokenStatus: string;
  tokenError: string | null;
  tokenExpiresAt: Date | null;
  tokenCheckedAt: Date | null;
  tokenMissingScopes: string[];
}

export interface TokenAttention {
  kind: AttentionKind;
  /** What to do, for a person (no token in it). */
  message: string;
  tokenExpiresAt: string | null;
  /** Whole days from the last check to expiry (token_expiring only). */
  daysLeft: number | null;
  missingScopes: string[];
  checkedAt: string | null;
}

/**
 * Required scopes the token had before and has no longer. A scope it never had (a pasted token
 * made for reading only) is not "withdrawn": the account was connected knowing it.
 */
export function withdrawnScopes(before: readonly string[], now: readonly string[]): string[] {
  return REQUIRED_META_SCOPES.filter((scope) => before.includes(scope) && !now.includes(scope));
}

/** Days left from `checkedAt` to `expiresAt`, or null when the token never expires or was never checked. */
export function daysUntilExpiry(state: Pick<TokenState, 'tokenExpiresAt' | 'tokenCheckedAt'>): number | null {
  if (!state.tokenExpiresAt || !state.tokenCheckedAt) return null;
  return Math.ceil((state.tokenExpiresAt.getTime() - state.tokenCheckedAt.getTime()) / DAY_MS);
}

/** The account's attention item, or null when its token is fine. */
export function tokenAttentionOf(state: TokenState): TokenAttention | null {
  const base = { tokenExpiresAt: state.tokenExpiresAt?.toISOString() ?? null, checkedAt: state.tokenCheckedAt?.toISOString() ?? null };
  if (state.tokenStatus === 'needs_reauth') {
    if (state.tokenMissingScopes.length > 0) {
      return { ...base, kind: 'scope_withdrawn', daysLeft: null, missingScopes: [...state.tokenMissingScopes], message: `Permission withdrawn on Meta (${state.tokenMissingScopes.join(', ')}): connect the account again through Facebook Login and grant ${state.tokenMissingScopes.length === 1 ? 'it' : 'them'}` };
    }
    return { ...base, kind: 'needs_reauth', daysLeft: null, missingScopes: [], message: `Meta rejected the token${state.tokenError ? ` (${state.tokenError})` : ''}: connect the account again through Facebook Login` };
  }
  const daysLeft = daysUntilExpiry(state);
  if (daysLeft !== null && daysLeft <= TOKEN_EXPIRY_WARNING_DAYS) {
    return { ...base, kind: 'token_expiring', daysLeft, missingScopes: [], message: `The Meta token expires in ${daysLeft} day(s): connect the account again through Facebook Login before then` };
  }
  return null;
}
