/**
 * Contracts shared by workflows, activities and the fronts: ids, kinds, inputs, results,
 * queries, error type names and search attribute keys. Imported by workflow code, so it must
 * stay deterministic and free of Node, Prisma and src/ imports.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery } from '@temporalio/workflow';

// ───────────── kinds, ids, search attributes ─────────────

export const WorkflowKind = {
  FullSync: 'full-sync',
  IncrementalSync: 'incremental-sync',
  MetricsSync: 'metrics-sync',
  CompanySync: 'company-sync',
  Rollup: 'rollup',
  Retention: 'retention',
  ChangeSet: 'change-set',
} as const;
export type WorkflowKind = (typeof WorkflowKind)[keyof typeof WorkflowKind];

/** Workflow type names, for starting a workflow by name (fronts) and listing by type. */
export const WorkflowType = {
  FullSync: 'fullSyncWorkflow',
  IncrementalSync: 'incrementalSyncWorkflow',
  MetricsSync: 'metricsSyncWorkflow',
  CompanySync: 'companySyncWorkflow',
  Rollup: 'rollupWorkflow',
  Retention: 'retentionWorkflow',
  ChangeSet: 'changeSetWorkflow',
} as const;
export type WorkflowType = (typeof WorkflowType)[keyof typeof WorkflowType];

/** Custom search attributes (Keyword); ids and kinds only: search attributes are never encrypted. */
export const SearchAttributes = {
  CompanyId: defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD),
  AdAccountId: defineSearchAttributeKey('AdAccountId', SearchAttributeType.KEYWORD),
  WorkflowKind: defineSearchAttributeKey('WorkflowKind', SearchAttributeType.KEYWORD),
} as const;
export const SEARCH_ATTRIBUTE_NAMES = ['CompanyId', 'AdAccountId', 'WorkflowKind'] as const;

export type MetricsGrain = 'hourly' | 'daily';
export type RollupGrain = 'daily' | 'monthly';
export type MetricLevel = 'account' | 'campaign' | 'adset' | 'ad';
export const METRIC_LEVELS: readonly MetricLevel[] = ['account', 'campaign', 'adset', 'ad'];

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
  retention: (cutoffDate: string): string => `meta-retention:${cutoffDate}`,
  changeSet: (changeSetId: string): string => `meta-change-set:${changeSetId}`,
} as const;

/** Schedule ids; each run's workflow id is the schedule id plus the action time. */
export const scheduleIds = {
  incrementalSync: (adAccountId: string): string => `meta-incremental-sync-schedule:${adAccountId}`,
  hourlyMetrics: (adAccountId: string): string => `meta-hourly-metrics-schedule:${adAccountId}`,
  dailyMetrics: (adAccountId: string): string => `meta-daily-metrics-schedule:${adAccountId}`,
  dailyRollup: 'meta-rollup-daily-schedule',
  monthlyRollup: 'meta-rollup-monthly-schedule',
  retention: 'meta-retention-schedule',
} as const;

/**
 * Names of the error classes in src/errors.ts. Activities throw those classes; the SDK turns
 * them into ApplicationFailures whose `type` is the class name, which workflows match here.
 */
export const ErrorType = {
  Validation: 'ValidationError',
  NotFound: 'NotFoundError',
  MetaAuth: 'MetaAuthError',
  MetaPermission: 'MetaPermissionError',
  MetaThrottle: 'MetaThrottleError',
  MetaObjectChangeLimit: 'MetaObjectChangeLimitError',
  MetaTransient: 'MetaTransientError',
  MetaInvalidRequest: 'MetaInvalidRequestError',
  MetaDataTooLarge: 'MetaDataTooLargeError',
  MetaAsyncJobFailed: 'MetaAsyncJobFailedError',
  TokenCrypto: 'TokenCryptoError',
  ConfirmationRequired: 'ConfirmationRequiredError',
  Conflict: 'ConflictError',
} as const;

/** Errors no retry can fix: fail the activity at once. */
export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  ErrorType.Validation,
  ErrorType.NotFound,
  ErrorType.MetaAuth,
  ErrorType.MetaPermission,
  ErrorType.MetaInvalidRequest,
  ErrorType.TokenCrypto,
  ErrorType.ConfirmationRequired,
  ErrorType.Conflict,
];

// ───────────── progress (the `progress` query every long workflow answers) ─────────────

export interface EntityProgress {
  pages: number;
  rows: number;
  /** Days finished (metrics syncs). */
  days?: number;
  /** Opaque position within the current edge, or a day for metrics. */
  cursor?: string;
  done: boolean;
}

