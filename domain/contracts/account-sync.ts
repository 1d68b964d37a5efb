/** What the per-account syncs (full, incremental, metrics) share: the account they run for and their result. */
import type { WorkflowKind } from '../vocabulary';

/** Every workflow carries ids only: activities load the token from the database. */
export interface AdAccountRef {
  companyId: string;
  adAccountId: string;
}

/** Small results only: counts and cursors, never rows. */
export interface SyncResult {
  adAccountId: string;
  kind: WorkflowKind;
  counts: Record<string, number>;
  apiCalls: number;
}
