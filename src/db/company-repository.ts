/**
 * Companies (tenants): created, renamed, listed, deactivated and reactivated by an operator; and
 * the company row's reads outside tenancy checks: its name (and an account's) for what an
 * operator reads about a workflow in the Temporal UI.
 */
import type { Db, Prisma } from './prisma-client';

export type CompanyRow = Prisma.CompanyGetPayload<object>;

/** Creates a company. */
export async function insertCompany(db: Db, input: { name: string }): Promise<CompanyRow> {
  return db.company.create({ data: { name: input.name } });
}

/** The company, or null. */
export async function findCompany(db: Db, id: string): Promise<CompanyRow | null> {
  return db.company.findUnique({ where: { id } });
}

/** Companies by id, keyset-paged (`take` is the page size plus one). */
export async function listCompanyRows(db: Db, input: { afterId?: string; take: number; status?: 'active' | 'deactivated' }): Promise<CompanyRow[]> {
  return db.company.findMany({
    where: {
      ...(input.afterId !== undefined ? { id: { gt: input.afterId } } : {}),
      ...(input.status === 'active' ? { deactivatedAt: null } : input.status === 'deactivated' ? { deactivatedAt: { not: null } } : {}),
    },
    orderBy: { id: 'asc' },
    take: input.take,
  });
}

/** Renames a company. */
export async function renameCompanyRow(db: Db, input: { id: string; name: string }): Promise<CompanyRow> {
  return db.company.update({ where: { id: input.id }, data: { name: input.name } });
}

/** Marks the company deactivated (keeps the first time when it already was) or active again (null). */
export async function setCompanyDeactivated(db: Db, input: { id: string; deactivated: boolean }): Promise<CompanyRow> {
  if (!input.deactivated) return db.company.update({ where: { id: input.id }, data: { deactivatedAt: null } });
  await db.company.updateMany({ where: { id: input.id, deactivatedAt: null }, data: { deactivatedAt: new Date() } });
  return db.company.findUniqueOrThrow({ where: { id: input.id } });
}

/**
 * What owns a Temporal Schedule in the company: every ad account it ever connected (a
 * disconnected one has no schedules left, which the caller tolerates) and every rule of its.
 */
export async function listScheduleOwnersOfCompany(db: Db, companyId: string): Promise<{ adAccountIds: string[]; ruleIds: string[] }> {
  const [accounts, rules] = await Promise.all([
    db.adAccount.findMany({ where: { companyId }, select: { id: true }, orderBy: { id: 'asc' } }),
    db.adRule.findMany({ where: { companyId }, select: { id: true }, orderBy: { id: 'asc' } }),
  ]);
  return { adAccountIds: accounts.map((row) => row.id), ruleIds: rules.map((row) => row.id) };
}

/** Ids of the deactivated companies. */
export async function listDeactivatedCompanyIds(db: Db): Promise<Set<string>> {
  const rows = await db.company.findMany({ where: { deactivatedAt: { not: null } }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

/** The company's name and, when asked, one of its ad accounts' names. */
export interface StartNames {
  companyName: string | null;
  accountName: string | null;
}

/**
 * The names a workflow start shows: one primary-key read of the company with at most one of its
 * accounts. Nulls when a row is missing (a start never fails for want of a label).
 */
export async function loadStartNames(db: Db, ref: { companyId: string; adAccountId?: string }): Promise<StartNames> {
  const row = await db.company.findUnique({
    where: { id: ref.companyId },
    select: { name: true, ...(ref.adAccountId !== undefined ? { adAccounts: { where: { id: ref.adAccountId }, select: { name: true }, take: 1 } } : {}) },
  });
  const accounts = (row as { adAccounts?: Array<{ name: string | null }> } | null)?.adAccounts;
  return { companyName: row?.name ?? null, accountName: accounts?.[0]?.name ?? null };
}
