/**
 * Contract of a start request sent to a running sync (Update-With-Start, USE_EXISTING): the
 * request either starts the run or reaches the one already running, which answers whether the
 * request attached and what the run will cover, after taking on whatever the request asked for
 * beyond it (more days, a longer overlap). Nothing is silently dropped: a run that can no longer
 * take work on refuses with {@link StartRequestRejection.Closing} and the caller starts anew.
 */
import { defineUpdate } from '@temporalio/workflow';
import { addDays } from '../calendar';
import type { MetricsGrain } from '../vocabulary';
import type { CompanySyncKind } from './company-sync';

/** The update every sync workflow answers; the name is shared, the arguments are per workflow. */
export const START_REQUEST_UPDATE = 'startRequest';

/** Inclusive account-local days (YYYY-MM-DD). */
export interface DayRange {
  from: string;
  to: string;
}

/** What a request asks of a run beyond its workflow id: per kind. */
export type StartRequestAsk =
  | { kind: 'full' }
  | { kind: 'incremental'; overlapSeconds?: number }
  | { kind: 'metrics'; from?: string; to?: string }
  /** A company sync request: these kinds for every connected account, this many accounts at once (at least). */
  | { kind: 'company'; kinds: CompanySyncKind[]; maxParallel?: number };

export interface StartRequest<Ask extends StartRequestAsk = StartRequestAsk> {
  /**
   * Random id of this request, also in the memo of the run it would start (`startRequestId`):
   * the run tells the request it started from one that attached.
   */
  requestId: string;
  ask: Ask;
}

/** What the run will cover once it is done (the request's part included). */
export type StartCoverage =
  | { kind: 'full'; summary: string }
  | { kind: 'incremental'; summary: string; overlapSeconds: number; followUp: boolean }
  | { kind: 'metrics'; summary: string; grain: MetricsGrain; days: DayRange[] }
  | {
      kind: 'company';
      summary: string;
      /** Every kind the run syncs for each of `accounts`, in order. */
      kinds: CompanySyncKind[];
      /** The connected accounts that get every one of `kinds` (an account stopped by a failure is left out). */
      accounts: string[];
      maxParallel: number;
    };

/** What a run of the kind `ask` asks for answers it covers. */
export type CoverageOf<Ask extends StartRequestAsk> = Extract<StartCoverage, { kind: Ask['kind'] }>;
/** Asks of the per-account syncs (full, incremental, metrics). */
export type AccountSyncAsk = Exclude<StartRequestAsk, { kind: 'company' }>;
export type CompanySyncAsk = Extract<StartRequestAsk, { kind: 'company' }>;

export interface StartRequestAnswer {
  /** True when the request reached a run that was already running (false: it started this one). */
  attached: boolean;
  covers: StartCoverage;
}

/** ApplicationFailure types a run's start-request validator refuses with. */
export const StartRequestRejection = {
  /** The run is finishing and can take no more work: start again once it has closed. */
  Closing: 'StartRequestClosing',
  /** The request does not fit this run (another kind, a bad day). */
  Invalid: 'StartRequestInvalid',
} as const;
export type StartRequestRejection = (typeof StartRequestRejection)[keyof typeof StartRequestRejection];

/** Memo key holding the id of the request that started a run. */
export const START_REQUEST_MEMO_KEY = 'startRequestId';

export const startRequestUpdate = defineUpdate<StartRequestAnswer, [StartRequest]>(START_REQUEST_UPDATE);

/** The memo a run's first request id is read from (ids only). */
export function startedByRequest(memo: Record<string, unknown> | undefined, requestId: string): boolean {
  return typeof memo?.[START_REQUEST_MEMO_KEY] === 'string' && memo[START_REQUEST_MEMO_KEY] === requestId;
}

/** Merges day ranges into sorted ranges that neither overlap nor touch. */
export function mergeDayRanges(ranges: readonly DayRange[]): DayRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: DayRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && addDays(last.to, 1) >= r.from) {
      if (r.to > last.to) last.to = r.to;
    } else {
      merged.push({ ...r });
    }
  }
  return merged;
}

/** Days of `want` that `have` does not cover, as ranges, oldest first. */
export function missingDayRanges(want: DayRange, have: readonly DayRange[]): DayRange[] {
  const missing: DayRange[] = [];
  let cursor = want.from;
  for (const h of mergeDayRanges(have)) {
    if (h.to < cursor) continue;
    if (h.from > want.to) break;
    if (h.from > cursor) missing.push({ from: cursor, to: addDays(h.from, -1) });
    cursor = addDays(h.to, 1);
    if (cursor > want.to) break;
  }
  if (cursor <= want.to) missing.push({ from: cursor, to: want.to });
  return missing;
}
