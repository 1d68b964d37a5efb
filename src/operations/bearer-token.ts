/**
 * The one reading of `Authorization: Bearer <token>`. Authentication and the HTTP rate limiter
 * both use it, so every spelling the service accepts (`bearer`, `BEARER`, extra spaces) is the
 * same token to the limiter too: a client cannot get a fresh budget by rewriting the header.
 */

/** What an API token looks like (`mao_` + 43 base64url characters). */
export const API_TOKEN_PATTERN = /^mao_[A-Za-z0-9_-]{43}$/;

const BEARER_HEADER = /^Bearer\s+(\S+)\s*$/i;

/** The API token of an Authorization header, or undefined when the header is missing or not a well-formed bearer token. */
export function parseBearerToken(authorization: string | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const token = BEARER_HEADER.exec(authorization)?.[1];
  return token !== undefined && API_TOKEN_PATTERN.test(token) ? token : undefined;
}
