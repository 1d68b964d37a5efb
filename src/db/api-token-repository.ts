/** API tokens: stored as a SHA-256 hash only; every read is by hash or scoped to a company. */
import type { Db, Prisma } from './prisma-client';

export type ApiTokenRow = Prisma.ApiTokenGetPayload<object>;

/** Stores a new token's hash and shown prefix. */
export async function insertApiToken(db: Db, input: { companyId: string; name: string; prefix: string; tokenHash: string; scopes: string[]; expiresAt: Date | null }): Promise<ApiTokenRow> {
  return db.apiToken.create({ data: input });
}

/** The token with this hash (revoked and expired ones too) and whether its company is deactivated, or null. */
export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<(ApiTokenRow & { company: { deactivatedAt: Date | null } }) | null> {
  return db.apiToken.findUnique({ where: { tokenHash }, include: { company: { select: { deactivatedAt: true } } } });
}

/**
 * Moves `last_used_at` to `now` unless it is already within `resolutionMs` of it. Conditional, so
 * concurrent requests with one token write once.
 */
export async function touchApiTokenLastUsed(db: Db, input: { id: string; now: number; resolutionMs: number }): Promise<void> {
  await db.apiToken.updateMany({
    where: { id: input.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(input.now - input.resolutionMs) } }] },
    data: { lastUsedAt: new Date(input.now) },
  });
}

/** Tokens of a company by id, keyset-paged (`take` is the page size plus one). */
export async function listApiTokensOfCompany(db: Db, input: { companyId: string; afterId?: string; take: number }): Promise<ApiTokenRow[]> {
  return db.apiToken.findMany({
    where: { companyId: input.companyId, ...(input.afterId !== undefined ? { id: { gt: input.afterId } } : {}) },
    orderBy: { id: 'asc' },
    take: input.take,
  });
}

/** A token of the company, or null (another company's token is null too). */
export async function findApiTokenOfCompany(db: Db, ref: { companyId: string; id: string }): Promise<ApiTokenRow | null> {
  return db.apiToken.findFirst({ where: { id: ref.id, companyId: ref.companyId } });
}

/** Revokes a token now. */
export async function revokeApiTokenRow(db: Db, id: string): Promise<ApiTokenRow> {
  return db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
}
