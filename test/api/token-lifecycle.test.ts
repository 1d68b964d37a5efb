import { tokenCheckWorkflow } from '../../workflows';
import type { TokenCheckResult } from '../../domain/contracts/token-check';
import { ensureTokenCheckSchedule } from '../../src/temporal/token-check-schedules';
import { facebookLogin } from './support/facebook-login';
import { bearer, createHarness, SIM_TOKEN, type Harness } from './support/harness';

/**
 * The daily token check against the simulator as Meta: company A's accounts are connected through
 * Facebook Login (60-day user tokens that expire on the simulated clock), company B's with a
 * token that never expires. What a person sees: attention items (the route, the account view,
 * /status), accounts needing re-authorisation whose syncs stop without asking Meta again, and a
 * re-connect that clears them.
 */
let h: Harness;
let accounts: string[];
let runs = 0;

const DAY = 86_400_000;

beforeAll(async () => {
  h = await createHarness({ seed: 2626, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  accounts = h.simulatorAccounts;
  expect(accounts.length).toBeGreaterThanOrEqual(3);
  await connectThroughLogin([accounts[0]!, accounts[1]!]);
  const b = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.b.write), payload: { adAccountId: accounts[2], accessToken: SIM_TOKEN } });
  expect(b.statusCode).toBe(201);
});
afterAll(async () => {
  await h?.simControl('/__sim/clock', { now: new Date().toISOString() });
  await h?.close();
});

async function connectThroughLogin(adAccountIds: string[]): Promise<void> {
  const grant = await facebookLogin(h, h.a);
  const connected = await h.inject({ method: 'POST', url: `/v1/meta/oauth/grants/${grant.grantId}/connect`, headers: bearer(h.a.write), payload: { adAccountIds } });
  expect(connected.statusCode).toBe(201);
}

const simNow = async (): Promise<Date> => new Date(((await (await fetch(`${h.simulator.url}/__sim/clock`)).json()) as { now: string }).now);
const setSimClock = (at: Date) => h.simControl('/__sim/clock', { now: at.toISOString() });
const simCalls = async (): Promise<{ total: number; byAccount: Record<string, number> }> => {
  const stats = (await (await fetch(`${h.simulator.url}/__sim/stats`)).json()) as { totalCalls: number; byAccount: Record<string, number> };
  return { total: stats.totalCalls, byAccount: stats.byAccount };
};

/** One check as the schedule runs it, measured from the simulated clock (Meta's "now"). */
async function runCheck(): Promise<TokenCheckResult> {
  return h.temporal.client.workflow.execute(tokenCheckWorkflow, {
    taskQueue: h.ctx.config.temporal.taskQueue,
    workflowId: `token-check-test-${++runs}`,
    args: [{ asOf: (await simNow()).toISOString(), batchSize: 2 }],
  });
}

const attentionOf = async (token: string, query = ''): Promise<Array<Record<string, any>>> => {
  const answer = await h.inject({ url: `/v1/attention-items${query}`, headers: bearer(token) });
  expect(answer.statusCode).toBe(200);
  return answer.json().data;
};
const accountView = async (adAccountId: string): Promise<Record<string, any>> => (await h.inject({ url: `/v1/ad-accounts/${adAccountId}`, headers: bearer(h.a.read) })).json();
const expiryOf = async (adAccountId: string): Promise<Date> => (await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })).tokenExpiresAt!;

test('a fresh token is not reported; 10 days before expiry the check reports it on the route, the account and /status, for its company only', async () => {
  const fresh = await runCheck();
  expect(fresh).toMatchObject({ checked: 3, invalid: 0, scopeWithdrawn: 0, expiring: 0, unanswered: 0, batches: 2 });
  expect(await attentionOf(h.a.read)).toEqual([]);

  const expiresAt = await expiryOf(accounts[0]!);
  await setSimClock(new Date(expiresAt.getTime() - 10 * DAY));
  const checked = await runCheck();
  expect(checked).toMatchObject({ checked: 3, invalid: 0, expiring: 2 });
  const items = await attentionOf(h.a.read);
  expect(items.map((item) => [item.adAccountId, item.kind, item.daysLeft])).toEqual([
    [accounts[0], 'token_expiring', 10],
    [accounts[1], 'token_expiring', 10],
  ]);
  expect(items[0]).toMatchObject({ tokenExpiresAt: expiresAt.toISOString(), message: expect.stringContaining('expires in 10 day(s)') });
  expect(await accountView(accounts[0]!)).toMatchObject({ status: 'connected', attention: { kind: 'token_expiring', daysLeft: 10 }, tokenCheckedAt: expect.any(String) });
  expect(await attentionOf(h.a.read, `?adAccountId=${accounts[1]}`)).toHaveLength(1);
  expect(await attentionOf(h.a.read, '?kind=needs_reauth')).toEqual([]);
  // Company B sees none of A's items (its own token never expires), nor A's account by id.
  expect(await attentionOf(h.b.read)).toEqual([]);
  expect(await attentionOf(h.b.read, `?adAccountId=${accounts[0]}`)).toEqual([]);
  const status = await h.inject({ url: '/status', headers: bearer(h.a.read) });
  expect(status.json().attention.map((item: { adAccountId: string }) => item.adAccountId)).toEqual([accounts[0], accounts[1]]);
  // Without a token /status names no account.
  expect((await h.inject({ url: '/status' })).json().attention).toBeUndefined();
  // A bad filter is a clear 400.
  const bad = await h.inject({ url: '/v1/attention-items?kind=soon', headers: bearer(h.a.read) });
  expect(bad.json().error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('kind') });
});

