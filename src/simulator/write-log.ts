/**
 * Every write the simulator applied, in order (`GET /__sim/writes`): the proof a test needs that
 * a retried or ambiguous change landed once, and that a preview sent nothing. Only applied
 * writes are here: refused calls, `validate_only` calls and batch items dropped before they ran
 * leave no entry; a write answered by a `writeAppliedThenErrorRate` fault does.
 */
import type { NodeType } from './simulator-state';

/** Kinds of applied writes. */
export const WriteKinds = ['create', 'update', 'delete'] as const;
/** One of {@link WriteKinds}. */
export type WriteKind = (typeof WriteKinds)[number];

/** One applied write. Values are what a Graph read of those fields answers right after it. */
export interface SimWrite {
  /** 1, 2, 3… in application order; `since=<seq>` resumes after an entry. */
  seq: number;
  /** Simulated time of the write (ISO, UTC). */
  at: string;
  objectId: string;
  objectType: NodeType;
  /** `act_…` of the object's account. */
  adAccountId?: string;
  kind: WriteKind;
  /** Fields the write set, with their values after it. */
  fields: Record<string, unknown>;
  /** Updates and deletes: the same fields' values before it. */
  previous?: Record<string, unknown>;
}

/** Filters of {@link WriteLog.query}. */
export interface WriteQuery {
  /** Only these objects. */
  objectIds?: readonly string[];
  /** Only objects of this account (`act_…` or the bare id). */
  adAccountId?: string;
  /** Only entries with `seq` greater than this. */
  since?: number;
  kind?: WriteKind;
  /** Only entries that set this field. */
  field?: string;
}

/** Counts over the matched entries, for checks over thousands of objects. */
export interface WriteSummary {
  /** Entries recorded since the last reset, which is also the last `seq` (a mark for `since`). */
  total: number;
  /** Entries that matched the filters. */
  count: number;
  byObject: Record<string, number>;
  byKind: Partial<Record<WriteKind, number>>;
  byField: Record<string, number>;
}

/** The ordered log of applied writes. */
export class WriteLog {
  private entries: SimWrite[] = [];

  /** Highest sequence number so far (0 when nothing was written). */
  get lastSeq(): number {
    return this.entries.length;
  }

  /** Append an applied write; returns it with its sequence number. */
  record(entry: Omit<SimWrite, 'seq'>): SimWrite {
    const write: SimWrite = { seq: this.entries.length + 1, ...entry };
    this.entries.push(write);
    return write;
  }

  /** Entries matching every given filter, in order. */
  query(q: WriteQuery = {}): SimWrite[] {
    const ids = q.objectIds?.length ? new Set(q.objectIds) : undefined;
    const account = q.adAccountId === undefined ? undefined : q.adAccountId.startsWith('act_') ? q.adAccountId : `act_${q.adAccountId}`;
    // seq n sits at index n-1, so `since` skips straight to the first candidate.
    const from = Math.max(0, Math.min(this.entries.length, Math.floor(q.since ?? 0)));
    const out: SimWrite[] = [];
    for (let i = from; i < this.entries.length; i++) {
      const w = this.entries[i] as SimWrite;
      if (ids && !ids.has(w.objectId)) continue;
      if (account !== undefined && w.adAccountId !== account) continue;
      if (q.kind !== undefined && w.kind !== q.kind) continue;
      if (q.field !== undefined && !(q.field in w.fields)) continue;
      out.push(w);
    }
    return out;
  }

  /** Counts per object, kind and field over the entries matching `q`. */
  summary(q: WriteQuery = {}): WriteSummary {
    const matched = this.query(q);
    const byObject: Record<string, number> = {};
    const byKind: Partial<Record<WriteKind, number>> = {};
    const byField: Record<string, number> = {};
    for (const w of matched) {
      byObject[w.objectId] = (byObject[w.objectId] ?? 0) + 1;
      byKind[w.kind] = (byKind[w.kind] ?? 0) + 1;
      for (const f of Object.keys(w.fields)) byField[f] = (byField[f] ?? 0) + 1;
    }
    return { total: this.entries.length, count: matched.length, byObject, byKind, byField };
  }

  /** Forget everything (part of `/__sim/reset`). */
  clear(): void {
    this.entries = [];
  }
}
