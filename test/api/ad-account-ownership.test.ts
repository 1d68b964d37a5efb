import { issueApiToken } from '../../src/operations/api-tokens';
import { tokenCipherOf } from '../../src/operations/service-deps';
import { bearer, COMPANY_A, COMPANY_B, createHarness, SIM_TOKEN, SIM_TOKEN_2, type Harness, type InjectResponse } from './support/harness';

/**
 * Who may connect an ad account. Connect is one statement (INSERT … ON CONFLICT … DO UPDATE …
 * WHERE the row is the caller's own or disconnected): a disconnected account goes to another
 * company that proves access with its own Meta token, a connected one is refused with a conflict,
 * and of two companies connecting the same account at once exactly one wins. Business managers
 * are shared objects: no company owns their row.
 */
let h: Harness;

beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '100000' }, latencyMs: 0 });
});
afterAll(async () => h?.close());

function expectError(response: InjectResponse, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
}

const connect = (token: string, adAccountId: string, accessToken: string) =>
  h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(token), payload: { adAccountId, accessToken } });
const disconnect = (token: string, adAccountId: string) => h.inject({ method: 'DELETE', url: `/v1/ad-accounts/${adAccountId}`, headers: bearer(token) });

/** The stored row: its company and the Meta token it holds, decrypted (none once disconnected: disconnect drops it). */
async function stored(adAccountId: string): Promise<{ companyId: string; token: string | null; disconnected: boolean }> {
  const row = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  const token = row.disconnectedAt ? null : tokenCipherOf(h.ctx).decrypt({ ciphertext: row.encryptedAccessToken, keyId: row.tokenKeyId });
  return { companyId: row.companyId, token, disconnected: row.disconnectedAt !== null };
}

test("a connected account of another company is refused with a conflict, and its row keeps its company and token", async () => {
  const account = h.simulatorAccounts[0];
  expect((await connect(h.a.write, account, SIM_TOKEN)).statusCode).toBe(201);
  const refused = await connect(h.b.write, account, SIM_TOKEN_2);
  expectError(refused, 409, 'CONFLICT');
  expect(refused.json().error.message).toBe(`Ad account ${account} is connected by another company: it can be connected here only after that company disconnects it`);
  expect(refused.body).not.toContain(SIM_TOKEN_2);
  expect(await stored(account)).toEqual({ companyId: COMPANY_A, token: SIM_TOKEN, disconnected: false });
  // B still sees nothing of it.
  expectError(await h.inject({ url: `/v1/ad-accounts/${account}`, headers: bearer(h.b.read) }), 404, 'NOT_FOUND');
  expect((await h.inject({ url: `/v1/ad-accounts/${account}`, headers: bearer(h.a.read) })).json()).toMatchObject({ companyId: COMPANY_A, status: 'connected' });
});

test('a disconnected account is taken over by another company that proves access with its own valid token; a bad token takes nothing', async () => {
  const account = h.simulatorAccounts[0];
  expect((await disconnect(h.a.write, account)).statusCode).toBe(200);
  // A token Meta refuses proves nothing: no takeover.
  expectError(await connect(h.b.write, account, 'not-a-valid-token-xyz'), 422, 'META_AUTH_ERROR');
  expect(await stored(account)).toEqual({ companyId: COMPANY_A, token: null, disconnected: true });

  const taken = await connect(h.b.write, account, SIM_TOKEN_2);
  expect(taken.statusCode).toBe(201);
  expect(taken.json()).toMatchObject({ id: account, companyId: COMPANY_B, status: 'connected' });
  expect(await stored(account)).toEqual({ companyId: COMPANY_B, token: SIM_TOKEN_2, disconnected: false });
  // Now the account is B's: A sees "not found" and cannot connect it back while B holds it.
  expectError(await h.inject({ url: `/v1/ad-accounts/${account}`, headers: bearer(h.a.read) }), 404, 'NOT_FOUND');
  expect((await h.inject({ url: '/v1/ad-accounts?includeDisconnected=true', headers: bearer(h.a.read) })).json().data.map((a: { id: string }) => a.id)).not.toContain(account);
  expectError(await connect(h.a.write, account, SIM_TOKEN), 409, 'CONFLICT');
  const audit = await h.database.db.auditEvent.findFirstOrThrow({ where: { companyId: COMPANY_B, action: 'ad_account.connect', targetId: account } });
  expect(audit.details).toEqual({ reconnect: false, takeover: true });
});

test('two companies connecting the same account at once: exactly one wins, the other gets a conflict, the row holds the winner\'s token', async () => {
  const account = h.simulatorAccounts[1];
  const tokens = { [COMPANY_A]: h.a.write, [COMPANY_B]: h.b.write };
  const metaTokens = { [COMPANY_A]: SIM_TOKEN, [COMPANY_B]: SIM_TOKEN_2 };
  for (let round = 0; round < 6; round++) {
    const [a, b] = await Promise.all([connect(h.a.write, account, SIM_TOKEN), connect(h.b.write, account, SIM_TOKEN_2)]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const winner = a.statusCode === 201 ? COMPANY_A : COMPANY_B;
    expectError(a.statusCode === 409 ? a : b, 409, 'CONFLICT');
    expect(await stored(account)).toEqual({ companyId: winner, token: metaTokens[winner], disconnected: false });
    // The winner lets go, so the next round races for a disconnected account (a takeover either way).
    expect((await disconnect(tokens[winner]!, account)).statusCode).toBe(200);
  }
});

test('the business manager of an account is shared: no company owns its row, whichever company synced last', async () => {
  const account = h.simulatorAccounts[2];
  const sync = async (token: string): Promise<void> => {
    const started = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account}/syncs`, headers: bearer(token), payload: { kind: 'full' } });
    expect(started.statusCode).toBe(202);
    await h.temporal.client.workflow.getHandle(started.json().workflowId).result();
  };
  const admin = (await issueApiToken(h.database.db, { companyId: COMPANY_A, name: 'sync', scopes: ['read', 'sync', 'write'] })).token;
  expect((await connect(admin, account, SIM_TOKEN)).statusCode).toBe(201);
  await sync(admin);
  const { businessId } = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: account } });
  expect(businessId).toEqual(expect.any(String));
  const [before] = await h.database.db.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM business_managers WHERE id = $1', businessId);
  expect(before).toBeDefined();
  expect(Object.keys(before!)).not.toContain('company_id');

  // B takes the account over and syncs it: still one business row, still nobody's.
  expect((await disconnect(admin, account)).statusCode).toBe(200);
  const bSync = (await issueApiToken(h.database.db, { companyId: COMPANY_B, name: 'sync', scopes: ['read', 'sync', 'write'] })).token;
  expect((await connect(bSync, account, SIM_TOKEN_2)).statusCode).toBe(201);
  await sync(bSync);
  const rows = await h.database.db.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM business_managers WHERE id = $1', businessId);
  expect(rows).toHaveLength(1);
  expect(Object.keys(rows[0]!)).not.toContain('company_id');
});
