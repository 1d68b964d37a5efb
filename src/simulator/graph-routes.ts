/**
 * The Graph dispatcher: one function from a parsed request to `{status, body, headers}`,
 * used by the HTTP route and by batch items alike. It applies, in Meta's order: auth, fault
 * draws, quotas (charged per call), call statistics, then routing; usage headers are added
 * to every answer, errors included.
 */
import { isAssetEdge, readAssetEdge } from './account-asset-edges';
import { uploadAudienceUsers } from './audience-lists';
import { createReportRun, pollReportRun, readReportRunInsights } from './async-report-runs';
import { parseBatch, runBatch } from './batch';
import {
  errorEnvelope, expiredToken, GraphError, invalidParameter, invalidToken, transientError, unknownError, unknownObject,
} from './graph-errors';
import { readMinimumBudgets } from './minimum-budgets';
import { createObject } from './object-creates';
import { EDGES } from './object-fields';
import { deleteObject, updateObject } from './object-updates';
import { projectNode, readEdge, readInsights, requestedFields } from './node-reader';
import type { RequestOrigin } from './paging';
import type { BucType } from './quota-model';
import type { AccountInfo, SimNode, SimulatorState } from './simulator-state';

/** A Graph call after transport parsing (version already checked). */
export interface GraphRequest {
  method: string;
  /** Path after the version without slashes at the ends; '' for the root. */
  path: string;
  params: Record<string, string>;
  token?: string;
  origin: { baseUrl: string; version: string };
  inBatch?: boolean;
}

/** A Graph answer. */
export interface GraphResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /**
   * The write was applied but its answer is lost (`writeAppliedThenErrorRate`): the HTTP
   * connection is closed without a response, a batch item answers `null`.
   */
  dropped?: boolean;
}

interface Target {
  account?: AccountInfo;
  insights: boolean;
  write: boolean;
  endpoint: string;
}

function classify(state: SimulatorState, method: string, path: string, params: Record<string, string>): Target {
  const [head = '', edge] = path.split('/');
  const write = method !== 'GET';
  let account: AccountInfo | undefined;
  let headLabel = head;
  const run = state.reportRuns.get(head);
  if (run) {
    account = run.account;
    headLabel = '{report_run}';
  } else if (head === 'me') headLabel = 'me';
  else if (head === '') headLabel = params.ids ? '?ids' : '';
  else {
    const node = state.nodes.get(head);
    if (node) {
      account = state.accountOf(node);
      headLabel = node.type === 'adaccount' ? 'act_x' : `{${node.type}}`;
    } else headLabel = '{unknown}';
  }
  const insights = edge === 'insights' || Boolean(run);
  return { account, insights, write: write && !(insights && method === 'POST'), endpoint: `${method} ${headLabel}${edge ? `/${edge}` : ''}` };
}

function count(state: SimulatorState, endpoint: string, account: AccountInfo | undefined): void {
  state.stats.totalCalls++;
  state.stats.byEndpoint[endpoint] = (state.stats.byEndpoint[endpoint] ?? 0) + 1;
  if (account) state.stats.byAccount[account.id] = (state.stats.byAccount[account.id] ?? 0) + 1;
}

/** Turn any thrown value into an error answer (unexpected errors become code 1, details hidden). */
export function errorResponse(err: unknown): GraphResponse {
  const e = err instanceof GraphError ? err : unknownError();
  if (!(err instanceof GraphError)) console.error('[simulator] unexpected error', err);
  return { status: e.httpStatus, body: errorEnvelope(e), headers: {} };
}

