/**
 * Usage of batch calls, against the simulator: Meta reports the ad account's usage in each batch
 * item's own headers (a batch is about no one account), so MetaClient must book each item's
 * usage to the item's account. Before this, the simulator answered a batch with an account-less
 * `x-ad-account-usage` of 0 % and the client booked that to its default account and ignored the
 * items' headers: the usage threshold never fired during a change-set apply, which writes only
 * through batches.
 */
import { MetaClient, type MetaUsage, type UsageContext } from '../../src/meta';
import { startSimulator } from '../../src/simulator/simulator-server';
import { assertUsageBelowThreshold } from '../../activities/meta-failures';
import { MetaThrottleError } from '../../src/errors';

const TOKEN = 'fake-meta-token-batch-usage-1a2b3c4d5e';
type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: Array<{ id: string; ads: string[] }>;

beforeAll(async () => {
  sim = await startSimulator({
    profile: {
      name: 'batch-usage',
      adAccounts: [
        { timezone: 'UTC', currency: 'USD', campaigns: 4, adsetsPerCampaign: 2, adsPerAdset: 5 },
        { timezone: 'UTC', currency: 'EUR', campaigns: 1, adsetsPerCampaign: 1, adsPerAdset: 2 },
      ],
      insightsDays: 1,
      hourlyDays: 1,
    },
    port: 0,
    seed: 4242,
    tokens: [TOKEN],
    // A small account score (reads 1 point, writes 3) so a few batches move the usage visibly.
    quota: { scoreMax: 150 },
  });
  const truth = (await (await fetch(`${sim.url}/__sim/truth`)).json()) as { adAccounts: Array<{ id: string; objects: { ads: Array<{ id: string; status: string }> } }> };
  accounts = truth.adAccounts.map((a) => ({ id: a.id.startsWith('act_') ? a.id : `act_${a.id}`, ads: a.objects.ads.filter((ad) => ad.status === 'ACTIVE' || ad.status === 'PAUSED').map((ad) => ad.id) }));
});
afterAll(async () => sim?.close());

const usageSeen: Array<{ usage: MetaUsage; context: UsageContext }> = [];
function client(adAccountId: string): MetaClient {
  return new MetaClient({ graphUrl: sim.url, apiVersion: 'v24.0', accessToken: TOKEN, usageThrottlePct: 50, adAccountId, onUsage: (usage, context) => usageSeen.push({ usage, context }) });
}

/** One raw batch POST: the top-level usage header and each item's. */
async function rawBatch(items: unknown[]): Promise<{ top: string | null; items: Array<Record<string, string>> }> {
  const body = new URLSearchParams({ access_token: TOKEN, batch: JSON.stringify(items), include_headers: 'true' });
  const res = await fetch(`${sim.url}/v24.0/`, { method: 'POST', body });
  const answers = (await res.json()) as Array<{ headers: Array<{ name: string; value: string }> }>;
  return { top: res.headers.get('x-ad-account-usage'), items: answers.map((a) => Object.fromEntries(a.headers.map((h) => [h.name.toLowerCase(), h.value]))) };
}

const accPct = (header: string | undefined): number => (JSON.parse(header ?? '{}') as { acc_id_util_pct?: number }).acc_id_util_pct ?? -1;

test("the simulator reports each batch item's account usage in the item's headers, and no account-less 0 % for the batch", async () => {
  const [a] = accounts;
  const reads = a!.ads.slice(0, 10).map((id) => ({ method: 'GET', relative_url: `${id}?fields=id,status` }));
  const first = await rawBatch(reads);
  expect(first.top).toBeNull();
  const pcts = first.items.map((h) => accPct(h['x-ad-account-usage']));
  expect(pcts.every((p) => p > 0)).toBe(true);
  // The score grows item by item (one read point each, of 150).
  expect(pcts[pcts.length - 1]!).toBeGreaterThan(pcts[0]!);
  expect(JSON.parse(first.items[0]!['x-business-use-case-usage']!)).toHaveProperty(a!.id.replace(/^act_/, ''));
});

test("MetaClient books each batch item's usage to the item's account, and the threshold check fires during batch writes", async () => {
  const [a, b] = accounts;
  const meta = client(b!.id); // a default account other than the one the batch is about
  usageSeen.length = 0;
  // Pauses in batches of 20 writes (3 points each of 150): the account's usage climbs past 50 %.
  let threw: unknown;
  for (let start = 0; start < a!.ads.length && !threw; start += 20) {
    const ids = a!.ads.slice(start, start + 20);
    const results = await meta.batch(ids.map((id) => ({ method: 'POST' as const, path: id, params: { status: 'PAUSED' } })), { adAccountId: a!.id });
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.message))).toEqual([]);
    const usage = meta.usageFor(a!.id);
    expect(usage?.adAccountUsage?.accIdUtilPct).toBeGreaterThan(0);
    try {
      assertUsageBelowThreshold(meta, a!.id);
    } catch (error) {
      threw = error;
    }
  }
  expect(threw).toBeInstanceOf(MetaThrottleError);
  expect(meta.shouldPause(a!.id)).toBe(true);
  // Nothing about account A was booked to the client's default account B.
  expect(meta.usageFor(b!.id)).toBeUndefined();
  const booked = usageSeen.filter((u) => u.context.adAccountId === a!.id);
  expect(booked.length).toBeGreaterThan(0);
  expect(usageSeen.filter((u) => u.context.adAccountId === b!.id)).toEqual([]);
  // One booking per account per batch, not one per item.
  expect(booked.length).toBeLessThanOrEqual(Math.ceil(a!.ads.length / 20));
});
