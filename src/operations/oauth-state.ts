/**
 * Facebook Login's `state`: a random nonce, the company, the API token that asked and an expiry,
 * signed with HMAC-SHA256 (OAUTH_STATE_SECRET). The signature makes a forged or altered state
 * fail before the database is asked; the stored hash makes it single-use. Nothing in it is secret
 * (it travels through the browser), and nothing in it opens anything on its own.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a state says. */
export interface OAuthStatePayload {
  companyId: string;
  apiTokenId: string;
  expiresAt: Date;
}

/** A signed state and the hash that is stored. */
export function signOAuthState(secret: string, payload: OAuthStatePayload): { state: string; hash: string } {
  const body = Buffer.from(JSON.stringify({ v: 1, n: randomBytes(16).toString('base64url'), c: payload.companyId, t: payload.apiTokenId, e: Math.floor(payload.expiresAt.getTime() / 1000) })).toString('base64url');
  const state = `${body}.${mac(secret, body)}`;
  return { state, hash: hashOAuthState(state) };
}

/** The payload of a well-signed state, or null (forged, altered, malformed). Expiry is the caller's to check. */
export function verifyOAuthState(secret: string, state: string): OAuthStatePayload | null {
  const [body, signature, extra] = state.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { v?: unknown; c?: unknown; t?: unknown; e?: unknown };
    if (p.v !== 1 || typeof p.c !== 'string' || typeof p.t !== 'string' || typeof p.e !== 'number') return null;
    return { companyId: p.c, apiTokenId: p.t, expiresAt: new Date(p.e * 1000) };
  } catch {
    return null;
  }
}

/** SHA-256 of the whole state: what the database holds. */
export function hashOAuthState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
