import { randomUUID } from 'node:crypto';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { WorkflowFailedError } from '@temporalio/client';
import { addDays, localDate } from '../../domain/calendar';
import { scheduleIds, workflowIds } from '../../domain/workflow-ids';
import { issueApiToken } from '../../src/operations/api-tokens';
import { configuredMetricsSyncStart, workflowStartOptions } from '../../src/temporal/workflow-starts';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness, type InjectResponse } from './support/harness';

/**
 * Starts that would do more than the caller's company or the caller's range: a rollup from a
 * company without accounts, schedule backfills that multiply runs, a metrics range given by
 * one bound only. Each is refused (or bounded) before anything starts.
 */
let h: Harness;
let account: string;
/** A company with tokens but no ad account. */
let empty: { companyId: string; sync: string };

beforeAll(async () => {
  // Schedules on, the incremental one hourly (the issue's reproduction), the metrics ones far apart.
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '100000', SCHEDULES_ENABLED: 'true', SYNC_INCREMENTAL_EVERY: '1h', SYNC_HOURLY_METRICS_EVERY: '1d' } });
  account = h.simulatorAccounts[0];
  expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  const companyId = randomUUID();
  await h.database.db.company.create({ data: { id: companyId, name: 'No accounts yet' } });
  empty = { companyId, sync: (await issueApiToken(h.database.db, { companyId, name: 'sync', scopes: ['read', 'sync'] })).token };
});
afterAll(async () => h?.close());

function expectError(response: InjectResponse, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
}

const day = (daysAgo: number): string => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

async function workflowCount(query = ''): Promise<number> {
  return (await h.temporal.client.workflow.count(`TaskQueue = '${h.temporal.taskQueue}'${query}`)).count;
}

describe('rollups', () => {
  test('a company without ad accounts is refused, and no rollup starts over anyone else\'s rows', async () => {
    await h.database.db.$executeRaw`
      INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, spend, impressions, clicks, inline_link_clicks, source)
      VALUES ('account', ${account}, '2026-01-05', ${account}, 10, 1000, 10, 5, 'meta')`;
    for (const grain of ['daily', 'monthly']) {
      const refused = await h.inject({ method: 'POST', url: '/v1/rollups', headers: bearer(empty.sync), payload: { grain, from: '2026-01-01', to: '2026-01-31' } });
      expectError(refused, 400, 'VALIDATION_ERROR');
      expect(refused.json().error.message).toContain('no ad accounts');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000)); // visibility is eventually consistent
    expect(await workflowCount(` AND CompanyId = '${empty.companyId}'`)).toBe(0);
    expect(await h.database.db.metricMonthly.count()).toBe(0);
    // The company that has an account still rolls up its own.
    expect((await h.inject({ method: 'POST', url: '/v1/rollups', headers: bearer(h.a.sync), payload: { grain: 'monthly', from: '2026-01-01', to: '2026-01-31' } })).statusCode).toBe(202);
    expect(COMPANY_A).not.toBe(empty.companyId);
  });
});

