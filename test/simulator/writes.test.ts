/**
 * Writes as a client of Meta sees them: validate_only, applied fields, the DELETED/ARCHIVED
 * rules, minimum budgets and the lifetime ceiling, the campaign-budget conflict, per-object
 * change limits on the simulated clock, creates with Meta's required fields, the status
 * cascade, the write log, lost answers of applied writes, and the batch rule on ad sets.
 */
import type { ProfileSpec } from '../../src/simulator/profiles';
import type { RunningSimulator } from '../../src/simulator/simulator-server';
import { control, fetchJson, graphGet, graphPost, start, type Answer } from './sim-test-helpers';

const PROFILE: ProfileSpec = {
  adAccounts: [
    { timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 10, adsetsPerCampaign: 3, adsPerAdset: 2 },
    { timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 4, adsetsPerCampaign: 2, adsPerAdset: 2 },
  ],
  insightsDays: 10,
  hourlyDays: 3,
};
const TARGETING = JSON.stringify({ geo_locations: { countries: ['US'] } });
const HOUR = 3_600_000;

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await start({ profile: PROFILE });
});
afterAll(() => sim.close());
beforeEach(async () => {
  expect((await control(sim, 'reset', {})).status).toBe(200);
});

async function account(index = 0): Promise<any> {
  return (await control(sim, 'truth')).body.adAccounts[index];
}

function pick<T>(list: T[], predicate: (x: T) => boolean, what: string): T {
  const found = list.find(predicate);
  if (!found) throw new Error(`the generated data has no ${what}`);
  return found;
}

/** An ACTIVE ad set with its own daily budget, under an ACTIVE campaign without one. */
function aboAdset(acct: any): any {
  const campaigns = new Map(acct.objects.campaigns.map((c: any) => [c.id, c]));
  return pick(acct.objects.adsets, (s: any) => {
    const c: any = campaigns.get(s.campaign_id);
    return s.effective_status === 'ACTIVE' && s.daily_budget && c && !c.daily_budget && !c.lifetime_budget;
  }, 'ABO ad set');
}

/** An ACTIVE campaign with its own daily budget (campaign budget), and one of its ad sets. */
function cboCampaign(acct: any): { campaign: any; adset: any } {
  const campaign = pick(acct.objects.campaigns, (c: any) => c.status === 'ACTIVE' && c.daily_budget && acct.objects.adsets.some((s: any) => s.campaign_id === c.id && s.status === 'ACTIVE'), 'CBO campaign');
  return { campaign, adset: acct.objects.adsets.find((s: any) => s.campaign_id === campaign.id && s.status === 'ACTIVE') };
}

function expectMetaError(answer: Answer, code: number, subcode?: number): any {
  expect(answer.status).toBe(answer.status >= 500 ? 500 : 400);
  expect(answer.body.error).toEqual(expect.objectContaining({ code, type: 'OAuthException', fbtrace_id: expect.any(String) }));
  if (subcode !== undefined) expect(answer.body.error.error_subcode).toBe(subcode);
  return answer.body.error;
}

async function writesOf(id: string): Promise<any[]> {
  return (await control(sim, `writes?objectId=${id}`)).body.writes;
}

async function simNow(): Promise<number> {
  return Date.parse((await control(sim, 'clock')).body.now);
}

async function setClock(ms: number): Promise<void> {
  expect((await control(sim, 'clock', { now: new Date(ms).toISOString() })).status).toBe(200);
}

async function batch(items: unknown[]): Promise<any[]> {
  const r = await graphPost(sim, '', { batch: JSON.stringify(items) });
  expect(r.status).toBe(200);
  return r.body;
}

