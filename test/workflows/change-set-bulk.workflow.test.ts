/**
 * Bulk at the size the issue names: a selection of 5,000 ads previewed (one set-based insert),
 * confirmed in the same call (a pause only lowers spend) and applied in 100 chunks, one live
 * read and one batch each. Prints the figures; asserts only what a user would see.
 */
import { previewChangeSet } from '../../src/operations/change-set-preview';
import { getChangeSet } from '../../src/operations/change-sets';
import { createChangeSetHarness, type ChangeSetHarness } from '../support/change-set-harness';

let h: ChangeSetHarness;

beforeAll(async () => {
  h = await createChangeSetHarness({
    seed: 1505,
    profile: {
      name: 'change-set-bulk',
      adAccounts: [{ timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 50, adsetsPerCampaign: 10, adsPerAdset: 10 }],
      statusMix: { paused: 0, archived: 0, deleted: 0 },
      insightsDays: 2,
      hourlyDays: 1,
    },
    // 5,000 writes are 15,000 points of the account score: a tier that allows them in one go.
    quota: { scoreMax: 1_000_000 },
  });
  await h.startWorker();
  await h.fullSync(h.adAccountIds[0]!);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

test('a pause of 5,000 selected ads is previewed in one go and applied in 100 chunks of one read and one batch, each ad written once', async () => {
  const adAccountId = h.adAccountIds[0]!;
  const db = h.database.db;
  // Every profile pauses, archives and deletes a few objects per level: about 5,000 stay active.
  const activeAds = await db.ad.count({ where: { adAccountId, status: 'ACTIVE' } });
  expect(activeAds).toBeGreaterThan(4990);
  await h.resetStats();
  const responsesBefore = h.metaResponses[adAccountId]?.ok ?? 0;
  const mark = ((await (await fetch(`${h.sim.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;

  const started = Date.now();
  const preview = await previewChangeSet(h.ctx, h.actors.write, { adAccountId, selection: { level: 'ad', statuses: ['ACTIVE'] }, set: { status: 'PAUSED' }, confirm: true });
  const previewMs = Date.now() - started;
  const itemCount = preview.itemCount;
  expect(itemCount).toBe(activeAds);
  expect(preview).toMatchObject({ violationCount: 0, confirmation: { state: 'confirmed' }, itemsTruncated: true, totals: { objectsTurnedOff: itemCount } });
  expect(preview.items).toHaveLength(100);
  // The preview sent nothing: at most the one read of Meta's minimum budgets (made by the operations layer, not the worker).
  expect(Object.keys((await h.stats()).byEndpoint).filter((e) => !e.includes('minimum_budgets'))).toEqual([]);

  const result = await h.handle(preview.workflowId!).result();
  const applyMs = Date.now() - started - previewMs;
  expect(result).toMatchObject({ status: 'completed', counts: { applied: itemCount, failed: 0, skipped: 0 } });
  const writes = (await (await fetch(`${h.sim.url}/__sim/writes?summary=true&since=${mark}`)).json()) as { count: number; byObject: Record<string, number> };
  expect(writes.count).toBe(itemCount);
  expect(Object.values(writes.byObject).every((n) => n === 1)).toBe(true);
  const chunks = Math.ceil(itemCount / 50);
  // Graph requests the apply made (one `?ids=` read and one batch per chunk at best).
  const graphCalls = (h.metaResponses[adAccountId]?.ok ?? 0) - responsesBefore;
  expect(graphCalls).toBe(2 * chunks);
  const history = await h.handle(preview.workflowId!).fetchHistory();
  const events = history.events?.length ?? 0;
  const view = await getChangeSet(h.ctx, h.actors.read, { changeSetId: preview.changeSetId, itemsLimit: 1000 });
  expect(view.items).toHaveLength(1000);
  expect(view.itemsNextCursor).not.toBeNull();
  console.log(
    `bulk pause: ${itemCount} items, preview ${previewMs} ms, apply ${applyMs} ms (${Math.round((itemCount / applyMs) * 1000)} items/s), ` +
      `${graphCalls} Graph calls for ${chunks} chunks (lower bound ${2 * chunks}), ${events} history events (${(events / chunks).toFixed(2)} per chunk)`,
  );
}, 300_000);
