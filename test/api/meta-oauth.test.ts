import pino from 'pino';
import { buildApp } from '../../src/api/app';
import { DEMO_META_APP } from '../../domain/demo-meta-app';
import { tokenCipherOf } from '../../src/operations/service-deps';
import { bearer, COMPANY_A, COMPANY_B, createHarness, type Harness, type InjectResponse, type Tokens } from './support/harness';
import { testConfig } from '../support/test-env';

/**
 * Facebook Login end to end, through the listening server and the simulator as Meta: start →
 * Meta's dialog (its redirect followed by hand, as a browser would) → callback → connect two of
 * three accounts → full syncs. Then what must be refused (a replayed, expired or foreign state; a
 * grant of another company; a second use of a grant) connects nothing, and the long-lived token
 * is stored encrypted and found in no answer, log line, redirect or workflow history.
 */
let h: Harness;
let accounts: string[];
/** Every answer and redirect the tests saw, searched for tokens at the end. */
const seen: string[] = [];
const workflowIds: string[] = [];

const SCOPES = ['ads_management', 'ads_read', 'business_management', 'leads_retrieval', 'pages_read_engagement', 'pages_manage_metadata'];

beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  accounts = h.simulatorAccounts;
  expect(accounts).toHaveLength(3);
});
afterAll(async () => h?.close());

async function send(options: Parameters<Harness['inject']>[0]): Promise<InjectResponse> {
  const response = await h.inject(options);
  seen.push(response.body, JSON.stringify(response.headers));
  return response;
}

/** The browser's part: open Meta's dialog URL and read where Meta redirects (never followed automatically). */
async function openDialog(url: string): Promise<URL> {
  const dialog = await fetch(url, { redirect: 'manual' });
  expect(dialog.status).toBe(302);
  const location = dialog.headers.get('location')!;
  seen.push(location);
  return new URL(location);
}

/** start → dialog → the redirect's query, ready for the callback. */
async function beginLogin(tokens: Tokens): Promise<{ state: string; query: string; redirect: URL }> {
  const start = await send({ url: '/v1/meta/oauth/start', headers: bearer(tokens.admin) });
  expect(start.statusCode).toBe(200);
  const { url, redirectUri } = start.json();
  const redirect = await openDialog(url);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
  return { state: new URL(url).searchParams.get('state')!, query: redirect.search, redirect };
}

async function callback(query: string, headers: Record<string, string> = {}): Promise<InjectResponse> {
  return send({ url: `/v1/meta/oauth/callback${query}`, headers });
}

/** A whole login of the company: the grant the callback answered. */
async function login(tokens: Tokens): Promise<Record<string, any>> {
  const { query } = await beginLogin(tokens);
  const answered = await callback(query);
  expect(answered.statusCode).toBe(200);
  return answered.json();
}

const decryptedTokenOf = async (adAccountId: string): Promise<string> => {
  const row = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  return tokenCipherOf(h.ctx).decrypt({ ciphertext: row.encryptedAccessToken, keyId: row.tokenKeyId });
};

/** Rows that connecting would change: accounts, grants. */
async function connectionSnapshot(): Promise<unknown> {
  const db = h.database.db;
  return {
    accounts: await db.adAccount.findMany({ orderBy: { id: 'asc' }, select: { id: true, companyId: true, encryptedAccessToken: true, disconnectedAt: true } }),
    grants: await db.oAuthGrant.findMany({ orderBy: { id: 'asc' }, select: { id: true, consumedAt: true } }),
  };
}

