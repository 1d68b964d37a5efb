import type { ChangeSetResult } from '../../domain/contracts/change-set';
import { cancelChangeSet, confirmChangeSet } from '../../src/operations/change-set-apply';
import { previewChangeSet } from '../../src/operations/change-set-preview';
import { getChangeSet } from '../../src/operations/change-sets';
import { createAd, createAdSet, createCampaign } from '../../src/operations/object-creates';
import { getLimits, putLimits } from '../../src/operations/ad-account-limits';
import { ForbiddenError } from '../../src/errors';
import { createChangeSetHarness, type ChangeSetHarness } from '../support/change-set-harness';

let h: ChangeSetHarness;
let adAccountId: string;

beforeAll(async () => {
  h = await createChangeSetHarness({
    seed: 1303,
    profile: { name: 'change-set-limits', adAccounts: [{ timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 12, adsetsPerCampaign: 3, adsPerAdset: 2 }], insightsDays: 2, hourlyDays: 1 },
    // Meta says an hour; the test waits seconds and moves the simulated clock instead.
    env: { CHANGE_SET_OBJECT_LIMIT_WAIT: '2s' },
  });
  await h.startWorker();
  adAccountId = h.adAccountIds[0]!;
  await h.fullSync(adAccountId);
});

afterAll(async () => {
  await h?.close();
});

async function simWrites(query: string): Promise<{ count: number; writes: Array<{ objectId: string; kind: string; fields: Record<string, unknown> }> }> {
  const res = await fetch(`${h.sim.url}/__sim/writes?${query}`);
  return (await res.json()) as { count: number; writes: Array<{ objectId: string; kind: string; fields: Record<string, unknown> }> };
}

async function moveClock(minutes: number): Promise<void> {
  const now = ((await (await fetch(`${h.sim.url}/__sim/clock`)).json()) as { now: string }).now;
  await h.simControl('/__sim/clock', { now: new Date(Date.parse(now) + minutes * 60_000).toISOString() });
}

