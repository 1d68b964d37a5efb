/**
 * Fidelity for clients nobody here wrote: the simulator answers the official SDK's full
 * field list of every node type the sync reads (and every breakdown and action breakdown
 * Meta documents that it models) with data, not errors; a field Meta does not know still
 * gets Meta's error; derived fields agree with the row's own counts; action breakdowns
 * split entries with totals equal to the unsplit numbers; the connector edges exist and page;
 * a version newer than the latest is refused.
 */
import * as sdk from 'facebook-nodejs-business-sdk';
import type { RunningSimulator } from '../../src/simulator/simulator-server';
import { control, graphGet, graphPost, start, walk } from './sim-test-helpers';

let sim: RunningSimulator;
let truth: any;
let act: string;
let acct: any;

const fieldsOf = (cls: string): string[] => Object.values((sdk as any)[cls].Fields as Record<string, string>);
const all = (cls: string): string => fieldsOf(cls).join(',');

beforeAll(async () => {
  sim = await start({ profile: 'small' });
  truth = (await control(sim, 'truth')).body;
  acct = truth.adAccounts[0];
  act = acct.id;
});
afterAll(() => sim.close());

async function ok(path: string, params: Record<string, string | number>): Promise<any> {
  const r = await graphGet(sim, path, params);
  if (r.status !== 200) throw new Error(`${path} ${JSON.stringify(params).slice(0, 80)}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

describe('object fields from the official SDK', () => {
  it('answers every documented field of every node type the sync reads, with data', async () => {
    const me = await ok('me', { fields: all('User') });
    expect(me.id).toBeDefined();
    const biz = (await ok('me/businesses', { fields: all('Business'), limit: 5 })).data;
    expect(biz.length).toBeGreaterThan(0);
    expect(biz[0].link).toContain(biz[0].id);
    const account = await ok(act, { fields: all('AdAccount') });
    expect(account).toEqual(expect.objectContaining({ id: act, currency: 'USD', user_tasks: expect.arrayContaining(['ADVERTISE']) }));
    const camps = (await ok(`${act}/campaigns`, { fields: all('Campaign'), limit: 5 })).data;
    expect(camps[0]).toEqual(expect.objectContaining({ id: expect.any(String), objective: expect.any(String), can_use_spend_cap: true }));
    const adsets = (await ok(`${act}/adsets`, { fields: all('AdSet'), limit: 5 })).data;
    const withBid = adsets.find((s: any) => s.bid_amount);
    expect(withBid.bid_info).toEqual({ ACTIONS: withBid.bid_amount });
    const ads = (await ok(`${act}/ads`, { fields: all('Ad'), limit: 5 })).data;
    const ad = ads[0];
    const parent = adsets.find((s: any) => s.id === ad.adset_id) ?? (await ok(ad.adset_id, { fields: 'targeting' }));
    expect(ad.targeting).toEqual(parent.targeting);
    expect(ad.bid_type).toEqual(expect.any(String));
    expect(ad).not.toHaveProperty('adlabels'); // Meta leaves out empty values
    const creatives = (await ok(`${act}/adcreatives`, { fields: all('AdCreative'), limit: 5 })).data;
    expect(creatives[0]).toEqual(expect.objectContaining({ object_type: 'SHARE', actor_id: creatives[0].object_story_spec.page_id }));
    const audiences = (await ok(`${act}/customaudiences`, { fields: all('CustomAudience'), limit: 10 })).data;
    expect(audiences.length).toBeGreaterThan(0);
    const custom = audiences.find((a: any) => a.subtype === 'CUSTOM');
    if (custom) expect(custom.customer_file_source).toBe('USER_PROVIDED_ONLY');
    await ok(`${act}/adspixels`, { fields: all('AdsPixel'), limit: 5 });
    await ok(`${act}/adrules_library`, { fields: all('AdRule'), limit: 5 });
    const pages = (await ok(`${act}/promote_pages`, { fields: all('Page'), limit: 2 })).data;
    expect(pages[0].link).toBe(`https://www.facebook.com/${pages[0].id}`);
    const forms = (await ok(`${pages[0].id}/leadgen_forms`, { fields: all('LeadgenForm'), limit: 5 })).data;
    if (forms.length) await ok(`${forms[0].id}/leads`, { fields: all('Lead'), limit: 5 });
    await ok(`${pages[0].id}/instagram_accounts`, { fields: all('IGUser'), limit: 5 });
    const catalogs = (await ok(`${biz[0].id}/owned_product_catalogs`, { fields: all('ProductCatalog'), limit: 5 })).data;
    if (catalogs.length) {
      await ok(`${catalogs[0].id}/products`, { fields: all('ProductItem'), limit: 5 });
      await ok(`${catalogs[0].id}/product_feeds`, { fields: all('ProductFeed'), limit: 5 });
      await ok(`${catalogs[0].id}/product_sets`, { fields: all('ProductSet'), limit: 5 });
    }
  });

  it('keeps the answers of the fields the sync already reads', async () => {
    const camp = acct.objects.campaigns[0];
    const before = await ok(camp.id, { fields: 'id,name,status,daily_budget,special_ad_categories,issues_info' });
    expect(before).not.toHaveProperty('issues_info');
    expect(before.id).toBe(camp.id);
  });

  it("still answers Meta's error for a field Meta does not know, on objects, edges and insights", async () => {
    const ad = acct.objects.ads[0];
    const bad = await graphGet(sim, ad.id, { fields: 'id,definitely_not_a_field' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual(expect.objectContaining({ code: 100, message: '(#100) Tried accessing nonexisting field (definitely_not_a_field) on node type (Ad)' }));
    const edge = await graphGet(sim, `${act}/adimages`, { fields: 'hash,nope' });
    expect(edge.body.error.message).toBe('(#100) Tried accessing nonexisting field (nope) on node type (AdImage)');
    const ins = await graphGet(sim, `${act}/insights`, { fields: 'spend,nope_metric' });
    expect(ins.status).toBe(400);
    expect(ins.body.error.message).toContain('nope_metric is not valid for fields param');
  });
});