describe('the whole flow', () => {
  let grant: Record<string, any>;

  test("start answers Meta's dialog URL with the app id, the registered redirect URI, the scopes and a signed state", async () => {
    const start = await send({ url: '/v1/meta/oauth/start', headers: bearer(h.a.admin) });
    expect(start.statusCode).toBe(200);
    const url = new URL(start.json().url);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.simulator.url}/v24.0/dialog/oauth`);
    expect(url.searchParams.get('client_id')).toBe(DEMO_META_APP.appId);
    expect(url.searchParams.get('redirect_uri')).toBe(h.ctx.config.oauth.redirectUri);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')!.split(',')).toEqual(SCOPES);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(start.json().expiresAt).toEqual(expect.any(String));
    // Only the state's hash is stored.
    const stored = await h.database.db.oAuthState.findMany({ where: { companyId: COMPANY_A } });
    expect(stored.map((row) => row.stateHash)).not.toContain(url.searchParams.get('state'));
    // Company admin only.
    for (const token of [h.a.write, h.a.read]) expect((await send({ url: '/v1/meta/oauth/start', headers: bearer(token) })).json().error.code).toBe('FORBIDDEN');
  });

  test('callback: the grant names the three accounts the person can use, nothing missing, and no token', async () => {
    const { redirect } = await beginLogin(h.a);
    expect(redirect.searchParams.get('code')).toEqual(expect.any(String));
    const answered = await callback(redirect.search);
    expect(answered.statusCode).toBe(200);
    grant = answered.json();
    expect(grant).toMatchObject({ tokenType: 'USER', grantedScopes: SCOPES, missingScopes: [] });
    expect(grant.adAccounts.map((a: { id: string }) => a.id).sort()).toEqual([...accounts].sort());
    expect(grant.adAccounts.every((a: { connection: string }) => a.connection === 'available')).toBe(true);
    // About 60 days: Meta's long-lived token, not the short-lived one the code gave.
    const days = (Date.parse(grant.tokenExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(59);
    expect(days).toBeLessThan(61);
    const stored = await h.database.db.oAuthGrant.findUniqueOrThrow({ where: { id: grant.grantId } });
    const plain = tokenCipherOf(h.ctx).decrypt({ ciphertext: stored.encryptedAccessToken, keyId: stored.tokenKeyId });
    expect(h.simulator.state.oauth.tokens.get(plain)?.kind).toBe('long');
    expect(stored.encryptedAccessToken).not.toContain(plain);
    expect(answered.body).not.toContain(plain);
  });

  test('connect two of the three accounts, then sync them', async () => {
    const [first, second, third] = accounts;
    const connected = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${grant.grantId}/connect`, headers: bearer(h.a.write), payload: { adAccountIds: [first, second] } });
    expect(connected.statusCode).toBe(201);
    expect(connected.json().connected.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[first, 'connected'], [second, 'connected']]);
    expect(connected.json().tokenReplaced).toEqual([]);
    const listed = (await send({ url: '/v1/ad-accounts', headers: bearer(h.a.read) })).json().data.map((a: { id: string }) => a.id);
    expect(listed.sort()).toEqual([first, second].sort());
    expect(await h.database.db.adAccount.findUnique({ where: { id: third! } })).toBeNull();

    // Stored encrypted, with what debug_token said of it; the grant keeps no copy.
    const token = await decryptedTokenOf(first!);
    expect(await decryptedTokenOf(second!)).toBe(token);
    const row = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: first! } });
    expect(row.encryptedAccessToken).not.toContain(token);
    expect({ type: row.tokenType, scopes: row.tokenScopes }).toEqual({ type: 'USER', scopes: SCOPES });
    expect(row.tokenExpiresAt?.toISOString()).toBe(grant.tokenExpiresAt);
    const used = await h.database.db.oAuthGrant.findUniqueOrThrow({ where: { id: grant.grantId } });
    expect({ consumed: used.consumedAt !== null, token: used.encryptedAccessToken }).toEqual({ consumed: true, token: '' });

    for (const adAccountId of [first, second]) {
      const started = await send({ method: 'POST', url: `/v1/ad-accounts/${adAccountId}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } });
      expect(started.statusCode).toBe(202);
      workflowIds.push(started.json().workflowId);
    }
    await Promise.all(workflowIds.map((id) => h.temporal.client.workflow.getHandle(id).result()));
    for (const adAccountId of [first, second]) {
      const campaigns = await send({ url: `/v1/campaigns?adAccountId=${adAccountId}&limit=1`, headers: bearer(h.a.read) });
      expect(campaigns.json().data).toHaveLength(1);
      const account = (await send({ url: `/v1/ad-accounts/${adAccountId}`, headers: bearer(h.a.read) })).json();
      expect(account).toMatchObject({ status: 'connected', lastFullSyncAt: expect.any(String) });
    }
  });

  test('a grant connects once: a second connect is refused and changes nothing', async () => {
    const before = await connectionSnapshot();
    const again = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${grant.grantId}/connect`, headers: bearer(h.a.write), payload: { adAccountIds: [accounts[2]] } });
    expect(again.statusCode).toBe(409);
    expect(await connectionSnapshot()).toEqual(before);
  });

  test('logging in again replaces the token of every account of the company the login covers, in one go', async () => {
    const [first, second] = accounts;
    const oldToken = await decryptedTokenOf(first!);
    const again = await login(h.a);
    expect(again.adAccounts.filter((a: { connection: string }) => a.connection === 'connected_here').map((a: { id: string }) => a.id).sort()).toEqual([first, second].sort());
    const connected = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${again.grantId}/connect`, headers: bearer(h.a.admin), payload: { adAccountIds: [first] } });
    expect(connected.statusCode).toBe(201);
    expect(connected.json().tokenReplaced).toEqual([second]);
    const newToken = await decryptedTokenOf(first!);
    expect(newToken).not.toBe(oldToken);
    expect(await decryptedTokenOf(second!)).toBe(newToken);
  });

  test('another company connecting an account A holds gets 409, and nothing of its choice is connected', async () => {
    const grantB = await login(h.b);
    expect(grantB.adAccounts.find((a: { id: string }) => a.id === accounts[0]).connection).toBe('connected_elsewhere');
    const before = await connectionSnapshot();
    const refused = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${grantB.grantId}/connect`, headers: bearer(h.b.write), payload: { adAccountIds: [accounts[2], accounts[0]] } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CONFLICT');
    expect(await connectionSnapshot()).toEqual(before);
    // The grant is still usable for what B may connect.
    const ok = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${grantB.grantId}/connect`, headers: bearer(h.b.write), payload: { adAccountIds: [accounts[2]] } });
    expect(ok.statusCode).toBe(201);
    expect((await h.database.db.adAccount.findUniqueOrThrow({ where: { id: accounts[2]! } })).companyId).toBe(COMPANY_B);
  });
});

describe('refused states and grants connect nothing', () => {
  test('a replayed callback (the same state and code again) is refused', async () => {
    const { query } = await beginLogin(h.a);
    expect((await callback(query)).statusCode).toBe(200);
    const before = await connectionSnapshot();
    const replay = await callback(query);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('state is invalid, expired or already used') });
    expect(await connectionSnapshot()).toEqual(before);
  });

  test('an expired state is refused (a service whose states last one second)', async () => {
    const shortLived = await buildApp({ ctx: { ...h.ctx, config: testConfig({ ...rawEnvOf(h), OAUTH_STATE_TTL: '1s' }) }, logger: pino({ level: 'silent' }) });
    try {
      const start = await shortLived.inject({ url: '/v1/meta/oauth/start', headers: bearer(h.a.admin) });
      expect(start.statusCode).toBe(200);
      const redirect = await openDialog(start.json().url);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const before = await connectionSnapshot();
      const late = await shortLived.inject({ url: `/v1/meta/oauth/callback${redirect.search}` });
      seen.push(late.body);
      expect(late.statusCode).toBe(400);
      expect(late.json().error.code).toBe('VALIDATION_ERROR');
      expect(await connectionSnapshot()).toEqual(before);
    } finally {
      await shortLived.close();
    }
  });

  test("another company's state is refused: presented by A's browser, or altered to name A", async () => {
    const b = await beginLogin(h.b);
    const before = await connectionSnapshot();
    const asA = await callback(b.query, bearer(h.a.admin));
    expect(asA.statusCode).toBe(400);
    // B's state with its company swapped for A's (the signature no longer matches).
    const [body, signature] = b.state.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...payload, c: COMPANY_A })).toString('base64url')}.${signature}`;
    const query = new URLSearchParams(b.query.slice(1));
    query.set('state', forged);
    const altered = await callback(`?${query.toString()}`);
    expect(altered.statusCode).toBe(400);
    expect(altered.json().error.code).toBe('VALIDATION_ERROR');
    expect(await connectionSnapshot()).toEqual(before);
    // Neither attempt used B's state up: B's own browser still completes B's login, for B.
    const own = await callback(b.query);
    expect(own.statusCode).toBe(200);
    expect((await h.database.db.oAuthGrant.findUniqueOrThrow({ where: { id: own.json().grantId } })).companyId).toBe(COMPANY_B);
  });

  test('revoking the API token that started a login stops the login', async () => {
    const created = await send({ method: 'POST', url: '/v1/tokens', headers: bearer(h.a.admin), payload: { name: 'one login', scopes: ['admin'] } });
    const { token, id: tokenId } = created.json();
    const start = await send({ url: '/v1/meta/oauth/start', headers: bearer(token) });
    const redirect = await openDialog(start.json().url);
    expect((await send({ method: 'DELETE', url: `/v1/tokens/${tokenId}`, headers: bearer(h.a.admin) })).statusCode).toBe(200);
    const before = await connectionSnapshot();
    const refused = await callback(redirect.search);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('revoked');
    expect(await connectionSnapshot()).toEqual(before);
  });

  test("a grant of another company answers 404; accounts outside the grant are named", async () => {
    const grantB = await login(h.b);
    const before = await connectionSnapshot();
    const foreign = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${grantB.grantId}/connect`, headers: bearer(h.a.write), payload: { adAccountIds: [accounts[0]] } });
    expect(foreign.statusCode).toBe(404);
    const outside = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${grantB.grantId}/connect`, headers: bearer(h.b.write), payload: { adAccountIds: ['act_999999999'] } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toContain('act_999999999');
    expect(await connectionSnapshot()).toEqual(before);
  });

  test('missing permissions are named; a cancelled dialog is refused with the reason', async () => {
    await h.simControl('/__sim/oauth/person', { declineScopes: ['leads_retrieval', 'pages_manage_metadata'] });
    try {
      const partial = await login(h.a);
      expect(partial.missingScopes).toEqual(['leads_retrieval', 'pages_manage_metadata']);
    } finally {
      await h.simControl('/__sim/oauth/person', { declineScopes: [] });
    }
    await h.simControl('/__sim/oauth/person', { deny: true });
    try {
      const { query } = await beginLogin(h.a);
      const cancelled = await callback(query);
      expect(cancelled.statusCode).toBe(400);
      expect(cancelled.json().error.message).toContain('user_denied');
    } finally {
      await h.simControl('/__sim/oauth/person', { deny: false });
    }
  });
});

