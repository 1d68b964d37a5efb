import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../errors';
import type { Db } from '../db/prisma-client';
import { findApiTokenByHash, findApiTokenOfCompany, insertApiToken, listApiTokensOfCompany, revokeApiTokenRow, touchApiTokenLastUsed } from '../db/api-token-repository';
import { API_TOKEN_PATTERN, parseBearerToken } from './bearer-token';
import { ALL_SCOPES, COMPANY_SCOPES, requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { decodeCursor, toPage, type Page } from './paging';
import { apiTokenView, createApiTokenInput, listApiTokensInput, tokenIdInput } from './schemas/api-tokens';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type ApiTokenView = z.infer<typeof apiTokenView>;
export type CreatedApiToken = ApiTokenView & { token: string };

/** last_used_at is written at most this often per token: one write per request would be a hot row. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** sha256 hex of a token: the only form stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Longest lifetime a token given an expiry may have: a date further away is more likely a typo than a plan. */
export const MAX_TOKEN_LIFETIME_MS = 2 * 366 * 86_400_000;

/** Creates a token for a company (CLI, demo bootstrap and the admin routes all end here). Returns the token once. */
export async function issueApiToken(db: Db, input: { companyId: string; name: string; scopes: readonly string[]; expiresAt?: Date }): Promise<CreatedApiToken> {
  const scopes = [...new Set(input.scopes)];
  const unknown = scopes.filter((scope) => !(ALL_SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0 || scopes.length === 0) throw new ValidationError(`Scopes must be a non-empty subset of ${ALL_SCOPES.join(', ')}`, { field: 'scopes' });
  const token = `mao_${randomBytes(32).toString('base64url')}`;
  const row = await insertApiToken(db, { companyId: input.companyId, name: input.name, prefix: token.slice(0, 10), tokenHash: hashApiToken(token), scopes, expiresAt: input.expiresAt ?? null });
  return { ...toView(row), token };
}

/** Resolves `Authorization: Bearer <token>` to an actor; anything wrong is 401, never 500. */
export async function authenticate(ctx: ServiceContext, authorization: string | undefined): Promise<Actor> {
  if (!authorization) throw new UnauthenticatedError();
  const token = parseBearerToken(authorization);
  if (!token) throw new UnauthenticatedError('The API token is malformed: send "Authorization: Bearer mao_..."');
  return authenticateToken(ctx, token);
}

/** Resolves a bare token (stdio reads it from the environment). */
export async function authenticateToken(ctx: ServiceContext, token: string): Promise<Actor> {
  if (!API_TOKEN_PATTERN.test(token)) throw new UnauthenticatedError('The API token is malformed: expected mao_...');
  const row = await findApiTokenByHash(ctx.db, hashApiToken(token));
  const now = Date.now();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) {
    throw new UnauthenticatedError('The API token is unknown, revoked or expired');
  }
  // Said plainly: the holder can do nothing about it but ask the operator, and the company's id is already theirs.
  if (row.company.deactivatedAt) throw new UnauthenticatedError('The company of this API token is deactivated: ask the service operator to reactivate it');
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Conditional so concurrent requests write once; failures must not fail the request.
    await touchApiTokenLastUsed(ctx.db, { id: row.id, now, resolutionMs: LAST_USED_RESOLUTION_MS }).catch(() => undefined);
  }
  return { tokenId: row.id, companyId: row.companyId, scopes: row.scopes.filter((s): s is Scope => (ALL_SCOPES as readonly string[]).includes(s)) };
}

/** Admin: a new token for the caller's own company, with company scopes only (never `operator`). */
export async function createApiToken(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<CreatedApiToken> {
  requireScope(actor, Scope.Admin);
  const input = parseInput(createApiTokenInput, raw);
  // The schema already refuses it; checked again here because this is the one grant path of the fronts.
  if (input.scopes.some((scope) => !(COMPANY_SCOPES as readonly string[]).includes(scope))) throw new ValidationError(`Scopes must be a subset of ${COMPANY_SCOPES.join(', ')}`, { field: 'scopes' });
  const created = await issueApiToken(ctx.db, { companyId: actor.companyId, name: input.name, scopes: input.scopes, expiresAt: tokenExpiryOf(input.expiresAt) });
  await recordAudit(ctx, actor, { action: 'api_token.create', targetType: 'api_token', targetId: created.id, details: { scopes: created.scopes, expiresAt: created.expiresAt }, requestId: meta.requestId });
  return created;
}

/** The expiry a token is created with: in the future and within {@link MAX_TOKEN_LIFETIME_MS}, or none. */
export function tokenExpiryOf(expiresAt: string | undefined, now = Date.now()): Date | undefined {
  if (expiresAt === undefined) return undefined;
  const at = new Date(expiresAt);
  if (at.getTime() <= now) throw new ValidationError('expiresAt must be in the future', { field: 'expiresAt' });
  if (at.getTime() - now > MAX_TOKEN_LIFETIME_MS) throw new ValidationError('expiresAt may be at most 2 years away: issue a new token before then', { field: 'expiresAt' });
  return at;
}

/** Admin: the company's tokens (never their values). */
export async function listApiTokens(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ApiTokenView>> {
  requireScope(actor, Scope.Admin);
  const input = parseInput(listApiTokensInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await listApiTokensOfCompany(ctx.db, { companyId: actor.companyId, afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, (row) => toView(row), (row) => ({ id: row.id }));
}

/** Admin: revokes a token of the caller's company (idempotent). */
export async function revokeApiToken(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ApiTokenView> {
  requireScope(actor, Scope.Admin);
  const input = parseInput(tokenIdInput, raw);
  const row = await findApiTokenOfCompany(ctx.db, { companyId: actor.companyId, id: input.tokenId });
  if (!row) throw new NotFoundError('API token', input.tokenId);
  const updated = row.revokedAt ? row : await revokeApiTokenRow(ctx.db, row.id);
  await recordAudit(ctx, actor, { action: 'api_token.revoke', targetType: 'api_token', targetId: row.id, requestId: meta.requestId });
  return toView(updated);
}

/** A token as the fronts show it (never its value or hash); `status` at `now`. */
function toView(row: { id: string; companyId: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null }, now = Date.now()): ApiTokenView {
  return {
    id: row.id,
    companyId: row.companyId,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status: row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt.getTime() <= now ? 'expired' : 'active',
  };
}
