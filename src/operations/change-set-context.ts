/**
 * What a change-set preview plans against besides the objects: the ad account (tenancy, currency,
 * time zone), its caps in minor units, the daily-budget increases already confirmed today, and
 * Meta's minimum budgets for the currency. The minimums are read once from `act_x/minimum_budgets`
 * (a GET; nothing is written to Meta) and cached in ad_account_limits for a day.
 */
import Decimal from 'decimal.js';
import type { MinimumDailyBudgets, PlanLimits } from '../../domain/change-set-plan';
import type { MinorOffset } from '../../domain/minor-units';
import { getAccountLimits, storeMinimumBudgets, type AccountLimits } from '../db/ad-account-limits-repository';
import { loadAdAccountAccess } from '../db/ad-account-repository';
import { confirmedDailyIncreaseToday } from '../db/change-set-repository';
import { ConflictError } from '../errors';
import { currencyOffset } from '../meta/money';
import { requireConnected } from './ad-accounts';
import type { Actor } from './actor';
import type { ServiceContext } from './service-context';
import { metaClientFor, tokenCipherOf } from './service-deps';

/** Cached minimum budgets are read again after this long. */
const MINIMUM_BUDGETS_MAX_AGE_MS = 24 * 60 * 60_000;

/** An ad account of the actor's company, ready to plan against. */
export interface PlanningAccount {
  id: string;
  companyId: string;
  name: string | null;
  currency: string;
  offset: MinorOffset;
  timezoneName: string;
}

/** Loads the account (404 for another company's), refusing one that is disconnected or was never read. */
export async function loadPlanningAccount(ctx: ServiceContext, actor: Actor, adAccountId: string): Promise<PlanningAccount> {
  const row = await requireConnected(ctx, actor, adAccountId);
  if (!row.currency) throw new ConflictError(`Ad account ${adAccountId} has not been synced yet (its currency is unknown): run a sync first`);
  return { id: row.id, companyId: row.companyId, name: row.name, currency: row.currency, offset: currencyOffset(row.currency) as MinorOffset, timezoneName: row.timezoneName ?? 'UTC' };
}

/** Caps of the account in minor units (a cap with finer precision than the currency is rounded down). */
export function limitsInMinor(limits: AccountLimits, offset: MinorOffset): PlanLimits {
  const minor = (major: string | null): string | null => (major === null ? null : new Decimal(major).times(offset).floor().toFixed(0));
  return {
    maxBudgetIncreasePct: limits.maxBudgetIncreasePct === null ? null : new Decimal(limits.maxBudgetIncreasePct).toString(),
    maxDailyBudget: minor(limits.maxDailyBudget),
    maxLifetimeBudget: minor(limits.maxLifetimeBudget),
    maxDailyIncreasePerDay: minor(limits.maxDailyIncreasePerDay),
  };
}

/** Everything but the objects: caps, minimums, today's confirmed increases, and warnings for the answer. */
export async function planningInputs(ctx: ServiceContext, account: PlanningAccount): Promise<{
  limits: PlanLimits;
  minimumBudgets: MinimumDailyBudgets | null;
  dailyIncreaseSoFar: string;
  warnings: string[];
}> {
  const [stored, dailyIncreaseSoFar] = await Promise.all([getAccountLimits(ctx.db, account.id), confirmedDailyIncreaseToday(ctx.db, account.id, account.timezoneName)]);
  const warnings: string[] = [];
  let minimumBudgets = stored.minimumBudgets;
  if (!minimumBudgets || !stored.minimumBudgetsAt || Date.now() - stored.minimumBudgetsAt.getTime() > MINIMUM_BUDGETS_MAX_AGE_MS) {
    const fetched = await fetchMinimumBudgets(ctx, account).catch(() => null);
    if (fetched) {
      minimumBudgets = fetched;
      await storeMinimumBudgets(ctx.db, account.id, fetched).catch(() => undefined);
    } else if (!minimumBudgets) {
      warnings.push("Meta's minimum budgets could not be read now, so they were not checked here; Meta still refuses a budget below its minimum");
    }
  }
  return { limits: limitsInMinor(stored, account.offset), minimumBudgets, dailyIncreaseSoFar, warnings };
}

interface MinimumBudgetRow {
  currency?: string;
  min_daily_budget_imp?: number | string;
  min_daily_budget_video_views?: number | string;
  min_daily_budget_high_freq?: number | string;
  min_daily_budget_low_freq?: number | string;
}

/** One GET of `act_x/minimum_budgets` with the account's token; the row of the account currency. */
async function fetchMinimumBudgets(ctx: ServiceContext, account: PlanningAccount): Promise<MinimumDailyBudgets | null> {
  const row = await loadAdAccountAccess(ctx.db, account.id);
  if (!row?.encryptedAccessToken) return null;
  const client = metaClientFor(ctx, tokenCipherOf(ctx).decrypt({ ciphertext: row.encryptedAccessToken, keyId: row.tokenKeyId }));
  if (!client.getEdgePage) return null;
  const page = await client.getEdgePage<MinimumBudgetRow>({
    path: `${account.id}/minimum_budgets`,
    fields: ['currency', 'min_daily_budget_imp', 'min_daily_budget_video_views', 'min_daily_budget_high_freq', 'min_daily_budget_low_freq'],
    limit: 500,
  });
  const mine = page.data.find((r) => r.currency === account.currency);
  if (!mine) return null;
  const int = (v: number | string | undefined): string | null => (v !== undefined && /^\d+$/.test(String(v)) ? String(v) : null);
  const imp = int(mine.min_daily_budget_imp);
  if (imp === null) return null;
  return {
    imp,
    videoViews: int(mine.min_daily_budget_video_views) ?? imp,
    highFreq: int(mine.min_daily_budget_high_freq) ?? imp,
    lowFreq: int(mine.min_daily_budget_low_freq) ?? imp,
  };
}
