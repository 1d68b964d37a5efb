// Small edges of the HTTP API a client runs into (issue 13, item 17): each test states what a
// client sends and what it must see back.
import { scheduleIds } from '../../domain/workflow-ids';
import { pauseSchedule } from '../../src/operations/schedules';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness } from './support/harness';

let h: Harness;
let account: string;

beforeAll(async () => {
  // Schedules on (as in production) but far apart, so none fires during the file; no worker needed.
  h = await createHarness({ env: { SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1d', SYNC_HOURLY_METRICS_EVERY: '1d' }, worker: false });
  account = h.simulatorAccounts[0]!;
  const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } });
  expect(connected.statusCode).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

test('an impossible date is reported once, on its own field, not also as a reversed range', async () => {
  const metrics = await h.inject({ url: `/v1/metrics?adAccountId=${account}&from=2026-13-45&to=2026-01-05`, headers: bearer(h.a.read) });
  expect(metrics.statusCode).toBe(400);
  expect(metrics.json().error.details.issues).toEqual([{ path: 'querystring.from', message: expect.stringContaining('real calendar date') }]);
  expect(metrics.json().error.message).not.toContain('must not be before');

  const sync = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'daily', from: '2026-01-10', to: '2026-02-30' } });
  expect(sync.statusCode).toBe(400);
  expect(sync.json().error.details.issues).toEqual([{ path: 'body.to', message: expect.stringContaining('real calendar date') }]);
  // A real reversed range is still refused as such.
  const reversed = await h.inject({ url: `/v1/metrics?adAccountId=${account}&from=2026-01-10&to=2026-01-05`, headers: bearer(h.a.read) });
  expect(reversed.json().error.details.issues).toEqual([{ path: 'querystring.to', message: '"to" must not be before "from"' }]);
});

test('a body over the limit answers 413 with a code of its own', async () => {
  const big = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: 'x'.repeat(2 * 1024 * 1024) } });
  expect(big.statusCode).toBe(413);
  expect(big.json().error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large', requestId: big.headers['x-request-id'] });
});

test('a POST with Content-Type: application/json and no body is "no body": accepted where the body is optional, named where it is required', async () => {
  const json = { ...bearer(h.a.sync), 'content-type': 'application/json' };
  const id = scheduleIds.dailyMetrics(account);
  // What `curl -X POST -H 'Content-Type: application/json' …` and many client libraries send.
  const paused = await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: json });
  expect({ status: paused.statusCode, body: paused.json() }).toEqual({ status: 200, body: { scheduleId: id, action: 'paused' } });
  expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/unpause`, headers: json })).statusCode).toBe(200);
  const cancel = await h.inject({ method: 'POST', url: `/v1/workflows/meta-full-sync:${account}/cancel`, headers: json });
  expect({ status: cancel.statusCode, code: cancel.json().error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  const connect = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: { ...bearer(h.a.write), 'content-type': 'application/json' } });
  expect({ status: connect.statusCode, code: connect.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  expect(connect.json().error.message).toContain('body');
  // Whitespace is no body either; broken JSON is still broken.
  expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: json, payload: '  \n' })).statusCode).toBe(200);
  const broken = await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: json, payload: '{"note":' });
  expect({ status: broken.statusCode, code: broken.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  const poisoned = await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: json, payload: '{"__proto__":{"x":1}}' });
  expect(poisoned.statusCode).toBe(400);
});

test('pausing a schedule keeps its description; resuming restores it', async () => {
  const id = scheduleIds.hourlyMetrics(account);
  const note = async (): Promise<string | undefined> => (await h.temporal.client.schedule.getHandle(id).describe()).state.note;
  const description = `Hourly metrics of ${account} every 1d`;
  expect(await note()).toBe(description);

  expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: bearer(h.a.sync), payload: { note: 'maintenance' } })).statusCode).toBe(200);
  // What an operator reads in the Temporal UI: what the schedule does, then why it is paused.
  expect(await note()).toBe(`${description} — paused: maintenance`);
  const listed = (await h.inject({ url: '/v1/schedules', headers: bearer(h.a.read) })).json().data.find((s: { scheduleId: string }) => s.scheduleId === id);
  expect(listed).toMatchObject({ paused: true, description, note: `${description} — paused: maintenance` });
  // A second pause replaces the reason, not the description.
  await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: bearer(h.a.sync), payload: { note: 'still down' } });
  expect(await note()).toBe(`${description} — paused: still down`);

  expect((await h.inject({ method: 'POST', url: `/v1/schedules/${id}/unpause`, headers: bearer(h.a.sync) })).statusCode).toBe(200);
  expect(await note()).toBe(description);
  await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: bearer(h.a.sync) });
  expect(await note()).toMatch(new RegExp(`^${description} — paused: through the API by token `));
  await h.inject({ method: 'POST', url: `/v1/schedules/${id}/unpause`, headers: bearer(h.a.sync), payload: { note: 'fixed' } });
  expect(await note()).toBe(`${description} — resumed: fixed`);
});

test('a client-supplied request id reaches the audit log only when it is a short id of safe characters', async () => {
  const id = scheduleIds.incrementalSync(account);
  const auditRows = () => h.database.db.auditEvent.findMany({ where: { companyId: COMPANY_A, action: 'schedule.paused', targetId: id }, orderBy: { id: 'asc' } });

  const good = await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: { ...bearer(h.a.sync), 'x-request-id': 'client-req.42' } });
  expect(good.headers['x-request-id']).toBe('client-req.42');
  const hostile = `${'x'.repeat(5000)}<script>`;
  const long = await h.inject({ method: 'POST', url: `/v1/schedules/${id}/pause`, headers: { ...bearer(h.a.sync), 'x-request-id': hostile } });
  expect(long.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  // An operation called by another front (or a future one) with an unchecked id stores none of it.
  const actor = { tokenId: 'test', companyId: COMPANY_A, scopes: ['sync' as const] };
  await pauseSchedule(h.ctx, actor, { scheduleId: id }, { requestId: `evil\nid ${hostile}` });
  await pauseSchedule(h.ctx, actor, { scheduleId: id }, { requestId: 'ä'.repeat(10) });

  const rows = await auditRows();
  expect(rows.map((row) => row.requestId)).toEqual(['client-req.42', long.headers['x-request-id'], null, null]);
});

test('/info shows internal addresses only to a caller with a valid token', async () => {
  const anonymous = await h.inject({ url: '/info' });
  expect(anonymous.statusCode).toBe(200);
  expect(anonymous.json()).toEqual({ name: 'meta-ads-orchestrator', version: expect.any(String), mode: 'demo', metaApiVersion: 'v24.0', database: 'external', startedAt: expect.any(String) });
  const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS!;
  expect(anonymous.body).not.toContain(temporalAddress);
  expect(anonymous.body).not.toContain(h.simulator.url);

  const withToken = await h.inject({ url: '/info', headers: bearer(h.a.read) });
  expect(withToken.json()).toMatchObject({ metaGraphUrl: h.simulator.url, temporal: { address: temporalAddress, namespace: 'default', taskQueue: h.temporal.taskQueue } });
  const wrongToken = await h.inject({ url: '/info', headers: bearer(`mao_${'y'.repeat(43)}`) });
  expect({ status: wrongToken.statusCode, code: wrongToken.json().error.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
});
