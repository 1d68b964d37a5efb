/**
 * The Graph API client the sync and write activities use: one instance per access token, so
 * ad accounts with different tokens run side by side in one process without shared SDK state.
 * It pages with opaque cursors, shrinks pages Meta finds too large, batches, runs async
 * insights, and reports Meta's usage on every response so callers can stop before Meta blocks them.
 * It never sleeps or retries on its own: waiting is the caller's decision (durable Temporal
 * timers), informed by `MetaThrottleError.retryAfterMs` and {@link MetaClient.shouldPause}.
 */
import { MetaAsyncJobFailedError, MetaDataTooLargeError, MetaTransientError, ValidationError, type MetaApiError } from '../errors';
import { classifyMetaError } from './error-classification';
import { AD_ACCOUNT_FIELDS } from './objects/ad-account';
import type { MetaFilter } from './filtering';
import { GraphApi, encodeParams, type GraphMethod, type GraphParams, type GraphResponse } from './graph-api';
import type { MetricLevel } from '../../domain/vocabulary';
import { AsyncReportStatus, parseReportRun, REPORT_RUN_FIELDS, type ReportRunRecord } from './objects/report-run';
import { redactDeep } from './redaction';
import { isEmptyUsage, mergeUsage, parseUsageHeaders, type MetaUsage } from './usage-headers';

/** Options of {@link MetaClient}. */
export interface MetaClientOptions {
  /** Base URL without version (`config.meta.graphUrl`). */
  graphUrl: string;
  /** `config.meta.apiVersion`, e.g. `v24.0`. */
  apiVersion: string;
  accessToken: string;
  /** `config.meta.appSecret`; enables `appsecret_proof`. */
  appSecret?: string;
  /** Usage percentage at which {@link MetaClient.shouldPause} turns true (`config.meta.usageThrottlePct`). */
  usageThrottlePct: number;
  /** Per-request timeout. @default 60000 */
  timeoutMs?: number;
  /** Ad account this client works for, named in errors when a path does not say. */
  adAccountId?: string;
  /** Called with the usage headers of every response, errors included (e.g. to store rate-limit snapshots). */
  onUsage?: (usage: MetaUsage, context: UsageContext) => void;
}

/** Where a usage report came from. */
export interface UsageContext {
  method: GraphMethod;
  /** Path without query, e.g. `/act_1/campaigns` (never secrets). */
  path: string;
  adAccountId?: string;
  status?: number;
  ok: boolean;
}

/** One page of an edge. */
export interface EdgePage<T = unknown> {
  data: T[];
  /** Cursor for the next page; undefined on the last page (Meta sent no `paging.next`). */
  after?: string;
  /** Page size that worked (smaller than asked when Meta said the data was too large): keep using it. */
  limit: number;
  usage: MetaUsage;
  /** `summary` object when `summary=true` was asked (e.g. `{ total_count }`). */
  summary?: Record<string, unknown>;
}

/** Arguments of {@link MetaClient.getEdgePage}. */
export interface EdgePageRequest {
  /** Node and edge, e.g. `act_1/campaigns` or `['act_1', 'campaigns']`. */
  path: string | string[];
  fields: readonly string[];
  /** Extra parameters; objects/arrays (filtering, time_range) are sent as JSON strings. */
  params?: GraphParams;
  limit: number;
  after?: string;
  /** Smallest page size the automatic halving may reach. @default 1 */
  minLimit?: number;
}

/** One request of a batch. */
export interface BatchRequest {
  method: GraphMethod;
  /** Relative path, e.g. `120330000000000001` or `act_1/campaigns`. */
  path: string;
  /** Query parameters for GET/DELETE, form body for POST. */
  params?: GraphParams;
}

/** Per-item outcome of {@link MetaClient.batch}, in request order. */
export type BatchResult<T = unknown> =
  | { ok: true; status: number; body: T }
  | { ok: false; status?: number; error: MetaApiError };

/** Options of {@link MetaClient.batch}. */
export interface BatchOptions {
  /** Times a `null` (not processed) item is sent again before it is reported as a transient error. @default 3 */
  maxAttempts?: number;
  /** Ad account named in item errors. */
  adAccountId?: string;
}