/** A new PAUSED campaign in the account, without a budget (ABO) unless `extra` gives one. */
async function newAboCampaign(act: string, extra: Record<string, string> = {}): Promise<string> {
  const r = await graphPost(sim, `${act}/campaigns`, { name: 'Test ABO', objective: 'OUTCOME_TRAFFIC', special_ad_categories: '[]', status: 'PAUSED', ...extra });
  expect(r.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
  return r.body.id;
}

describe('updates', () => {
  it('validate_only validates and applies nothing', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    const vo = JSON.stringify(['validate_only']);
    expect((await graphPost(sim, adset.id, { daily_budget: 777_00, execution_options: vo })).body).toEqual({ success: true });
    const read = await graphGet(sim, adset.id, { fields: 'daily_budget,updated_time' });
    expect(read.body).toEqual({ id: adset.id, daily_budget: adset.daily_budget, updated_time: adset.updated_time });
    expect(await writesOf(adset.id)).toEqual([]);
    // Validation still runs: a budget under the floor is refused.
    expectMetaError(await graphPost(sim, adset.id, { daily_budget: 50, execution_options: vo }), 100, 1885272);
    // validate_only does not use up the hourly budget allowance.
    for (let i = 0; i < 6; i++) expect((await graphPost(sim, adset.id, { daily_budget: 1000 + i, execution_options: vo })).status).toBe(200);
    expect((await graphPost(sim, adset.id, { daily_budget: 2000 })).status).toBe(200);
    // Creates too.
    const before = acct.counts.campaigns;
    expect((await graphPost(sim, `${acct.id}/campaigns`, { name: 'v', objective: 'OUTCOME_SALES', special_ad_categories: '[]', status: 'PAUSED', execution_options: vo })).body).toEqual({ success: true });
    expect((await account()).counts.campaigns).toBe(before);
  });

  it('applies spend_cap, start/stop/end times, bid_amount and creative, moves updated_time and shows them in truth', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    const campaign = acct.objects.campaigns.find((c: any) => c.id === adset.campaign_id);
    const ad = pick(acct.objects.ads, (a: any) => a.adset_id === adset.id && a.status === 'ACTIVE', 'active ad');
    const creative = pick(acct.objects.creatives, (c: any) => c.status === 'ACTIVE' && c.id !== ad.creative_id, 'other creative');
    const now = await simNow();
    await setClock(now + HOUR);

    expect((await graphPost(sim, campaign.id, { spend_cap: 250_000, stop_time: '2027-01-31T23:59:59-0800' })).body).toEqual({ success: true });
    expect((await graphPost(sim, adset.id, { start_time: '2026-12-01T00:00:00-0800', end_time: String(Date.parse('2027-01-15T08:00:00Z') / 1000), bid_amount: 345 })).body).toEqual({ success: true });
    expect((await graphPost(sim, ad.id, { creative: JSON.stringify({ creative_id: creative.id }) })).body).toEqual({ success: true });

    const c = (await graphGet(sim, campaign.id, { fields: 'spend_cap,stop_time,updated_time' })).body;
    expect(c).toEqual({ id: campaign.id, spend_cap: '250000', stop_time: '2027-01-31T23:59:59-0800', updated_time: expect.any(String) });
    expect(Date.parse(c.updated_time)).toBeGreaterThanOrEqual(now + HOUR - 1000);
    const s = (await graphGet(sim, adset.id, { fields: 'start_time,end_time,bid_amount' })).body;
    expect(s).toEqual({ id: adset.id, start_time: '2026-12-01T00:00:00-0800', end_time: '2027-01-15T00:00:00-0800', bid_amount: 345 });
    expect((await graphGet(sim, ad.id, { fields: 'creative{id}' })).body.creative).toEqual({ id: creative.id });

    const after = await account();
    expect(after.objects.campaigns.find((x: any) => x.id === campaign.id)).toEqual(expect.objectContaining({ spend_cap: '250000', stop_time: '2027-01-31T23:59:59-0800', updated_time: c.updated_time }));
    expect(after.objects.adsets.find((x: any) => x.id === adset.id)).toEqual(expect.objectContaining({ daily_budget: adset.daily_budget, bid_amount: 345, end_time: '2027-01-15T00:00:00-0800' }));
    expect(after.objects.ads.find((x: any) => x.id === ad.id).creative_id).toBe(creative.id);

    const [w] = await writesOf(ad.id);
    expect(w).toEqual({
      seq: 3, at: expect.any(String), objectId: ad.id, objectType: 'ad', adAccountId: acct.id, kind: 'update',
      fields: { creative: { id: creative.id } }, previous: { creative: { id: ad.creative_id } },
    });
    expect(Date.parse(w.at)).toBeGreaterThanOrEqual(now + HOUR);
    expect(Date.parse(w.at)).toBeLessThan(now + HOUR + 60_000);
  });

  it('refuses unknown params, a deleted creative and switching the budget type', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    expectMetaError(await graphPost(sim, adset.id, { daily_budgett: 5000 }), 100);
    const deleted = pick(acct.objects.creatives, (c: any) => c.status === 'DELETED', 'deleted creative');
    const ad = pick(acct.objects.ads, (a: any) => a.status === 'ACTIVE', 'active ad');
    expect(expectMetaError(await graphPost(sim, ad.id, { creative: JSON.stringify({ creative_id: deleted.id }) }), 100).error_data).toEqual({ blame_field_specs: [['creative']] });
    const err = expectMetaError(await graphPost(sim, adset.id, { lifetime_budget: 500_000, end_time: '2027-03-01T00:00:00Z' }), 100);
    expect(err.error_user_title).toBe("Budget Type Can't Be Changed");
    expect(await writesOf(adset.id)).toEqual([]);
    expect(await writesOf(ad.id)).toEqual([]);
  });

  it('lets a DELETED object be renamed only, and an ARCHIVED one edit only name and status (to DELETED)', async () => {
    const acct = await account();
    const deleted = pick(acct.objects.adsets, (s: any) => s.status === 'DELETED', 'deleted ad set');
    expect((await graphPost(sim, deleted.id, { name: 'Renamed after deletion' })).body).toEqual({ success: true });
    expect((await graphGet(sim, deleted.id, { fields: 'name,status' })).body).toEqual({ id: deleted.id, name: 'Renamed after deletion', status: 'DELETED' });
    const refused: Record<string, string>[] = [{ status: 'ACTIVE' }, { status: 'PAUSED' }, { daily_budget: '5000' }, { name: 'x', status: 'ACTIVE' }];
    for (const form of refused) {
      expectMetaError(await graphPost(sim, deleted.id, form), 100);
    }
    expect((await writesOf(deleted.id)).map((w) => w.fields)).toEqual([{ name: 'Renamed after deletion' }]);

    const archived = pick(acct.objects.campaigns, (c: any) => c.status === 'ARCHIVED', 'archived campaign');
    expectMetaError(await graphPost(sim, archived.id, { spend_cap: 100_000 }), 100);
    expectMetaError(await graphPost(sim, archived.id, { status: 'ACTIVE' }), 100);
    expect((await graphPost(sim, archived.id, { name: 'Old one' })).status).toBe(200);
    expect((await graphPost(sim, archived.id, { status: 'DELETED' })).status).toBe(200);
    expectMetaError(await graphPost(sim, archived.id, { status: 'ARCHIVED' }), 100);
    expect((await graphGet(sim, archived.id, { fields: 'name,status,effective_status' })).body).toEqual({ id: archived.id, name: 'Old one', status: 'DELETED', effective_status: 'DELETED' });
  });

  it('shrinks the ads_management allowance (40 × active ads on Meta) as soon as a pause cascades to ads', async () => {
    const own = await start({ profile: PROFILE, quota: { adsManagementPerHour: 0, adsManagementPerActiveAd: 1 } });
    try {
      const acct = (await control(own, 'truth')).body.adAccounts[0];
      const active = acct.objects.ads.filter((a: any) => a.effective_status === 'ACTIVE');
      const campaign = aboAdset(acct).campaign_id;
      const paused = active.filter((a: any) => a.campaign_id === campaign).length;
      expect(paused).toBeGreaterThan(0);
      // The allowance is one call per active ad: the pause itself, then reads until refused.
      expect((await graphPost(own, campaign, { status: 'PAUSED' })).body).toEqual({ success: true });
      let admitted = 1;
      for (;;) {
        const r = await graphGet(own, acct.id);
        if (r.status !== 200) {
          expect(r.body.error.code).toBe(80004);
          break;
        }
        admitted++;
        expect(admitted).toBeLessThanOrEqual(active.length);
      }
      expect(admitted).toBe(active.length - paused);
    } finally {
      await own.close();
    }
  });

  it('cascades a paused campaign to its ad sets and ads (CAMPAIGN_PAUSED) without touching their own status or updated_time', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    const ads = acct.objects.ads.filter((a: any) => a.adset_id === adset.id && a.status === 'ACTIVE');
    expect(ads.length).toBeGreaterThan(0);
    // Every generated object was last updated before t0; the writes below happen an hour later.
    const t0 = await simNow();
    await setClock(t0 + HOUR);
    expect((await graphPost(sim, adset.campaign_id, { status: 'PAUSED' })).body).toEqual({ success: true });
    const s = (await graphGet(sim, adset.id, { fields: 'status,effective_status,updated_time' })).body;
    expect(s).toEqual({ id: adset.id, status: 'ACTIVE', effective_status: 'CAMPAIGN_PAUSED', updated_time: adset.updated_time });
    for (const ad of ads) expect((await graphGet(sim, ad.id, { fields: 'status,effective_status' })).body).toEqual({ id: ad.id, status: 'ACTIVE', effective_status: 'CAMPAIGN_PAUSED' });
    const truth = await account();
    expect(truth.objects.adsets.find((x: any) => x.id === adset.id).effective_status).toBe('CAMPAIGN_PAUSED');
    const campaign = truth.objects.campaigns.find((x: any) => x.id === adset.campaign_id);
    expect(campaign.status).toBe('PAUSED');
    expect(Date.parse(campaign.updated_time)).toBeGreaterThanOrEqual(t0 + HOUR - 1000);
    // An ad set paused under an active campaign shows ADSET_PAUSED on its ads.
    await graphPost(sim, adset.campaign_id, { status: 'ACTIVE' });
    await graphPost(sim, adset.id, { status: 'PAUSED' });
    expect((await graphGet(sim, ads[0].id, { fields: 'effective_status' })).body.effective_status).toBe('ADSET_PAUSED');
    // An incremental read by updated_time finds the written campaign and ad set, not the cascaded ads.
    const filtering = (entity: string): string => JSON.stringify([
      { field: `${entity}.effective_status`, operator: 'IN', value: ['ACTIVE', 'PAUSED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'ARCHIVED', 'DELETED'] },
      { field: `${entity}.updated_time`, operator: 'GREATER_THAN', value: Math.floor((t0 + HOUR / 2) / 1000) },
    ]);
    const changed = async (edge: string, entity: string): Promise<string[]> => (await graphGet(sim, `${acct.id}/${edge}`, { filtering: filtering(entity), limit: 500 })).body.data.map((x: any) => x.id);
    expect(await changed('campaigns', 'campaign')).toEqual([adset.campaign_id]);
    expect(await changed('adsets', 'adset')).toEqual([adset.id]);
    expect(await changed('ads', 'ad')).toEqual([]);
  });
});

