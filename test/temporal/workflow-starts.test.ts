/**
 * Every start of a metrics sync carries the configured lookback and attribution windows, not
 * only the fronts' starts: a run started by its Temporal Schedule and a company sync's metrics
 * children get METRICS_LOOKBACK_DAYS and METRICS_ATTRIBUTION_WINDOWS too, and plan exactly that
 * lookback. Checked on the real stack: schedules created as the worker's start-up creates them,
 * triggered on the test Temporal server, run by a real worker against the simulator.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { addDays, daysBetween } from '../../domain/calendar';
import type { CompanySyncResult } from '../../domain/contracts/company-sync';
import type { MetricsSyncInput, MetricsSyncPlan } from '../../domain/contracts/metrics-sync';
import { scheduleIds } from '../../domain/workflow-ids';
import type { Config } from '../../src/config';
import { Scope, type Actor } from '../../src/operations/actor';
import type { ServiceContext } from '../../src/operations/service-context';
import { startCompanySync } from '../../src/operations/syncs';
import { ensureAllAccountSchedules, removeAdAccountSyncSchedules } from '../../src/temporal/sync-schedules';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';

const LOOKBACK_DAYS = 5;
// Neither is the built-in default (7d_click, 1d_view), so a start that forgets them shows.
const WINDOWS = ['1d_click', '28d_click'];

let h: SyncHarness;
let config: Config;
let client: Client;

beforeAll(async () => {
  h = await createSyncHarness({ env: { METRICS_LOOKBACK_DAYS: String(LOOKBACK_DAYS), METRICS_ATTRIBUTION_WINDOWS: WINDOWS.join(',') } });
  // The schedules start their runs on this file's task queue, where the harness worker listens.
  config = { ...h.config, temporal: { ...h.config.temporal, taskQueue: h.temporal.taskQueue } };
  client = h.temporal.client;
  await h.startWorker();
});

afterAll(async () => {
  for (const adAccountId of h?.adAccountIds ?? []) await removeAdAccountSyncSchedules(client, adAccountId).catch(() => undefined);
  await h?.close();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function decode<T>(payloads: Payload[] | null | undefined): T {
  return defaultPayloadConverter.fromPayload<T>(payloads![0]!);
}

/** What a finished metrics sync was started with and what it planned, read from its history. */
async function inputAndPlan(handle: WorkflowHandle): Promise<{ input: MetricsSyncInput; planInput: { lookbackDays: number }; plan: MetricsSyncPlan }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  expect(started?.workflowType?.name).toBe('metricsSyncWorkflow');
  const input = decode<MetricsSyncInput>(started?.input?.payloads as Payload[]);
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'planMetricsSync');
  const completed = events.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  const planInput = decode<{ lookbackDays: number }>(scheduled?.activityTaskScheduledEventAttributes?.input?.payloads as Payload[]);
  const plan = decode<MetricsSyncPlan>(completed?.activityTaskCompletedEventAttributes?.result?.payloads as Payload[]);
  return { input, planInput, plan };
}

/** The configured lookback, planned as such: five local days ending today, all re-read. */
function expectConfiguredPlan(run: { input: MetricsSyncInput; planInput: { lookbackDays: number }; plan: MetricsSyncPlan }): void {
  expect(run.input).toMatchObject({ grain: 'daily', lookbackDays: LOOKBACK_DAYS, attributionWindows: WINDOWS });
  expect(run.planInput.lookbackDays).toBe(LOOKBACK_DAYS);
  expect(run.plan.lookbackFrom).toBe(addDays(run.plan.today, -(LOOKBACK_DAYS - 1)));
  expect([run.plan.from, run.plan.to]).toEqual([run.plan.lookbackFrom, run.plan.today]);
  expect(daysBetween(run.plan.from, run.plan.to) + 1).toBe(LOOKBACK_DAYS);
}

/** The configured windows, each read, plus `value`, Meta's total over the requested windows. */
const EXPECTED_STORED_WINDOWS = [...WINDOWS, 'value'].sort();

/** Attribution windows of the action rows stored for an account. */
async function storedWindows(adAccountId: string): Promise<string[]> {
  const rows = await h.database.db.$queryRaw<Array<{ w: string }>>`
    SELECT DISTINCT attribution_window AS w FROM metrics_daily_actions WHERE ad_account_id = ${adAccountId}`;
  return rows.map((row) => row.w).sort();
}

test('a daily metrics sync started by its Temporal Schedule runs with the configured lookback and attribution windows', async () => {
  // Worker start-up's path: every connected account gets its schedules from the config.
  expect(await ensureAllAccountSchedules(client, config, h.database.db)).toEqual({ adAccounts: h.adAccountIds.length, schedules: 3 * h.adAccountIds.length });
  const [adAccountId] = h.adAccountIds as [string];
  const schedule = client.schedule.getHandle(scheduleIds.dailyMetrics(adAccountId));
  const before = (await schedule.describe()).info.numActionsTaken;
  await schedule.trigger();
  const workflowId = await waitFor('the triggered run', async () => {
    const info = (await schedule.describe()).info;
    return info.numActionsTaken > before ? info.recentActions.at(-1)?.action.workflow.workflowId : undefined;
  });
  const handle = client.workflow.getHandle(workflowId);
  await handle.result();

  expectConfiguredPlan(await inputAndPlan(handle));
  expect(await storedWindows(adAccountId)).toEqual(EXPECTED_STORED_WINDOWS);
  // What an operator reads in the Temporal UI's list.
  const description = await handle.describe();
  expect(await description.staticSummary()).toBe(`Daily metrics of Sim Account 1 (${adAccountId}), last ${LOOKBACK_DAYS} days, windows ${WINDOWS.join(', ')}`);
});

test("a company sync's metrics children run with the configured lookback and attribution windows", async () => {
  const ctx: ServiceContext = {
    config,
    db: h.database.db,
    temporal: client,
    runtime: { databaseMode: 'external', temporalAddress: 'test', startedAt: new Date() },
  };
  const actor: Actor = { tokenId: randomUUID(), companyId: h.companyId, scopes: [Scope.Sync] };
  const started = await startCompanySync(ctx, actor, { kinds: ['metrics-daily'], maxParallel: 2 });
  const parent = client.workflow.getHandle(started.workflowId);
  const result = (await parent.result()) as CompanySyncResult;
  // Outcomes arrive in completion order.
  expect(result.outcomes.map((o) => [o.adAccountId, o.status]).sort()).toEqual(h.adAccountIds.map((id) => [id, 'completed']).sort());

  for (const outcome of result.outcomes) {
    const child = client.workflow.getHandle(outcome.workflowId);
    expectConfiguredPlan(await inputAndPlan(child));
    expect(await (await child.describe()).staticSummary()).toBe(
      `Daily metrics of Sim Account ${h.adAccountIds.indexOf(outcome.adAccountId) + 1} (${outcome.adAccountId}), last ${LOOKBACK_DAYS} days, windows ${WINDOWS.join(', ')}`,
    );
    expect(await storedWindows(outcome.adAccountId)).toEqual(EXPECTED_STORED_WINDOWS);
  }
  expect(await (await parent.describe()).staticSummary()).toBe(`Company sync of Sim Company (${h.companyId}): metrics-daily, 2 account(s) at once`);
});
