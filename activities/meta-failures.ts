import { ApplicationFailure } from '@temporalio/activity';
import { AppError, MetaAuthError, MetaThrottleError } from '../src/errors';
import { DEFAULT_THROTTLE_BACKOFF_MS, type MetaClient } from '../src/meta';
import type { ActivityDeps } from './activity-deps';
import { markNeedsReauth, markThrottled } from './meta-access';

/** Wait used when Meta throttles without saying for how long. */
const DEFAULT_THROTTLE_DELAY_MS = DEFAULT_THROTTLE_BACKOFF_MS;

/**
 * Turns an error from Meta (or from our own checks) into the ApplicationFailure Temporal should
 * see: throttles are retryable with `nextRetryDelay` = Meta's estimate; auth, permission and
 * invalid requests are non-retryable; transient failures keep the activity's default back-off.
 * Errors that are not ours (database, bugs) are returned unchanged (retryable by default).
 */
function toActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof MetaThrottleError) {
    const delay = error.retryAfterMs > 0 ? error.retryAfterMs : DEFAULT_THROTTLE_DELAY_MS;
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nextRetryDelay: delay,
      nonRetryable: false,
      details: [{ code: error.code, adAccountId: error.meta.adAccountId, retryAfterMs: delay }],
    });
  }
  if (error instanceof AppError) {
    const details = [{ code: error.code, ...(error.details ?? {}) }];
    return error.retryable
      ? ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: false, details })
      : ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true, details });
  }
  return error;
}

/**
 * Runs the Meta-calling body of an activity and applies the account side effects of its failure
 * before rethrowing it as {@link toActivityFailure}: a throttle records
 * `ad_account_limits.throttled_until` (so other activities of the account stop before calling),
 * an auth failure marks the account `needs_reauth` and names it in the message.
 */
export async function runMetaActivity<T>(deps: ActivityDeps, adAccountId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof MetaThrottleError) {
      await markThrottled(deps, adAccountId, error.retryAfterMs > 0 ? error.retryAfterMs : DEFAULT_THROTTLE_DELAY_MS).catch(() => undefined);
    } else if (error instanceof MetaAuthError) {
      await markNeedsReauth(deps, adAccountId, error.message).catch(() => undefined);
      if (!error.message.includes(adAccountId)) {
        throw toActivityFailure(new MetaAuthError(`Ad account ${adAccountId} needs re-authorisation: ${error.message}`, { ...error.meta, adAccountId }));
      }
    }
    throw toActivityFailure(error);
  }
}

/**
 * Stops BEFORE Meta blocks: when the last response put the account's usage at or above
 * `config.meta.usageThrottlePct` (or Meta announced a wait), throws a retryable throttle error
 * whose delay is Meta's estimate. Call it after each page has been written and heartbeated.
 */
export function assertUsageBelowThreshold(client: MetaClient, adAccountId: string): void {
  if (!client.shouldPause(adAccountId)) return;
  const usage = client.usageFor(adAccountId);
  const retryAfterMs = client.suggestedPauseMs(adAccountId) || DEFAULT_THROTTLE_DELAY_MS;
  throw new MetaThrottleError(
    `Meta usage for ad account ${adAccountId} reached ${usage?.maxPct ?? '?'}% (threshold ${client.usageThrottlePct}%); pausing ${Math.ceil(retryAfterMs / 1000)} s before Meta blocks it`,
    { adAccountId, retryAfterMs },
  );
}
