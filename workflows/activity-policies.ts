import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../domain/error-types';

/**
 * Every workflow's activity options, by the kind of work the activity does. Non-retryable error
 * types (auth, invalid request, validation...) fail at once everywhere; everything else retries
 * with back-off, unlimited in attempts, bounded by the timeouts below.
 */

/**
 * Reads from Meta: heartbeats carry the page cursor (a retry resumes at the last written page);
 * throttles come back with Meta's own wait as `nextRetryDelay`; attempts are unlimited for
 * retryable types, so a throttled account never restarts from scratch, while auth and invalid
 * requests fail at once.
 */
export const META_READ_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** Database-only steps (sync run rows, soft deletes, cursors, account lists): short, retried with back-off. */
export const DATABASE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** The metrics sync's short calls: plan, report start and poll, campaign list, checkpoint, finish. */
export const INSIGHTS_CONTROL_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * Insights page reads. Heartbeats carry the cursor, so a retry resumes at the last written page;
 * throttles come back with Meta's own wait as `nextRetryDelay`; attempts are unlimited because a
 * throttled account must never restart the sync from scratch. On cancellation the workflow waits
 * until the read has stopped (it sees the cancel at its next heartbeat), so the run is recorded
 * as cancelled only after its last write.
 */
export const INSIGHTS_READ_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * A change set's chunks sent to Meta. Unlimited attempts for retryable failures: throttles come
 * back with Meta's own wait as `nextRetryDelay`, and a retried attempt settles what the last one
 * left in flight by reading it first, so nothing is written twice. A stopping worker ends the
 * attempt between steps (retried at once elsewhere); the heartbeat timeout, only for a worker that
 * died, is longer than any one step (a Graph request times out after 60 s), so an attempt that
 * is merely slow is never run twice at the same time.
 */
export const CHANGE_SET_APPLY_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '3 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** One set-based rollup statement per level and table: long, idempotent, retried gently. */
export const ROLLUP_SQL_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5s', maximumInterval: '2m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** The retention delete of hourly rows that daily rows cover: idempotent, retried gently. */
export const RETENTION_SQL_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5s', maximumInterval: '2m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * One batch of debug_token reads and the rows they update: short, idempotent (a retry reads the
 * same tokens again), retried with back-off. A token Meta does not answer for is counted as
 * unanswered by the activity and asked about again the next day, so one account never fails the batch.
 */
export const TOKEN_CHECK_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** A rule's evaluation step, settling and similar short statements: retried with back-off. */
export const RULE_SQL_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * A rule's webhook POST: retried durably (about 12 hours of attempts, backing off to 30 minutes)
 * because the receiver may be down; a refusal (4xx) is final.
 */
export const RULE_WEBHOOK_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '12 hours',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES, 'WebhookRejected'] },
};

/** A backtest: one statement per tick, heartbeating per tick; a retry runs it again. */
export const RULE_BACKTEST_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * A webhook lead's read: a single Graph GET and one upsert, retried quickly at first (a lead is
 * wanted within seconds) and then with back-off for a day, so a Meta outage delays the lead
 * rather than losing it; auth and invalid requests fail at once.
 */
export const LEAD_READ_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * A customer-list upload's batches sent to Meta. The heartbeat carries the next batch index, so
 * a retried attempt resumes there; a batch resent after a lost answer carries the same session
 * fields and Meta counts it once. The heartbeat timeout outlasts one Graph call (60 s at most).
 */
export const AUDIENCE_UPLOAD_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};