/** Ad sets with a budget of their own (not under a campaign budget), active, and active ads. */
async function targets() {
  const db = h.database.db;
  const adsets = await db.adSet.findMany({ where: { adAccountId, status: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' } });
  const ads = await db.ad.findMany({ where: { adAccountId, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
  return { adsets, ads };
}

/** Uses up an ad set's four budget changes of the hour on Meta, as a person in Ads Manager would, then syncs. */
async function exhaustBudgetChanges(adsetId: string, from: bigint): Promise<bigint> {
  let value = from;
  for (let i = 0; i < 4; i++) {
    value += 100n;
    await h.graphPost(adsetId, { daily_budget: value.toString() });
  }
  await h.incrementalSync(adAccountId);
  return value;
}

test("the 5th budget change of an ad set within the hour is deferred and applied after Meta's window, while the other items and the account's syncs go on", async () => {
  const { adsets, ads } = await targets();
  const [x, y] = [adsets[0]!, adsets[1]!];
  const current = await exhaustBudgetChanges(x.id, BigInt(x.dailyBudget!.times(100).toFixed(0)));
  const preview = await previewChangeSet(h.ctx, h.actors.write, {
    adAccountId,
    items: [
      { id: x.id, level: 'adset', set: { dailyBudget: { percent: 10 } } },
      { id: y.id, level: 'adset', set: { dailyBudget: { percent: 10 } } },
      { id: ads[0]!.id, level: 'ad', set: { status: 'PAUSED' } },
      { id: ads[1]!.id, level: 'ad', set: { status: 'PAUSED' } },
    ],
  });
  expect(preview.items[0]!.changes.dailyBudget!.before).toBe((Number(current) / 100).toFixed(2));
  // A second set on the same ad set, previewed before the first is confirmed.
  const rival = await previewChangeSet(h.ctx, h.actors.write, { adAccountId, items: [{ id: x.id, level: 'adset', set: { dailyBudget: { percent: -5 } } }] });
  expect(rival.violationCount).toBe(0);
  const { workflowId } = await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash });

  const waiting = await h.waitForProgress(workflowId, (p) => p.counters?.deferred === 1 && p.counters?.applied === 3);
  expect(waiting.phase).toMatch(/per-object limit/);
  const deferred = await getChangeSet(h.ctx, h.actors.read, { changeSetId: preview.changeSetId, itemStatus: 'deferred' });
  expect(deferred.items).toEqual([expect.objectContaining({ objectId: x.id, status: 'deferred', error: expect.objectContaining({ metaCode: 613, metaSubcode: 1487632 }) })]);
  expect(Date.parse(deferred.items[0]!.notBefore!)).toBeGreaterThan(Date.now() - 5_000);
  // The account is not throttled: its sync runs while the item waits.
  await h.incrementalSync(adAccountId);
  expect((await h.database.db.adAccountLimit.findUnique({ where: { adAccountId } }))?.throttledUntil ?? null).toBeNull();
  expect((await h.handle(workflowId).describe()).status.name).toBe('RUNNING');
  // One outstanding change per object: the rival cannot be confirmed now, and a new preview names the holder.
  await expect(confirmChangeSet(h.ctx, h.actors.write, { changeSetId: rival.changeSetId, planHash: rival.planHash })).rejects.toMatchObject({
    code: 'CONFLICT',
    details: expect.objectContaining({ reason: 'outstanding_change' }),
  });
  expect((await getChangeSet(h.ctx, h.actors.read, { changeSetId: rival.changeSetId })).status).toBe('previewed');
  const blocked = await previewChangeSet(h.ctx, h.actors.write, { adAccountId, items: [{ id: x.id, level: 'adset', set: { name: 'renamed meanwhile' } }] });
  expect(blocked.violations).toEqual([expect.objectContaining({ code: 'OUTSTANDING_CHANGE', objectId: x.id })]);
  expect(blocked.violations[0]!.message).toContain(preview.changeSetId);
  await cancelChangeSet(h.ctx, h.actors.write, { changeSetId: rival.changeSetId });

  // Meta's hour passes on the simulated clock: the next try lands.
  await moveClock(61);
  const result: ChangeSetResult = await h.handle(workflowId).result();
  expect(result).toMatchObject({ status: 'completed', counts: { applied: 4, deferred: 0, failed: 0 } });
  const expected = ((current * 11n) / 10n).toString();
  expect((await h.truth(adAccountId)).objects.adsets.find((s) => s.id === x.id)!.daily_budget).toBe(expected);
  const xWrites = await simWrites(`objectId=${x.id}`);
  expect(xWrites.writes.map((w) => w.fields.daily_budget)).toEqual([...[1n, 2n, 3n, 4n].map((k) => (current - 400n + k * 100n).toString()), expected]);
});

test('a cancel while an item waits for its window cancels it; what was applied stays applied', async () => {
  const { adsets, ads } = await targets();
  const z = adsets[2]!;
  await exhaustBudgetChanges(z.id, BigInt(z.dailyBudget!.times(100).toFixed(0)));
  const preview = await previewChangeSet(h.ctx, h.actors.write, {
    adAccountId,
    items: [
      { id: z.id, level: 'adset', set: { dailyBudget: { percent: -10 } } },
      { id: ads[2]!.id, level: 'ad', set: { status: 'PAUSED' } },
    ],
    confirm: true,
  });
  expect(preview.confirmation.state).toBe('confirmed');
  await h.waitForProgress(preview.workflowId!, (p) => p.counters?.deferred === 1 && p.counters?.applied === 1);
  expect(await cancelChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId })).toMatchObject({ status: 'cancel_requested' });
  const result = await h.handle(preview.workflowId!).result();
  expect(result).toMatchObject({ status: 'canceled', counts: { applied: 1, canceled: 1, deferred: 0 } });
  expect(await h.database.db.ad.findUniqueOrThrow({ where: { id: ads[2]!.id } })).toMatchObject({ status: 'PAUSED' });
  expect((await simWrites(`objectId=${z.id}`)).count).toBe(4);
});

test('caps are read by anyone and set by admins only; a capped preview is refused with the cap named', async () => {
  await expect(putLimits(h.ctx, h.actors.write, { adAccountId, maxDailyBudget: '100' })).rejects.toThrow(ForbiddenError);
  const limits = await putLimits(h.ctx, h.actors.admin, { adAccountId, maxDailyBudget: '100.00', maxBudgetIncreasePct: 25 });
  expect(limits).toMatchObject({ adAccountId, currency: 'USD', maxDailyBudget: '100', maxBudgetIncreasePct: '25' });
  expect(await getLimits(h.ctx, h.actors.read, { adAccountId })).toEqual(limits);
  const { adsets } = await targets();
  const big = adsets.find((s) => s.dailyBudget!.gt(90))!;
  const preview = await previewChangeSet(h.ctx, h.actors.write, {
    adAccountId,
    items: [
      { id: big.id, level: 'adset', set: { dailyBudget: '150' } },
      { id: adsets.find((s) => s.id !== big.id)!.id, level: 'adset', set: { dailyBudget: { percent: 30 } } },
    ],
  });
  expect(preview.violations.map((v) => v.code)).toEqual(expect.arrayContaining(['ABOVE_MAX_DAILY_BUDGET', 'INCREASE_TOO_LARGE']));
  expect(preview.violations.find((v) => v.code === 'ABOVE_MAX_DAILY_BUDGET')!.message).toContain('USD 100.00');
  expect(preview.status).toBe('blocked');
  await putLimits(h.ctx, h.actors.admin, { adAccountId, maxDailyBudget: null, maxBudgetIncreasePct: 50 });
});

test('creates go through preview and confirm, start PAUSED, land once although Meta lost the answer, and are in the database when the workflow ends', async () => {
  const db = h.database.db;
  const name = `Launch ${h.companyId.slice(0, 8)}`;
  const campaignPreview = await createCampaign(h.ctx, h.actors.write, { adAccountId, name, objective: 'OUTCOME_TRAFFIC', specialAdCategories: [], dailyBudget: '40.00' });
  expect(campaignPreview).toMatchObject({ kind: 'create', violationCount: 0, requiresConfirmation: true, items: [{ action: 'create', objectId: null, changes: { status: { after: 'PAUSED' }, dailyBudget: { after: '40.00' } } }] });
  // Meta applies the create and the answer is lost: the retry finds the campaign by its name instead of creating it again.
  const mark = (await simWrites('kind=create')).count;
  await h.simControl('/__sim/faults', { writeAppliedThenErrorRate: 1, writeAppliedThenErrorMode: 'error' });
  const run = await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: campaignPreview.changeSetId, planHash: campaignPreview.planHash });
  const result = await h.handle(run.workflowId).result();
  await h.simControl('/__sim/faults', {});
  expect(result).toMatchObject({ status: 'completed', counts: { applied: 1 } });
  const created = await simWrites(`kind=create&adAccountId=${adAccountId}`);
  expect(created.count - mark).toBe(1);
  const campaignId = (await getChangeSet(h.ctx, h.actors.read, { changeSetId: campaignPreview.changeSetId })).items[0]!.objectId!;
  expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({ name, status: 'PAUSED', objective: 'OUTCOME_TRAFFIC' });
  expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).dailyBudget!.toString()).toBe('40');
  expect(await db.changeHistory.count({ where: { entityId: campaignId, field: 'created', source: 'api' } })).toBe(1);

  // A second object of that name is refused in the preview; missing Meta fields are named.
  const again = await createCampaign(h.ctx, h.actors.write, { adAccountId, name, objective: 'OUTCOME_TRAFFIC', specialAdCategories: [] });
  expect(again.violations.map((v) => v.code)).toEqual(['DUPLICATE_NAME']);
  const noTargeting = await createAdSet(h.ctx, h.actors.write, { adAccountId, campaignId, name: `${name} / set`, optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: {}, dailyBudget: '10' });
  expect(noTargeting.violations.map((v) => v.code).sort()).toEqual(['CAMPAIGN_BUDGET_CONFLICT', 'MISSING_FIELD']);

  const adSetPreview = await createAdSet(h.ctx, h.actors.write, {
    adAccountId, campaignId, name: `${name} / set`, optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: { geo_locations: { countries: ['US'] } },
  });
  expect(adSetPreview.violationCount).toBe(0);
  await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: adSetPreview.changeSetId, planHash: adSetPreview.planHash });
  expect((await h.handle(adSetPreview.workflowId!).result()).status).toBe('completed');
  const adsetId = (await getChangeSet(h.ctx, h.actors.read, { changeSetId: adSetPreview.changeSetId })).items[0]!.objectId!;
  expect(await db.adSet.findUniqueOrThrow({ where: { id: adsetId } })).toMatchObject({ campaignId, status: 'PAUSED', dailyBudget: null });

  const creative = await db.adCreative.findFirstOrThrow({ where: { adAccountId, deletedAt: null } });
  const adPreview = await createAd(h.ctx, h.actors.write, { adAccountId, adsetId, name: `${name} / ad`, creativeId: creative.id });
  await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: adPreview.changeSetId, planHash: adPreview.planHash });
  expect((await h.handle(adPreview.workflowId!).result()).status).toBe('completed');
  const adId = (await getChangeSet(h.ctx, h.actors.read, { changeSetId: adPreview.changeSetId })).items[0]!.objectId!;
  expect(await db.ad.findUniqueOrThrow({ where: { id: adId } })).toMatchObject({ adsetId, campaignId, creativeId: creative.id, status: 'PAUSED' });
  const truth = await h.truth(adAccountId);
  expect(truth.objects.ads.find((a) => a.id === adId)).toMatchObject({ status: 'PAUSED', adset_id: adsetId });
});