/** Arguments shared by sync and async insights requests. */
export interface InsightsQuery {
  /** `act_<n>`, campaign, ad set or ad id. */
  objectId: string;
  level: MetricLevel;
  fields: readonly string[];
  /** Inclusive account-local days `YYYY-MM-DD`. */
  timeRange: { since: string; until: string };
  /** Days per row (1–90), `monthly` or `all_days`. */
  timeIncrement: number | 'monthly' | 'all_days';
  breakdowns?: readonly string[];
  actionBreakdowns?: readonly string[];
  actionAttributionWindows?: readonly string[];
  filtering?: readonly MetaFilter[];
  /** Anything else Meta accepts (`action_report_time`, `use_unified_attribution_setting`, ...). */
  params?: GraphParams;
}

/** A page request of a sync insights query. */
export interface InsightsPageRequest extends InsightsQuery {
  limit: number;
  after?: string;
  minLimit?: number;
}

/** Most ids Meta accepts in one `?ids=` lookup and most operations in one batch. */
const MAX_IDS_PER_LOOKUP = 50;
const MAX_BATCH_SIZE = 50;

/** Graph API client for one access token. */
export class MetaClient {
  /** The SDK API instance (for SDK object classes: `new Campaign(id, {}, undefined, client.api)`). */
  readonly api: GraphApi;
  readonly usageThrottlePct: number;
  readonly #defaultAdAccountId?: string;
  readonly #onUsage?: MetaClientOptions['onUsage'];
  #lastUsage: MetaUsage = { maxPct: 0 };
  readonly #usageByAccount = new Map<string, MetaUsage>();

  constructor(options: MetaClientOptions) {
    if (!options.accessToken) throw new ValidationError('A Meta access token is required');
    this.api = new GraphApi({
      graphUrl: options.graphUrl,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      appSecret: options.appSecret,
      timeoutMs: options.timeoutMs,
    });
    this.usageThrottlePct = options.usageThrottlePct;
    this.#defaultAdAccountId = options.adAccountId;
    this.#onUsage = options.onUsage;
  }

  // ───────────────────────────── usage ─────────────────────────────

  /** Usage from the most recent response (any account). */
  get lastUsage(): MetaUsage {
    return this.#lastUsage;
  }

  /** Usage last seen for calls about `adAccountId`. */
  usageFor(adAccountId: string): MetaUsage | undefined {
    return this.#usageByAccount.get(adAccountId);
  }

  /**
   * True when the last response (for the account, when given) put usage at or above
   * `usageThrottlePct`, or Meta announced a time to regain access: stop before Meta blocks.
   */
  shouldPause(adAccountId?: string): boolean {
    const usage = adAccountId ? this.#usageByAccount.get(adAccountId) : this.#lastUsage;
    if (!usage) return false;
    return usage.maxPct >= this.usageThrottlePct || (usage.regainAfterMs ?? 0) > 0;
  }

  /** How long to wait when {@link shouldPause} is true: Meta's estimate, the account score's reset time, else 60 s. */
  suggestedPauseMs(adAccountId?: string): number {
    const usage = adAccountId ? this.#usageByAccount.get(adAccountId) : this.#lastUsage;
    if (!usage || !this.shouldPause(adAccountId)) return 0;
    if (usage.regainAfterMs) return usage.regainAfterMs;
    const reset = usage.adAccountUsage?.resetTimeDurationSec;
    return reset && reset > 0 ? reset * 1000 : 60_000;
  }

  // ───────────────────────────── reads ─────────────────────────────

  /** Reads an ad account (`act_<n>`) with the default fields. */
  async getAdAccount(adAccountId: string, fields: readonly string[] = AD_ACCOUNT_FIELDS): Promise<Record<string, unknown>> {
    return this.getObject(adAccountId.startsWith('act_') ? adAccountId : `act_${adAccountId}`, fields);
  }

  /** Reads one node by id with the given fields. */
  async getObject<T = Record<string, unknown>>(id: string, fields: readonly string[], params: GraphParams = {}): Promise<T> {
    const res = await this.#request<T>('GET', [id], { ...params, fields: fields.join(',') });
    return res.body;
  }

  /**
   * Reads one page of an edge. On "reduce the amount of data" the page size is halved and the
   * same page asked again, down to `minLimit`; the size that worked is returned.
   */
  async getEdgePage<T = unknown>(request: EdgePageRequest): Promise<EdgePage<T>> {
    const segments = toSegments(request.path);
    const minLimit = Math.max(1, request.minLimit ?? 1);
    let limit = Math.max(minLimit, Math.floor(request.limit));
    for (;;) {
      try {
        const params: GraphParams = { ...request.params, limit };
        if (request.fields.length > 0) params.fields = request.fields.join(',');
        if (request.after !== undefined) params.after = request.after;
        const res = await this.#request<GraphEdgeBody<T>>('GET', segments, params);
        return toEdgePage(res, limit);
      } catch (error) {
        if (error instanceof MetaDataTooLargeError && limit > minLimit) {
          limit = Math.max(minLimit, Math.floor(limit / 2));
          continue;
        }
        throw error;
      }
    }
  }

