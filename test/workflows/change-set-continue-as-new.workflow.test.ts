/**
 * A long change set hands its state to a new run when Temporal suggests it. This file runs a
 * Temporal dev server of its own that suggests it after a few dozen events, and sends one chunk
 * per activity: the set goes through several runs, each item lands once, and a confirm after the
 * hand-over still answers the first run.
 */
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { confirmChangeSet } from '../../src/operations/change-set-apply';
import { previewChangeSet } from '../../src/operations/change-set-preview';
import { freePort } from '../support/infra';
import { createChangeSetHarness, type ChangeSetHarness } from '../support/change-set-harness';

const SUGGEST_AFTER_EVENTS = 20;

let server: RunningDevServer;
let h: ChangeSetHarness;

beforeAll(async () => {
  const cliPath = process.env.TEST_TEMPORAL_CLI;
  if (!cliPath) throw new Error('TEST_TEMPORAL_CLI is not set: run the tests through jest (global setup finds the CLI)');
  server = await startDevServer({ cliPath, port: await freePort(), uiPort: false, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_AFTER_EVENTS } });
  h = await createChangeSetHarness({
    seed: 1404,
    temporalAddress: server.address,
    profile: { name: 'change-set-can', adAccounts: [{ timezone: 'UTC', currency: 'GBP', campaigns: 20, adsetsPerCampaign: 5, adsPerAdset: 4 }], insightsDays: 2, hourlyDays: 1 },
    env: { CHANGE_SET_CHUNKS_PER_ACTIVITY: '1' },
  });
  await h.startWorker();
  await h.fullSync(h.adAccountIds[0]!);
});

afterAll(async () => {
  await h?.close();
  await server?.stop();
});

test('a change set that continues as new applies every item once and keeps answering confirms with its first run', async () => {
  const adAccountId = h.adAccountIds[0]!;
  const preview = await previewChangeSet(h.ctx, h.actors.write, { adAccountId, selection: { level: 'ad', statuses: ['ACTIVE'] }, set: { status: 'PAUSED' } });
  expect(preview.itemCount).toBeGreaterThan(250);
  const mark = ((await (await fetch(`${h.sim.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
  const first = await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash });
  const result = await h.handle(first.workflowId).result();
  expect(result).toMatchObject({ status: 'completed', counts: { applied: preview.itemCount, failed: 0 } });

  const runs: string[] = [];
  for await (const execution of h.temporal.client.workflow.list({ query: `WorkflowId = '${first.workflowId}'` })) runs.push(execution.status.name);
  expect(runs.length).toBeGreaterThan(1);
  expect(runs.filter((s) => s === 'CONTINUED_AS_NEW').length).toBe(runs.length - 1);

  const writes = (await (await fetch(`${h.sim.url}/__sim/writes?summary=true&since=${mark}`)).json()) as { count: number; byObject: Record<string, number> };
  expect(writes.count).toBe(preview.itemCount);
  expect(Object.values(writes.byObject).every((n) => n === 1)).toBe(true);
  expect((await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash })).runId).toBe(first.runId);
});