/** Dispatch one Graph call. */
export function handleGraph(state: SimulatorState, req: GraphRequest): GraphResponse {
  let method = req.method.toUpperCase();
  // The SDK tunnels DELETE through POST with method=delete.
  if (method === 'POST' && req.params.method) method = req.params.method.toUpperCase();
  if (method === 'GET' && req.params.method && req.params.method.toUpperCase() !== 'GET') method = req.params.method.toUpperCase();
  const target = classify(state, method, req.path, req.params);
  const nowReal = Date.now();
  const isBatch = req.path === '' && method === 'POST' && req.params.batch !== undefined;
  const ids = req.path === '' && method === 'GET' && req.params.ids ? req.params.ids.split(',').filter(Boolean) : undefined;
  const writesBefore = state.writes.lastSeq;
  let res: GraphResponse;
  try {
    if (!isBatch) {
      if (ids) for (const id of ids) count(state, 'GET ?ids', accountForId(state, id));
      else count(state, target.endpoint, target.account);
    }
    // Facebook Login's token endpoint authenticates the app by its id and secret, not by a token.
    if (req.path === 'oauth/access_token' && !req.inBatch) {
      res = { status: 200, body: state.oauth.exchange(req.params), headers: {} };
      return withUsage(state, res, target, ids, isBatch);
    }
    const token = req.token;
    const issued = state.oauth.issued(token);
    if (req.path === 'debug_token' && method === 'GET') {
      // Inspected with an app access token (`app_id|app_secret`) or any valid token, as Meta allows.
      const [appId, appSecret] = (token ?? '').split('|');
      const app = state.oauth.app(appId);
      const asApp = Boolean(app && app.appSecret === appSecret);
      if (!asApp && !(token && (state.tokens.has(token) || issued))) throw invalidToken();
      if (issued) state.oauth.checkAlive(issued);
      res = { status: 200, body: { data: state.oauth.debug(req.params.input_token, state.tokens, app?.appId ?? issued?.appId ?? state.oauth.apps[0]!.appId) }, headers: {} };
      return withUsage(state, res, target, ids, isBatch);
    }
    if (!token || !(state.tokens.has(token) || issued)) throw invalidToken();
    if (state.faults.isExpired(token)) throw expiredToken(state.faults.expiredAtMs, state.now());
    if (issued) {
      state.oauth.checkAlive(issued);
      // A Facebook Login token reaches only the accounts the person shared, with the permissions still granted.
      const touched = ids ? ids.map((id) => accountForId(state, id)) : [target.account];
      for (const account of touched) {
        if (!account) continue;
        if (!issued.adAccountIds.includes(account.id)) throw permissionError(`(#200) User does not have permission to access ad account ${account.accountId}`);
        if (!issued.scopes.includes('ads_read') && !issued.scopes.includes('ads_management')) {
          throw permissionError('(#200) Ad account owner has NOT grant ads_management or ads_read permission');
        }
        if (target.write && !issued.scopes.includes('ads_management')) throw permissionError('(#200) Requires ads_management permission to manage the object');
      }
    }
    if (!isBatch) {
      const f = state.faults.config;
      if (state.faults.draw(f.transientErrorRate)) throw transientError();
      if (state.faults.draw(f.http500Rate)) throw unknownError();
      const buc: BucType = target.insights ? 'ads_insights' : 'ads_management';
      const accounts = ids ? ids.map((id) => accountForId(state, id)) : [target.account];
      for (const account of accounts) {
        const refusal = state.quota.admit(
          { accountId: account?.accountId, write: target.write, buc, activeAds: account ? state.activeAdCount(account) : 0 },
          nowReal,
        );
        if (refusal) throw refusal;
      }
    }
    res = { status: 200, body: route(state, method, req, ids, isBatch), headers: {} };
    // The fault strikes only calls that applied a write, after the write: the ambiguous outcome.
    if (!isBatch && state.writes.lastSeq > writesBefore) {
      const lost = state.faults.drawAppliedThenError();
      if (lost === 'error') throw unknownError();
      if (lost === 'drop') res = { status: 200, body: null, headers: {}, dropped: true };
    }
  } catch (err) {
    res = errorResponse(err);
  }
  return withUsage(state, res, target, ids, isBatch);
}

/** Adds the usage headers every Graph answer carries, errors included. */
function withUsage(state: SimulatorState, res: GraphResponse, target: Target, ids: string[] | undefined, isBatch: boolean): GraphResponse {
  {
    const account = target.account ?? (ids?.length ? accountForId(state, ids[0] as string) : undefined);
    const headers = state.quota.headers(account?.accountId, account ? state.activeAdCount(account) : 0, target.insights, Date.now());
    // A batch is about no one ad account: like Meta, its own answer carries the app's usage only,
    // and each item's answer carries the usage of the account that item is about.
    Object.assign(res.headers, isBatch ? { 'x-app-usage': headers['x-app-usage'] } : headers);
  }
  return res;
}

/** Code 200 permission error (HTTP 403). */
function permissionError(message: string): GraphError {
  return new GraphError(403, { message, type: 'OAuthException', code: 200 });
}

