/**
 * The simulator's Facebook Login on the wire, with Meta's field names and error envelopes: the
 * dialog's redirect, the code exchange (single use, bound to the redirect URI, the app secret
 * checked), the long-lived exchange, debug_token, /me/adaccounts of the person's token, expiry on
 * the simulated clock and a withdrawn permission.
 */
import { DEMO_META_APP } from '../../domain/demo-meta-app';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server';

let sim: RunningSimulator;
const REDIRECT = 'https://ads.example.com/v1/meta/oauth/callback';
const APP_TOKEN = `${DEMO_META_APP.appId}|${DEMO_META_APP.appSecret}`;

beforeAll(async () => {
  sim = await startSimulator({ profile: 'small', port: 0, seed: 4711 });
});
afterAll(() => sim.close());

async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sim.url}/v24.0/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: await response.json() };
}

async function dialogCode(scope = 'ads_management,ads_read'): Promise<string> {
  const url = `${sim.url}/v24.0/dialog/oauth?${new URLSearchParams({ client_id: DEMO_META_APP.appId, redirect_uri: REDIRECT, state: 'st-1', scope, response_type: 'code' })}`;
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('st-1');
  expect(location.hash).toBe('#_=_');
  return location.searchParams.get('code')!;
}

const exchange = (code: string, extra: Record<string, string> = {}) =>
  post('oauth/access_token', { client_id: DEMO_META_APP.appId, client_secret: DEMO_META_APP.appSecret, redirect_uri: REDIRECT, code, ...extra });
const debug = async (token: string) => (await post('debug_token', { method: 'GET', input_token: token, access_token: APP_TOKEN })).body.data;

test('code → short-lived token → long-lived token; debug_token describes it; the code works once', async () => {
  const code = await dialogCode();
  const short = await exchange(code);
  expect(short.status).toBe(200);
  expect(short.body).toEqual({ access_token: expect.stringMatching(/^EAA/), token_type: 'bearer', expires_in: expect.any(Number) });
  expect(short.body.expires_in).toBeLessThanOrEqual(2 * 3600);
  const reused = await exchange(code);
  expect(reused.status).toBe(400);
  expect(reused.body.error).toMatchObject({ message: 'This authorization code has been used.', type: 'OAuthException', code: 100, error_subcode: 36009, fbtrace_id: expect.any(String) });

  const long = await post('oauth/access_token', { grant_type: 'fb_exchange_token', client_id: DEMO_META_APP.appId, client_secret: DEMO_META_APP.appSecret, fb_exchange_token: short.body.access_token });
  expect(long.status).toBe(200);
  expect(Math.round(long.body.expires_in / 86_400)).toBe(60);
  const info = await debug(long.body.access_token);
  expect(info).toMatchObject({ app_id: DEMO_META_APP.appId, type: 'USER', is_valid: true, scopes: ['ads_management', 'ads_read'], user_id: expect.any(String) });
  expect(info.expires_at - info.issued_at).toBe(60 * 86_400);
  expect(info.data_access_expires_at - info.issued_at).toBe(90 * 86_400);
  expect(info.granular_scopes[0]).toEqual({ scope: 'ads_management', target_ids: expect.any(Array) });

  const me = await fetch(`${sim.url}/v24.0/me/adaccounts?fields=id,name`, { headers: { authorization: `Bearer ${long.body.access_token}` } });
  expect(((await me.json()) as any).data.map((a: { id: string }) => a.id).sort()).toEqual([...sim.state.accounts.keys()].sort());
});

test("Meta's refusals: wrong secret, wrong redirect URI, unknown code, unknown app", async () => {
  expect((await exchange(await dialogCode(), { client_secret: 'wrong-secret' })).body.error).toMatchObject({ message: 'Error validating client secret.', code: 1, type: 'OAuthException' });
  expect((await exchange(await dialogCode(), { redirect_uri: 'https://evil.example.com/cb' })).body.error).toMatchObject({ code: 100, error_subcode: 36008 });
  expect((await exchange('AQnot-a-code')).body.error).toMatchObject({ message: 'Invalid verification code format.', code: 100 });
  expect((await exchange('x', { client_id: '42' })).body.error).toMatchObject({ code: 101 });
  const unknownApp = await fetch(`${sim.url}/v24.0/dialog/oauth?client_id=42&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' });
  expect(unknownApp.status).toBe(400);
  expect((await debug('not-a-token')).is_valid).toBe(false);
});

test('a shared subset of accounts, a withdrawn permission and expiry on the simulated clock', async () => {
  const [first, second] = [...sim.state.accounts.keys()];
  await fetch(`${sim.url}/__sim/oauth/person`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ adAccountIds: [first] }) });
  const token = (await exchange(await dialogCode('ads_read,leads_retrieval'))).body.access_token as string;
  const read = (id: string) => fetch(`${sim.url}/v24.0/${id}?fields=id`, { headers: { authorization: `Bearer ${token}` } });
  expect((await read(first!)).status).toBe(200);
  const refused = await read(second!);
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as any).error.code).toBe(200);

  await fetch(`${sim.url}/__sim/oauth/withdraw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'ads_read' }) });
  expect((await debug(token)).scopes).toEqual(['leads_retrieval']);
  expect((await read(first!)).status).toBe(403);

  const info = await debug(token);
  await fetch(`${sim.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: new Date(info.expires_at * 1000 + 1000).toISOString() }) });
  const expired = await debug(token);
  expect(expired).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
  const call = await read(first!);
  expect(((await call.json()) as any).error).toMatchObject({ code: 190, error_subcode: 463, message: expect.stringContaining('Session has expired') });
});
