/**
 * Cursor paging like the Graph API: opaque base64 cursors, `paging.next` as a full URL on the
 * host the request came to, absent on the last page. Object edges page by id (a cursor is
 * the boundary id, found by binary search, so inserts don't shift pages); computed rows
 * (insights) page by offset into a cached result.
 */
import { dataTooLarge, invalidParameter } from './graph-errors';
import type { SimulatorLimits } from './simulator-state';

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { max: mMax, min: mMin } = Math;

/** Graph `paging` object. */
export interface Paging {
  cursors: { before: string; after: string };
  previous?: string;
  next?: string;
}

/** Where a request came from, to build `next` URLs. */
export interface RequestOrigin {
  /** e.g. `http://127.0.0.1:4100` */
  baseUrl: string;
  /** e.g. `v23.0` */
  version: string;
  /** path after the version, e.g. `act_1/campaigns` */
  path: string;
  params: Record<string, string>;
}

/** Encode an opaque cursor. */
export function encodeCursor(value: string): string {
  return Buffer.from(`sim:${value}`, 'utf8').toString('base64');
}

/** Decode an opaque cursor; code 100 when it is not ours. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('sim:')) throw invalidParameter('(#100) Invalid cursor');
  return text.slice(4);
}

/** The page size: default 25, clamped to the configured maximum. */
export function resolveLimit(params: Record<string, string>, limits: SimulatorLimits): number {
  const raw = params.limit;
  if (raw === undefined || raw === '') return 25;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalidParameter('(#100) Param limit must be a non-negative integer');
  return mMin(mMax(n, 1), limits.maxLimit);
}

/** Refuse pages whose `limit × fields` exceeds the data budget (code 1 / subcode 99). */
export function enforceDataBudget(limit: number, fieldCount: number, limits: SimulatorLimits): void {
  if (limit * mMax(1, fieldCount) > limits.dataBudget) throw dataTooLarge();
}

/** Compare numeric-string ids without BigInt. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Build a page URL that repeats the request with another cursor. */
export function pageUrl(origin: RequestOrigin, cursorParam: 'after' | 'before', cursor: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(origin.params)) {
    if (k === 'after' || k === 'before') continue;
    q.set(k, v);
  }
  q.set(cursorParam, cursor);
  return `${origin.baseUrl}/${origin.version}/${origin.path}?${q.toString()}`;
}

/** One page of a sorted id list. */
export interface IdPage {
  ids: readonly string[];
  paging?: Paging;
}

/** Page a sorted id list by `after`/`before` id cursors. */
export function pageIds(sorted: readonly string[], limit: number, origin: RequestOrigin): IdPage {
  let start = 0;
  let end: number;
  if (origin.params.after) {
    start = upperBound(sorted, idCursor(origin.params.after));
    end = mMin(sorted.length, start + limit);
  } else if (origin.params.before) {
    end = lowerBound(sorted, idCursor(origin.params.before));
    start = mMax(0, end - limit);
  } else end = mMin(sorted.length, limit);
  const ids = sorted.slice(start, end);
  if (ids.length === 0) return { ids };
  const paging: Paging = {
    cursors: { before: encodeCursor(`i:${ids[0]}`), after: encodeCursor(`i:${ids[ids.length - 1]}`) },
  };
  if (start > 0) paging.previous = pageUrl(origin, 'before', paging.cursors.before);
  if (end < sorted.length) paging.next = pageUrl(origin, 'after', paging.cursors.after);
  return { ids, paging };
}

function idCursor(cursor: string): string {
  const v = decodeCursor(cursor);
  if (!v.startsWith('i:')) throw invalidParameter('(#100) Invalid cursor');
  return v.slice(2);
}

/** First index whose id is greater than `id`. */
function upperBound(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(sorted[mid] as string, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose id is not less than `id`. */
function lowerBound(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(sorted[mid] as string, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page of an offset-addressed result. */
export interface OffsetPage {
  start: number;
  end: number;
  paging?: Paging;
}

/** Page a computed result of `total` rows by offset cursors. */
export function pageOffsets(total: number, limit: number, origin: RequestOrigin): OffsetPage {
  let start = 0;
  if (origin.params.after) start = offsetCursor(origin.params.after);
  else if (origin.params.before) start = mMax(0, offsetCursor(origin.params.before) - limit);
  start = mMin(start, total);
  const end = mMin(total, start + limit);
  if (end <= start) return { start, end };
  const paging: Paging = { cursors: { before: encodeCursor(`o:${start}`), after: encodeCursor(`o:${end}`) } };
  if (start > 0) paging.previous = pageUrl(origin, 'before', paging.cursors.before);
  if (end < total) paging.next = pageUrl(origin, 'after', paging.cursors.after);
  return { start, end, paging };
}

function offsetCursor(cursor: string): number {
  const v = decodeCursor(cursor);
  const n = Number(v.slice(2));
  if (!v.startsWith('o:') || !Number.isInteger(n) || n < 0) throw invalidParameter('(#100) Invalid cursor');
  return n;
}