describe('insights fields', () => {
  it('answers the full AdsInsights field list; derived ratios agree with the same row', async () => {
    const body = await ok(`${act}/insights`, { level: 'ad', fields: all('AdsInsights'), date_preset: 'last_7d', time_increment: 1, limit: 50 });
    expect(body.data.length).toBeGreaterThan(0);
    const row = body.data.find((r: any) => Number(r.inline_link_clicks) > 0 && Number(r.impressions) > 0);
    expect(Number(row.inline_link_click_ctr)).toBeCloseTo((Number(row.inline_link_clicks) / Number(row.impressions)) * 100, 4);
    expect(Number(row.cost_per_inline_link_click)).toBeCloseTo(Number(row.spend) / Number(row.inline_link_clicks), 4);
    expect(row.outbound_clicks).toEqual([{ action_type: 'outbound_click', value: row.inline_link_clicks }]);
    expect(row.attribution_setting).toBe('7d_click_1d_view');
    const engagement = (row.actions ?? []).find((a: any) => a.action_type === 'post_engagement');
    expect(row.inline_post_engagement).toBe(engagement?.value ?? '0');
    const buyer = body.data.find((r: any) => r.purchase_roas);
    if (buyer) {
      const value = buyer.action_values.find((a: any) => a.action_type === 'offsite_conversion.fb_pixel_purchase').value;
      expect(Number(buyer.purchase_roas[0].value)).toBeCloseTo(Number(value) / Number(buyer.spend), 4);
    }
    // No generated creative is a video: no video metrics, no error.
    expect(body.data.every((r: any) => r.video_play_actions === undefined)).toBe(true);
    expect(['ABOVE_AVERAGE', 'AVERAGE', 'BELOW_AVERAGE_35', 'BELOW_AVERAGE_20', 'BELOW_AVERAGE_10', 'UNKNOWN']).toContain(row.quality_ranking);
  });

  it('reports video metrics for an ad whose creative is a video', async () => {
    const adset = acct.objects.adsets.find((s: any) => s.status === 'ACTIVE' && s.effective_status === 'ACTIVE') ?? acct.objects.adsets[0];
    const page = (await ok(`${act}/promote_pages`, {})).data[0].id;
    const creative = await graphPost(sim, `${act}/adcreatives`, {
      name: 'Video creative', object_story_spec: JSON.stringify({ page_id: page, video_data: { video_id: '990000000000001', message: 'Watch' } }),
    });
    expect(creative.status).toBe(200);
    const ad = await graphPost(sim, `${act}/ads`, { name: 'Video ad', adset_id: adset.id, creative: JSON.stringify({ creative_id: creative.body.id }), status: 'ACTIVE' });
    expect(ad.status).toBe(200);
    expect((await ok(creative.body.id, { fields: 'object_type' })).object_type).toBe('VIDEO');
    const rows = (await ok(`${ad.body.id}/insights`, { fields: 'impressions,video_play_actions,video_p25_watched_actions,video_p100_watched_actions', date_preset: 'today' })).data;
    const videos = (await ok(`${act}/advideos`, { fields: 'id,title' })).data;
    expect(videos).toEqual(expect.arrayContaining([expect.objectContaining({ id: '990000000000001' })]));
    expect(Number(rows[0].impressions)).toBeGreaterThan(10);
    const plays = Number(rows[0].video_play_actions[0].value);
    expect(plays).toBeGreaterThan(0);
    expect(plays).toBeLessThanOrEqual(Number(rows[0].impressions));
    expect(Number(rows[0].video_p100_watched_actions[0].value)).toBeLessThanOrEqual(Number(rows[0].video_p25_watched_actions[0].value));
  });
});