function accountForId(state: SimulatorState, id: string): AccountInfo | undefined {
  const node = state.nodes.get(id);
  return node ? state.accountOf(node) : state.reportRuns.get(id)?.account;
}

function origin(req: GraphRequest): RequestOrigin {
  // `next` URLs keep every param, token included, like Meta's do, so clients can follow them verbatim.
  return { baseUrl: req.origin.baseUrl, version: req.origin.version, path: req.path, params: req.params };
}

function lookup(state: SimulatorState, id: string, method: string): SimNode {
  if (id === 'me') {
    const me = state.nodes.get(state.userId);
    if (me) return me;
  }
  const node = state.nodes.get(id);
  if (!node) throw unknownObject(id, method.toLowerCase());
  return node;
}

function route(state: SimulatorState, method: string, req: GraphRequest, ids: string[] | undefined, isBatch: boolean): unknown {
  const params = req.params;
  if (isBatch) {
    if (req.inBatch) throw invalidParameter('(#100) Batch requests cannot be nested');
    const items = parseBatch(params.batch, state.limits.maxBatchSize);
    const top = { token: req.token, origin: req.origin };
    return runBatch(state, items, top, (item) => handleGraph(state, item));
  }
  if (ids) {
    const specs = requestedFields(params);
    const out: Record<string, unknown> = {};
    for (const id of ids) {
      const run = state.reportRuns.get(id);
      out[id] = run ? pollReportRun(state, run, specs.map((s) => s.name)) : projectNode(state, lookup(state, id, 'get'), specs, origin(req));
    }
    return out;
  }
  const parts = req.path.split('/');
  if (parts.length > 2 || parts[0] === '') throw invalidParameter(`(#100) Unknown path components: /${req.path}`);
  const [head = '', edge] = parts;
  const run = state.reportRuns.get(head);
  if (run) {
    if (method !== 'GET') throw invalidParameter('(#100) Report runs are read-only');
    if (!edge) return pollReportRun(state, run, requestedFields(params).map((s) => s.name));
    if (edge === 'insights') return readReportRunInsights(state, run, params, origin(req));
    throw invalidParameter(`(#100) Unknown path components: /${edge}`);
  }
  const node = lookup(state, head, method);
  if (!edge) {
    if (method === 'GET') return projectNode(state, node, requestedFields(params), origin(req));
    if (method === 'POST') return updateObject(state, node, params);
    if (method === 'DELETE') return deleteObject(state, node);
    throw invalidParameter(`(#100) Unsupported method ${method}`);
  }
  if (edge === 'minimum_budgets' && node.type === 'adaccount') {
    if (method !== 'GET') throw invalidParameter(`(#100) Unsupported method ${method} on /${req.path}`);
    return readMinimumBudgets(state.accountOf(node)?.currency ?? 'USD', requestedFields(params).map((f) => f.name));
  }
  if (node.type === 'customaudience' && (edge === 'users' || edge === 'usersreplace')) {
    if (method !== 'POST') throw invalidParameter(`(#100) Unsupported method ${method} on /${req.path}`);
    return uploadAudienceUsers(state, node, edge === 'users' ? 'add' : 'replace', params);
  }
  if (isAssetEdge(node, edge)) {
    if (method !== 'GET') throw invalidParameter(`(#100) Unsupported method ${method} on /${req.path}`);
    return readAssetEdge(state, node, edge, params, origin(req));
  }
  if (!EDGES[node.type]?.includes(edge)) throw invalidParameter(`(#100) Unknown path components: /${edge}`);
  if (method === 'GET') {
    if (edge === 'insights') return readInsights(state, node, params, origin(req));
    // A Facebook Login token lists only the accounts the person shared.
    const only = node.type === 'user' && edge === 'adaccounts' ? state.oauth.issued(req.token)?.adAccountIds : undefined;
    return readEdge(state, node, edge, params, requestedFields(params), origin(req), only ? new Set(only) : undefined);
  }
  if (method === 'POST') {
    if (edge === 'insights') return createReportRun(state, node, params);
    const account = state.accountOf(node);
    if (node.type !== 'adaccount' || !account) throw invalidParameter(`(#100) Cannot create objects on /${req.path}`);
    return createObject(state, account, edge, params);
  }
  throw invalidParameter(`(#100) Unsupported method ${method} on /${req.path}`);
}