test('a Business Manager system-user token pasted into POST /v1/ad-accounts is accepted and recognised as one', async () => {
  const minted = await fetch(`${h.simulator.url}/__sim/oauth/system-user-token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ adAccountIds: [accounts[1]], expiresInSeconds: 30 * 86_400 }),
  });
  const { access_token: systemToken } = (await minted.json()) as { access_token: string };
  // accounts[1] is A's (connected through Facebook Login above): re-connecting it with the system user's token.
  const connected = await send({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accounts[1], accessToken: systemToken } });
  expect(connected.statusCode).toBe(201);
  expect(connected.json()).toMatchObject({ id: accounts[1], status: 'connected', tokenType: 'SYSTEM_USER' });
  const days = (Date.parse(connected.json().tokenExpiresAt) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29);
  expect(days).toBeLessThan(31);
  expect(await decryptedTokenOf(accounts[1]!)).toBe(systemToken);
  // The system user reaches only the account it was given: another one is refused by Meta, nothing stored.
  const other = await send({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: accounts[0], accessToken: systemToken } });
  expect(other.json().error.code).toBe('META_PERMISSION_ERROR');
  expect(await decryptedTokenOf(accounts[0]!)).not.toBe(systemToken);
});

test('no Meta token the simulator issued appears in any answer, redirect, log line or workflow history', async () => {
  const issued = [...h.simulator.state.oauth.tokens.keys()];
  expect(issued.length).toBeGreaterThanOrEqual(10);
  const histories = await Promise.all(workflowIds.map(async (id) => JSON.stringify(await h.temporal.client.workflow.getHandle(id).fetchHistory())));
  expect(histories.join('').length).toBeGreaterThan(1000);
  const haystacks = { answers: seen.join('\n'), logs: h.logs.join('\n'), histories: histories.join('\n') };
  expect(haystacks.logs).toContain('/v1/meta/oauth/grants/');
  for (const token of issued) {
    for (const [where, text] of Object.entries(haystacks)) expect({ where, found: text.includes(token) }).toEqual({ where, found: false });
  }
  // Nor the app secret.
  for (const [where, text] of Object.entries(haystacks)) expect({ where, found: text.includes(DEMO_META_APP.appSecret) }).toEqual({ where, found: false });
  expect(COMPANY_B).not.toBe(COMPANY_A);
});

/** The environment the harness built its config from (the parts a second app needs). */
function rawEnvOf(harness: Harness): Record<string, string> {
  const c = harness.ctx.config;
  return { TEMPORAL_TASK_QUEUE: c.temporal.taskQueue, META_GRAPH_URL: c.meta.graphUrl, META_MODE: 'demo', DATA_DIR: c.dataDir, TOKEN_ENCRYPTION_KEY: c.tokenEncryptionKey!, API_RATE_LIMIT_PER_MINUTE: '100000' };
}

describe('a Facebook Login token expires on the simulated clock', () => {
  const simStats = async (): Promise<Record<string, number>> => ((await (await fetch(`${h.simulator.url}/__sim/stats`)).json()) as { byAccount: Record<string, number> }).byAccount;
  const syncOnce = async (adAccountId: string) => {
    const started = await send({ method: 'POST', url: `/v1/ad-accounts/${adAccountId}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'incremental' } });
    expect(started.statusCode).toBe(202);
    const outcome = await h.temporal.client.workflow.getHandle(started.json().workflowId).result().then(() => 'completed', (error: Error) => (error.cause as Error | undefined)?.message ?? error.message);
    return outcome;
  };

  afterAll(async () => h.simControl('/__sim/clock', { now: new Date().toISOString() }));

  test('past expiry the account needs re-authorisation and its syncs stop without a retry storm; logging in again clears it', async () => {
    const adAccountId = accounts[0]!;
    const expiresAt = (await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })).tokenExpiresAt!;
    await h.simControl('/__sim/clock', { now: new Date(expiresAt.getTime() + 86_400_000).toISOString() });
    const before = (await simStats())[adAccountId] ?? 0;
    const first = await syncOnce(adAccountId);
    expect(first).toContain('needs re-authorisation');
    const afterFirst = (await simStats())[adAccountId] ?? 0;
    // Meta refused the first call; nothing was retried against it.
    expect(afterFirst - before).toBeLessThanOrEqual(2);
    expect((await send({ url: `/v1/ad-accounts/${adAccountId}`, headers: bearer(h.a.read) })).json()).toMatchObject({ status: 'needs_reauth', tokenStatus: 'needs_reauth' });
    // Meta's own reason (190/463, the session expired) is kept.
    expect((await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })).tokenError).toMatch(/Session has expired/);
    // The next sync fails at once, without asking Meta at all.
    expect(await syncOnce(adAccountId)).toContain('needs re-authorisation');
    expect((await simStats())[adAccountId] ?? 0).toBe(afterFirst);

    await h.simControl('/__sim/clock', { now: new Date().toISOString() });
    const again = await login(h.a);
    const reconnected = await send({ method: 'POST', url: `/v1/meta/oauth/grants/${again.grantId}/connect`, headers: bearer(h.a.write), payload: { adAccountIds: [adAccountId] } });
    expect(reconnected.statusCode).toBe(201);
    expect(reconnected.json().connected[0]).toMatchObject({ id: adAccountId, status: 'connected', tokenStatus: 'valid', tokenType: 'USER' });
    expect(await syncOnce(adAccountId)).toBe('completed');
  });
});
