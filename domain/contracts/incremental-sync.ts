/** Contract of the incremental sync (`incrementalSyncWorkflow`, id `meta-incremental-sync:<adAccountId>`); it returns a SyncResult (contracts/account-sync.ts). */
import type { AdAccountRef } from './account-sync';

export interface IncrementalSyncInput extends AdAccountRef {
  /** Re-read objects updated this long before the stored cursor. @default 300 */
  overlapSeconds?: number;
}
