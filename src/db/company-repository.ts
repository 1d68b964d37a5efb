/**
 * The company row's reads outside tenancy checks: its name (and an account's) for what an
 * operator reads about a workflow in the Temporal UI.
 */
import type { Db } from './prisma-client';

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
