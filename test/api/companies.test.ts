import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { scheduleIds } from '../../domain/workflow-ids';
import { issueApiToken } from '../../src/operations/api-tokens';
import { ensureAllRuleSchedules, removeRuleSchedule } from '../../src/temporal/rule-schedules';
import { ensureAllAccountSchedules } from '../../src/temporal/sync-schedules';
import { bearer, COMPANY_A, COMPANY_B, createHarness, SIM_TOKEN, type Harness } from './support/harness';

/**
 * Companies through the operator's routes (create, rename, list, deactivate, reactivate, a first
 * token), what company tokens see of them, and tokens with an expiry. Deactivation is checked
 * against the real Temporal server: company B's schedules (its account's three and its rule's)
 * are paused, B's tokens answer 401 on HTTP and MCP, company A and its schedules go on; a schedule
 * of B's paused beforehand for another reason stays paused through reactivation.
 */
let h: Harness;
let accountA: string;
let accountB: string;
let ruleB: string;
/** An operator's own company, apart from A and B. */
const OPERATOR_COMPANY = randomUUID();
let operator: string;

const RULE_SPECS = {
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' }, { field: 'spent', operator: 'GREATER_THAN', value: 100 }] },
  execution_spec: { execution_type: 'PAUSE' },
  schedule_spec: { schedule_type: 'DAILY' },
};

const accountSchedules = (adAccountId: string) => [scheduleIds.incrementalSync(adAccountId), scheduleIds.hourlyMetrics(adAccountId), scheduleIds.dailyMetrics(adAccountId)];

async function scheduleStates(ids: string[]): Promise<Record<string, { paused: boolean; note: string | undefined }>> {
  const out: Record<string, { paused: boolean; note: string | undefined }> = {};
  for (const id of ids) {
    const { state } = await h.temporal.client.schedule.getHandle(id).describe();
    out[id] = { paused: state.paused, note: state.note };
  }
  return out;
}

const send = (token: string, method: string, url: string, payload?: unknown) => h.inject({ method, url, headers: bearer(token), payload });

