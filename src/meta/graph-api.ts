/**
 * The facebook-nodejs-business-sdk wiring. `GraphApi` is a `FacebookAdsApi` whose `call` always
 * targets the configured base URL and Graph version (so the whole SDK, its object classes
 * included, talks to Meta or to the simulator), signs every call with `appsecret_proof`, sends
 * writes form-encoded, and never touches the SDK's process-global default API or crash reporter.
 *
 * Why there is more here than a subclass: the SDK (v24) has three gaps this file closes.
 * 1. `call` hard-codes `FacebookAdsApi.VERSION` ('v24.0') into array paths, so the configured
 *    version is applied by building the full URL here and passing it as a string path.
 * 2. On an error response whose body is not JSON (an HTML 502, an empty 500) the SDK's
 *    `FacebookRequestError` constructor itself throws a `SyntaxError`, losing status and headers;
 *    on a success whose body is a JSON primitive it throws a TypeError while attaching headers.
 *    And the SDK sets no timeout. A small axios interceptor pair, active only inside our own calls
 *    (scoped with AsyncLocalStorage), records status, headers and body of every response,
 *    errors included, and applies the per-client timeout. The SDK stays the transport: requests
 *    are still made by its `Http` through its axios.
 * 3. The SDK's errors carry the request URL and form data (with `access_token`), so they are
 *    never rethrown: `request` classifies them into project errors without secrets.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import type { MetaApiError } from '../errors';
import { classifyMetaError, type NetworkFailure } from './error-classification';
import { redactDeep } from './redaction';
import { parseUsageHeaders, type MetaUsage } from './usage-headers';

/** HTTP methods the Graph API uses. */
export type GraphMethod = 'GET' | 'POST' | 'DELETE';

/** Parameter values; objects and arrays are sent as JSON strings (Meta's convention for specs and filters). */
export type GraphParams = Record<string, unknown>;

/** Options of {@link GraphApi}. */
export interface GraphApiOptions {
  /** Base URL without version, e.g. `https://graph.facebook.com` or `http://127.0.0.1:4100`. */
  graphUrl: string;
  /** e.g. `v24.0`. */
  apiVersion: string;
  accessToken: string;
  /** When set, every call carries `appsecret_proof`. */
  appSecret?: string;
  /** Per-request timeout. @default 60000 */
  timeoutMs?: number;
}

/** A successful Graph response. */
export interface GraphResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  usage: MetaUsage;
}

/** Facts about a call that {@link GraphApi.request} needs for error messages and usage reports. */
export interface GraphRequestContext {
  /** Ad account the call concerns, named in auth errors. */
  adAccountId?: string;
  /** Called with the usage of every response, failures included, before anything is thrown. */
  onUsage?: (usage: MetaUsage, info: { status?: number; ok: boolean }) => void;
}

/** What the interceptors saw of one HTTP exchange. */
interface Exchange {
  timeoutMs?: number;
  status?: number;
  headers?: Record<string, unknown>;
  data?: unknown;
  networkCode?: string;
}

const exchangeScope = new AsyncLocalStorage<Exchange>();
let interceptorsInstalled = false;

/** Default request timeout. */
const DEFAULT_TIMEOUT_MS = 60_000;

/** A FacebookAdsApi bound to one token, one base URL and one Graph version. One per token; never the SDK default. */
export class GraphApi extends FacebookAdsApi {
  readonly graphUrl: string;
  readonly apiVersion: string;
  readonly timeoutMs: number;
  readonly #appsecretProof?: string;

