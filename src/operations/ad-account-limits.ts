/**
 * The guard rails of an ad account's writes: read by anyone with `read`, changed only with
 * `admin` (a token that may write must not be able to lift its own caps). Every change set
 * preview checks them.
 */
import type { z } from 'zod';
import type { MinorOffset } from '../../domain/minor-units';
import { formatMinor, majorToMinor } from '../../domain/minor-units';
import { getAccountLimits, putAccountLimits, type AccountLimits } from '../db/ad-account-limits-repository';
import { ValidationError } from '../errors';
import { currencyOffset } from '../meta/money';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { limitsRefInput, limitsView, putLimitsInput } from './schemas/ad-account-limits';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type LimitsView = z.infer<typeof limitsView>;

function toView(adAccountId: string, currency: string | null, limits: AccountLimits): LimitsView {
  const offset = (currency ? currencyOffset(currency) : 100) as MinorOffset;
  const m = limits.minimumBudgets;
  const trim = (v: string | null): string | null => (v === null ? null : v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
  return {
    adAccountId,
    currency,
    maxBudgetIncreasePct: trim(limits.maxBudgetIncreasePct),
    maxDailyBudget: trim(limits.maxDailyBudget),
    maxLifetimeBudget: trim(limits.maxLifetimeBudget),
    maxDailyIncreasePerDay: trim(limits.maxDailyIncreasePerDay),
    minimumDailyBudgets: m
      ? { imp: formatMinor(m.imp, offset), videoViews: formatMinor(m.videoViews, offset), highFreq: formatMinor(m.highFreq, offset), lowFreq: formatMinor(m.lowFreq, offset) }
      : null,
    updatedAt: limits.updatedAt?.toISOString() ?? null,
  };
}

/** The caps of an ad account of the actor's company (`read` scope). */
export async function getLimits(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<LimitsView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(limitsRefInput, raw);
  const account = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  return toView(account.id, account.currency, await getAccountLimits(ctx.db, account.id));
}

/** Sets caps of an ad account (`admin` scope); null removes a cap, an absent field keeps it. */
export async function putLimits(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<LimitsView> {
  requireScope(actor, Scope.Admin);
  const input = parseInput(putLimitsInput, raw);
  const account = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const offset = (account.currency ? currencyOffset(account.currency) : 100) as MinorOffset;
  for (const field of ['maxDailyBudget', 'maxLifetimeBudget', 'maxDailyIncreasePerDay'] as const) {
    const value = input[field];
    if (value !== undefined && value !== null && majorToMinor(value, offset) === null) {
      throw new ValidationError(`${field}: ${value} has more decimals than ${account.currency ?? 'the currency'} has`, { field });
    }
  }
  if (input.maxBudgetIncreasePct !== undefined && input.maxBudgetIncreasePct !== null && Number(input.maxBudgetIncreasePct) <= 0) {
    throw new ValidationError('maxBudgetIncreasePct must be above 0 (null removes the cap)', { field: 'maxBudgetIncreasePct' });
  }
  const limits = await putAccountLimits(ctx.db, account.id, {
    maxBudgetIncreasePct: input.maxBudgetIncreasePct,
    maxDailyBudget: input.maxDailyBudget,
    maxLifetimeBudget: input.maxLifetimeBudget,
    maxDailyIncreasePerDay: input.maxDailyIncreasePerDay,
  });
  await recordAudit(ctx, actor, {
    action: 'ad_account.limits.put',
    targetType: 'ad_account',
    targetId: account.id,
    details: { ...input, adAccountId: undefined },
    requestId: meta.requestId,
  });
  return toView(account.id, account.currency, limits);
}