test('past expiry the check marks the accounts needs_reauth; their syncs then stop without calling Meta, and the next check leaves them alone', async () => {
  await setSimClock(new Date((await expiryOf(accounts[0]!)).getTime() + DAY));
  expect(await runCheck()).toMatchObject({ checked: 3, invalid: 2, expiring: 0 });
  const items = await attentionOf(h.a.read);
  expect(items.map((item) => [item.adAccountId, item.kind])).toEqual([[accounts[0], 'needs_reauth'], [accounts[1], 'needs_reauth']]);
  expect(items[0]!.message).toMatch(/Meta rejected the token .*invalid/);
  expect(await accountView(accounts[0]!)).toMatchObject({ status: 'needs_reauth', tokenStatus: 'needs_reauth', attention: { kind: 'needs_reauth' } });

  const before = await simCalls();
  for (let i = 0; i < 3; i++) {
    const started = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accounts[0]}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'incremental' } });
    expect(started.statusCode).toBe(202);
    const outcome = await h.temporal.client.workflow.getHandle(started.json().workflowId).result().then(() => 'completed', (error: Error) => (error.cause as Error | undefined)?.message ?? error.message);
    expect(outcome).toContain('needs re-authorisation');
  }
  // Three syncs, no Graph call for the account: no retry storm against a dead token.
  expect((await simCalls()).byAccount[accounts[0]!] ?? 0).toBe(before.byAccount[accounts[0]!] ?? 0);
  // The next check asks Meta only about B's token: accounts waiting for a person are not re-read.
  const again = await runCheck();
  expect(again).toMatchObject({ checked: 1, invalid: 0 });
  expect((await simCalls()).total - before.total).toBe(1);
});

test('re-connecting through Facebook Login clears it: the new token replaces that of every account the login covers', async () => {
  await setSimClock(new Date());
  await connectThroughLogin([accounts[0]!]);
  expect(await accountView(accounts[0]!)).toMatchObject({ status: 'connected', attention: null, tokenCheckedAt: null, tokenMissingScopes: [] });
  // accounts[1] was covered by the same login: its token was replaced in the same transaction.
  expect(await accountView(accounts[1]!)).toMatchObject({ status: 'connected', attention: null });
  expect(await attentionOf(h.a.read)).toEqual([]);
  expect(await runCheck()).toMatchObject({ checked: 3, invalid: 0, expiring: 0 });
  const started = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${accounts[0]}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'incremental' } });
  await expect(h.temporal.client.workflow.getHandle(started.json().workflowId).result()).resolves.toBeDefined();
});

test('a withdrawn required scope marks the account needs_reauth naming the scope', async () => {
  await h.simControl('/__sim/oauth/withdraw', { scope: 'leads_retrieval' });
  expect(await runCheck()).toMatchObject({ checked: 3, scopeWithdrawn: 2 });
  const [item] = await attentionOf(h.a.read, `?adAccountId=${accounts[0]}`);
  expect(item).toMatchObject({ kind: 'scope_withdrawn', missingScopes: ['leads_retrieval'], message: expect.stringContaining('leads_retrieval') });
  expect(await accountView(accounts[0]!)).toMatchObject({ status: 'needs_reauth', tokenMissingScopes: ['leads_retrieval'] });
  // B's token (Business Manager's static one) kept every scope.
  expect(await attentionOf(h.b.read)).toEqual([]);
});

test('the daily schedule starts the check: a triggered run checks the stored tokens', async () => {
  const scheduleId = `token-check-schedule-test-${Date.now()}`;
  await ensureTokenCheckSchedule(h.temporal.client, h.ctx.config, h.ctx.config.temporal.taskQueue, { id: scheduleId });
  const handle = h.temporal.client.schedule.getHandle(scheduleId);
  try {
    const description = await handle.describe();
    expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 5, end: 5, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    await handle.trigger();
    let workflowId: string | undefined;
    for (let i = 0; i < 200 && !workflowId; i++) {
      workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
      if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = (await h.temporal.client.workflow.getHandle(workflowId!).result()) as TokenCheckResult;
    // A's accounts (scope withdrawn) wait for a person; B's token is read.
    expect(result).toMatchObject({ checked: 1, invalid: 0, unanswered: 0 });
    const history = JSON.stringify(await h.temporal.client.workflow.getHandle(workflowId!).fetchHistory());
    for (const token of h.simulator.state.oauth.tokens.keys()) expect(history.includes(token)).toBe(false);
    expect(history.includes(SIM_TOKEN)).toBe(false);
  } finally {
    await handle.delete();
  }
});