  constructor(options: GraphApiOptions) {
    // Third argument false: the SDK's crash reporter would otherwise send our stack traces to Meta.
    super(options.accessToken, 'en_US', false);
    // The token must not show up when this object is logged or inspected.
    Object.defineProperty(this, 'accessToken', { value: options.accessToken, enumerable: false, writable: false });
    this.setShowHeader(true);
    this.graphUrl = options.graphUrl.replace(/\/+$/, '');
    this.apiVersion = options.apiVersion;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.appSecret) this.#appsecretProof = appsecretProof(options.accessToken, options.appSecret);
    installInterceptors();
  }

  /** Secrets this API would put on the wire; stripped from anything that leaves src/meta. */
  get secrets(): readonly string[] {
    return this.#appsecretProof ? [this.accessToken, this.#appsecretProof] : [this.accessToken];
  }

  /**
   * The SDK's transport entry point, pointed at the configured base URL and version. SDK object
   * classes (`new Campaign(id, {}, undefined, api)`) call this too.
   */
  override call<T>(
    method: string,
    pathOrUrl: string | string[],
    params: Record<string, any> = {},
    files: Record<string, any> = {},
    useMultipartFormData = false,
    urlOverride = '',
  ): Promise<T> {
    const upper = method.toUpperCase();
    const auth: Record<string, string> = { access_token: this.accessToken };
    if (this.#appsecretProof) auth.appsecret_proof = this.#appsecretProof;

    let url: string;
    if (typeof pathOrUrl === 'string' && /^https?:\/\//.test(pathOrUrl)) {
      // Absolute URLs (paging links, SDK video uploads) keep their host; only missing auth is added.
      url = pathOrUrl;
    } else {
      const segments = typeof pathOrUrl === 'string' ? [pathOrUrl.replace(/^\/+/, '')] : pathOrUrl;
      // Only real Meta has a separate video host; a configured base (simulator) always wins.
      const base = urlOverride && this.graphUrl === FacebookAdsApi.GRAPH ? urlOverride.replace(/\/+$/, '') : this.graphUrl;
      url = [base, this.apiVersion, ...segments].join('/');
    }
    const hasAuth = /[?&]access_token=/.test(url);
    if (upper === 'POST' || upper === 'PUT') {
      const body = hasAuth ? params : { ...params, ...auth };
      const data = useMultipartFormData || Object.keys(files).length > 0 ? stringifyValues(body) : toForm(body);
      // String path: the SDK sends `data` as the body and does not touch the URL.
      return super.call<T>(upper, url, data as unknown as Record<string, any>, files, useMultipartFormData);
    }
    const query = encodeParams(hasAuth ? params : { ...params, ...auth });
    if (query) url += (url.includes('?') ? '&' : '?') + query;
    return super.call<T>(upper, url, {}, files, useMultipartFormData);
  }

  /**
   * One Graph call through the SDK with full response handling: returns body, headers and usage,
   * or throws a classified, secret-free {@link MetaApiError}. Usage is reported for every response.
   */
  async request<T = unknown>(method: GraphMethod, pathSegments: string[], params: GraphParams = {}, context: GraphRequestContext = {}): Promise<GraphResponse<T>> {
    const exchange: Exchange = { timeoutMs: this.timeoutMs };
    const operation = `${method} /${pathSegments.join('/')}`;
    try {
      const sdkBody = await exchangeScope.run(exchange, () => this.call<unknown>(method, pathSegments, params));
      const body = stripInjectedHeaders(sdkBody) as T;
      const headers = exchange.headers ?? {};
      const usage = parseUsageHeaders(headers);
      context.onUsage?.(usage, { status: exchange.status, ok: true });
      return { status: exchange.status ?? 200, body, headers, usage };
    } catch (error) {
      // The SDK's error (or its own SyntaxError/TypeError) is never rethrown: it holds the URL and form data.
      const sdkError = error as { name?: string; status?: unknown; response?: unknown; headers?: unknown } | undefined;
      const status = exchange.status ?? (typeof sdkError?.status === 'number' ? sdkError.status : undefined);
      const headers = exchange.headers ?? (isRecord(sdkError?.headers) ? sdkError.headers : {});
      const usage = parseUsageHeaders(headers);
      if (status !== undefined && status >= 200 && status < 300) {
        // The SDK failed after a successful exchange (non-object JSON body): the answer is still good.
        context.onUsage?.(usage, { status, ok: true });
        return { status, body: exchange.data as T, headers, usage };
      }
      context.onUsage?.(usage, { status, ok: false });
      const body = exchange.data ?? (sdkError?.name === 'FacebookRequestError' ? sdkError.response : undefined);
      throw classifyMetaError({
        httpStatus: status,
        body: redactDeep(body, this.secrets),
        usage,
        adAccountId: context.adAccountId,
        networkFailure: status === undefined ? networkFailureOf(exchange.networkCode) : undefined,
        secrets: this.secrets,
        operation,
      }) satisfies MetaApiError;
    }
  }

  /** Keeps `util.inspect(api)` free of anything secret. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `GraphApi { graphUrl: '${this.graphUrl}', apiVersion: '${this.apiVersion}' }`;
  }

  /** Keeps `JSON.stringify(api)` free of anything secret. */
  toJSON(): Record<string, unknown> {
    return { graphUrl: this.graphUrl, apiVersion: this.apiVersion };
  }
}

