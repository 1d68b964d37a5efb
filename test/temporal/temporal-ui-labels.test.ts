/**
 * What an operator reads in the Temporal UI: syncs started through the operations layer (as the
 * HTTP API and MCP start them) carry a one-line summary and markdown details naming the job, the
 * account and the company by name, and a memo with both names; a company sync's children are
 * labelled with their account; activities and timers say what they do in the history. Read back
 * from the real Temporal server (describe() and the event history), run by a real worker against
 * the simulator.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { CompanySyncResult } from '../../domain/contracts/company-sync';
import { Scope, type Actor } from '../../src/operations/actor';
import type { ServiceContext } from '../../src/operations/service-context';
import { startCompanySync, startSync } from '../../src/operations/syncs';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';

const LOOKBACK_DAYS = 14;

let h: SyncHarness;
let ctx: ServiceContext;
let actor: Actor;
let client: Client;

beforeAll(async () => {
  // 14 lookback days: a daily sync of them goes through an async report (asyncMinDays), so its history has report polling timers.
  // Reports complete at their first poll: one 2 s timer, not a minute of back-off.
  h = await createSyncHarness({ seed: 1717, limits: { asyncPollsToComplete: 0 }, env: { METRICS_LOOKBACK_DAYS: String(LOOKBACK_DAYS), METRICS_ATTRIBUTION_WINDOWS: '7d_click,1d_view' } });
  await h.startWorker();
  client = h.temporal.client;
  ctx = {
    config: { ...h.config, temporal: { ...h.config.temporal, taskQueue: h.temporal.taskQueue } },
    db: h.database.db,
    temporal: client,
    runtime: { databaseMode: 'external', temporalAddress: 'test', startedAt: new Date() },
  };
  actor = { tokenId: randomUUID(), companyId: h.companyId, scopes: [Scope.Sync] };
});

afterAll(async () => {
  await h?.close();
});

function text(payload: temporal.api.common.v1.IPayload | null | undefined): string | undefined {
  return payload ? defaultPayloadConverter.fromPayload<string>(payload as Payload) : undefined;
}

/** The summaries of a run's scheduled activities and started timers, in history order. */
async function eventSummaries(handle: WorkflowHandle): Promise<{ activities: string[]; timers: string[] }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const activities: string[] = [];
  const timers: string[] = [];
  for (const event of events) {
    const summary = text(event.userMetadata?.summary);
    if (event.activityTaskScheduledEventAttributes && summary) activities.push(summary);
    if (event.timerStartedEventAttributes && summary) timers.push(summary);
  }
  return { activities, timers };
}

test('a full sync started through the fronts names its account and company in the summary, details and memo; its activities say what they read', async () => {
  const [adAccountId] = h.adAccountIds as [string];
  const started = await startSync(ctx, actor, { kind: 'full', adAccountId });
  const handle = client.workflow.getHandle(started.workflowId);
  await handle.result();

  const description = await handle.describe();
  expect(await description.staticSummary()).toBe(`Full sync of Sim Account 1 (${adAccountId})`);
  const details = await description.staticDetails();
  expect(details).toContain(`Company: **Sim Company (${h.companyId})**`);
  expect(details).toContain(`Ad account: **Sim Account 1 (${adAccountId})**`);
  expect(description.memo).toMatchObject({ companyId: h.companyId, companyName: 'Sim Company', adAccountId, accountName: 'Sim Account 1', kind: 'full-sync' });

  const { activities } = await eventSummaries(handle);
  expect(activities).toEqual(
    expect.arrayContaining([`Reading ad account ${adAccountId} from Meta`, 'Reading campaigns from Meta (all statuses)', 'Reading ads from Meta (all statuses)']),
  );
});

test('a daily metrics sync shows the days it reads, and its history labels the report polling timers and the insights reads', async () => {
  const [adAccountId] = h.adAccountIds as [string];
  // The full sync above read the account's time zone, so the front resolves the run's days itself.
  const today = (await h.truth(adAccountId)).today;
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (LOOKBACK_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const started = await startSync(ctx, actor, { kind: 'metrics', adAccountId, grain: 'daily' });
  const handle = client.workflow.getHandle(started.workflowId);
  await handle.result();

  const description = await handle.describe();
  expect(await description.staticSummary()).toBe(`Daily metrics of Sim Account 1 (${adAccountId}), ${from} → ${today}, windows 7d_click, 1d_view`);
  expect(description.memo).toMatchObject({ companyName: 'Sim Company', accountName: 'Sim Account 1', kind: 'metrics-sync' });

  const { activities, timers } = await eventSummaries(handle);
  expect(activities).toContain('Planning the days of daily metrics to read (checkpoints, lookback)');
  expect(activities).toContain(`Marking ${from} → ${today} done: a retried run resumes after them`);
  expect(activities).toContain(`Starting 4 async report(s) at Meta for ${from} → ${today}`);
  expect(activities.some((s) => /^Reading the results of \d+ finished report run\(s\)$/.test(s))).toBe(true);
  expect(timers.length).toBeGreaterThan(0);
  expect(timers[0]).toBe("Waiting for Meta's report (4 run(s)), next check in 2 s");
});

test("a company sync names the company, and each child its own account (and the company, from the parent's memo)", async () => {
  const started = await startCompanySync(ctx, actor, { kinds: ['incremental'], maxParallel: 2 });
  const parent = client.workflow.getHandle(started.workflowId);
  const result = (await parent.result()) as CompanySyncResult;
  expect(result.outcomes).toHaveLength(h.adAccountIds.length);

  const description = await parent.describe();
  expect(await description.staticSummary()).toBe(`Company sync of Sim Company (${h.companyId}): incremental, 2 account(s) at once`);
  expect(await description.staticDetails()).toContain(`Company: **Sim Company (${h.companyId})**`);
  expect(description.memo).toMatchObject({ companyId: h.companyId, companyName: 'Sim Company', kind: 'company-sync' });

  for (const outcome of result.outcomes) {
    const name = `Sim Account ${h.adAccountIds.indexOf(outcome.adAccountId) + 1}`;
    const child = await client.workflow.getHandle(outcome.workflowId).describe();
    expect(child.parentExecution?.workflowId).toBe(started.workflowId);
    expect(await child.staticSummary()).toBe(`Incremental sync of ${name} (${outcome.adAccountId})`);
    expect(await child.staticDetails()).toContain(`Ad account: **${name} (${outcome.adAccountId})**`);
    expect(child.memo).toMatchObject({ companyName: 'Sim Company', accountName: name, adAccountId: outcome.adAccountId });
  }
});