  /** Iterates over every page of an edge, carrying the page size that worked forward. */
  async *walkEdge<T = unknown>(request: EdgePageRequest): AsyncGenerator<EdgePage<T>, void, undefined> {
    let after = request.after;
    let limit = request.limit;
    for (;;) {
      const page = await this.getEdgePage<T>({ ...request, limit, after });
      yield page;
      if (page.after === undefined) return;
      after = page.after;
      limit = page.limit;
    }
  }

  /** Reads many nodes with `?ids=` in chunks of ≤50; returns them keyed by id. */
  async getByIds<T = Record<string, unknown>>(ids: readonly string[], fields: readonly string[]): Promise<Record<string, T>> {
    const out: Record<string, T> = {};
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += MAX_IDS_PER_LOOKUP) {
      const chunk = unique.slice(i, i + MAX_IDS_PER_LOOKUP);
      const res = await this.#request<Record<string, T>>('GET', [''], { ids: chunk.join(','), fields: fields.join(',') });
      Object.assign(out, res.body);
    }
    return out;
  }

  // ───────────────────────────── batch ─────────────────────────────

  /**
   * Sends requests through the Graph batch API, ≤50 per HTTP call, and returns one result per
   * request in order. Items Meta left `null` (batch timeout) are sent again up to `maxAttempts`.
   * Each item is classified on its own: one throttled item does not fail the others. A failure of
   * the whole batch call (token, network) is thrown.
   */
  async batch<T = unknown>(requests: readonly BatchRequest[], options: BatchOptions = {}): Promise<BatchResult<T>[]> {
    const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    const results: Array<BatchResult<T> | undefined> = new Array(requests.length);
    for (let start = 0; start < requests.length; start += MAX_BATCH_SIZE) {
      let pending = range(start, Math.min(start + MAX_BATCH_SIZE, requests.length));
      for (let attempt = 1; pending.length > 0; attempt++) {
        const items = pending.map((i) => toBatchItem(requests[i] as BatchRequest));
        const res = await this.#request<unknown>('POST', [''], { batch: JSON.stringify(items), include_headers: true }, { batch: true });
        const answers = Array.isArray(res.body) ? (res.body as unknown[]) : [];
        const retry: number[] = [];
        // Meta reports each item's usage in the item's own headers: the worst per account of the batch is booked once.
        const usageByAccount = new Map<string, MetaUsage>();
        pending.forEach((index, k) => {
          const answer = answers[k];
          const request = requests[index] as BatchRequest;
          const itemUsage = answer ? parseUsageHeaders((answer as BatchAnswer).headers) : undefined;
          const itemAccount = this.#batchItemAccount(request, options);
          if (itemUsage && !isEmptyUsage(itemUsage) && itemAccount) usageByAccount.set(itemAccount, mergeUsage(usageByAccount.get(itemAccount), itemUsage));
          if (answer === null || answer === undefined) {
            if (attempt < maxAttempts) retry.push(index);
            else
              results[index] = {
                ok: false,
                error: new MetaTransientError('Meta did not process this batch item (batch timeout); send it again later.', {
                  adAccountId: options.adAccountId ?? this.#defaultAdAccountId,
                }),
              };
            return;
          }
          results[index] = this.#batchItemResult<T>(answer as BatchAnswer, request, options);
        });
        this.#recordBatchUsage(res, usageByAccount, options.adAccountId);
        pending = retry;
      }
    }
    return results as BatchResult<T>[];
  }

  // ───────────────────────────── writes ─────────────────────────────

  /** Creates an object on an edge (e.g. `act_1/campaigns`); returns Meta's answer (`{ id }`). */
  async createObject<T = { id: string }>(path: string | string[], params: GraphParams): Promise<T> {
    return (await this.#request<T>('POST', toSegments(path), params)).body;
  }

  /** Updates a node with the changed params; returns Meta's answer (`{ success: true }`). */
  async updateObject<T = { success: boolean }>(id: string, params: GraphParams): Promise<T> {
    return (await this.#request<T>('POST', [id], params)).body;
  }

  /** Deletes a node (Meta soft-deletes ads objects); returns Meta's answer (`{ success: true }`). */
  async deleteObject<T = { success: boolean }>(id: string): Promise<T> {
    return (await this.#request<T>('DELETE', [id], {})).body;
  }

  // ───────────────────────────── insights ─────────────────────────────

  /** One page of synchronous insights (with page-size halving like {@link getEdgePage}). */
  async getInsightsPage<T = Record<string, unknown>>(request: InsightsPageRequest): Promise<EdgePage<T>> {
    return this.getEdgePage<T>({
      path: [request.objectId, 'insights'],
      fields: request.fields,
      params: insightsParams(request),
      limit: request.limit,
      after: request.after,
      minLimit: request.minLimit,
    });
  }

  /** Starts an async insights report (AdReportRun); returns its id. */
  async startInsightsReport(query: InsightsQuery): Promise<string> {
    const res = await this.#request<{ report_run_id?: string | number }>('POST', [query.objectId, 'insights'], {
      ...insightsParams(query),
      fields: query.fields.join(','),
    });
    const id = res.body.report_run_id;
    if (id === undefined || id === null || id === '') {
      throw new MetaTransientError('Meta accepted the insights report but returned no report_run_id; start it again.', {
        adAccountId: accountOf([query.objectId]) ?? this.#defaultAdAccountId,
      });
    }
    return String(id);
  }

  /** Reads an async report's state; Failed/Skipped are returned (see {@link reportRunError}), not thrown. */
  async getReportRun(reportRunId: string): Promise<ReportRunRecord> {
    const res = await this.#request<unknown>('GET', [reportRunId], { fields: REPORT_RUN_FIELDS.join(',') });
    return parseReportRun(res.body);
  }

  /** One page of a completed report's rows. */
  async getReportRunPage<T = Record<string, unknown>>(
    reportRunId: string,
    page: { limit: number; after?: string; fields?: readonly string[]; minLimit?: number },
  ): Promise<EdgePage<T>> {
    return this.getEdgePage<T>({ path: [reportRunId, 'insights'], fields: page.fields ?? [], limit: page.limit, after: page.after, minLimit: page.minLimit });
  }

  /** The error to raise for a Failed/Skipped report run (undefined for any other status). */
  reportRunError(run: ReportRunRecord, adAccountId?: string): MetaAsyncJobFailedError | undefined {
    if (run.status !== AsyncReportStatus.Failed && run.status !== AsyncReportStatus.Skipped) return undefined;
    const why = run.error?.message ? ` Meta said: ${run.error.message}` : '';
    return new MetaAsyncJobFailedError(`Insights report ${run.id} ended as "${run.status}"; start it again or split it.${why}`, {
      asyncStatus: run.status,
      adAccountId: adAccountId ?? this.#defaultAdAccountId,
      metaCode: run.error?.code,
      metaSubcode: run.error?.subcode,
      userTitle: run.error?.userTitle,
      userMessage: run.error?.userMessage,
    });
  }

  /** Keeps `util.inspect(client)` free of the token. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MetaClient { graphUrl: '${this.api.graphUrl}', apiVersion: '${this.api.apiVersion}' }`;
  }

  /** Keeps `JSON.stringify(client)` free of the token. */
  toJSON(): Record<string, unknown> {
    return { graphUrl: this.api.graphUrl, apiVersion: this.api.apiVersion };
  }

  // ───────────────────────────── internals ─────────────────────────────

  /**
   * One Graph call; its usage headers are booked to the account the path names (else the
   * client's account). A batch (`batch: true`) names no account: a failed batch call is booked to
   * none, a successful one by {@link batch} with its items' usage, once per response.
   */
  async #request<T>(method: GraphMethod, segments: string[], params: GraphParams, options: { batch?: boolean } = {}): Promise<GraphResponse<T>> {
    const adAccountId = accountOf(segments) ?? this.#defaultAdAccountId;
    const path = `/${segments.join('/')}`;
    return this.api.request<T>(method, segments, params, {
      adAccountId,
      onUsage: (usage, info) => {
        if (options.batch && info.ok) return;
        this.#recordUsage(usage, { method, path, adAccountId: options.batch ? undefined : adAccountId, status: info.status, ok: info.ok });
      },
    });
  }

  #recordUsage(usage: MetaUsage, context: UsageContext): void {
    // A response without usage headers (network failure, proxy error) says nothing about quota:
    // it must not clear a throttle signal seen before.
    if (isEmptyUsage(usage)) return;
    this.#lastUsage = usage;
    if (context.adAccountId) this.#usageByAccount.set(context.adAccountId, usage);
    // A broken listener must not turn a good Meta response into a failure.
    try {
      this.#onUsage?.(usage, context);
    } catch {
      /* ignored on purpose */
    }
  }

  /**
   * Books a batch response's usage once (one report per HTTP response, as for any call): to the
   * batch's account, its items' usage merged with the batch's own (app) usage; other accounts
   * the items were about get theirs without a report of their own.
   */
  #recordBatchUsage(res: GraphResponse<unknown>, usageByAccount: Map<string, MetaUsage>, batchAccount: string | undefined): void {
    const primary = batchAccount && usageByAccount.has(batchAccount) ? batchAccount : usageByAccount.keys().next().value;
    for (const [adAccountId, usage] of usageByAccount) {
      if (adAccountId !== primary) this.#usageByAccount.set(adAccountId, mergeUsage(res.usage, usage));
    }
    const usage = primary ? mergeUsage(res.usage, usageByAccount.get(primary)) : res.usage;
    this.#recordUsage(usage, { method: 'POST', path: '/', adAccountId: primary, status: res.status, ok: true });
  }

  /** The account a batch item is about: the one its path names, else the batch's, else the client's. */
  #batchItemAccount(request: BatchRequest, options: BatchOptions): string | undefined {
    return accountOf(toSegments(request.path)) ?? options.adAccountId ?? this.#defaultAdAccountId;
  }

  #batchItemResult<T>(answer: BatchAnswer, request: BatchRequest, options: BatchOptions): BatchResult<T> {
    const status = typeof answer.code === 'number' ? answer.code : undefined;
    const body = parseBody(answer.body);
    const adAccountId = this.#batchItemAccount(request, options);
    const usage = parseUsageHeaders(answer.headers);
    if (status !== undefined && status >= 200 && status < 300) return { ok: true, status, body: body as T };
    // Booked with the batch's other items (see batch()); here it only classifies the error.
    const hasUsage = usage.maxPct > 0 || usage.regainAfterMs !== undefined;
    return {
      ok: false,
      status,
      error: classifyMetaError({
        httpStatus: status,
        body: redactDeep(body, this.api.secrets),
        usage: hasUsage ? usage : this.#lastUsage,
        adAccountId,
        secrets: this.api.secrets,
        operation: `${request.method} /${request.path.split('?')[0]} (batch item)`,
      }),
    };
  }
}

