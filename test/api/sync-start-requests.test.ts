/**
 * Issue 13, item 16: a start request never silently does less than asked. A metrics sync
 * requested while another of the same account and grain runs adds its days to that run
 * (Update-With-Start), and the answer says it attached and which days the run covers. A company
 * sync request reaching the running company sync adds the kinds it lacks and the accounts
 * connected since it started.
 */
import { addDays } from '../../domain/calendar';
import type { TruthAccount } from '../../src/simulator/truth';
import { expectDbEqualsTruth } from '../support/sync-assertions';
import { expectMatchesTruth } from '../workflows/metrics-sync-helpers';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness } from './support/harness';

let h: Harness;
let account: TruthAccount;

beforeAll(async () => {
  h = await createHarness();
  const adAccountId = h.simulatorAccounts[0]!;
  const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId, accessToken: SIM_TOKEN } });
  expect(connected.statusCode).toBe(201);
  account = await truthOf(adAccountId);
});
afterAll(async () => {
  if (process.env.DEBUG_LOGS) console.log(h?.logs.filter((l) => l.includes('"level":50')).join('\n'));
  await h?.close();
});

async function truthOf(adAccountId: string): Promise<TruthAccount> {
  const doc = (await (await fetch(`${h.simulator.url}/__sim/truth?adAccountId=${encodeURIComponent(adAccountId)}`)).json()) as { adAccounts: TruthAccount[] };
  return doc.adAccounts[0]!;
}

const truthSource = () => ({ sim: h.simulator, database: h.database, truth: truthOf });