/** HMAC-SHA256 of the token keyed by the app secret, hex: Meta's `appsecret_proof`. */
export function appsecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/** Query/form encoding with Meta's conventions: objects and arrays as JSON, undefined skipped. */
export function encodeParams(params: GraphParams): string {
  return Object.entries(stringifyValues(params))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

function stringifyValues(params: GraphParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out[key] = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** Writes go form-encoded, as Meta documents them; axios sends URLSearchParams as `application/x-www-form-urlencoded`. */
function toForm(params: GraphParams): URLSearchParams {
  return new URLSearchParams(stringifyValues(params));
}

/** With `setShowHeader(true)` the SDK adds a `headers` key to the body; the headers are read from the exchange instead. */
function stripInjectedHeaders(body: unknown): unknown {
  if (body && typeof body === 'object' && 'headers' in body) {
    if (Array.isArray(body)) {
      delete (body as unknown as Record<string, unknown>).headers;
      return body;
    }
    const { headers: _dropped, ...rest } = body as Record<string, unknown>;
    void _dropped;
    return rest;
  }
  return body;
}

function networkFailureOf(code: string | undefined): NetworkFailure {
  return code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timeout' : 'network';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Minimal shape of the axios instance the SDK uses (axios is the SDK's dependency, not ours). */
interface AxiosLike {
  interceptors: {
    request: { use(onFulfilled: (config: AxiosConfigLike) => AxiosConfigLike, onRejected?: null, options?: { synchronous?: boolean }): number };
    response: { use(onFulfilled: (response: AxiosResponseLike) => AxiosResponseLike, onRejected: (error: unknown) => unknown): number };
  };
}
interface AxiosConfigLike {
  method?: string;
  data?: unknown;
  timeout?: number;
}
interface AxiosResponseLike {
  status: number;
  headers: unknown;
  data: unknown;
}

/** Installs (once per process) the interceptors on the SDK's own axios; they act only inside `exchangeScope`. */
function installInterceptors(): void {
  if (interceptorsInstalled) return;
  interceptorsInstalled = true;
  const sdkDir = path.dirname(require.resolve('facebook-nodejs-business-sdk'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const axios = require(require.resolve('axios', { paths: [sdkDir] })) as AxiosLike;
  axios.interceptors.request.use(
    (config) => {
      const exchange = exchangeScope.getStore();
      if (!exchange) return config;
      if (exchange.timeoutMs) config.timeout = exchange.timeoutMs;
      // The SDK passes `{}` as the body of GETs, which axios would send as a JSON "{}".
      const method = (config.method ?? 'get').toLowerCase();
      if ((method === 'get' || method === 'delete') && isRecord(config.data) && Object.keys(config.data).length === 0) {
        config.data = undefined;
      }
      return config;
    },
    null,
    { synchronous: true },
  );
  axios.interceptors.response.use(
    (response) => {
      const exchange = exchangeScope.getStore();
      if (exchange) {
        exchange.status = response.status;
        exchange.headers = plainHeaders(response.headers);
        exchange.data = response.data;
      }
      return response;
    },
    (error: unknown) => {
      const exchange = exchangeScope.getStore();
      if (exchange) {
        const e = error as { code?: string; response?: AxiosResponseLike };
        if (e.response) {
          exchange.status = e.response.status;
          exchange.headers = plainHeaders(e.response.headers);
          exchange.data = parseMaybeJson(e.response.data);
        } else {
          exchange.networkCode = e.code;
        }
      }
      return Promise.reject(error);
    },
  );
}

function plainHeaders(headers: unknown): Record<string, unknown> {
  if (!headers || typeof headers !== 'object') return {};
  const toJSON = (headers as { toJSON?: () => unknown }).toJSON;
  const plain = typeof toJSON === 'function' ? toJSON.call(headers) : headers;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain as Record<string, unknown>)) out[k.toLowerCase()] = v;
  return out;
}

function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
