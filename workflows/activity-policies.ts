import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../domain/error-types';

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

/** Database-only steps (sync run rows, soft deletes, cursors): short, retried with back-off. */
export const DATABASE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};