describe('budgets', () => {
  it('serves minimum_budgets per currency in minor units', async () => {
    const acct = await account();
    const r = await graphGet(sim, `${acct.id}/minimum_budgets`);
    expect(r.status).toBe(200);
    const usd = r.body.data.find((x: any) => x.currency === 'USD');
    expect(usd).toEqual({ currency: 'USD', min_daily_budget_imp: 100, min_daily_budget_video_views: 100, min_daily_budget_high_freq: 500, min_daily_budget_low_freq: 4000 });
    expect(r.body.data.find((x: any) => x.currency === 'JPY').min_daily_budget_imp).toBe(150);
    const some = await graphGet(sim, `${acct.id}/minimum_budgets`, { fields: 'currency,min_daily_budget_imp' });
    expect(some.body.data.find((x: any) => x.currency === 'EUR')).toEqual({ currency: 'EUR', min_daily_budget_imp: 100 });
    expectMetaError(await graphGet(sim, `${acct.id}/minimum_budgets`, { fields: 'currency,max_budget' }), 100);
    expect((await graphGet(sim, acct.id, { fields: 'min_daily_budget' })).body.min_daily_budget).toBe(100);
  });

  it('refuses a daily budget under the floor with 100/1885272 naming the floor, per currency and billing event', async () => {
    const usd = await account(0);
    const adset = aboAdset(usd);
    const low = expectMetaError(await graphPost(sim, adset.id, { daily_budget: 99 }), 100, 1885272);
    expect(low).toEqual(expect.objectContaining({ message: 'Invalid parameter', error_user_title: 'Your Budget Is Too Low', error_data: { blame_field_specs: [['daily_budget']] } }));
    expect(low.error_user_msg).toContain('USD1.00');
    expect((await graphPost(sim, adset.id, { daily_budget: 100 })).body).toEqual({ success: true });

    const eur = await account(1);
    const eurSet = pick(eur.objects.adsets, (s: any) => s.daily_budget && (s.status === 'ACTIVE' || s.status === 'PAUSED'), 'EUR ad set');
    expect(expectMetaError(await graphPost(sim, eurSet.id, { daily_budget: 0 }), 100, 1885272).error_user_msg).toContain('EUR1.00');

    // Clicks are a frequent event: the floor is five times the impression floor.
    const campaign = await newAboCampaign(usd.id);
    const base = { name: 'Clicks', campaign_id: campaign, optimization_goal: 'LINK_CLICKS', billing_event: 'LINK_CLICKS', targeting: TARGETING, status: 'PAUSED' };
    expect(expectMetaError(await graphPost(sim, `${usd.id}/adsets`, { ...base, daily_budget: 499 }), 100, 1885272).error_user_msg).toContain('USD5.00');
    expect((await graphPost(sim, `${usd.id}/adsets`, { ...base, daily_budget: 500 })).status).toBe(200);
  });

  it('refuses a lifetime budget over the ceiling (1885261) or without an end time, and an end before the start', async () => {
    const acct = await account();
    const campaign = await newAboCampaign(acct.id);
    const base = { name: 'Lifetime', campaign_id: campaign, optimization_goal: 'REACH', billing_event: 'IMPRESSIONS', targeting: TARGETING, status: 'PAUSED' };
    const end = '2027-02-01T00:00:00-0800';
    const high = expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, lifetime_budget: 100_000_001, end_time: end }), 100, 1885261);
    expect(high.error_user_msg).toContain('USD1000000.00');
    const noEnd = expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, lifetime_budget: 500_000 }), 100);
    expect(noEnd).toEqual(expect.objectContaining({ error_user_title: 'End Time Required', error_data: { blame_field_specs: [['end_time']] } }));
    const backwards = expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, lifetime_budget: 500_000, start_time: '2027-03-01T00:00:00Z', end_time: end }), 100);
    expect(backwards.error_user_title).toBe('Incorrect End Date');
    const ok = await graphPost(sim, `${acct.id}/adsets`, { ...base, lifetime_budget: 500_000, end_time: end });
    expect(ok.status).toBe(200);
    expect((await graphGet(sim, ok.body.id, { fields: 'lifetime_budget,end_time' })).body).toEqual({ id: ok.body.id, lifetime_budget: '500000', end_time: end });
    // Clearing the end of a lifetime ad set is refused; a campaign lifetime budget needs stop_time.
    expect(expectMetaError(await graphPost(sim, ok.body.id, { end_time: 0 }), 100).error_data).toEqual({ blame_field_specs: [['end_time']] });
    const c = expectMetaError(await graphPost(sim, `${acct.id}/campaigns`, { name: 'L', objective: 'OUTCOME_SALES', special_ad_categories: '[]', status: 'PAUSED', lifetime_budget: 900_000 }), 100);
    expect(c.error_data).toEqual({ blame_field_specs: [['stop_time']] });
  });

  it('refuses an ad set budget under a campaign that has its own budget (100/1885621), and an ad set without any budget', async () => {
    const acct = await account();
    const { campaign, adset } = cboCampaign(acct);
    const update = expectMetaError(await graphPost(sim, adset.id, { daily_budget: 5000 }), 100, 1885621);
    expect(update.error_user_title).toBe('Budget Conflict: Campaign Already Has a Budget');
    const base = { name: 'Under CBO', campaign_id: campaign.id, optimization_goal: 'REACH', billing_event: 'IMPRESSIONS', targeting: TARGETING, status: 'PAUSED' };
    expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, daily_budget: 5000 }), 100, 1885621);
    // The ad set takes the campaign's bid strategy; a capped one needs a bid.
    const created = await graphPost(sim, `${acct.id}/adsets`, { ...base, bid_amount: 300 });
    expect(created.status).toBe(200);
    expect((await graphGet(sim, created.body.id, { fields: 'bid_strategy,daily_budget' })).body).toEqual({ id: created.body.id, bid_strategy: campaign.bid_strategy });
    const capped = await newAboCampaign(acct.id, { daily_budget: '90000', bid_strategy: 'COST_CAP' });
    expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, campaign_id: capped }), 100, 1815857);
    expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, campaign_id: capped, daily_budget: 5000, bid_amount: 300 }), 100, 1885621);
    const abo = await newAboCampaign(acct.id);
    const none = expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...base, campaign_id: abo }), 100);
    expect(none).toEqual(expect.objectContaining({ error_user_title: 'Budget Required', error_data: { blame_field_specs: [['daily_budget']] } }));
    // The campaign's own budget is changed on the campaign.
    expect((await graphPost(sim, campaign.id, { daily_budget: 123_400 })).body).toEqual({ success: true });
  });

  it('allows 4 budget changes per ad set per hour, then refuses with 613/1487632 for an hour of simulated time', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    const other = pick(acct.objects.adsets, (s: any) => s.id !== adset.id && s.daily_budget && s.effective_status === 'ACTIVE', 'second ABO ad set');
    const t0 = await simNow();
    for (let i = 0; i < 4; i++) expect((await graphPost(sim, adset.id, { daily_budget: 10_000 + i })).body).toEqual({ success: true });
    // Half an hour later the fifth change is refused, and that starts an hour-long block.
    await setClock(t0 + HOUR / 2);
    const refused = expectMetaError(await graphPost(sim, adset.id, { daily_budget: 20_000 }), 613, 1487632);
    expect(refused.error_user_msg).toContain('4 times per hour');
    // Names and other ad sets are not limited.
    expect((await graphPost(sim, adset.id, { name: 'still editable' })).status).toBe(200);
    expect((await graphPost(sim, other.id, { daily_budget: 30_000 })).status).toBe(200);
    // An hour after the first changes the block still holds; an hour after the refusal it is over.
    await setClock(t0 + HOUR + 60_000);
    expectMetaError(await graphPost(sim, adset.id, { daily_budget: 20_000 }), 613, 1487632);
    await setClock(t0 + HOUR / 2 + HOUR + 60_000);
    expect((await graphPost(sim, adset.id, { daily_budget: 20_000 })).body).toEqual({ success: true });
    expect((await graphGet(sim, adset.id, { fields: 'daily_budget' })).body.daily_budget).toBe('20000');
    expect((await writesOf(adset.id)).filter((w) => 'daily_budget' in w.fields).map((w) => w.fields.daily_budget)).toEqual(['10000', '10001', '10002', '10003', '20000']);
  });

  it('allows 10 spend cap changes per day, then refuses with 17/1885172', async () => {
    const acct = await account();
    const campaign = pick(acct.objects.campaigns, (c: any) => c.status === 'ACTIVE', 'active campaign');
    const t0 = await simNow();
    for (let i = 0; i < 10; i++) expect((await graphPost(sim, campaign.id, { spend_cap: 100_000 + i })).status).toBe(200);
    const refused = expectMetaError(await graphPost(sim, campaign.id, { spend_cap: 200_000 }), 17, 1885172);
    expect(refused.error_user_msg).toContain('10 times per day');
    expect((await graphGet(sim, campaign.id, { fields: 'spend_cap' })).body.spend_cap).toBe('100009');
    // The account's own spending limit has the same allowance, counted separately.
    expect((await graphPost(sim, acct.id, { spend_cap: 5_000_000 })).body).toEqual({ success: true });
    expect((await graphGet(sim, acct.id, { fields: 'spend_cap' })).body.spend_cap).toBe('5000000');
    await setClock(t0 + 24 * HOUR + 60_000);
    expect((await graphPost(sim, campaign.id, { spend_cap: 200_000 })).status).toBe(200);
  });
});

