import { MetaAuthError, MetaThrottleError, NotFoundError, ValidationError } from '../src/errors';
import type { MetaClient, MetaUsage } from '../src/meta';
import {
  loadAdAccountAccess, markAdAccountNeedsReauth, markAdAccountThrottled, saveAdAccountAccessTier, type AdAccountFacts,
} from '../src/db/ad-account-repository';
import { insertRateLimitSnapshot } from '../src/db/rate-limit-snapshot-repository';
import type { ActivityDeps } from './activity-deps';

/** The ad account facts an activity needs; the token is not among them (it stays inside the client). */
export type OpenedAdAccount = AdAccountFacts;

/** Rate-limit snapshots are sampled: at most one per account per this interval unless usage is high. */
const USAGE_SNAPSHOT_INTERVAL_MS = 30_000;
/** When usage is at or above the throttle threshold, snapshots are kept at most this often. */
const HIGH_USAGE_SNAPSHOT_INTERVAL_MS = 1_000;

const lastSnapshotAt = new Map<string, number>();

/**
 * Loads an ad account and builds a Meta client with its decrypted token. The token never leaves
 * this process: it is neither returned nor logged. Refuses accounts that need re-authorisation,
 * and, without calling Meta, accounts Meta is known to block right now (`throttled_until`).
 */
export async function openAdAccount(deps: ActivityDeps, adAccountId: string): Promise<{ account: OpenedAdAccount; client: MetaClient }> {
  const row = await loadAdAccountAccess(deps.db, adAccountId);
  if (!row) throw new NotFoundError('Ad account', adAccountId);
  if (row.disconnectedAt) throw new ValidationError(`Ad account ${adAccountId} is disconnected; connect it again to sync it`);
  if (row.tokenStatus === 'needs_reauth') {
    // Same class as Meta's own 190 so workflows treat it the same way: fail fast, never retry.
    throw new MetaAuthError(`Ad account ${adAccountId} needs re-authorisation: its Meta access token was rejected earlier`, { adAccountId });
  }
  const until = row.throttledUntil?.getTime() ?? 0;
  const remaining = until - Date.now();
  if (remaining > 0) {
    throw new MetaThrottleError(`Meta is throttling ad account ${adAccountId}; retry in ${Math.ceil(remaining / 1000)} s`, {
      adAccountId,
      retryAfterMs: remaining,
    });
  }
  const accessToken = deps.tokenCipher.decrypt({ ciphertext: row.encryptedAccessToken, keyId: row.tokenKeyId });
  const client = deps.createMetaClient(accessToken, {
    adAccountId,
    onUsage: (usage) => void recordUsage(deps, adAccountId, usage).catch(() => undefined),
  });
  return {
    account: { id: row.id, companyId: row.companyId, currency: row.currency, timezoneName: row.timezoneName, businessId: row.businessId },
    client,
  };
}

/**
 * Stores a `rate_limit_snapshots` row, sampled: at most one per account per 30 s, or one per
 * second while usage is at or above `config.meta.usageThrottlePct` or Meta announced a block.
 * Returns whether a row was written.
 */
export async function recordUsage(deps: ActivityDeps, adAccountId: string, usage: MetaUsage, now = Date.now()): Promise<boolean> {
  const high = usage.maxPct >= deps.config.meta.usageThrottlePct || (usage.regainAfterMs ?? 0) > 0;
  const last = lastSnapshotAt.get(adAccountId) ?? 0;
  if (now - last < (high ? HIGH_USAGE_SNAPSHOT_INTERVAL_MS : USAGE_SNAPSHOT_INTERVAL_MS)) return false;
  if (!usage.appUsage && !usage.adAccountUsage && !usage.businessUseCase && !usage.insightsThrottle) return false;
  lastSnapshotAt.set(adAccountId, now);
  await insertRateLimitSnapshot(deps.db, {
    adAccountId,
    observedAt: new Date(now),
    appUsage: (usage.appUsage ?? undefined) as object | undefined,
    adAccountUsage: (usage.adAccountUsage ?? undefined) as object | undefined,
    businessUseCaseUsage: (usage.businessUseCase ?? undefined) as object[] | undefined,
    insightsThrottle: (usage.insightsThrottle ?? undefined) as object | undefined,
    maxUsagePct: Math.min(9999, usage.maxPct),
    estimatedRegainSeconds: usage.regainAfterMs ? Math.ceil(usage.regainAfterMs / 1000) : null,
  });
  if (usage.accessTier) await saveAdAccountAccessTier(deps.db, { adAccountId, accessTier: usage.accessTier });
  return true;
}

/** Marks the account's token as rejected, with Meta's reason (no token in it). */
export async function markNeedsReauth(deps: ActivityDeps, adAccountId: string, reason: string): Promise<void> {
  await markAdAccountNeedsReauth(deps.db, { adAccountId, reason });
}

/** Records until when Meta blocks the account, so other activities stop before calling. */
export async function markThrottled(deps: ActivityDeps, adAccountId: string, retryAfterMs: number): Promise<void> {
  await markAdAccountThrottled(deps.db, { adAccountId, throttledUntil: new Date(Date.now() + retryAfterMs) });
}
