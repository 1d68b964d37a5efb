/**
 * Per-account guard rails for writes (`ad_account_limits`): the largest budget increase one
 * change may make, the largest daily and lifetime budget, the largest sum of daily-budget
 * increases per day, and Meta's minimum budgets for the account currency (cached from
 * `act_x/minimum_budgets`). The row also carries Meta's throttle state, written by the syncs.
 */
import type Decimal from 'decimal.js';
import type { MinimumDailyBudgets } from '../../domain/change-set-plan';
import { Prisma, type Db } from './prisma-client';

/** Default of `max_budget_increase_pct` when the account has no row yet (the column default). */
export const DEFAULT_MAX_BUDGET_INCREASE_PCT = '50';

/** The caps of an account (major units; null = no cap) and its cached minimum budgets. */
export interface AccountLimits {
  maxBudgetIncreasePct: string | null;
  maxDailyBudget: string | null;
  maxLifetimeBudget: string | null;
  maxDailyIncreasePerDay: string | null;
  minimumBudgets: MinimumDailyBudgets | null;
  minimumBudgetsAt: Date | null;
  updatedAt: Date | null;
}

const dec = (value: Decimal | null): string | null => (value === null ? null : value.toString());

/** The account's limits, defaults when it has no row. */
export async function getAccountLimits(db: Db, adAccountId: string): Promise<AccountLimits> {
  const row = await db.adAccountLimit.findUnique({ where: { adAccountId } });
  if (!row) {
    return {
      maxBudgetIncreasePct: DEFAULT_MAX_BUDGET_INCREASE_PCT, maxDailyBudget: null, maxLifetimeBudget: null, maxDailyIncreasePerDay: null,
      minimumBudgets: null, minimumBudgetsAt: null, updatedAt: null,
    };
  }
  return {
    maxBudgetIncreasePct: dec(row.maxBudgetIncreasePct),
    maxDailyBudget: dec(row.maxDailyBudget),
    maxLifetimeBudget: dec(row.maxLifetimeBudget),
    maxDailyIncreasePerDay: dec(row.maxDailyIncreasePerDay),
    minimumBudgets: (row.minimumBudgets as MinimumDailyBudgets | null) ?? null,
    minimumBudgetsAt: row.minimumBudgetsAt,
    updatedAt: row.updatedAt,
  };
}

/** The caps a caller may set; undefined leaves a cap as it is, null removes it. */
export interface LimitsPatch {
  maxBudgetIncreasePct?: string | null;
  maxDailyBudget?: string | null;
  maxLifetimeBudget?: string | null;
  maxDailyIncreasePerDay?: string | null;
}

/** Sets caps of an account (creating its row when needed). */
export async function putAccountLimits(db: Db, adAccountId: string, patch: LimitsPatch): Promise<AccountLimits> {
  const data = {
    ...(patch.maxBudgetIncreasePct !== undefined ? { maxBudgetIncreasePct: patch.maxBudgetIncreasePct } : {}),
    ...(patch.maxDailyBudget !== undefined ? { maxDailyBudget: patch.maxDailyBudget } : {}),
    ...(patch.maxLifetimeBudget !== undefined ? { maxLifetimeBudget: patch.maxLifetimeBudget } : {}),
    ...(patch.maxDailyIncreasePerDay !== undefined ? { maxDailyIncreasePerDay: patch.maxDailyIncreasePerDay } : {}),
  };
  await db.adAccountLimit.upsert({ where: { adAccountId }, create: { adAccountId, ...data }, update: data });
  return getAccountLimits(db, adAccountId);
}

/** Caches Meta's minimum daily budgets of the account currency (minor units). */
export async function storeMinimumBudgets(db: Db, adAccountId: string, minimums: MinimumDailyBudgets): Promise<void> {
  const data = { minimumBudgets: minimums as unknown as Prisma.InputJsonValue, minimumBudgetsAt: new Date() };
  await db.adAccountLimit.upsert({ where: { adAccountId }, create: { adAccountId, ...data }, update: data });
}

/** Until when Meta blocks the account (null: not known to be throttled) and its API access tier, as last recorded. */
export async function getThrottleState(db: Db, adAccountId: string): Promise<{ throttledUntil: Date | null; accessTier: string | null }> {
  const row = await db.adAccountLimit.findUnique({ where: { adAccountId }, select: { throttledUntil: true, accessTier: true } });
  return { throttledUntil: row?.throttledUntil ?? null, accessTier: row?.accessTier ?? null };
}