describe('creates', () => {
  it('creates a campaign, an ad set and an ad that look like generated ones, on the simulated clock, in edges, truth and incremental reads', async () => {
    const acct = await account();
    const t0 = await simNow();
    await setClock(t0 + 2 * HOUR);
    const campaign = await newAboCampaign(acct.id, { name: 'Winter launch' });
    const adsetAnswer = await graphPost(sim, `${acct.id}/adsets`, {
      name: 'Winter launch / US', campaign_id: campaign, optimization_goal: 'LINK_CLICKS', billing_event: 'IMPRESSIONS',
      bid_strategy: 'LOWEST_COST_WITH_BID_CAP', bid_amount: 250, daily_budget: 2500, targeting: TARGETING, status: 'PAUSED',
    });
    expect(adsetAnswer.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    const creative = pick(acct.objects.creatives, (c: any) => c.status === 'ACTIVE', 'active creative');
    const adAnswer = await graphPost(sim, `${acct.id}/ads`, { name: 'Winter ad', adset_id: adsetAnswer.body.id, creative: JSON.stringify({ creative_id: creative.id }), status: 'PAUSED' });
    expect(adAnswer.body).toEqual({ id: expect.stringMatching(/^\d+$/) });

    const ADSET_FIELDS = 'id,account_id,campaign_id,name,status,configured_status,effective_status,optimization_goal,billing_event,bid_strategy,bid_amount,daily_budget,budget_remaining,targeting,start_time,created_time,updated_time';
    const created = (await graphGet(sim, adsetAnswer.body.id, { fields: ADSET_FIELDS })).body;
    const generated = (await graphGet(sim, aboAdset(acct).id, { fields: ADSET_FIELDS })).body;
    expect(Object.keys(created).sort()).toEqual(Object.keys(generated).sort());
    expect(created).toEqual(expect.objectContaining({
      account_id: acct.account_id, campaign_id: campaign, status: 'PAUSED', configured_status: 'PAUSED', effective_status: 'PAUSED',
      bid_strategy: 'LOWEST_COST_WITH_BID_CAP', bid_amount: 250, daily_budget: '2500', budget_remaining: '2500', targeting: { geo_locations: { countries: ['US'] } },
    }));
    expect(created.created_time).toMatch(/-0800$/);
    expect(Math.abs(Date.parse(created.created_time) - (t0 + 2 * HOUR))).toBeLessThan(60_000);
    expect(created.updated_time).toBe(created.created_time);
    const ad = (await graphGet(sim, adAnswer.body.id, { fields: 'campaign_id,adset_id,creative{id},status,effective_status' })).body;
    expect(ad).toEqual({ id: adAnswer.body.id, campaign_id: campaign, adset_id: adsetAnswer.body.id, creative: { id: creative.id }, status: 'PAUSED', effective_status: 'PAUSED' });

    // Edges (paused objects are listed by default), truth and an incremental read all see them.
    const listed = (await graphGet(sim, `${campaign}/adsets`, { fields: 'id' })).body.data.map((x: any) => x.id);
    expect(listed).toEqual([adsetAnswer.body.id]);
    expect((await graphGet(sim, `${adsetAnswer.body.id}/ads`)).body.data).toEqual([{ id: adAnswer.body.id }]);
    const truth = await account();
    expect(truth.counts).toEqual(expect.objectContaining({ campaigns: acct.counts.campaigns + 1, adsets: acct.counts.adsets + 1, ads: acct.counts.ads + 1 }));
    expect(truth.objects.adsets.find((x: any) => x.id === adsetAnswer.body.id)).toEqual(expect.objectContaining({ daily_budget: '2500', bid_amount: 250, status: 'PAUSED', effective_status: 'PAUSED', created_time: created.created_time }));
    const filtering = JSON.stringify([{ field: 'ad.updated_time', operator: 'GREATER_THAN', value: Math.floor((t0 + HOUR) / 1000) }]);
    expect((await graphGet(sim, `${acct.id}/ads`, { filtering })).body.data).toEqual([{ id: adAnswer.body.id }]);
    expect((await control(sim, `writes?adAccountId=${acct.id}&kind=create`)).body.writes.map((w: any) => [w.objectType, w.objectId])).toEqual([
      ['campaign', campaign], ['adset', adsetAnswer.body.id], ['ad', adAnswer.body.id],
    ]);
  });

  it('requires Meta\'s campaign fields: name, an OUTCOME_* objective, special_ad_categories and a status', async () => {
    const acct = await account();
    const full = { name: 'C', objective: 'OUTCOME_LEADS', special_ad_categories: '[]', status: 'PAUSED' };
    const cases: Array<[Record<string, string>, string, string?]> = [
      [{ ...full, name: ' ' }, 'name'],
      [{ ...full, objective: '' }, 'objective'],
      [{ ...full, objective: 'LINK_CLICKS' }, 'objective', 'Objective Not Available'],
      [{ ...full, special_ad_categories: '["SPORTS"]' }, 'special_ad_categories'],
      [{ ...full, daily_budget: '50' }, 'daily_budget', 'Your Budget Is Too Low'],
      [{ ...full, daily_budget: '5000', lifetime_budget: '90000', stop_time: '2027-05-01T00:00:00Z' }, 'lifetime_budget', 'Too Many Budgets'],
    ];
    for (const [form, field, title] of cases) {
      const err = expectMetaError(await graphPost(sim, `${acct.id}/campaigns`, form), 100);
      expect(err.error_data).toEqual({ blame_field_specs: [[field]] });
      if (title) expect(err.error_user_title).toBe(title);
    }
    const { objective: _o, ...noObjective } = full;
    expect(expectMetaError(await graphPost(sim, `${acct.id}/campaigns`, noObjective), 100).error_data).toEqual({ blame_field_specs: [['objective']] });
    const { status: _s, ...noStatus } = full;
    expect(expectMetaError(await graphPost(sim, `${acct.id}/campaigns`, noStatus), 100).error_data).toEqual({ blame_field_specs: [['status']] });
    expectMetaError(await graphPost(sim, `${acct.id}/campaigns`, { ...full, status: 'ARCHIVED' }), 100);
    expectMetaError(await graphPost(sim, `${acct.id}/campaigns`, { ...full, budget: '5000' }), 100);
    expect((await account()).counts.campaigns).toBe(acct.counts.campaigns);
    expect((await control(sim, 'writes')).body).toEqual({ total: 0, count: 0, writes: [] });
  });

  it('requires Meta\'s ad set fields: goal, billing event, targeting with a location, promoted object, bid for capped strategies', async () => {
    const acct = await account();
    const sales = await newAboCampaign(acct.id, { objective: 'OUTCOME_SALES' });
    const pixel = (await graphGet(sim, `${acct.id}/adspixels`)).body.data[0].id;
    const full: Record<string, string> = {
      name: 'S', campaign_id: sales, optimization_goal: 'OFFSITE_CONVERSIONS', billing_event: 'IMPRESSIONS', daily_budget: '4000',
      targeting: TARGETING, promoted_object: JSON.stringify({ pixel_id: pixel, custom_event_type: 'PURCHASE' }), status: 'PAUSED',
    };
    const without = (k: string): Record<string, string> => Object.fromEntries(Object.entries(full).filter(([key]) => key !== k));
    const cases: Array<[Record<string, string>, string, string?]> = [
      [without('optimization_goal'), 'optimization_goal'],
      [without('billing_event'), 'billing_event'],
      [without('targeting'), 'targeting'],
      [{ ...full, targeting: JSON.stringify({ age_min: 18 }) }, 'targeting', 'Location Targeting Required'],
      [without('promoted_object'), 'promoted_object', 'Promoted Object Required'],
      [{ ...full, promoted_object: JSON.stringify({ pixel_id: '1', custom_event_type: 'PURCHASE' }) }, 'promoted_object', 'Invalid Pixel'],
      [{ ...full, optimization_goal: 'THRUPLAY' }, 'optimization_goal', 'Invalid Optimization Goal'],
      [{ ...full, billing_event: 'LINK_CLICKS' }, 'billing_event', 'Invalid Billing Event'],
      [{ ...full, campaign_id: '120200000000000001' }, 'campaign_id'],
    ];
    for (const [form, field, title] of cases) {
      const err = expectMetaError(await graphPost(sim, `${acct.id}/adsets`, form), 100);
      expect(err.error_data).toEqual({ blame_field_specs: [[field]] });
      if (title) expect(err.error_user_title).toBe(title);
    }
    const bid = expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...full, bid_strategy: 'COST_CAP' }), 100, 1815857);
    expect(bid.error_data).toEqual({ blame_field_specs: [['bid_amount']] });
    expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...full, bid_strategy: 'LOWEST_COST_WITH_MIN_ROAS' }), 100);
    const archived = pick(acct.objects.campaigns, (c: any) => c.status === 'ARCHIVED', 'archived campaign');
    expect(expectMetaError(await graphPost(sim, `${acct.id}/adsets`, { ...full, campaign_id: archived.id }), 100).error_user_title).toBe('Parent archived');
    const ok = await graphPost(sim, `${acct.id}/adsets`, { ...full, bid_strategy: 'COST_CAP', bid_amount: '900' });
    expect(ok.status).toBe(200);
    expect((await graphGet(sim, ok.body.id, { fields: 'promoted_object,destination_type' })).body).toEqual({ id: ok.body.id, promoted_object: { pixel_id: pixel, custom_event_type: 'PURCHASE' }, destination_type: 'UNDEFINED' });
    // Lead ads need the page they collect for.
    const leads = await newAboCampaign(acct.id, { objective: 'OUTCOME_LEADS' });
    const leadForm = { ...full, campaign_id: leads, optimization_goal: 'LEAD_GENERATION', promoted_object: JSON.stringify({ pixel_id: pixel, custom_event_type: 'LEAD' }) };
    expect(expectMetaError(await graphPost(sim, `${acct.id}/adsets`, leadForm), 100).error_user_msg).toContain('page_id');
    const page = (await graphGet(sim, `${acct.id}/promote_pages`)).body.data[0].id;
    expect((await graphPost(sim, `${acct.id}/adsets`, { ...leadForm, promoted_object: JSON.stringify({ page_id: page }) })).status).toBe(200);
  });

  it('requires an ad\'s adset_id and creative {creative_id}', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    const creative = pick(acct.objects.creatives, (c: any) => c.status === 'ACTIVE', 'active creative');
    const deletedSet = pick(acct.objects.adsets, (s: any) => s.status === 'DELETED', 'deleted ad set');
    const cases: Array<[Record<string, string>, string]> = [
      [{ adset_id: adset.id, creative: JSON.stringify({ creative_id: creative.id }) }, 'name'],
      [{ name: 'A', creative: JSON.stringify({ creative_id: creative.id }) }, 'adset_id'],
      [{ name: 'A', adset_id: deletedSet.id, creative: JSON.stringify({ creative_id: creative.id }) }, 'adset_id'],
      [{ name: 'A', adset_id: adset.id }, 'creative'],
      [{ name: 'A', adset_id: adset.id, creative: JSON.stringify({ creative_id: '42' }) }, 'creative'],
    ];
    for (const [form, field] of cases) expect(expectMetaError(await graphPost(sim, `${acct.id}/ads`, form), 100).error_data).toEqual({ blame_field_specs: [[field]] });
    const ok = await graphPost(sim, `${acct.id}/ads`, { name: 'A', adset_id: adset.id, creative: JSON.stringify({ creative_id: creative.id }) });
    expect((await graphGet(sim, ok.body.id, { fields: 'status,effective_status' })).body).toEqual({ id: ok.body.id, status: 'ACTIVE', effective_status: 'ACTIVE' });
  });
});