test('a 30-day metrics request reaching a running two-day sync adds its days: attached, covers the 30 days, and the run stores all 30 as Meta reports them', async () => {
  const to = account.today;
  const from = addDays(to, -29);
  const narrowFrom = addDays(to, -1);
  const start = (body: Record<string, unknown>) =>
    h.inject({ method: 'POST', url: `/v1/ad-accounts/${account.id}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'daily', ...body } });

  // A slow Meta keeps the narrow sync running while the second request arrives.
  await h.simControl('/__sim/faults', { latencyMs: 1_500 });
  let first, second;
  try {
    first = await start({ from: narrowFrom, to });
    expect(first.statusCode).toBe(202);
    second = await start({ from, to });
  } finally {
    await h.simControl('/__sim/faults', {});
  }
  expect(first.json()).toEqual({
    workflowId: `meta-metrics-sync:${account.id}:daily`,
    runId: expect.any(String),
    attached: false,
    covers: { kind: 'metrics', grain: 'daily', days: [{ from: narrowFrom, to }], summary: expect.any(String) },
  });
  expect(second.statusCode).toBe(202);
  expect(second.json()).toEqual({
    workflowId: first.json().workflowId,
    runId: first.json().runId,
    attached: true,
    covers: { kind: 'metrics', grain: 'daily', days: [{ from, to }], summary: expect.stringContaining(`${from} → ${to}`) },
  });

  const result = await h.temporal.client.workflow.getHandle(first.json().workflowId, first.json().runId).result();
  expect(result.counts.daysDone).toBe(30);
  await expectMatchesTruth(truthSource(), account.id, 'daily', from, to);
  // One run did it all, and says so.
  const runs = await h.database.db.syncRun.findMany({ where: { adAccountId: account.id, kind: 'metrics' } });
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'completed', cursors: { from, to } });

  // Nothing runs now: the same request starts a run of its own and says so.
  const again = await start({ from: narrowFrom, to });
  expect(again.json()).toMatchObject({ attached: false, covers: { days: [{ from: narrowFrom, to }] } });
  expect(again.json().runId).not.toBe(first.json().runId);
  await h.temporal.client.workflow.getHandle(again.json().workflowId, again.json().runId).result();
});

test('a request already covered by the running sync attaches and says what the run covers; a bad day is refused and changes nothing', async () => {
  const to = account.today;
  await h.simControl('/__sim/faults', { latencyMs: 1_000 });
  let wide, inside;
  try {
    wide = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account.id}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'hourly', from: addDays(to, -2), to } });
    inside = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account.id}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'hourly', from: to, to } });
  } finally {
    await h.simControl('/__sim/faults', {});
  }
  expect(wide.json()).toMatchObject({ attached: false, covers: { grain: 'hourly', days: [{ from: addDays(to, -2), to }] } });
  expect(inside.json()).toMatchObject({ workflowId: wide.json().workflowId, runId: wide.json().runId, attached: true, covers: { days: [{ from: addDays(to, -2), to }] } });
  const bad = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${account.id}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'metrics', grain: 'hourly', from: to, to: addDays(to, -3) } });
  expect(bad.statusCode).toBe(400);
  await h.temporal.client.workflow.getHandle(wide.json().workflowId, wide.json().runId).result();
});

test('full and incremental requests reaching a running sync attach and say what it covers; a longer overlap is queued as its follow-up', async () => {
  await h.simControl('/__sim/faults', { latencyMs: 1_000 });
  let full, fullAgain, incremental, longer;
  try {
    const post = (payload: Record<string, unknown>) => h.inject({ method: 'POST', url: `/v1/ad-accounts/${account.id}/syncs`, headers: bearer(h.a.sync), payload });
    [full, incremental] = [await post({ kind: 'full' }), await post({ kind: 'incremental', overlapSeconds: 60 })];
    [fullAgain, longer] = [await post({ kind: 'full' }), await post({ kind: 'incremental', overlapSeconds: 3_600 })];
  } finally {
    await h.simControl('/__sim/faults', {});
  }
  expect(full.json()).toMatchObject({ workflowId: `meta-full-sync:${account.id}`, attached: false, covers: { kind: 'full' } });
  expect(fullAgain.json()).toMatchObject({ workflowId: full.json().workflowId, runId: full.json().runId, attached: true, covers: { kind: 'full' } });
  expect(incremental.json()).toMatchObject({ attached: false, covers: { kind: 'incremental', overlapSeconds: 60, followUp: false } });
  expect(longer.json()).toMatchObject({ runId: incremental.json().runId, attached: true, covers: { kind: 'incremental', overlapSeconds: 3_600, followUp: true } });
  // The follow-up is the same workflow continued with the longer overlap: its last run ends with it.
  const handle = h.temporal.client.workflow.getHandle(incremental.json().workflowId);
  await handle.result();
  const last = await handle.describe();
  expect(last.runId).not.toBe(incremental.json().runId);
  const runs = await h.database.db.syncRun.findMany({ where: { adAccountId: account.id, kind: 'incremental' } });
  expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
  await h.temporal.client.workflow.getHandle(full.json().workflowId).result();
});

test('a company sync request for more kinds reaching the running one (incremental only) is added to it: attached, covers both kinds and the account connected since, and every account ends fully synced', async () => {
  const [first, joined] = h.simulatorAccounts as [string, string];
  const since = new Date();
  const post = (payload: Record<string, unknown>) => h.inject({ method: 'POST', url: `/v1/companies/${COMPANY_A}/syncs`, headers: bearer(h.a.sync), payload });
  // A slow Meta keeps the incremental company sync running while an account joins and the second request arrives.
  await h.simControl('/__sim/faults', { latencyMs: 1_500 });
  let started, more;
  try {
    started = await post({ kinds: ['incremental'], maxParallel: 1 });
    expect(started.statusCode).toBe(202);
    const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: joined, accessToken: SIM_TOKEN } });
    expect(connected.statusCode).toBe(201);
    more = await post({ kinds: ['incremental', 'full'], maxParallel: 2 });
  } finally {
    await h.simControl('/__sim/faults', {});
  }
  expect(started.json()).toEqual({
    workflowId: `meta-company-sync:${COMPANY_A}`,
    runId: expect.any(String),
    attached: false,
    covers: { kind: 'company', kinds: ['incremental'], accounts: [first], maxParallel: 1, summary: expect.any(String) },
  });
  expect(more.statusCode).toBe(202);
  expect(more.json()).toEqual({
    workflowId: started.json().workflowId,
    runId: started.json().runId,
    attached: true,
    covers: { kind: 'company', kinds: ['incremental', 'full'], accounts: [first, joined], maxParallel: 2, summary: expect.stringContaining('incremental, full for 2 ad account(s)') },
  });

  // One run did it all: both kinds for both accounts, and each account's objects are Meta's.
  const result = await h.temporal.client.workflow.getHandle(started.json().workflowId, started.json().runId).result();
  const done = (result.outcomes as Array<{ adAccountId: string; kind: string; status: string }>).map((o) => `${o.adAccountId}:${o.kind}:${o.status}`).sort();
  expect(done).toEqual([`${first}:full:completed`, `${first}:incremental:completed`, `${joined}:full:completed`, `${joined}:incremental:completed`].sort());
  for (const adAccountId of [first, joined]) {
    const runs = await h.database.db.syncRun.findMany({ where: { adAccountId, kind: { in: ['full', 'incremental'] }, startedAt: { gte: since } }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((r) => `${r.kind}:${r.status}`)).toEqual(['incremental:completed', 'full:completed']);
    await expectDbEqualsTruth({ database: h.database, truth: truthOf }, adAccountId);
  }

  // Nothing runs now: the same request starts a run of its own and says so; a bad kind changes nothing.
  const again = await post({ kinds: ['incremental'] });
  expect(again.json()).toMatchObject({ attached: false, covers: { kinds: ['incremental'], accounts: [first, joined].sort() } });
  expect(again.json().runId).not.toBe(started.json().runId);
  await h.temporal.client.workflow.getHandle(again.json().workflowId, again.json().runId).result();
  const bad = await post({ kinds: ['everything'] });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('kinds') });
});
