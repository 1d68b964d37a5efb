import type { MetricsGrain, RollupGrain } from './vocabulary';

/**
 * Deterministic workflow ids: a repeated request with WorkflowIdConflictPolicy.USE_EXISTING
 * attaches to the running job instead of starting a second one.
 */
export const workflowIds = {
  fullSync: (adAccountId: string): string => `meta-full-sync:${adAccountId}`,
  incrementalSync: (adAccountId: string): string => `meta-incremental-sync:${adAccountId}`,
  metricsSync: (adAccountId: string, grain: MetricsGrain): string => `meta-metrics-sync:${adAccountId}:${grain}`,
  companySync: (companyId: string): string => `meta-company-sync:${companyId}`,
  rollup: (grain: RollupGrain, windowStart: string): string => `meta-rollup:${grain}:${windowStart}`,
  /** A rollup a company asked for over an explicit window; the scope (an ad account or the company) keeps tenants apart. */
  rollupBackfill: (grain: RollupGrain, from: string, to: string, scope: string): string => `meta-rollup:${grain}:${from}..${to}:${scope}`,
  retention: (cutoffDate: string): string => `meta-retention:${cutoffDate}`,
  /** One run per change set; every confirm attaches to it. */
  changeSet: (changeSetId: string): string => `meta-change-set:${changeSetId}`,
  /** Prefixes of scheduled runs: the schedule appends each run's action time. */
  scheduledRollup: (grain: RollupGrain): string => `meta-rollup:${grain}`,
  scheduledRetention: (): string => 'meta-retention',
  scheduledTokenCheck: (): string => 'meta-token-check',
  /** One evaluation of a rule at an instant (run by hand): a repeated request for the same instant attaches. */
  ruleEvaluation: (ruleId: string, asOf: string): string => `meta-rule:${ruleId}:${asOf}`,
  /** Prefix of a rule's scheduled evaluations: the schedule appends each tick's time. */
  scheduledRuleEvaluation: (ruleId: string): string => `meta-rule:${ruleId}`,
  /** One run per lead Meta notified us of: a redelivered notification starts nothing new. */
  lead: (leadgenId: string): string => `meta-lead:${leadgenId}`,
  ruleBacktest: (ruleId: string, backtestId: string): string => `meta-rule-backtest:${ruleId}:${backtestId}`,
  /** One run per customer-list upload. */
  audienceUpload: (uploadId: string): string => `meta-audience-upload:${uploadId}`,
} as const;

/** Schedule ids; each run's workflow id is the schedule id plus the action time. */
export const scheduleIds = {
  incrementalSync: (adAccountId: string): string => `meta-incremental-sync-schedule:${adAccountId}`,
  hourlyMetrics: (adAccountId: string): string => `meta-hourly-metrics-schedule:${adAccountId}`,
  dailyMetrics: (adAccountId: string): string => `meta-daily-metrics-schedule:${adAccountId}`,
  dailyRollup: 'meta-rollup-daily-schedule',
  monthlyRollup: 'meta-rollup-monthly-schedule',
  retention: 'meta-retention-schedule',
  tokenCheck: 'meta-token-check-schedule',
  /** One schedule per enabled rule, ticking in the ad account's time zone. */
  rule: (ruleId: string): string => `meta-rule-schedule:${ruleId}`,
} as const;