describe('schedule backfills', () => {
  test('a one-day backfill of an hourly incremental schedule starts one run, not 24, and the answer says so', async () => {
    const scheduleId = scheduleIds.incrementalSync(account);
    const response = await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleId}/backfill`, headers: bearer(h.a.sync), payload: { from: day(2), to: day(2) } });
    expect(response.statusCode).toBe(200);
    // Every run the backfill started: scheduled by this schedule for a time before today.
    const backfilled = ` AND TemporalScheduledById = '${scheduleId}' AND TemporalScheduledStartTime < '${day(0)}T00:00:00Z'`;
    for (let i = 0; i < 100 && (await workflowCount(backfilled)) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 150 && (await workflowCount(`${backfilled} AND ExecutionStatus = 'Running'`)) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // visibility is eventually consistent
    expect(await workflowCount(backfilled)).toBe(1);
    expect(response.json()).toEqual({ scheduleId, action: 'backfilled', scheduledTimes: 24, willStart: 1, overlap: 'skip' });
  });

  test('a backfill covering more scheduled times than the cap is refused before anything starts', async () => {
    const scheduleId = scheduleIds.incrementalSync(account);
    const before = await workflowCount();
    const refused = await h.inject({ method: 'POST', url: `/v1/schedules/${scheduleId}/backfill`, headers: bearer(h.a.sync), payload: { from: day(9), to: day(5) } });
    expectError(refused, 400, 'VALIDATION_ERROR');
    expect(refused.json().error.message).toContain('120 scheduled times');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await workflowCount()).toBe(before);
  });
});

describe('metrics ranges given by one bound', () => {
  /** Whether a workflow with exactly this id was ever started (scheduled runs get the action time appended). */
  async function exists(workflowId: string): Promise<boolean> {
    return h.temporal.client.workflow.getHandle(workflowId).describe().then(
      () => true,
      () => false,
    );
  }

  test('HTTP: "from" without "to" is held to the cap with "to" = today, and nothing starts', async () => {
    // The issue's reproduction: from=2024-01-01 alone planned 1,066 hourly days (the cap is 93).
    for (const [grain, from] of [['hourly', '2024-01-01'], ['hourly', day(100)], ['daily', day(1200)]] as const) {
      const refused = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain, from } });
      expectError(refused, 400, 'VALIDATION_ERROR');
      expect(refused.json().error.message).toContain(`at most ${grain === 'hourly' ? 93 : 1100} days`);
      expect(refused.json().error.message).toContain('give "to" as well');
      expect(refused.json().error.details.issues[0].path).toBe('body.from');
    }
    const future = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'hourly', from: day(-3) } });
    expectError(future, 400, 'VALIDATION_ERROR');
    expect(future.json().error.message).toContain('"from" must not be after today');
    expect(await exists(workflowIds.metricsSync(account, 'hourly'))).toBe(false);
    expect(await exists(workflowIds.metricsSync(account, 'daily'))).toBe(false);
    // Both bounds within the cap, or "to" alone (from = to − lookback), still start.
    const toOnly = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'daily', to: day(1) } });
    expect(toOnly.statusCode).toBe(202);
    expect(toOnly.json().workflowId).toBe(workflowIds.metricsSync(account, 'daily'));
  });

  test('the operation checks with the account\'s own today, where the schema can only allow for every time zone', async () => {
    // Asia/Tokyo is ahead of most of the world: 94 days back from Tokyo's today is 93 days back from
    // the earliest today anywhere for most of the day, which the schema must let through.
    const tokyo = h.simulatorAccounts[2];
    expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: tokyo, accessToken: SIM_TOKEN } })).json().timezoneName).toBe('Asia/Tokyo');
    const from = addDays(localDate(Date.now(), 'Asia/Tokyo'), -94);
    const refused = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${tokyo}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'hourly', from } });
    expectError(refused, 400, 'VALIDATION_ERROR');
    expect(refused.json().error.message).toContain('at most 93 days');
    expect(await exists(workflowIds.metricsSync(tokyo, 'hourly'))).toBe(false);
  });

  test('MCP: start_metrics_sync with "from" alone is an isError result naming the cap, and nothing starts', async () => {
    const mcp = new McpClient({ name: 'test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(h.a.sync) } }));
    try {
      const result = (await mcp.callTool({ name: 'start_metrics_sync', arguments: { adAccountId: account, grain: 'hourly', from: '2024-01-01' } })) as CallToolResult;
      expect(result.isError).toBe(true);
      const error = JSON.parse((result.content[0] as { text: string }).text).error;
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.message).toContain('at most 93 days');
    } finally {
      await mcp.close();
    }
    expect(await exists(workflowIds.metricsSync(account, 'hourly'))).toBe(false);
  });

  test('a run started past the fronts (a client on Temporal) plans nothing beyond the cap: it fails before planning', async () => {
    const spec = configuredMetricsSyncStart(h.ctx.config, { companyId: COMPANY_A, adAccountId: account, grain: 'hourly', from: '2024-01-01' });
    const workflowId = `${spec.workflowId}:direct-${randomUUID()}`;
    const handle = await h.temporal.client.workflow.start(spec.workflowType, { ...workflowStartOptions(spec, h.temporal.taskQueue), workflowId });
    const failure = await handle.result().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const messages: string[] = [];
    for (let cause: unknown = failure; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
    expect(messages.join(' | ')).toContain('at most 93 days');
    // The plan activity refused before it opened a run: no sync_runs row for it.
    expect(await h.database.db.syncRun.count({ where: { workflowId } })).toBe(0);
  });
});
