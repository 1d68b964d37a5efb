/** Contract of the metrics sync (`metricsSyncWorkflow`, id `meta-metrics-sync:<adAccountId>:<grain>`); it returns a SyncResult (contracts/account-sync.ts). */
import type { EntityProgress } from '../progress';
import type { MetricLevel, MetricsGrain } from '../vocabulary';
import type { AdAccountRef } from './account-sync';
import type { DayRange } from './start-request';

/** Defaults of {@link MetricsSyncInput}'s tuning knobs. */
export const METRICS_SYNC_DEFAULTS = {
  lookbackDays: 28,
  attributionWindows: ['7d_click', '1d_view'],
  daysPerChunk: 7,
  asyncMinDays: 14,
  asyncDaysPerReport: 31,
  campaignsPerSplitJob: 50,
  reportPollInitialMs: 2_000,
  reportPollMaxMs: 30_000,
  pageSize: 1_000,
  maxParallelChunks: 2,
} as const;

/**
 * What the service's configuration decides for every metrics sync, however it is started (a
 * front, a schedule, a company sync's child): `METRICS_LOOKBACK_DAYS` and
 * `METRICS_ATTRIBUTION_WINDOWS`. Start builders require it, so no start can forget it.
 */
export interface MetricsSyncSettings {
  lookbackDays: number;
  attributionWindows: readonly string[];
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
  /**
   * Days the run covers: its plan's range and what start requests added. Absent in runs that
   * continued before start requests could add days (they cover `plan.from` → `plan.to`).
   */
  covers?: DayRange[];
}