describe('the write log', () => {
  it('lists applied writes in order per object with values before and after; filters, summarizes and resets', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    await graphPost(sim, adset.id, { daily_budget: 12_000 });
    expectMetaError(await graphPost(sim, adset.id, { daily_budget: 1 }), 100, 1885272);
    await graphPost(sim, adset.id, { daily_budget: 14_400, name: 'Bigger' });
    await fetchJson(`${sim.url}/v23.0/${adset.id}?access_token=sim-token`, { method: 'DELETE' });
    const campaign = await newAboCampaign(acct.id);

    const log = (await control(sim, `writes?objectId=${adset.id}`)).body;
    expect(log.total).toBe(4);
    expect(log.count).toBe(3);
    expect(log.writes.map((w: any) => [w.seq, w.kind, w.fields, w.previous])).toEqual([
      [1, 'update', { daily_budget: '12000' }, { daily_budget: adset.daily_budget }],
      [2, 'update', { daily_budget: '14400', name: 'Bigger' }, { daily_budget: '12000', name: adset.name }],
      [3, 'delete', { status: 'DELETED' }, { status: 'ACTIVE' }],
    ]);
    expect((await control(sim, 'writes?since=2')).body.writes.map((w: any) => w.seq)).toEqual([3, 4]);
    expect((await control(sim, `writes?objectId=${adset.id},${campaign}&field=daily_budget`)).body.count).toBe(2);
    expect((await control(sim, 'writes?summary=true')).body).toEqual({
      total: 4, count: 4, byObject: { [adset.id]: 3, [campaign]: 1 }, byKind: { update: 2, delete: 1, create: 1 },
      byField: expect.objectContaining({ daily_budget: 2, name: 2, status: 2, objective: 1 }),
    });
    expect((await control(sim, 'writes?adAccountId=act_1')).body.count).toBe(0);
    expect((await control(sim, 'writes?since=-1')).status).toBe(400);
    expect((await control(sim, 'writes?kind=upsert')).status).toBe(400);
    await control(sim, 'reset', {});
    expect((await control(sim, 'writes')).body).toEqual({ total: 0, count: 0, writes: [] });
  });
});

