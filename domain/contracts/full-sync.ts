/** Contract of the full sync (`fullSyncWorkflow`, id `meta-full-sync:<adAccountId>`); it returns a SyncResult (contracts/account-sync.ts). */
import type { EntityProgress } from '../progress';
import type { AdAccountRef } from './account-sync';

export type FullSyncInput = AdAccountRef;

/** State carried across continue-as-new: what is done and what was counted. Small by construction. */
export interface FullSyncCarry {
  syncStartedAt: string;
  accountDone: boolean;
  entities: Record<string, EntityProgress>;
  counters: Record<string, number>;
}

export interface FullSyncWorkflowInput extends FullSyncInput {
  /** Set by the workflow itself when it continues as new. */
  carry?: FullSyncCarry;
}
