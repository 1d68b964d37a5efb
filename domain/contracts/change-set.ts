/**
 * Contract of `changeSetWorkflow` (`workflowIds.changeSet`): its input and result, the
 * `confirm` Update, the `cancel` signal, the vocabulary of set and item statuses, and the
 * counters its `progress` query reports. Imported by the workflow, its activities and the
 * operations layer; deterministic and free of Node, Prisma and src/ imports.
 */
import { defineSignal, defineUpdate } from '@temporalio/workflow';

/** What a change set does. */
export const ChangeSetKind = { Update: 'update', Create: 'create' } as const;
export type ChangeSetKind = (typeof ChangeSetKind)[keyof typeof ChangeSetKind];

/** Who asked, recorded as the change_history source of every applied field. */
export const ChangeSetSource = { Api: 'api', Mcp: 'mcp', Bulk: 'bulk', Rule: 'rule' } as const;
export type ChangeSetSource = (typeof ChangeSetSource)[keyof typeof ChangeSetSource];

/** Life of a change set (bulk_requests.status). */
export const ChangeSetStatus = {
  /** Previewed with violations: it can never be confirmed; preview a corrected set. */
  Blocked: 'blocked',
  Previewed: 'previewed',
  /** Confirmed; the workflow applies it. */
  Applying: 'applying',
  Completed: 'completed',
  /** Finished, some items failed or were skipped as drifted. */
  CompletedWithErrors: 'completed_with_errors',
  Canceled: 'canceled',
  /** Nobody confirmed it before `expiresAt`. */
  Expired: 'expired',
  Failed: 'failed',
} as const;
export type ChangeSetStatus = (typeof ChangeSetStatus)[keyof typeof ChangeSetStatus];

/** Outcome of one item (bulk_request_items.status). */
export const ItemStatus = {
  /** In a set not confirmed yet. */
  Planned: 'planned',
  /** Confirmed, not sent yet. */
  Pending: 'pending',
  /** Committed as being sent: a read of its live values settles it before anything is sent again. */
  InFlight: 'in_flight',
  /** Our write landed. */
  Succeeded: 'succeeded',
  /** Meta already had the planned values before we wrote anything. */
  AlreadyApplied: 'already_applied',
  /** Meta's per-object limit (ad set budget, spend cap): waits for `not_before`. */
  Deferred: 'deferred',
  Failed: 'failed',
  /** Live values were neither the planned before nor after (someone else changed it). */
  Skipped: 'skipped',
  Canceled: 'canceled',
} as const;
export type ItemStatus = (typeof ItemStatus)[keyof typeof ItemStatus];

/** Items per outcome: what the `progress` query, the activities and the views report. */
export interface ChangeSetCounts {
  planned: number;
  pending: number;
  inFlight: number;
  applied: number;
  alreadyApplied: number;
  deferred: number;
  failed: number;
  skipped: number;
  canceled: number;
}

/** Counter name of each item status. */
export const COUNT_KEY_BY_STATUS: Readonly<Record<ItemStatus, keyof ChangeSetCounts>> = {
  planned: 'planned',
  pending: 'pending',
  in_flight: 'inFlight',
  succeeded: 'applied',
  already_applied: 'alreadyApplied',
  deferred: 'deferred',
  failed: 'failed',
  skipped: 'skipped',
  canceled: 'canceled',
};

/** All-zero counts. */
export function emptyCounts(): ChangeSetCounts {
  return { planned: 0, pending: 0, inFlight: 0, applied: 0, alreadyApplied: 0, deferred: 0, failed: 0, skipped: 0, canceled: 0 };
}

/** Input of `changeSetWorkflow`: ids and the facts its Update validator checks, never items or tokens. */
export interface ChangeSetWorkflowInput {
  companyId: string;
  adAccountId: string;
  changeSetId: string;
  kind: ChangeSetKind;
  /** The plan hash a confirm must present. */
  planHash: string;
  /** ISO instant after which a confirm is refused and the set expires. */
  expiresAt: string;
  itemCount: number;
  /** Wait after a per-object Meta limit (ad set budget 4/h, spend cap 10/day). @default 3_600_000 (Meta says one hour) */
  objectLimitDeferMs?: number;
  /** Chunks one apply activity sends before it reports back (history stays small). @default 8 */
  chunksPerActivity?: number;
  /** Carried over `continueAsNew` once confirmed; callers never set it. */
  continuation?: ChangeSetContinuation;
}

/** State that survives continue-as-new (everything else lives in the database). */
export interface ChangeSetContinuation {
  confirmedBy: string;
  confirmedAt: string;
  canceled: boolean;
}

/** Arguments of the `confirm` Update. The scopes are the confirming token's, checked by the validator. */
export interface ConfirmChangeSetArgs {
  planHash: string;
  tokenId: string;
  scopes: readonly string[];
}

/** Answer of the `confirm` Update: the same for every confirm of the set. */
export interface ConfirmChangeSetResult {
  changeSetId: string;
  workflowId: string;
  runId: string;
  confirmedBy: string;
  confirmedAt: string;
}

/** ApplicationFailure types the `confirm` validator and handler reject with (mapped by the operations layer). */
export const ConfirmRejection = {
  PlanHashMismatch: 'PlanHashMismatch',
  Expired: 'ChangeSetExpired',
  MissingScope: 'MissingWriteScope',
  Canceled: 'ChangeSetCanceled',
  Conflict: 'ChangeSetConflict',
} as const;
export type ConfirmRejection = (typeof ConfirmRejection)[keyof typeof ConfirmRejection];

/** Scopes that may confirm (admin implies write). */
export const CONFIRM_SCOPES: readonly string[] = ['write', 'admin'];

export const confirmChangeSetUpdate = defineUpdate<ConfirmChangeSetResult, [ConfirmChangeSetArgs]>('confirm');
/** Items not sent yet are canceled; items in flight are settled by a read, never written again. */
export const cancelChangeSetSignal = defineSignal<[{ tokenId?: string }]>('cancel');

/** Result of `changeSetWorkflow`: counts only. */
export interface ChangeSetResult {
  changeSetId: string;
  status: ChangeSetStatus;
  counts: ChangeSetCounts;
}