export interface WorkflowProgress {
  kind: WorkflowKind;
  /** Short human phase, also shown in the Temporal UI's current details. */
  phase: string;
  entities: Record<string, EntityProgress>;
  /** Set while waiting out Meta's rate limit. */
  throttledUntil?: string;
  /** Workflow-specific counters (children done, windows rolled up, items applied...). */
  counters?: Record<string, number>;
  updatedAt: string;
}

export const progressQuery = defineQuery<WorkflowProgress>('progress');

// ───────────── inputs and results ─────────────

/** Every workflow carries ids only: activities load the token from the database. */
export interface AdAccountRef {
  companyId: string;
  adAccountId: string;
}

export type FullSyncInput = AdAccountRef;

export interface IncrementalSyncInput extends AdAccountRef {
  /** Re-read objects updated this long before the stored cursor. @default 300 */
  overlapSeconds?: number;
}

export interface MetricsSyncInput extends AdAccountRef {
  grain: MetricsGrain;
  /** First local day (YYYY-MM-DD). @default today minus lookbackDays */
  from?: string;
  /** Last local day (YYYY-MM-DD). @default today in the account's time zone */
  to?: string;
  /** Days re-read every run because Meta keeps revising them. @default 28 */
  lookbackDays?: number;
  /** @default ['7d_click', '1d_view'] (Ads Manager's default) */
  attributionWindows?: string[];
  /** Insights levels read. @default ['account', 'campaign', 'adset', 'ad'] */
  levels?: MetricLevel[];
  /** Days per synchronous read at daily grain (hourly always reads one day per request). @default 7 */
  daysPerChunk?: number;
  /** A run of at least this many consecutive unfinished days (daily grain) uses async report runs. @default 14 */
  asyncMinDays?: number;
  /** Days per async report run. @default 31 */
  asyncDaysPerReport?: number;
  /** Campaign ids per report job when a failed or skipped report is split. @default 50 */
  campaignsPerSplitJob?: number;
  /** First and longest wait between polls of async reports (durable timers), ms. @default 2000 / 30000 */
  reportPollInitialMs?: number;
  reportPollMaxMs?: number;
  /** Rows asked per insights page. @default 1000 */
  pageSize?: number;
  /** Chunks of days read at once. @default 2 */
  maxParallelChunks?: number;
  /** Also read Meta's monthly rows (reach, frequency) for the months touched (daily grain only). @default false */
  monthlyReach?: boolean;
  /** Carried over `continueAsNew`; callers never set it. */
  continuation?: MetricsSyncContinuation;
}

/** What a metrics sync run decided before reading (an activity result, so replay-safe). */
export interface MetricsSyncPlan {
  syncRunId: string;
  /** The first run's id: the sync_runs row and checkpoints stay keyed by it across continue-as-new. */
  runId: string;
  timezone: string;
  /** Account-local today when the run was planned. */
  today: string;
  from: string;
  to: string;
  /** First day of the lookback window (always re-read). */
  lookbackFrom: string;
  /** Contiguous unfinished day ranges to read, oldest first ([since, until], inclusive). */
  ranges: Array<[string, string]>;
  pendingDays: number;
  /** Days in [from, to] already checkpointed and outside the lookback window. */
  skippedDays: number;
}

export interface MetricsSyncContinuation {
  plan: MetricsSyncPlan;
  /** Day ranges not started yet. */
  remaining: Array<[string, string]>;
  counts: Record<string, number>;
  levels: Record<string, EntityProgress>;
}

export interface CompanySyncInput {
  companyId: string;
  kinds: Array<'full' | 'incremental' | 'metrics-daily' | 'metrics-hourly'>;
  /** Accounts synced at once. @default 4 */
  maxParallel?: number;
}

export interface RollupInput {
  grain: RollupGrain;
  /** Explicit window (local dates, inclusive). Without it the window comes from TemporalScheduledStartTime. */
  from?: string;
  to?: string;
  adAccountIds?: string[];
}

export interface RetentionInput {
  /** Hourly rows older than this many days are deleted once daily rows cover them. @default 7 */
  hourlyRetentionDays?: number;
  /** Reference instant; without it the schedule's TemporalScheduledStartTime. */
  asOf?: string;
}

export interface RetentionResult {
  cutoffDate: string;
  deletedHourlyRows: number;
  deletedHourlyActionRows: number;
  keptUncoveredDays: number;
}

/** Small results only: counts and cursors, never rows. */
export interface SyncResult {
  adAccountId: string;
  kind: WorkflowKind;
  counts: Record<string, number>;
  apiCalls: number;
}
