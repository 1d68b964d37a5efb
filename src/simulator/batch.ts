/**
 * The Graph batch API: up to 50 operations in one `POST /` with `batch=[…]`, answered in
 * order as `{code, headers:[{name,value}], body:"<json string>"}`. Supports `name`,
 * `depends_on` and `{result=name:$.path}` substitution (`$.id`, `$.data.*.id`, `$.a.0.b`),
 * per-item `access_token`, `null` items under the batchNullRate fault (item not run) and the
 * writeAppliedThenErrorRate fault (item run, answer lost), and Meta's rule that one batch may
 * not write two ad sets of the same campaign (the later item fails, the earlier one runs).
 */
import { batchSameCampaign, errorEnvelope, GraphError, invalidParameter, unknownError } from './graph-errors';
import type { GraphRequest, GraphResponse } from './graph-routes';
import type { SimulatorState } from './simulator-state';

/** One batch operation as clients send it. */
export interface BatchItem {
  method?: string;
  relative_url?: string;
  body?: string | Record<string, unknown>;
  name?: string;
  depends_on?: string;
  access_token?: string;
  omit_response_on_success?: boolean;
}

/** One answered operation (or null). */
export type BatchResult = { code: number; headers: { name: string; value: string }[]; body: string | null } | null;

/** Parse the `batch` param; throws code 100 when it is not a list of ≤ max operations. */
export function parseBatch(raw: string | undefined, max: number): BatchItem[] {
  if (raw === undefined) throw invalidParameter('(#100) The parameter batch is required');
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw invalidParameter('(#100) batch parameter must be a JSON array');
  }
  if (!Array.isArray(v)) throw invalidParameter('(#100) batch parameter must be a JSON array');
  if (v.length > max) throw invalidParameter(`(#100) Too many requests in batch message. Maximum batch size is ${max}`);
  return v.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw invalidParameter(`(#100) batch[${i}] must be an object`);
    const o = item as BatchItem;
    if (typeof o.relative_url !== 'string') throw invalidParameter(`(#100) batch[${i}] is missing relative_url`);
    return o;
  });
}

/** Evaluate a tiny JSONPath (`$.a.b`, `$.data.*.id`, `$.data.0.id`) against a parsed body. */
export function jsonPath(root: unknown, path: string): string | undefined {
  if (!path.startsWith('$')) return undefined;
  const parts = path.slice(1).split('.').filter(Boolean);
  let current: unknown[] = [root];
  for (const p of parts) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c === null || typeof c !== 'object') continue;
      if (p === '*') next.push(...(Array.isArray(c) ? c : Object.values(c)));
      else {
        const v = (c as Record<string, unknown>)[p];
        if (v !== undefined) next.push(v);
      }
    }
    current = next;
  }
  if (!current.length) return undefined;
  return current.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
}

function substitute(text: string, results: Map<string, unknown>): string {
  return text.replace(/\{result=([^:}]+):([^}]+)\}/g, (_m, name: string, path: string) => {
    const body = results.get(name);
    const v = body === undefined ? undefined : jsonPath(body, path);
    if (v === undefined) throw invalidParameter(`(#100) Cannot resolve {result=${name}:${path}}`);
    return encodeURIComponent(v).replace(/%2C/g, ',');
  });
}

function formBody(body: BatchItem['body']): Record<string, string> {
  if (body === undefined) return {};
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

const HEADERS = [{ name: 'Content-Type', value: 'text/javascript; charset=UTF-8' }];

/**
 * The campaign of the ad set an item writes (update or delete of an ad set, or a create on
 * `act_x/adsets`), undefined for anything else.
 */
function adsetWriteCampaign(state: SimulatorState, method: string, path: string, params: Record<string, string>): string | undefined {
  const tunneled = method === 'POST' && params.method ? params.method.toUpperCase() : method;
  if (tunneled !== 'POST' && tunneled !== 'DELETE') return undefined;
  const [head = '', edge] = path.split('/');
  const node = state.nodes.get(head);
  if (!node) return undefined;
  if (!edge && node.type === 'adset') return node.campaignId;
  if (edge === 'adsets' && tunneled === 'POST' && (node.type === 'adaccount' || node.type === 'campaign')) {
    return node.type === 'campaign' ? node.id : params.campaign_id || undefined;
  }
  return undefined;
}

/** Run a batch through the Graph dispatcher. */
export function runBatch(
  state: SimulatorState,
  items: BatchItem[],
  top: Omit<GraphRequest, 'method' | 'path' | 'params'>,
  dispatch: (req: GraphRequest) => GraphResponse,
): BatchResult[] {
  const bodies = new Map<string, unknown>();
  const failed = new Set<string>();
  const adsetCampaigns = new Set<string>();
  return items.map((item): BatchResult => {
    if (state.faults.draw(state.faults.config.batchNullRate)) {
      if (item.name) failed.add(item.name);
      return null;
    }
    let res: GraphResponse;
    try {
      if (item.depends_on && failed.has(item.depends_on)) {
        throw invalidParameter(`(#100) This request depends on "${item.depends_on}", which failed`);
      }
      const url = substitute(item.relative_url ?? '', bodies).replace(/^\/+/, '');
      const q = url.indexOf('?');
      let path = q >= 0 ? url.slice(0, q) : url;
      const query = q >= 0 ? Object.fromEntries(new URLSearchParams(url.slice(q + 1))) : {};
      let version = top.origin.version;
      const m = /^(v\d+\.\d+)(?:\/|$)(.*)$/.exec(path);
      if (m) {
        version = m[1] as string;
        path = m[2] as string;
      }
      const bodyText = typeof item.body === 'string' ? substitute(item.body, bodies) : item.body;
      const params = { ...query, ...formBody(bodyText) };
      const method = (item.method ?? 'GET').toUpperCase();
      const campaign = adsetWriteCampaign(state, method, path.replace(/\/+$/, ''), params);
      if (campaign !== undefined) {
        if (adsetCampaigns.has(campaign)) throw batchSameCampaign(campaign);
        adsetCampaigns.add(campaign);
      }
      res = dispatch({
        ...top,
        method,
        path: path.replace(/\/+$/, ''),
        params,
        token: item.access_token ?? params.access_token ?? top.token,
        origin: { ...top.origin, version },
        inBatch: true,
      });
    } catch (err) {
      const e = err instanceof GraphError ? err : unknownError();
      res = { status: e.httpStatus, body: errorEnvelope(e), headers: {} };
    }
    if (res.dropped) {
      if (item.name) failed.add(item.name);
      return null;
    }
    const ok = res.status < 400;
    if (item.name) {
      if (ok) bodies.set(item.name, res.body);
      else failed.add(item.name);
    }
    const headers = [...HEADERS, ...Object.entries(res.headers).map(([name, value]) => ({ name, value }))];
    if (ok && item.omit_response_on_success) return { code: res.status, headers, body: null };
    return { code: res.status, headers, body: JSON.stringify(res.body) };
  });
}
