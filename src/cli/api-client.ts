import { ApiError, CliFailure } from './cli-errors';
import type { CliConnection } from './cli-connection';

/** One request to the service's HTTP API; errors come back as the API worded them. */
export interface ApiClient {
  get<T = any>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  patch<T = any>(path: string, body: unknown): Promise<T>;
  delete<T = any>(path: string): Promise<T>;
}

/** How long one request may take before the CLI gives up on it. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A client for the connection; it fails on use, not here, when no token was found. */
export function createApiClient(connection: CliConnection): ApiClient {
  const send = async (method: string, path: string, body?: unknown): Promise<any> => {
    if (!connection.token) {
      throw new CliFailure('No API token: set META_ORCHESTRATOR_TOKEN, or put {"token": "mao_..."} in the config file (mode 0600); `npm run token:create` makes one');
    }
    let response: Response;
    try {
      response = await fetch(`${connection.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${connection.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new CliFailure(`Cannot reach the service at ${connection.url} (${cause}): is it running? Set META_ORCHESTRATOR_URL if it listens elsewhere`);
    }
    const text = await response.text();
    let parsed: any;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = parsed?.error;
      throw new ApiError(response.status, typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`, typeof error?.message === 'string' ? error.message : `HTTP ${response.status} from ${method} ${path}`, error?.requestId);
    }
    if (parsed === undefined) throw new CliFailure(`The service answered ${method} ${path} with something other than JSON`);
    return parsed;
  };
  return {
    get: (path, query) => send('GET', `${path}${queryString(query)}`),
    post: (path, body) => send('POST', path, body),
    patch: (path, body) => send('PATCH', path, body),
    delete: (path) => send('DELETE', path),
  };
}

function queryString(query: Record<string, string | number | boolean | undefined> | undefined): string {
  const entries = Object.entries(query ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
}

/** A path segment, encoded (workflow ids carry colons). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