describe('breakdowns', () => {
  it.each(['region', 'comscore_market', 'platform_position', 'impression_device', 'device_platform', 'product_id', 'dma', 'age', 'country'])(
    '%s splits the account total exactly',
    async (b) => {
      const whole = (await ok(`${act}/insights`, { fields: 'impressions,spend', date_preset: 'last_7d' })).data[0];
      const parts = await walk(sim, `${act}/insights`, { fields: 'impressions,spend', date_preset: 'last_7d', breakdowns: b });
      expect(parts.rows.length).toBeGreaterThan(1);
      expect(parts.rows.every((r: any) => typeof r[b] === 'string')).toBe(true);
      expect(parts.rows.reduce((n: number, r: any) => n + Number(r.impressions), 0)).toBe(Number(whole.impressions));
    },
  );

  it("names the invalid value's position", async () => {
    const r = await graphGet(sim, `${act}/insights`, { fields: 'spend', breakdowns: 'age,gender,bogus' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(100);
    expect(r.body.error.message).toMatch(/^\(#100\) breakdowns\[2\] must be one of the following values: .*region/);
  });
});

describe('action breakdowns', () => {
  const values: string[] = Object.values((sdk as any).AdsInsights.ActionBreakdowns as Record<string, string>);

  it.each(values)('%s answers, and its pieces add up to the unsplit actions', async (b) => {
    const params = { level: 'ad', fields: 'ad_id,actions,action_values', date_preset: 'last_7d', limit: 200 };
    const plain = (await ok(`${act}/insights`, params)).data;
    const split = (await ok(`${act}/insights`, { ...params, action_breakdowns: `action_type,${b}` })).data;
    expect(split.length).toBe(plain.length);
    for (let i = 0; i < plain.length; i++) {
      for (const field of ['actions', 'action_values']) {
        const sum = (list: any[] | undefined): Record<string, number> => {
          const out: Record<string, number> = {};
          for (const a of list ?? []) out[a.action_type] = Math.round(((out[a.action_type] ?? 0) + Number(a.value)) * 100) / 100;
          return out;
        };
        expect(sum(split[i][field])).toEqual(sum(plain[i][field]));
      }
    }
  });

  it('action_device labels each piece with a device and keeps windows consistent', async () => {
    const rows = (await ok(`${act}/insights`, {
      fields: 'actions', date_preset: 'last_7d', action_breakdowns: 'action_type,action_device', action_attribution_windows: '["7d_click"]',
    })).data;
    const entries = rows[0].actions as any[];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(['iphone', 'android_smartphone', 'desktop', 'ipad', 'android_tablet', 'other']).toContain(e.action_device);
      expect(e.value).toBe(e['7d_click']);
    }
  });

  it("refuses a value Meta does not know, naming its position", async () => {
    const r = await graphGet(sim, `${act}/insights`, { fields: 'actions', action_breakdowns: 'action_type,action_bogus' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^\(#100\) action_breakdowns\[1\] must be one of the following values: .*action_device/);
  });
});

describe('connector edges and versions', () => {
  it.each([
    ['me/business_users', 'id,name,email,role,business'],
    [`ACT/customconversions`, 'id,name,custom_event_type,rule,pixel'],
    [`ACT/adimages`, 'hash,id,url,width,height,creatives'],
    [`ACT/advideos`, 'id,title,length'],
    [`ACT/activities`, 'event_type,event_time,object_id,object_type,actor_name'],
  ])('%s exists, pages with cursors and answers the same twice', async (path, fields) => {
    const p = path.replace('ACT', act);
    const first = await walk(sim, p, { fields, limit: 3 });
    const again = await walk(sim, p, { fields, limit: 3 });
    expect(again.rows).toEqual(first.rows);
    if (p.endsWith('advideos')) return; // only created video creatives have videos
    expect(first.rows.length).toBeGreaterThan(0);
    if (first.rows.length > 3) expect(first.requests).toBeGreaterThan(1);
    expect(await ok(p, { fields: all(p.includes('business_users') ? 'BusinessUser' : p.includes('customconversions') ? 'CustomConversion' : p.includes('adimages') ? 'AdImage' : 'AdActivity'), limit: 2 })).toHaveProperty('data');
  });

  it("a business lists its own business user, the same one /me lists for it", async () => {
    const mine = await walk(sim, 'me/business_users', { fields: 'id,business' });
    const biz = mine.rows[0].business.id;
    const own = await walk(sim, `${biz}/business_users`, { fields: 'id,business' });
    expect(own.rows).toEqual([mine.rows[0]]);
  });

  it('images are the hashes the creatives use', async () => {
    const images = await walk(sim, `${act}/adimages`, { fields: 'hash,creatives' });
    const creatives = await walk(sim, `${act}/adcreatives`, { fields: 'image_hash' });
    expect(new Set(images.rows.map((i: any) => i.hash))).toEqual(new Set(creatives.rows.map((c: any) => c.image_hash).filter(Boolean)));
  });

  it('refuses a version newer than the latest like Meta refuses an unknown version', async () => {
    const r = await graphGet(sim, '/v99.0/me', { fields: 'id' });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 2500, type: 'OAuthException', message: 'Unknown path components: /me' }));
    expect((await graphGet(sim, '/v24.0/me', { fields: 'id' })).status).toBe(200);
  });
});