describe('lost answers of applied writes (writeAppliedThenErrorRate)', () => {
  it('answers 500 after applying, or closes the connection unanswered; the write is applied and logged once', async () => {
    const acct = await account();
    const adset = aboAdset(acct);
    expect((await control(sim, 'faults', { writeAppliedThenErrorRate: 1, writeAppliedThenErrorMode: 'error' })).body.faults).toEqual({ writeAppliedThenErrorRate: 1, writeAppliedThenErrorMode: 'error' });
    const lost = await graphPost(sim, adset.id, { daily_budget: 12_000 });
    expect(lost.status).toBe(500);
    expect(lost.body.error).toEqual(expect.objectContaining({ code: 1, message: 'An unknown error occurred' }));
    expect(lost.headers.get('x-business-use-case-usage')).toBeTruthy();
    // A refused write is not applied, so it is answered normally.
    expectMetaError(await graphPost(sim, adset.id, { daily_budget: 1 }), 100, 1885272);
    // Reads are never affected.
    expect((await graphGet(sim, adset.id, { fields: 'daily_budget' })).body.daily_budget).toBe('12000');

    await control(sim, 'faults', { writeAppliedThenErrorRate: 1, writeAppliedThenErrorMode: 'drop' });
    await expect(graphPost(sim, adset.id, { daily_budget: 14_400 })).rejects.toThrow();
    await control(sim, 'faults', {});
    expect((await graphGet(sim, adset.id, { fields: 'daily_budget' })).body.daily_budget).toBe('14400');
    expect((await writesOf(adset.id)).map((w) => w.fields.daily_budget)).toEqual(['12000', '14400']);
    expect((await control(sim, 'faults', { writeAppliedThenErrorMode: 'sometimes' })).status).toBe(400);
    expect((await control(sim, 'faults', { writeAppliedThenErrorRate: 2 })).status).toBe(400);
  });

  it('loses batch items the same way (null or a 500 item) after applying them; creates too', async () => {
    const acct = await account();
    const sets = acct.objects.adsets.filter((s: any) => s.daily_budget && s.effective_status === 'ACTIVE');
    const oneACampaign = [...new Map(sets.map((s: any) => [s.campaign_id, s])).values()] as any[];
    expect(oneACampaign.length).toBeGreaterThanOrEqual(2);
    await control(sim, 'faults', { writeAppliedThenErrorRate: 1, writeAppliedThenErrorMode: 'drop' });
    const dropped = await batch([
      { method: 'POST', relative_url: oneACampaign[0].id, body: 'daily_budget=11000' },
      { method: 'GET', relative_url: `${oneACampaign[1].id}?fields=daily_budget` },
    ]);
    expect(dropped[0]).toBeNull();
    expect(JSON.parse(dropped[1].body)).toEqual({ id: oneACampaign[1].id, daily_budget: oneACampaign[1].daily_budget });
    await control(sim, 'faults', { writeAppliedThenErrorRate: 1, writeAppliedThenErrorMode: 'error' });
    const errored = await batch([
      { method: 'POST', relative_url: oneACampaign[1].id, body: 'daily_budget=22000' },
      { method: 'POST', relative_url: `${acct.id}/campaigns`, body: 'name=Lost&objective=OUTCOME_TRAFFIC&special_ad_categories=%5B%5D&status=PAUSED' },
    ]);
    expect(errored.map((x) => x.code)).toEqual([500, 500]);
    expect(JSON.parse(errored[0].body).error.code).toBe(1);
    await control(sim, 'faults', {});
    expect((await graphGet(sim, oneACampaign[0].id, { fields: 'daily_budget' })).body.daily_budget).toBe('11000');
    expect((await graphGet(sim, oneACampaign[1].id, { fields: 'daily_budget' })).body.daily_budget).toBe('22000');
    const created = (await control(sim, 'writes?kind=create')).body.writes;
    expect(created).toHaveLength(1);
    expect(created[0].fields.name).toBe('Lost');
    expect((await account()).counts.campaigns).toBe(acct.counts.campaigns + 1);
  });

  it('draws reproducibly at a rate: every write applied exactly once whatever the answer', async () => {
    const acct = await account();
    const sets = acct.objects.adsets.filter((s: any) => s.daily_budget && (s.status === 'ACTIVE' || s.status === 'PAUSED'));
    await control(sim, 'faults', { writeAppliedThenErrorRate: 0.5, faultSeed: 3 });
    const outcomes: string[] = [];
    for (const s of sets) {
      const answer = await graphPost(sim, s.id, { daily_budget: Number(s.daily_budget) + 100 }).then((a) => String(a.status), () => 'dropped');
      outcomes.push(answer);
    }
    await control(sim, 'faults', {});
    expect(outcomes).toContain('200');
    expect(outcomes.filter((o) => o !== '200').length).toBeGreaterThan(0);
    const summary = (await control(sim, 'writes?summary=true')).body;
    expect(summary.count).toBe(sets.length);
    expect(Object.values(summary.byObject)).toEqual(sets.map(() => 1));
    for (const s of sets) expect((await graphGet(sim, s.id, { fields: 'daily_budget' })).body.daily_budget).toBe(String(Number(s.daily_budget) + 100));
  });
});

