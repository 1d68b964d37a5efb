/** Contract of the company sync (`companySyncWorkflow`, id `meta-company-sync:<companyId>`). */

export type CompanySyncKind = 'full' | 'incremental' | 'metrics-daily' | 'metrics-hourly';

export interface CompanySyncInput {
  companyId: string;
  kinds: CompanySyncKind[];
  /** Accounts synced at once. @default 4 */
  maxParallel?: number;
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