beforeAll(async () => {
  // Schedules on, far apart, so none fires during the file.
  h = await createHarness({ env: { SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1d', SYNC_HOURLY_METRICS_EVERY: '1d' } });
  [accountA, accountB] = h.simulatorAccounts;
  await h.database.db.company.create({ data: { id: OPERATOR_COMPANY, name: 'Operators' } });
  operator = (await issueApiToken(h.database.db, { companyId: OPERATOR_COMPANY, name: 'operator', scopes: ['operator'] })).token;
  for (const [token, id] of [[h.a.write, accountA], [h.b.write, accountB]] as const) {
    expect((await send(token, 'POST', '/v1/ad-accounts', { adAccountId: id, accessToken: SIM_TOKEN })).statusCode).toBe(201);
  }
  const created = await send(h.b.write, 'POST', '/v1/rules', { adAccountId: accountB, name: "B's rule", ...RULE_SPECS });
  expect(created.statusCode).toBe(201);
  ruleB = created.json().ruleId;
  expect((await send(h.b.write, 'POST', `/v1/rules/${ruleB}/enable`)).statusCode).toBe(200);
});
afterAll(async () => {
  if (ruleB) await removeRuleSchedule(h.temporal.client, ruleB).catch(() => undefined);
  await h?.close();
});

describe('company tokens and the operator routes', () => {
  test('a company token, even an admin one, gets 403 on the id-less routes and 404 for any named company, its own included; nothing changes', async () => {
    const companiesBefore = await h.database.db.company.findMany({ orderBy: { id: 'asc' } });
    for (const token of [h.a.admin, h.a.read]) {
      const listed = await send(token, 'GET', '/v1/companies');
      expect({ status: listed.statusCode, code: listed.json().error.code, message: listed.json().error.message }).toEqual({ status: 403, code: 'FORBIDDEN', message: expect.stringContaining('"operator"') });
      expect((await send(token, 'POST', '/v1/companies', { name: 'Sneaky' })).statusCode).toBe(403);
      for (const companyId of [COMPANY_A, COMPANY_B]) {
        for (const [method, url, payload] of [
          ['GET', `/v1/companies/${companyId}`, undefined],
          ['PATCH', `/v1/companies/${companyId}`, { name: 'Taken over' }],
          ['POST', `/v1/companies/${companyId}/deactivate`, undefined],
          ['POST', `/v1/companies/${companyId}/reactivate`, undefined],
          ['POST', `/v1/companies/${companyId}/tokens`, { name: 'x', scopes: ['admin'] }],
        ] as const) {
          const response = await send(token, method, url, payload);
          expect({ route: `${method} ${url}`, status: response.statusCode, message: response.json().error?.message }).toEqual({ route: `${method} ${url}`, status: 404, message: `Company ${companyId} was not found` });
        }
      }
    }
    expect(await h.database.db.company.findMany({ orderBy: { id: 'asc' } })).toEqual(companiesBefore);
    expect(await h.database.db.apiToken.count({ where: { name: 'x' } })).toBe(0);
  });

  test('an operator creates, renames, lists and reads a company, and gives it a first admin token that works', async () => {
    const created = await send(operator, 'POST', '/v1/companies', { name: '  Acme Agency  ' });
    expect(created.statusCode).toBe(201);
    const company = created.json();
    expect(company).toMatchObject({ name: 'Acme Agency', status: 'active', deactivatedAt: null });

    const renamed = await send(operator, 'PATCH', `/v1/companies/${company.id}`, { name: 'Acme Agency GmbH' });
    expect({ status: renamed.statusCode, name: renamed.json().name }).toEqual({ status: 200, name: 'Acme Agency GmbH' });
    expect((await send(operator, 'GET', `/v1/companies/${company.id}`)).json()).toMatchObject({ id: company.id, name: 'Acme Agency GmbH' });

    // Every company, paged by id: the new one, A, B and the operator's own.
    const seen: Array<{ id: string; name: string }> = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string; name: string }>; nextCursor: string | null } = (await send(operator, 'GET', `/v1/companies?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((c) => c.id)).toEqual([company.id, COMPANY_A, COMPANY_B, OPERATOR_COMPANY].sort());
    expect(seen.find((c) => c.id === company.id)?.name).toBe('Acme Agency GmbH');

    // The operator scope is never granted through the API, not even by an operator.
    const refused = await send(operator, 'POST', `/v1/companies/${company.id}/tokens`, { name: 'op', scopes: ['operator'] });
    expect({ status: refused.statusCode, code: refused.json().error.code, message: refused.json().error.message }).toEqual({ status: 400, code: 'VALIDATION_ERROR', message: expect.stringContaining('npm run token:create') });
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const issued = await send(operator, 'POST', `/v1/companies/${company.id}/tokens`, { name: 'first admin', scopes: ['admin'], expiresAt });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ companyId: company.id, scopes: ['admin'], expiresAt, status: 'active', token: expect.stringMatching(/^mao_/) });
    // The new company's admin sees its own token, and none of anyone else's.
    const own = (await send(issued.json().token, 'GET', '/v1/tokens')).json();
    expect(own.data.map((t: { id: string }) => t.id)).toEqual([issued.json().id]);

    const audits = await h.database.db.auditEvent.findMany({ where: { targetId: { in: [company.id, issued.json().id] } }, orderBy: { occurredAt: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['company.create', 'company.rename', 'api_token.create']);
    expect(audits.every((a) => a.actor.startsWith('token:') && !JSON.stringify(a.details).includes(issued.json().token))).toBe(true);
  });

  test('bad input is refused with the field named, and changes nothing', async () => {
    const count = await h.database.db.company.count();
    for (const [method, url, payload, field] of [
      ['POST', '/v1/companies', { name: '   ' }, 'name'],
      ['POST', '/v1/companies', { name: 'x', id: COMPANY_A }, 'id'],
      ['PATCH', `/v1/companies/${COMPANY_A}`, { name: '' }, 'name'],
      ['PATCH', '/v1/companies/not-a-uuid', { name: 'x' }, 'companyId'],
      ['GET', '/v1/companies?status=sleeping', undefined, 'status'],
    ] as const) {
      const response = await send(operator, method, url, payload);
      expect({ status: response.statusCode, code: response.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
      expect(response.json().error.message).toContain(field);
    }
    expect(await h.database.db.company.count()).toBe(count);
    expect((await h.database.db.company.findUniqueOrThrow({ where: { id: COMPANY_A } })).name).toBe('Company A');
  });
});

describe('deactivation', () => {
  test("pauses the company's running schedules and refuses its tokens; the other company goes on; reactivation resumes only what it paused", async () => {
    const bSchedules = [...accountSchedules(accountB), scheduleIds.rule(ruleB)].sort();
    // One of B's schedules was paused beforehand, for another reason: deactivation leaves it be.
    const held = scheduleIds.dailyMetrics(accountB);
    expect((await send(h.b.sync, 'POST', `/v1/schedules/${held}/pause`, { note: 'maintenance window' })).statusCode).toBe(200);
    const aBefore = await scheduleStates(accountSchedules(accountA));
    expect(Object.values(aBefore).every((s) => !s.paused)).toBe(true);

    // The operator's own company cannot be deactivated by its token (it would lock itself out).
    const self = await send(operator, 'POST', `/v1/companies/${OPERATOR_COMPANY}/deactivate`);
    expect({ status: self.statusCode, code: self.json().error.code }).toEqual({ status: 409, code: 'CONFLICT' });

    const deactivated = await send(operator, 'POST', `/v1/companies/${COMPANY_B}/deactivate`);
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json()).toMatchObject({ id: COMPANY_B, status: 'deactivated', deactivatedAt: expect.any(String) });
    expect(deactivated.json().pausedSchedules).toEqual(bSchedules.filter((id) => id !== held));

    const bAfter = await scheduleStates(bSchedules);
    expect(Object.values(bAfter).every((s) => s.paused)).toBe(true);
    expect(bAfter[held]!.note).toContain('maintenance window');
    expect(bAfter[scheduleIds.incrementalSync(accountB)]!.note).toMatch(/^Incremental entity sync of act_\d+ every 1d — paused: company deactivated by token /);

    // Every token of B's is refused, on HTTP and MCP alike; A's work and A's schedules run on.
    for (const token of Object.values(h.b)) {
      const refused = await send(token, 'GET', '/v1/ad-accounts');
      expect({ status: refused.statusCode, code: refused.json().error.code, message: refused.json().error.message }).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: 'The company of this API token is deactivated: ask the service operator to reactivate it',
      });
    }
    const mcp = await h.inject({ method: 'POST', url: '/mcp', headers: { ...bearer(h.b.admin), accept: 'application/json, text/event-stream' }, payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(mcp.statusCode).toBe(401);
    const aListed = await send(h.a.read, 'GET', '/v1/ad-accounts');
    expect({ status: aListed.statusCode, ids: aListed.json().data.map((a: { id: string }) => a.id) }).toEqual({ status: 200, ids: [accountA] });
    expect(await scheduleStates(accountSchedules(accountA))).toEqual(aBefore);
    expect((await send(operator, 'GET', '/v1/companies?status=deactivated')).json().data.map((c: { id: string }) => c.id)).toEqual([COMPANY_B]);

    // Again: nothing left to pause, still deactivated, the first time kept.
    const again = await send(operator, 'POST', `/v1/companies/${COMPANY_B}/deactivate`);
    expect(again.json()).toMatchObject({ status: 'deactivated', deactivatedAt: deactivated.json().deactivatedAt, pausedSchedules: [] });

    const reactivated = await send(operator, 'POST', `/v1/companies/${COMPANY_B}/reactivate`);
    expect(reactivated.statusCode).toBe(200);
    expect(reactivated.json()).toMatchObject({ id: COMPANY_B, status: 'active', deactivatedAt: null });
    expect(reactivated.json().resumedSchedules).toEqual(deactivated.json().pausedSchedules);
    const resumed = await scheduleStates(bSchedules);
    expect(Object.entries(resumed).filter(([, s]) => s.paused).map(([id]) => id)).toEqual([held]);
    expect(resumed[held]!.note).toContain('maintenance window');
    // The resumed schedules' notes are their descriptions again.
    expect(resumed[scheduleIds.incrementalSync(accountB)]!.note).toBe(`Incremental entity sync of ${accountB} every 1d`);
    expect((await send(h.b.read, 'GET', '/v1/ad-accounts')).statusCode).toBe(200);
    expect(await scheduleStates(accountSchedules(accountA))).toEqual(aBefore);

    const audits = await h.database.db.auditEvent.findMany({ where: { targetId: COMPANY_B, targetType: 'company' }, orderBy: { occurredAt: 'asc' } });
    expect(audits.map((a) => [a.action, a.details])).toEqual([
      ['company.deactivate', { pausedSchedules: deactivated.json().pausedSchedules }],
      ['company.deactivate', { pausedSchedules: [] }],
      ['company.reactivate', { resumedSchedules: deactivated.json().pausedSchedules }],
    ]);
  });
});

test('over MCP stdio, a process started with a token of the company stops answering its tools once the company is deactivated, and answers again after reactivation', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main/mcp-stdio.ts'],
    cwd: path.resolve(__dirname, '../..'),
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: h.database.url, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS ?? '',
      TEMPORAL_TASK_QUEUE: h.temporal.taskQueue, META_GRAPH_URL: h.simulator.url, DATA_DIR: h.dataDir, LOG_LEVEL: 'silent', META_ORCHESTRATOR_TOKEN: h.b.read,
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'companies-stdio', version: '1' });
  await client.connect(transport);
  try {
    const listAccounts = () => client.callTool({ name: 'list_ad_accounts', arguments: {} }) as Promise<CallToolResult>;
    expect((await listAccounts()).structuredContent).toMatchObject({ data: [{ id: accountB }] });
    expect((await send(operator, 'POST', `/v1/companies/${COMPANY_B}/deactivate`)).statusCode).toBe(200);
    await expect(listAccounts()).rejects.toThrow('The company of this API token is deactivated: ask the service operator to reactivate it');
    expect((await send(operator, 'POST', `/v1/companies/${COMPANY_B}/reactivate`)).statusCode).toBe(200);
    expect((await listAccounts()).structuredContent).toMatchObject({ data: [{ id: accountB }] });
  } finally {
    await client.close();
  }
});

test("a worker start-up while a company is deactivated does not recreate its missing schedules (they would run); its reactivation does", async () => {
  expect((await send(operator, 'POST', `/v1/companies/${COMPANY_B}/deactivate`)).statusCode).toBe(200);
  // As on a new Temporal cluster: one of B's schedules and one of A's are gone.
  const goneB = scheduleIds.incrementalSync(accountB);
  const goneA = scheduleIds.incrementalSync(accountA);
  await h.temporal.client.schedule.getHandle(goneB).delete();
  await h.temporal.client.schedule.getHandle(goneA).delete();
  const config = h.ctx.config;
  // What the worker runs at start-up (src/main/service.ts).
  expect(await ensureAllAccountSchedules(h.temporal.client, config, h.database.db)).toEqual({ adAccounts: 1, schedules: 3 });
  expect(await ensureAllRuleSchedules(h.temporal.client, h.database.db, config.temporal.taskQueue)).toBe(0);
  expect((await scheduleStates([goneA]))[goneA]!.paused).toBe(false);
  await expect(h.temporal.client.schedule.getHandle(goneB).describe()).rejects.toThrow(/not found/i);

  const reactivated = await send(operator, 'POST', `/v1/companies/${COMPANY_B}/reactivate`);
  expect(reactivated.statusCode).toBe(200);
  // B's daily metrics stay paused for their maintenance window (the first test); the deleted one had nothing to resume.
  expect(reactivated.json().resumedSchedules).toEqual([scheduleIds.hourlyMetrics(accountB), scheduleIds.rule(ruleB)].sort());
  const states = await scheduleStates([...accountSchedules(accountB), scheduleIds.rule(ruleB)]);
  expect(Object.entries(states).filter(([, state]) => state.paused).map(([id]) => id)).toEqual([scheduleIds.dailyMetrics(accountB)]);
  expect(states[goneB]).toEqual({ paused: false, note: `Incremental entity sync of ${accountB} every 1d` });
});

describe('company admin tokens with an expiry', () => {
  test('created with scopes and an expiry, listed with both, revoked; an expired one answers 401', async () => {
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const created = await send(h.a.admin, 'POST', '/v1/tokens', { name: 'ci', scopes: ['read', 'sync'], expiresAt });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'ci', scopes: ['read', 'sync'], expiresAt, status: 'active', revokedAt: null });
    expect((await send(created.json().token, 'GET', '/v1/ad-accounts')).statusCode).toBe(200);

    const listed = (await send(h.a.admin, 'GET', '/v1/tokens?limit=200')).json().data.find((t: { id: string }) => t.id === created.json().id);
    expect(listed).toEqual({ ...created.json(), token: undefined, lastUsedAt: expect.any(String) });

    for (const [payload, message] of [
      [{ name: 'old', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt must be in the future'],
      [{ name: 'far', scopes: ['read'], expiresAt: '2099-01-01T00:00:00Z' }, 'expiresAt may be at most 2 years away'],
      [{ name: 'bad', scopes: ['read'], expiresAt: 'next tuesday' }, 'expiresAt'],
    ] as const) {
      const refused = await send(h.a.admin, 'POST', '/v1/tokens', payload);
      expect({ status: refused.statusCode, code: refused.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
      expect(refused.json().error.message).toContain(message);
    }
    expect(await h.database.db.apiToken.count({ where: { name: { in: ['old', 'far', 'bad'] } } })).toBe(0);

    // Time passes (moved in the database, as the clock would): the token is refused, and listed as expired.
    await h.database.db.apiToken.update({ where: { id: created.json().id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await send(created.json().token, 'GET', '/v1/ad-accounts');
    expect({ status: expired.statusCode, message: expired.json().error.message }).toEqual({ status: 401, message: 'The API token is unknown, revoked or expired' });
    expect((await send(h.a.admin, 'GET', '/v1/tokens?limit=200')).json().data.find((t: { id: string }) => t.id === created.json().id).status).toBe('expired');

    const revoked = await send(h.a.admin, 'DELETE', `/v1/tokens/${created.json().id}`);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
  });
});
