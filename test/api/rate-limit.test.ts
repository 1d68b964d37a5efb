import { randomBytes } from 'node:crypto';
import { issueApiToken } from '../../src/operations/api-tokens';
import { bearer, COMPANY_A, createHarness, type Harness } from './support/harness';

/** Limits low enough to reach in a few requests: 5 per token, 3 refused tokens per address. */
const PER_TOKEN = 5;
const AUTH_FAILURES = 3;

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: String(PER_TOKEN), API_AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES) }, worker: false });
});
afterAll(async () => h?.close());

/** A token of its own for each test, so every test starts with a full budget. */
async function freshToken(): Promise<string> {
  return (await issueApiToken(h.database.db, { companyId: COMPANY_A, name: 'limits', scopes: ['read'] })).token;
}

const mcpHeaders = (token: string): Record<string, string> => ({ ...bearer(token), accept: 'application/json, text/event-stream' });
const toolsList = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

test('requests are limited per token: the 6th in a minute is 429 in the error shape; other tokens are unaffected', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.a.read) })).statusCode);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  const limited = await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.a.read) });
  expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) });
  expect(limited.headers['retry-after']).toBeDefined();
  expect((await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.b.read) })).statusCode).toBe(200);
  expect((await h.inject({ url: '/health' })).statusCode).toBe(200);
});

test('every spelling authentication accepts is the same token to the limit: "bearer", "BEARER" or extra spaces are no fresh budget', async () => {
  const token = await freshToken();
  const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`, `bEaReR \t${token} `, `bearer   ${token}`];
  const statuses: number[] = [];
  for (const authorization of spellings) statuses.push((await h.inject({ url: '/v1/ad-accounts', headers: { authorization } })).statusCode);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
});

test('MCP: a JSON-RPC batch is refused with a clear JSON-RPC error, so each call is one counted request', async () => {
  const token = await freshToken();
  const batch = await h.inject({ method: 'POST', url: '/mcp', headers: mcpHeaders(token), payload: Array.from({ length: 100 }, (_, i) => toolsList(i + 1)) });
  expect(batch.statusCode).toBe(400);
  expect(batch.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('JSON-RPC batches are not accepted (got 100 messages)') } });
  // One message per POST works, and each POST counts: the batch was the first, four more fit, the sixth is 429.
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await h.inject({ method: 'POST', url: '/mcp', headers: mcpHeaders(token), payload: toolsList(i + 1) })).statusCode);
  expect(statuses).toEqual([200, 200, 200, 200, 429]);
});

// Last: it blocks this address's token attempts for the rest of the minute.
test('refused tokens are limited per address: random well-formed tokens get 401 three times, then 429 before any lookup, for every token from that address', async () => {
  const randomToken = (): string => `mao_${randomBytes(32).toString('base64url')}`;
  const statuses: number[] = [];
  for (let i = 0; i < AUTH_FAILURES; i++) statuses.push((await h.inject({ url: '/v1/ad-accounts', headers: bearer(randomToken()) })).statusCode);
  expect(statuses).toEqual([401, 401, 401]);
  for (const request of [{ url: '/v1/ad-accounts' }, { url: '/info' }, { method: 'POST', url: '/mcp', payload: toolsList(1) }]) {
    const limited = await h.inject({ ...request, headers: { ...bearer(randomToken()), accept: 'application/json, text/event-stream' } });
    expect({ status: limited.statusCode, code: limited.json().error?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.json().error.message).toContain(`at most ${AUTH_FAILURES} per minute`);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  }
  // Nothing is looked up while the address is blocked, so even a valid token waits for the window.
  expect((await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.b.read) })).statusCode).toBe(429);
  // Requests without a token still get the plain 401 (nothing is looked up for them); public routes answer.
  expect((await h.inject({ url: '/v1/ad-accounts' })).statusCode).toBe(401);
  expect((await h.inject({ url: '/health' })).statusCode).toBe(200);
});
