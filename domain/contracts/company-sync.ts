/** Contract of the company sync (`companySyncWorkflow`, id `meta-company-sync:<companyId>`). */
import type { MetricsSyncSettings } from './metrics-sync';

export const COMPANY_SYNC_KINDS = ['full', 'incremental', 'metrics-daily', 'metrics-hourly'] as const;
export type CompanySyncKind = (typeof COMPANY_SYNC_KINDS)[number];

export interface CompanySyncInput {
  companyId: string;
  kinds: CompanySyncKind[];
  /** Accounts synced at once. @default 4 */
  maxParallel?: number;
  /**
   * Lookback and attribution windows of the metrics children (from the config, via the start
   * builder). Absent only in runs started before it existed: their children use the metrics
   * sync's built-in defaults, as they always did.
   */
  metrics?: MetricsSyncSettings;
}

/** One child's outcome: ids and status only. */
export interface CompanySyncOutcome {
  adAccountId: string;
  kind: CompanySyncKind;
  workflowId: string;
  /** already-running: a sync with the same id (e.g. from a schedule) was running; it was left alone. */
  status: 'completed' | 'failed' | 'already-running';
  /** Error type name when failed (e.g. MetaAuthError). */
  errorType?: string;
}

export interface CompanySyncResult {
  companyId: string;
  outcomes: CompanySyncOutcome[];
}
