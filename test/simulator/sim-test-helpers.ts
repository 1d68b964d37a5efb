/** Shared helpers for simulator tests: start in-process on a free port and talk HTTP. */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/simulator-server';

/** A JSON HTTP answer. */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Start a simulator on a random port (seeded, fixed clock by default). */
export function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, now: '2026-11-18T20:30:00Z', ...options });
}

/** GET a Graph path (version prefix added when missing) with the default token. */
export async function graphGet<T = any>(sim: RunningSimulator, path: string, params: Record<string, string | number> = {}, token = 'sim-token'): Promise<Answer<T>> {
  const q = new URLSearchParams({ access_token: token, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  const p = path.startsWith('/v') ? path : `/v23.0/${path.replace(/^\//, '')}`;
  return fetchJson(`${sim.url}${p}${p.includes('?') ? '&' : '?'}${q.toString()}`);
}

/** POST a urlencoded form to a Graph path. */
export async function graphPost<T = any>(sim: RunningSimulator, path: string, form: Record<string, string | number>, token = 'sim-token'): Promise<Answer<T>> {
  const body = new URLSearchParams({ access_token: token, ...Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)])) });
  const p = path.startsWith('/v') ? path : `/v23.0/${path.replace(/^\//, '')}`;
  return fetchJson(`${sim.url}${p}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Fetch and parse JSON. */
export async function fetchJson<T = any>(url: string, init?: RequestInit): Promise<Answer<T>> {
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

/** Call a control endpoint. */
export async function control<T = any>(sim: RunningSimulator, path: string, body?: unknown, method?: string): Promise<Answer<T>> {
  return fetchJson(`${sim.url}/__sim/${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
  });
}

/** Follow `paging.next` to the end; returns every row and the number of requests. */
export async function walk<T = any>(sim: RunningSimulator, path: string, params: Record<string, string | number>): Promise<{ rows: T[]; requests: number }> {
  let answer = await graphGet(sim, path, params);
  const rows: T[] = [];
  let requests = 1;
  for (;;) {
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
    rows.push(...(answer.body.data as T[]));
    const next: string | undefined = answer.body.paging?.next;
    if (!next) break;
    answer = await fetchJson(next);
    requests++;
  }
  return { rows, requests };
}

/** Parse a major-unit decimal string into integer minor units without floats. */
export function toMinor(value: string, decimals: number): number {
  const [whole = '0', frac = ''] = value.split('.');
  if (decimals === 0) return Number(whole);
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2)) * (value.startsWith('-') ? -1 : 1);
}

/** Every effective status clients ask for when they want everything. */
export const ALL_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO'];

/** An ad-level insights filter that includes archived and deleted ads. */
export const INCLUDE_ALL_ADS = JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: ALL_STATUSES }]);