interface GraphEdgeBody<T> {
  data?: T[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
  summary?: Record<string, unknown>;
}

interface BatchAnswer {
  code?: number;
  headers?: Array<{ name?: unknown; value?: unknown }>;
  body?: unknown;
}

function toEdgePage<T>(res: GraphResponse<GraphEdgeBody<T>>, limit: number): EdgePage<T> {
  const body = res.body ?? {};
  const page: EdgePage<T> = { data: Array.isArray(body.data) ? body.data : [], limit, usage: res.usage };
  // Only `paging.next` says there is another page; a cursor alone is not a promise of more data.
  const after = body.paging?.cursors?.after;
  if (body.paging?.next && after) page.after = after;
  if (body.summary && typeof body.summary === 'object') page.summary = body.summary;
  return page;
}

function insightsParams(query: InsightsQuery): GraphParams {
  const params: GraphParams = {
    ...query.params,
    level: query.level,
    time_range: { since: query.timeRange.since, until: query.timeRange.until },
    time_increment: query.timeIncrement,
  };
  if (query.breakdowns?.length) params.breakdowns = query.breakdowns.join(',');
  if (query.actionBreakdowns) params.action_breakdowns = query.actionBreakdowns.join(',');
  if (query.actionAttributionWindows?.length) params.action_attribution_windows = [...query.actionAttributionWindows];
  if (query.filtering?.length) params.filtering = [...query.filtering];
  return params;
}

function toBatchItem(request: BatchRequest): Record<string, unknown> {
  const relative = request.path.replace(/^\/+/, '');
  const params = request.params ?? {};
  if (request.method === 'POST') {
    const item: Record<string, unknown> = { method: 'POST', relative_url: relative };
    const body = encodeParams(params);
    if (body) item.body = body;
    return item;
  }
  const query = encodeParams(params);
  return { method: request.method, relative_url: query ? `${relative}${relative.includes('?') ? '&' : '?'}${query}` : relative };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function toSegments(path: string | string[]): string[] {
  if (Array.isArray(path)) return path;
  const trimmed = path.replace(/^\/+/, '');
  return trimmed === '' ? [''] : trimmed.split('/');
}

function accountOf(segments: readonly string[]): string | undefined {
  const first = segments[0]?.split('?')[0];
  return first && first.startsWith('act_') ? first : undefined;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
