/**
 * Contract of the token check (`tokenCheckWorkflow`): Meta's debug_token for every stored token,
 * batch by batch. Only account ids and counts cross the workflow boundary: tokens are decrypted
 * inside the activity and never enter inputs, results or history.
 */

export interface TokenCheckInput {
  /** Reference instant expiry is measured from; without it the schedule's TemporalScheduledStartTime. */
  asOf?: string;
  /** Accounts per activity. @default 50 */
  batchSize?: number;
}

export interface TokenCheckBatchResult {
  checked: number;
  /** Tokens Meta says are invalid (expired, revoked): their accounts now need re-authorisation. */
  invalid: number;
  /** Tokens that lost a required scope: their accounts now need re-authorisation. */
  scopeWithdrawn: number;
  /** Valid tokens within the warning window of expiry. */
  expiring: number;
  /** Accounts debug_token could not answer for this time (kept as they were). */
  unanswered: number;
}

export interface TokenCheckResult extends TokenCheckBatchResult {
  asOf: string;
  batches: number;
}
