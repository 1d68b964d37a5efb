/** An ad account's rate-limit state: the latest usage Meta reported per header, and whether Meta blocks it now. */
import type { z } from 'zod';
import { getThrottleState } from '../db/ad-account-limits-repository';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { latestUsageOf } from '../db/rate-limit-snapshot-repository';
import { requireScope, Scope, type Actor } from './actor';
import { adAccountRefInput, rateLimitStateView } from './schemas/account-history';
import type { ServiceContext } from './service-context';
import { iso } from './synced-reads';
import { parseInput } from './validation';

export type RateLimitStateView = z.infer<typeof rateLimitStateView>;

/** The rate-limit state of one of the company's ad accounts (`read`). */
export async function getRateLimitState(ctx: ServiceContext, actor: Actor, raw: unknown, now: Date = new Date()): Promise<RateLimitStateView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(adAccountRefInput, raw);
  const account = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const [throttle, usage] = await Promise.all([getThrottleState(ctx.db, account.id), latestUsageOf(ctx.db, account.id)]);
  const header = (entry: { value: unknown; observedAt: Date } | null) => (entry ? { value: entry.value ?? null, observedAt: entry.observedAt.toISOString() } : null);
  return {
    adAccountId: account.id,
    throttled: throttle.throttledUntil !== null && throttle.throttledUntil.getTime() > now.getTime(),
    throttledUntil: iso(throttle.throttledUntil),
    accessTier: throttle.accessTier,
    lastObservedAt: iso(usage.latest?.observedAt ?? null),
    maxUsagePct: usage.latest?.maxUsagePct ?? null,
    estimatedRegainSeconds: usage.latest?.estimatedRegainSeconds ?? null,
    headers: {
      appUsage: header(usage.headers.appUsage),
      adAccountUsage: header(usage.headers.adAccountUsage),
      businessUseCaseUsage: header(usage.headers.businessUseCaseUsage),
      insightsThrottle: header(usage.headers.insightsThrottle),
    },
  };
}
