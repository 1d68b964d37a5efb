import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { ConfirmRejection, confirmChangeSetUpdate, type ChangeSetResult } from '../../domain/contracts/change-set';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors';
import { cancelChangeSet, confirmChangeSet } from '../../src/operations/change-set-apply';
import { previewChangeSet } from '../../src/operations/change-set-preview';
import { getChangeSet, listChangeSets } from '../../src/operations/change-sets';
import type { ServiceContext } from '../../src/operations/service-context';
import { createChangeSetHarness, type ChangeSetHarness } from '../support/change-set-harness';

let h: ChangeSetHarness;
let adAccountId: string;

beforeAll(async () => {
  h = await createChangeSetHarness({
    seed: 1101,
    profile: { name: 'change-sets', adAccounts: [{ timezone: 'America/New_York', currency: 'USD', campaigns: 12, adsetsPerCampaign: 3, adsPerAdset: 2 }], insightsDays: 3, hourlyDays: 1 },
  });
  await h.startWorker();
  adAccountId = h.adAccountIds[0]!;
  await h.fullSync(adAccountId);
});

afterAll(async () => {
  await h?.close();
});

let writeMark = 0;
/** Writes Meta applied (the simulator's write log) since the last `resetStats`. */
async function writesSent(): Promise<number> {
  const res = await fetch(`${h.sim.url}/__sim/writes?summary=true&since=${writeMark}`);
  return ((await res.json()) as { count: number }).count;
}
async function resetStats(): Promise<void> {
  await h.resetStats();
  writeMark = ((await (await fetch(`${h.sim.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
}

/** Active ad sets with a budget of their own (their campaign has none), and active ads, from the copy. */
async function targets() {
  const db = h.database.db;
  const adsets = await db.adSet.findMany({ where: { adAccountId, status: 'ACTIVE', effectiveStatus: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' } });
  const cbo = await db.adSet.findFirst({ where: { adAccountId, status: 'ACTIVE', dailyBudget: null, lifetimeBudget: null, deletedAt: null } });
  const ads = await db.ad.findMany({ where: { adAccountId, status: 'ACTIVE', effectiveStatus: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
  return { adsets, cbo: cbo!, ads };
}

const failureType = (error: unknown): string | undefined => ((error as WorkflowUpdateFailedError).cause as ApplicationFailure | undefined)?.type ?? undefined;

test('a preview answers before → after, totals and every violation, stores a blocked plan, and sends nothing to Meta', async () => {
  const { adsets, cbo } = await targets();
  await resetStats();
  const preview = await previewChangeSet(h.ctx, h.actors.write, {
    adAccountId,
    items: [
      { id: adsets[0]!.id, level: 'adset', set: { dailyBudget: { percent: 20 } } },
      { id: adsets[1]!.id, level: 'adset', set: { dailyBudget: { percent: '80' } } },
      { id: cbo.id, level: 'adset', set: { dailyBudget: '30.00' } },
      { id: '999999999999', level: 'ad', set: { status: 'PAUSED' } },
      // Below Meta's minimum daily budget for USD (read from act_x/minimum_budgets).
      { id: adsets[2]!.id, level: 'adset', set: { dailyBudget: '0.50' } },
    ],
  });
  const before = adsets[0]!.dailyBudget!;
  expect(preview.items[0]!.changes.dailyBudget).toEqual({ before: before.toFixed(2), after: before.times(1.2).toDecimalPlaces(2).toFixed(2) });
  expect(preview.violations.map((v) => [v.code, v.objectId])).toEqual([
    ['INCREASE_TOO_LARGE', adsets[1]!.id],
    ['CAMPAIGN_BUDGET_CONFLICT', cbo.id],
    ['UNKNOWN_OBJECT', '999999999999'],
    ['BELOW_MINIMUM_BUDGET', adsets[2]!.id],
  ]);
  expect(preview.violations[3]!.message).toMatch(/below Meta's minimum daily budget of USD \d+\.\d{2}/);
  expect(preview.warnings).toEqual([]);
  expect(preview).toMatchObject({ status: 'blocked', violationCount: 4, requiresConfirmation: true, workflowId: null, confirmation: { state: 'blocked' } });
  expect(preview.planHash).toMatch(/^[0-9a-f]{64}$/);
  expect(Date.parse(preview.expiresAt) - Date.now()).toBeGreaterThan(55 * 60_000);
  expect(await writesSent()).toBe(0);
  await expect(confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash })).rejects.toThrow(ValidationError);

  // An unknown field is refused by name, and nothing is stored.
  const count = await h.database.db.bulkRequest.count();
  await expect(previewChangeSet(h.ctx, h.actors.write, { adAccountId, items: [{ id: adsets[0]!.id, level: 'adset', set: { daily_budget: 5 } }] })).rejects.toThrow(/unknown field\(s\): daily_budget/);
  await expect(previewChangeSet(h.ctx, h.actors.write, { adAccountId, items: [{ id: adsets[0]!.id, level: 'adset', set: { status: 'DELETED' } }] })).rejects.toThrow(/deleting is not offered/);
  expect(await h.database.db.bulkRequest.count()).toBe(count);
  await expect(previewChangeSet(h.ctx, h.actors.read, { adAccountId, items: [{ id: adsets[0]!.id, level: 'adset', set: { status: 'PAUSED' } }] })).rejects.toThrow(ForbiddenError);
  await expect(previewChangeSet(h.ctx, h.actors.otherCompany, { adAccountId, items: [{ id: adsets[0]!.id, level: 'adset', set: { status: 'PAUSED' } }] })).rejects.toThrow(NotFoundError);
});

test('a wrong hash, a read-only token and a validator-level refusal change nothing; confirming twice reaches the same run, which applies the set', async () => {
  const { adsets, ads } = await targets();
  const [a1, a2] = [ads[0]!, ads[1]!];
  const budgetSet = adsets[2]!;
  const preview = await previewChangeSet(
    h.ctx,
    h.actors.write,
    {
      adAccountId,
      items: [
        { id: a1.id, level: 'ad', set: { status: 'PAUSED' } },
        { id: a2.id, level: 'ad', set: { status: 'PAUSED', name: `${a2.name} (paused)` } },
        { id: budgetSet.id, level: 'adset', set: { dailyBudget: { percent: 10 } } },
      ],
    },
    { source: 'mcp' },
  );
  expect(preview).toMatchObject({ status: 'previewed', violationCount: 0, requiresConfirmation: true, confirmation: { state: 'not_requested' } });
  expect(preview.workflowId).toBe(`meta-change-set:${preview.changeSetId}`);
  await resetStats();

  const wrong = preview.planHash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  await expect(confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: wrong })).rejects.toThrow(ConflictError);
  await expect(confirmChangeSet(h.ctx, h.actors.read, { changeSetId: preview.changeSetId, planHash: preview.planHash })).rejects.toThrow(ForbiddenError);
  await expect(confirmChangeSet(h.ctx, h.actors.otherCompany, { changeSetId: preview.changeSetId, planHash: preview.planHash })).rejects.toThrow(NotFoundError);
  // The workflow's own validator refuses what a caller could send around the operations layer.
  const handle = h.handle(preview.workflowId!);
  const direct = (args: { planHash: string; scopes: string[] }) => handle.executeUpdate(confirmChangeSetUpdate, { args: [{ ...args, tokenId: h.actors.write.tokenId }] }).catch((e: unknown) => e);
  expect(failureType(await direct({ planHash: wrong, scopes: ['write'] }))).toBe(ConfirmRejection.PlanHashMismatch);
  expect(failureType(await direct({ planHash: preview.planHash, scopes: ['read', 'sync'] }))).toBe(ConfirmRejection.MissingScope);
  const untouched = await getChangeSet(h.ctx, h.actors.read, { changeSetId: preview.changeSetId });
  expect(untouched).toMatchObject({ status: 'previewed', confirmedAt: null, counts: { planned: 3 } });
  expect(await writesSent()).toBe(0);

  const first = await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash });
  const second = await confirmChangeSet(h.ctx, h.actors.admin, { changeSetId: preview.changeSetId, planHash: preview.planHash });
  expect(second).toEqual({ ...first, status: second.status });
  expect(first.workflowId).toBe(preview.workflowId);
  const result: ChangeSetResult = await handle.result();
  expect(result).toMatchObject({ status: 'completed', counts: { applied: 3, failed: 0, skipped: 0, pending: 0, inFlight: 0 } });
  // After the run ended, a confirm still answers the same run.
  expect((await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash })).runId).toBe(first.runId);

  const db = h.database.db;
  expect(await db.ad.findUniqueOrThrow({ where: { id: a2.id } })).toMatchObject({ status: 'PAUSED', configuredStatus: 'PAUSED', effectiveStatus: 'PAUSED', name: `${a2.name} (paused)` });
  expect((await db.adSet.findUniqueOrThrow({ where: { id: budgetSet.id } })).dailyBudget!.toString()).toBe(budgetSet.dailyBudget!.times(1.1).toDecimalPlaces(2).toString());
  const history = await db.changeHistory.findMany({ where: { workflowId: first.workflowId }, orderBy: { id: 'asc' } });
  expect(history.every((r) => r.source === 'mcp' && r.actor === h.actors.write.tokenId)).toBe(true);
  expect(history.filter((r) => r.entityId === a2.id).map((r) => r.field).sort()).toEqual(['configured_status', 'effective_status', 'name', 'status']);
  expect(history.filter((r) => r.entityId === budgetSet.id).map((r) => r.field)).toEqual(['daily_budget']);
  expect(await db.auditEvent.count({ where: { action: 'change_set.item.applied', details: { path: ['changeSetId'], equals: preview.changeSetId } } })).toBe(3);

  const truth = await h.truth(adAccountId);
  for (const ad of [a1, a2]) expect(truth.objects.ads.find((o) => o.id === ad.id)).toMatchObject({ status: 'PAUSED', effective_status: 'PAUSED' });
  const view = await getChangeSet(h.ctx, h.actors.read, { changeSetId: preview.changeSetId });
  expect(view).toMatchObject({ status: 'completed', confirmedBy: h.actors.write.tokenId, counts: { applied: 3 }, workflow: { status: 'COMPLETED' } });
  expect(view.items.map((i) => i.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  // Another company's token cannot read, cancel or confirm it: it does not exist for them.
  await expect(getChangeSet(h.ctx, h.actors.otherCompany, { changeSetId: preview.changeSetId })).rejects.toThrow(NotFoundError);
  await expect(cancelChangeSet(h.ctx, h.actors.otherCompany, { changeSetId: preview.changeSetId })).rejects.toThrow(NotFoundError);
  await expect(listChangeSets(h.ctx, h.actors.otherCompany, { adAccountId })).rejects.toThrow(NotFoundError);
  const listed = await listChangeSets(h.ctx, h.actors.read, { adAccountId });
  expect(listed.data[0]).toMatchObject({ changeSetId: preview.changeSetId, status: 'completed', source: 'mcp' });
  expect((await listChangeSets(h.ctx, h.actors.otherCompany, {})).data).toEqual([]);

  // The next incremental sync finds Meta equal to the copy for these objects: it records nothing for them.
  await h.incrementalSync(adAccountId);
  expect(await db.changeHistory.count({ where: { entityId: { in: [a1.id, a2.id, budgetSet.id] }, source: 'sync' } })).toBe(0);
});

test('confirm: true applies at once a set that only lowers spend, and only answers how to confirm one that raises it', async () => {
  const { adsets, ads } = await targets();
  const lowers = await previewChangeSet(h.ctx, h.actors.write, {
    adAccountId,
    items: [
      { id: ads[2]!.id, level: 'ad', set: { status: 'PAUSED' } },
      { id: adsets[3]!.id, level: 'adset', set: { dailyBudget: { percent: -10 } } },
    ],
    confirm: true,
  });
  expect(lowers).toMatchObject({ requiresConfirmation: false, status: 'applying', confirmation: { state: 'confirmed' } });
  expect((await h.handle(lowers.workflowId!).result()).status).toBe('completed');

  const raises = await previewChangeSet(h.ctx, h.actors.write, { adAccountId, items: [{ id: ads[2]!.id, level: 'ad', set: { status: 'ACTIVE' } }], dryRun: false });
  expect(raises).toMatchObject({ requiresConfirmation: true, status: 'previewed', confirmation: { state: 'required' } });
  expect(raises.confirmation.message).toContain(raises.planHash);
  expect(await h.database.db.ad.findUniqueOrThrow({ where: { id: ads[2]!.id } })).toMatchObject({ status: 'PAUSED' });
  // Cancelled before anyone confirmed it: it ends canceled and can no longer be confirmed.
  expect(await cancelChangeSet(h.ctx, h.actors.write, { changeSetId: raises.changeSetId })).toMatchObject({ status: 'cancel_requested' });
  expect((await h.handle(raises.workflowId!).result()).status).toBe('canceled');
  await expect(confirmChangeSet(h.ctx, h.actors.write, { changeSetId: raises.changeSetId, planHash: raises.planHash })).rejects.toThrow(ConflictError);
});

test('a set nobody confirms expires on its durable timer and can no longer be confirmed', async () => {
  const { ads } = await targets();
  const shortLived: ServiceContext = { ...h.ctx, config: { ...h.ctx.config, changeSets: { ...h.ctx.config.changeSets, previewTtlMs: 1_500 } } };
  const preview = await previewChangeSet(shortLived, h.actors.write, { adAccountId, items: [{ id: ads[3]!.id, level: 'ad', set: { status: 'PAUSED' } }] });
  const result = await h.handle(preview.workflowId!).result();
  expect(result.status).toBe('expired');
  const view = await getChangeSet(h.ctx, h.actors.read, { changeSetId: preview.changeSetId });
  expect(view).toMatchObject({ status: 'expired', counts: { canceled: 1 } });
  await expect(confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash })).rejects.toThrow(/expired/);
  expect(await h.database.db.ad.findUniqueOrThrow({ where: { id: ads[3]!.id } })).toMatchObject({ status: 'ACTIVE' });

  // What the Temporal UI shows of it: the set and its account and company by name, and the confirm window's timer.
  const { name: accountName } = await h.database.db.adAccount.findUniqueOrThrow({ where: { id: adAccountId } });
  const description = await h.handle(preview.workflowId!).describe();
  expect(await description.staticSummary()).toMatch(new RegExp(`^Change 1 object of ${accountName} \\(${adAccountId}\\)`));
  expect(await description.staticDetails()).toContain(`Change set \`${preview.changeSetId}\``);
  expect(description.memo).toMatchObject({ changeSetId: preview.changeSetId, accountName, companyName: 'Sim Company' });
  const timers = ((await h.handle(preview.workflowId!).fetchHistory()).events ?? []).filter((e) => e.timerStartedEventAttributes);
  const expiresAt = (await h.database.db.bulkRequest.findUniqueOrThrow({ where: { id: preview.changeSetId } })).expiresAt!;
  expect(timers.map((e) => defaultPayloadConverter.fromPayload(e.userMetadata!.summary as Payload))).toEqual([`Waiting for a confirm until ${expiresAt.toISOString().slice(11, 16)} UTC`]);
});

test('end time, bid, bid strategy, spend cap and name land as planned, and the next sync finds Meta equal to the copy', async () => {
  const db = h.database.db;
  const { adsets } = await targets();
  const adset = adsets[4]!;
  const campaign = await db.campaign.findFirstOrThrow({ where: { adAccountId, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
  const end = new Date(Date.now() + 30 * 86_400_000);
  end.setUTCHours(23, 59, 0, 0);
  const preview = await previewChangeSet(h.ctx, h.actors.write, {
    adAccountId,
    items: [
      { id: adset.id, level: 'adset', set: { endTime: end.toISOString(), bidAmount: '3.25', bidStrategy: 'LOWEST_COST_WITH_BID_CAP' } },
      { id: campaign.id, level: 'campaign', set: { spendCap: '5000', name: `${campaign.name} (capped)` } },
    ],
  });
  expect(preview.violations).toEqual([]);
  expect(preview.items[0]!.changes).toMatchObject({ endTime: { after: end.toISOString().replace('.000Z', 'Z') }, bidAmount: { after: '3.25' } });
  await confirmChangeSet(h.ctx, h.actors.write, { changeSetId: preview.changeSetId, planHash: preview.planHash });
  expect(await h.handle(preview.workflowId!).result()).toMatchObject({ status: 'completed', counts: { applied: 2 } });

  const truth = await h.truth(adAccountId);
  expect(truth.objects.adsets.find((s) => s.id === adset.id)).toMatchObject({ bid_amount: 325, bid_strategy: 'LOWEST_COST_WITH_BID_CAP' });
  expect(Date.parse(truth.objects.adsets.find((s) => s.id === adset.id)!.end_time!.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toBe(end.getTime());
  expect(truth.objects.campaigns.find((c) => c.id === campaign.id)).toMatchObject({ spend_cap: '500000', name: `${campaign.name} (capped)` });
  expect(await db.adSet.findUniqueOrThrow({ where: { id: adset.id } })).toMatchObject({ endTime: end, bidStrategy: 'LOWEST_COST_WITH_BID_CAP' });
  await h.incrementalSync(adAccountId);
  expect(await db.changeHistory.count({ where: { entityId: { in: [adset.id, campaign.id] }, source: 'sync' } })).toBe(0);
});

test("pausing a campaign moves its children's effective status: the next sync re-reads them, though their updated_time did not move", async () => {
  const db = h.database.db;
  const campaign = await db.campaign.findFirstOrThrow({ where: { adAccountId, status: 'ACTIVE', effectiveStatus: 'ACTIVE', deletedAt: null }, orderBy: { id: 'desc' } });
  const children = await db.adSet.findMany({ where: { campaignId: campaign.id, status: 'ACTIVE' } });
  expect(children.length).toBeGreaterThan(0);
  const preview = await previewChangeSet(h.ctx, h.actors.write, { adAccountId, items: [{ id: campaign.id, level: 'campaign', set: { status: 'PAUSED' } }], confirm: true });
  expect((await h.handle(preview.workflowId!).result()).status).toBe('completed');
  expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ status: 'PAUSED', effectiveStatus: 'PAUSED' });

  await h.incrementalSync(adAccountId);
  for (const child of children) {
    expect(await db.adSet.findUniqueOrThrow({ where: { id: child.id } })).toMatchObject({ effectiveStatus: 'CAMPAIGN_PAUSED' });
    expect(await db.changeHistory.findFirst({ where: { entityId: child.id, field: 'effective_status', source: 'sync' }, orderBy: { id: 'desc' } })).toMatchObject({ oldValue: 'ACTIVE', newValue: 'CAMPAIGN_PAUSED' });
  }
  expect(await db.changeHistory.count({ where: { entityId: campaign.id, source: 'sync' } })).toBe(0);
});