describe('batches', () => {
  it('refuses a second ad set of the same campaign in one batch, and runs writes through the same rules and log', async () => {
    const acct = await account();
    const byCampaign = new Map<string, any[]>();
    for (const s of acct.objects.adsets.filter((x: any) => x.daily_budget && x.effective_status === 'ACTIVE')) byCampaign.set(s.campaign_id, [...(byCampaign.get(s.campaign_id) ?? []), s]);
    const [a, b] = pick([...byCampaign.values()], (list) => list.length >= 2, 'campaign with two active ABO ad sets');
    const elsewhere = pick([...byCampaign.values()], (list) => list[0].campaign_id !== a.campaign_id, 'second campaign')[0];
    const answers = await batch([
      { method: 'POST', relative_url: a.id, body: 'daily_budget=15000' },
      { method: 'POST', relative_url: b.id, body: 'daily_budget=16000' },
      { method: 'POST', relative_url: elsewhere.id, body: 'daily_budget=17000' },
      { method: 'POST', relative_url: `${acct.id}/adsets`, body: new URLSearchParams({ name: 'New', campaign_id: a.campaign_id, optimization_goal: 'REACH', billing_event: 'IMPRESSIONS', daily_budget: '5000', targeting: TARGETING }).toString() },
      { method: 'POST', relative_url: a.campaign_id, body: 'name=Campaign%20renamed' },
      { method: 'POST', relative_url: `v23.0/${elsewhere.campaign_id}`, body: 'status=PAUSED' },
    ]);
    expect(answers.map((x) => x.code)).toEqual([200, 400, 200, 400, 200, 200]);
    const error = JSON.parse(answers[1].body).error;
    expect(error).toEqual(expect.objectContaining({ code: 100, type: 'OAuthException' }));
    expect(error.message).toContain('Batch requests cannot include multiple Adsets under the same Campaign');
    expect(JSON.parse(answers[3].body).error.message).toContain('multiple Adsets');
    expect((await graphGet(sim, b.id, { fields: 'daily_budget' })).body.daily_budget).toBe(b.daily_budget);
    expect((await control(sim, 'writes')).body.writes.map((w: any) => w.objectId)).toEqual([a.id, elsewhere.id, a.campaign_id, elsewhere.campaign_id]);
    // The same ad sets in separate batches are fine; batch items meet the same validation.
    expect((await batch([{ method: 'POST', relative_url: b.id, body: 'daily_budget=16000' }]))[0].code).toBe(200);
    const invalid = await batch([{ method: 'POST', relative_url: elsewhere.id, body: 'daily_budget=5' }]);
    expect(JSON.parse(invalid[0].body).error.error_subcode).toBe(1885272);
    // The hourly budget allowance counts batch items too.
    for (let i = 0; i < 3; i++) expect((await batch([{ method: 'POST', relative_url: a.id, body: `daily_budget=${15001 + i}` }]))[0].code).toBe(200);
    expect(JSON.parse((await batch([{ method: 'POST', relative_url: a.id, body: 'daily_budget=19000' }]))[0].body).error.error_subcode).toBe(1487632);
  });
});
