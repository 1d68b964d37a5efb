/**
 * Wire behaviour of Graph reads and writes on the small profile: field selection and
 * expansion, ids lookups, filtering operators, data budget, versions, auth, error envelopes
 * with usage headers, writes/validation/archived rules, batch and async report runs.
 */
import type { RunningSimulator } from '../../src/simulator/simulator-server';
import { ALL_STATUSES, control, fetchJson, graphGet, graphPost, start, walk } from './sim-test-helpers';

let sim: RunningSimulator;
let truth: any;
let act: string;
let acct: any;

beforeAll(async () => {
  sim = await start({ profile: 'small', limits: { asyncPollsToComplete: 3 } });
  truth = (await control(sim, 'truth')).body;
  acct = truth.adAccounts[0];
  act = acct.id;
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control(sim, 'faults', {});
});

function expectUsageHeaders(headers: Headers): void {
  for (const h of ['x-app-usage', 'x-ad-account-usage', 'x-business-use-case-usage']) expect(() => JSON.parse(headers.get(h) ?? '')).not.toThrow();
}

describe('reads', () => {
  it('returns only id without fields, requested fields otherwise, with account-offset times and minor-unit budgets', async () => {
    const camp = acct.objects.campaigns[0];
    expect((await graphGet(sim, camp.id)).body).toEqual({ id: camp.id });
    const r = await graphGet(sim, camp.id, { fields: 'id,name,account_id,status,effective_status,created_time,updated_time,objective' });
    expect(r.status).toBe(200);
    expect(r.headers.get('facebook-api-version')).toBe('v23.0');
    expect(r.body.account_id).toBe(act.slice(4));
    expect(r.body.updated_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]00$/);
    expect(r.body.id).toMatch(/^\d{15,18}$/);
    const acc = await graphGet(sim, act, { fields: 'id,account_id,currency,timezone_name' });
    expect(acc.body).toEqual({ id: act, account_id: act.slice(4), currency: 'USD', timezone_name: 'America/Los_Angeles' });
    const withBudget = await walk(sim, `${act}/adsets`, { fields: 'daily_budget', limit: 100 });
    expect(withBudget.rows.some((s: any) => /^\d+$/.test(s.daily_budget))).toBe(true);
  });

  it('expands references and edges, and answers ?ids= keyed by id', async () => {
    const ad = acct.objects.ads.find((a: any) => a.effective_status === 'ACTIVE');
    const r = await graphGet(sim, ad.id, { fields: 'name,creative{id,name},adset{name,campaign{id}}' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.creative).sort()).toEqual(['id', 'name']);
    expect(r.body.adset.campaign.id).toBe(ad.campaign_id);
    const c = await graphGet(sim, ad.campaign_id, { fields: 'adsets.limit(2){id,name},insights.date_preset(last_7d).time_increment(1){spend,impressions}' });
    expect(c.body.insights.data).toHaveLength(7);
    expect(c.body.insights.data[0]).toEqual(expect.objectContaining({ spend: expect.any(String), impressions: expect.any(String), date_start: expect.any(String) }));
    expect(c.body.adsets.data).toHaveLength(2);
    const ids = [acct.objects.campaigns[0].id, acct.objects.ads[0].id];
    const multi = await graphGet(sim, '', { ids: ids.join(','), fields: 'id,name' });
    expect(Object.keys(multi.body).sort()).toEqual([...ids].sort());
    expect(multi.body[ids[0]!].name).toBe(acct.objects.campaigns[0].name);
    const bad = await graphGet(sim, ad.id, { fields: 'nonsense_field' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual(expect.objectContaining({ code: 100, message: '(#100) Tried accessing nonexisting field (nonsense_field) on node type (Ad)' }));
    const missing = await graphGet(sim, '123456789012345678');
    expect(missing.body.error).toEqual(expect.objectContaining({ code: 100, error_subcode: 33, type: 'GraphMethodException' }));
  });

  it('serves the business, page, lead, catalog, audience, pixel and rule edges', async () => {
    const biz = await walk(sim, 'me/businesses', { fields: 'id,name' });
    expect(biz.rows).toHaveLength(2);
    const pages = await walk(sim, `${biz.rows[0].id}/owned_pages`, { fields: 'id,name' });
    expect(pages.rows.length).toBeGreaterThan(0);
    expect((await walk(sim, `${act}/promote_pages`, {})).rows.map((p: any) => p.id)).toEqual(pages.rows.map((p: any) => p.id));
    const forms = await walk(sim, `${pages.rows[0].id}/leadgen_forms`, { fields: 'id,name,leads_count' });
    const leads = await walk(sim, `${forms.rows[0].id}/leads`, { fields: 'id,created_time,field_data' });
    expect(leads.rows).toHaveLength(forms.rows[0].leads_count);
    expect((await walk(sim, `${pages.rows[0].id}/instagram_accounts`, { fields: 'id,username' })).rows).toHaveLength(1);
    const cats = await walk(sim, `${biz.rows[0].id}/owned_product_catalogs`, {});
    for (const e of ['product_feeds', 'products', 'product_sets']) expect((await walk(sim, `${cats.rows[0].id}/${e}`, {})).rows.length).toBeGreaterThan(0);
    expect((await walk(sim, `${act}/customaudiences`, { fields: 'subtype' })).rows.map((a: any) => a.subtype)).toContain('LOOKALIKE');
    expect((await walk(sim, `${act}/adspixels`, {})).rows).toHaveLength(acct.counts.pixels);
    expect((await walk(sim, `${act}/adrules_library`, { fields: 'evaluation_spec' })).rows[0].evaluation_spec.filters.length).toBeGreaterThan(0);
  });

  it('applies every filtering operator', async () => {
    const campaigns = acct.objects.campaigns;
    const list = async (filtering: unknown[]): Promise<string[]> =>
      (await walk(sim, `${act}/campaigns`, { limit: 100, filtering: JSON.stringify([{ field: 'campaign.effective_status', operator: 'IN', value: ALL_STATUSES }, ...filtering]) })).rows.map((r: any) => r.id);
    const all = campaigns.map((c: any) => c.id);
    const [first, second] = all;
    const unix = (t: string): number => Math.floor(Date.parse(t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) / 1000);
    const times = campaigns.map((c: any) => unix(c.updated_time));
    const mid = [...times].sort((a, b) => a - b)[2];
    expect(await list([{ field: 'campaign.id', operator: 'EQUAL', value: first }])).toEqual([first]);
    expect(await list([{ field: 'id', operator: 'NOT_EQUAL', value: first }])).toEqual(all.filter((x: string) => x !== first));
    expect(await list([{ field: 'campaign.id', operator: 'IN', value: [first, second] }])).toEqual([first, second]);
    expect(await list([{ field: 'campaign.id', operator: 'NOT_IN', value: [first] }])).toHaveLength(all.length - 1);
    expect(await list([{ field: 'campaign.updated_time', operator: 'GREATER_THAN', value: mid }])).toEqual(all.filter((_: string, i: number) => times[i] > mid));
    expect(await list([{ field: 'campaign.updated_time', operator: 'GREATER_THAN_OR_EQUAL', value: mid }])).toEqual(all.filter((_: string, i: number) => times[i] >= mid));
    expect(await list([{ field: 'campaign.updated_time', operator: 'LESS_THAN', value: mid }])).toEqual(all.filter((_: string, i: number) => times[i] < mid));
    expect(await list([{ field: 'campaign.updated_time', operator: 'LESS_THAN_OR_EQUAL', value: mid }])).toEqual(all.filter((_: string, i: number) => times[i] <= mid));
    const word = campaigns[0].name.split(' ')[0];
    expect(await list([{ field: 'campaign.name', operator: 'CONTAIN', value: word }])).toEqual(campaigns.filter((c: any) => c.name.toLowerCase().includes(word.toLowerCase())).map((c: any) => c.id));
    expect(await list([{ field: 'campaign.name', operator: 'NOT_CONTAIN', value: word }])).toEqual(campaigns.filter((c: any) => !c.name.toLowerCase().includes(word.toLowerCase())).map((c: any) => c.id));
    const deleted = await walk(sim, `${act}/campaigns`, { filtering: JSON.stringify([{ field: 'campaign.effective_status', operator: 'IN', value: ['DELETED'] }]) });
    expect(deleted.rows.map((r: any) => r.id)).toEqual(campaigns.filter((c: any) => c.status === 'DELETED').map((c: any) => c.id));
    const bad = await graphGet(sim, `${act}/campaigns`, { filtering: JSON.stringify([{ field: 'campaign.id', operator: 'LIKE', value: 1 }]) });
    expect(bad.body.error.code).toBe(100);
  });

  it('pages with opaque cursors, summary and a full next URL on the request host; refuses too much data', async () => {
    const dflt = await graphGet(sim, `${act}/ads`);
    expect(dflt.body.data).toHaveLength(25);
    const first = await graphGet(sim, `${act}/ads`, { limit: 5, summary: 'true' });
    expect(first.body.data).toHaveLength(5);
    expect(first.body.summary.total_count).toBe(acct.objects.ads.filter((a: any) => !['ARCHIVED', 'DELETED'].includes(a.effective_status)).length);
    expect(first.body.paging.next.startsWith(`${sim.url}/v23.0/${act}/ads?`)).toBe(true);
    expect(Buffer.from(first.body.paging.cursors.after, 'base64').toString()).not.toBe('5');
    const config = (await control(sim, 'config')).body;
    expect(config).toEqual(expect.objectContaining({ maxLimit: 5000, dataBudget: 60000, minVersion: 21 }));
    const tooBig = await graphGet(sim, `${act}/ads`, { limit: 5000, fields: 'id,name,status,effective_status,creative{id,name,title,body},updated_time,created_time,adset_id,campaign_id' });
    expect(tooBig.status).toBe(500);
    expect(tooBig.body.error).toEqual(expect.objectContaining({ code: 1, error_subcode: 99, type: 'OAuthException', message: "Please reduce the amount of data you're asking for, then retry your request" }));
    expectUsageHeaders(tooBig.headers);
    expect((await graphGet(sim, `${act}/ads`, { limit: 1000, fields: 'id,name,status,effective_status,creative{id,name,title,body},updated_time,created_time,adset_id,campaign_id' })).status).toBe(200);
    const insightsTooBig = await graphGet(sim, `${act}/insights`, { limit: 5000, fields: 'ad_id,adset_id,campaign_id,spend,impressions,clicks,reach,frequency,ctr,cpc,cpm,actions,action_values', level: 'ad' });
    expect(insightsTooBig.body.error).toEqual(expect.objectContaining({ code: 1, error_subcode: 99 }));
  });
});

describe('versions, auth and error envelopes', () => {
  it('rejects old or missing versions with 2635 and unknown/expired tokens with 190', async () => {
    const old = await fetchJson(`${sim.url}/v20.0/${act}?access_token=sim-token`);
    expect(old.status).toBe(400);
    expect(old.body.error).toEqual(expect.objectContaining({ code: 2635, type: 'OAuthException' }));
    expect((await fetchJson(`${sim.url}/${act}?access_token=sim-token`)).body.error.code).toBe(2635);
    expect((await fetchJson(`${sim.url}/v24.0/${act}?access_token=sim-token`)).status).toBe(200);
    const bad = await graphGet(sim, act, {}, 'nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual(expect.objectContaining({ code: 190, error_subcode: 467, type: 'OAuthException', message: 'Invalid OAuth access token.', fbtrace_id: expect.any(String) }));
    expectUsageHeaders(bad.headers);
    const bearer = await fetchJson(`${sim.url}/v23.0/${act}`, { headers: { authorization: 'Bearer sim-token' } });
    expect(bearer.status).toBe(200);
    await control(sim, 'faults', { expireTokens: true });
    const expired = await graphGet(sim, act);
    expect(expired.body.error).toEqual(expect.objectContaining({ code: 190, error_subcode: 463 }));
    expect(expired.body.error.message).toMatch(/^Error validating access token: Session has expired on /);
  });

  it('injects transient, 500 and throttle faults with exact envelopes and headers', async () => {
    await control(sim, 'faults', { transientErrorRate: 1 });
    const t = await graphGet(sim, `${act}/campaigns`);
    expect(t.status).toBe(500);
    expect(t.body.error).toEqual(expect.objectContaining({ code: 2, is_transient: true, message: 'An unexpected error has occurred. Please retry your request later.' }));
    expectUsageHeaders(t.headers);
    await control(sim, 'faults', { http500Rate: 1 });
    const u = await graphGet(sim, `${act}/campaigns`);
    expect([u.status, u.body.error.code, u.body.error.message]).toEqual([500, 1, 'An unknown error occurred']);
    await control(sim, 'faults', { throttleBlockSeconds: 120 });
    const m = await graphGet(sim, `${act}/campaigns`);
    expect(m.body.error).toEqual(expect.objectContaining({ code: 80004, error_subcode: 2446079 }));
    const buc = JSON.parse(m.headers.get('x-business-use-case-usage') ?? '{}');
    expect(buc[act.slice(4)].find((e: any) => e.type === 'ads_management').estimated_time_to_regain_access).toBe(2);
    const i = await graphGet(sim, `${act}/insights`, { fields: 'spend' });
    expect(i.body.error).toEqual(expect.objectContaining({ code: 80000, error_subcode: 2446079 }));
    expect(i.headers.get('x-fb-ads-insights-throttle')).toBeTruthy();
    const other = truth.adAccounts[1].id;
    await control(sim, 'faults', { throttleAccounts: { [other]: 60 } });
    expect((await graphGet(sim, `${act}/campaigns`)).status).toBe(200);
    expect((await graphGet(sim, `${other}/campaigns`)).body.error.code).toBe(80004);
    await control(sim, 'faults', {});
    expect((await graphGet(sim, `${other}/campaigns`)).status).toBe(200);
  });

  it('counts calls per normalized endpoint and account', async () => {
    await control(sim, 'stats/reset', {});
    await graphGet(sim, `${act}/campaigns`);
    await graphGet(sim, `${act}/campaigns`);
    await graphGet(sim, acct.objects.campaigns[0].id);
    await control(sim, 'truth');
    await graphPost(sim, '', { batch: JSON.stringify([{ method: 'GET', relative_url: act }, { method: 'GET', relative_url: `${act}/ads` }]) });
    const stats = (await control(sim, 'stats')).body;
    expect(stats).toEqual({ totalCalls: 5, byEndpoint: { 'GET act_x/campaigns': 2, 'GET {campaign}': 1, 'GET act_x': 1, 'GET act_x/ads': 1 }, byAccount: { [act]: 5 } });
  });

  it('applies fault latency to Graph routes only', async () => {
    await control(sim, 'faults', { latencyMs: 250 });
    let t = Date.now();
    await graphGet(sim, act);
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    t = Date.now();
    await control(sim, 'config');
    expect(Date.now() - t).toBeLessThan(240);
  });
});

describe('writes', () => {
  it('creates, updates and soft-deletes with updated_time maintained', async () => {
    const created = await graphPost(sim, `${act}/campaigns`, { name: 'New', objective: 'OUTCOME_TRAFFIC', status: 'PAUSED', special_ad_categories: '[]', daily_budget: 5000 });
    expect(created.status).toBe(200);
    const id = created.body.id;
    expect(id).toMatch(/^\d{15,18}$/);
    const read = await graphGet(sim, id, { fields: 'name,status,effective_status,daily_budget,updated_time' });
    expect(read.body).toEqual(expect.objectContaining({ name: 'New', status: 'PAUSED', daily_budget: '5000' }));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await graphPost(sim, id, { name: 'Renamed', status: 'ACTIVE' })).body).toEqual({ success: true });
    const after = await graphGet(sim, id, { fields: 'name,status,updated_time' });
    expect(after.body.name).toBe('Renamed');
    expect(after.body.updated_time > read.body.updated_time).toBe(true);
    // The campaign has a budget, so its ad set has none.
    const adset = await graphPost(sim, `${act}/adsets`, { name: 'S', campaign_id: id, optimization_goal: 'LINK_CLICKS', billing_event: 'IMPRESSIONS', targeting: JSON.stringify({ geo_locations: { countries: ['US'] } }) });
    expect(adset.status).toBe(200);
    const creative = acct.objects.creatives.find((c: any) => c.status === 'ACTIVE');
    // JSON body, as some SDK paths send it.
    const ad = await fetchJson(`${sim.url}/v23.0/${act}/ads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: 'sim-token', name: 'A', adset_id: adset.body.id, creative: { creative_id: creative.id } }) });
    expect(ad.status).toBe(200);
    await graphPost(sim, id, { status: 'PAUSED' });
    expect((await graphGet(sim, ad.body.id, { fields: 'status,effective_status' })).body).toEqual({ id: ad.body.id, status: 'ACTIVE', effective_status: 'CAMPAIGN_PAUSED' });
    const del = await fetchJson(`${sim.url}/v23.0/${ad.body.id}?access_token=sim-token`, { method: 'DELETE' });
    expect(del.body).toEqual({ success: true });
    expect((await graphGet(sim, ad.body.id, { fields: 'status' })).body.status).toBe('DELETED');
    // A deleted object keeps accepting a new name, and nothing else.
    expect((await graphPost(sim, ad.body.id, { status: 'ACTIVE' })).body.error.code).toBe(100);
    expect((await graphPost(sim, ad.body.id, { name: 'x' })).body).toEqual({ success: true });
    const listed = await walk(sim, `${adset.body.id}/ads`, {});
    expect(listed.rows).toHaveLength(0);
    // multipart form
    const fd = new FormData();
    fd.set('access_token', 'sim-token');
    fd.set('name', 'Multipart');
    expect((await fetchJson(`${sim.url}/v23.0/${id}`, { method: 'POST', body: fd })).body).toEqual({ success: true });
  });

  it('answers validation errors with blame_field_specs', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ objective: 'OUTCOME_TRAFFIC', special_ad_categories: '[]' }, 'name'],
      [{ name: 'x', objective: 'MAKE_MONEY', special_ad_categories: '[]' }, 'objective'],
      [{ name: 'x', objective: 'OUTCOME_TRAFFIC' }, 'special_ad_categories'],
      [{ name: 'x', objective: 'OUTCOME_TRAFFIC', special_ad_categories: '[]', daily_budget: '-5' }, 'daily_budget'],
    ];
    for (const [form, field] of cases) {
      const r = await graphPost(sim, `${act}/campaigns`, form);
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual(expect.objectContaining({ code: 100, error_user_title: expect.any(String), error_user_msg: expect.any(String), error_data: { blame_field_specs: [[field]] } }));
    }
  });

  it('limits ad set budget changes to 4 per hour and enforces archived rules', async () => {
    const adset = acct.objects.adsets.find((s: any) => s.status === 'ACTIVE');
    for (let i = 0; i < 4; i++) expect((await graphPost(sim, adset.id, { daily_budget: 1000 + i })).status).toBe(200);
    const fifth = await graphPost(sim, adset.id, { daily_budget: 2000 });
    expect(fifth.body.error).toEqual(expect.objectContaining({ code: 613, error_subcode: 1487632 }));
    expect((await graphPost(sim, adset.id, { name: 'still fine' })).status).toBe(200);
    const archived = acct.objects.campaigns.find((c: any) => c.status === 'ARCHIVED');
    expect((await graphPost(sim, archived.id, { daily_budget: 100 })).status).toBe(400);
    expect((await graphPost(sim, archived.id, { status: 'ACTIVE' })).status).toBe(400);
    expect((await graphPost(sim, archived.id, { name: 'renamed archive' })).status).toBe(200);
    expect((await graphPost(sim, archived.id, { status: 'DELETED' })).status).toBe(200);
    expect((await graphPost(sim, archived.id, { status: 'ARCHIVED' })).status).toBe(400);
    expect((await graphPost(sim, archived.id, { name: 'again' })).status).toBe(200);
  });
});

describe('batch', () => {
  it('runs items in order with mixed results, depends_on and result substitution', async () => {
    const batch = [
      { method: 'POST', name: 'create', relative_url: `${act}/campaigns`, body: 'name=B&objective=OUTCOME_TRAFFIC&status=PAUSED&special_ad_categories=%5B%5D' },
      { method: 'GET', relative_url: '?ids={result=create:$.id}&fields=name,status', depends_on: 'create' },
      { method: 'GET', relative_url: 'v23.0/999999999999999999' },
      { method: 'GET', name: 'list', relative_url: `${act}/campaigns?limit=2` },
      { method: 'GET', relative_url: '?ids={result=list:$.data.*.id}&fields=id', depends_on: 'list' },
    ];
    const r = await graphPost(sim, '', { batch: JSON.stringify(batch) });
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(5);
    expect(r.body.map((x: any) => x.code)).toEqual([200, 200, 400, 200, 200]);
    const created = JSON.parse(r.body[0].body);
    expect(JSON.parse(r.body[1].body)[created.id]).toEqual({ id: created.id, name: 'B', status: 'PAUSED' });
    expect(JSON.parse(r.body[2].body).error.code).toBe(100);
    expect(Object.keys(JSON.parse(r.body[4].body))).toHaveLength(2);
    expect(r.body[0].headers).toEqual(expect.arrayContaining([{ name: 'Content-Type', value: 'text/javascript; charset=UTF-8' }]));
    const json = await fetchJson(`${sim.url}/v23.0/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: 'sim-token', batch: [{ method: 'GET', relative_url: act }] }) });
    expect(json.body[0].code).toBe(200);
    const unversioned = await fetchJson(`${sim.url}/`, { method: 'POST', body: new URLSearchParams({ access_token: 'sim-token', batch: JSON.stringify([{ method: 'GET', relative_url: `v23.0/${act}?fields=currency` }]) }) });
    expect(JSON.parse(unversioned.body[0].body)).toEqual({ id: act, currency: 'USD' });
  });

  it('rejects more than 50 items and returns null items under batchNullRate', async () => {
    const many = Array.from({ length: 51 }, () => ({ method: 'GET', relative_url: act }));
    const r = await graphPost(sim, '', { batch: JSON.stringify(many) });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 100, message: '(#100) Too many requests in batch message. Maximum batch size is 50' }));
    await control(sim, 'faults', { batchNullRate: 0.5, faultSeed: 7 });
    const some = await graphPost(sim, '', { batch: JSON.stringify(many.slice(0, 20)) });
    const nulls = some.body.filter((x: unknown) => x === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(nulls).toBeLessThan(20);
  });
});

describe('async report runs', () => {
  const poll = async (id: string): Promise<any[]> => {
    const seen: any[] = [];
    for (let i = 0; i < 10; i++) {
      const s = (await graphGet(sim, id)).body;
      seen.push(s);
      if (!s.is_running) break;
    }
    return seen;
  };

  it('walks Not Started → Started → Running → Completed and pages the rows like sync insights', async () => {
    const params = { level: 'ad', fields: 'ad_id,spend,impressions', time_increment: 1, date_preset: 'last_7d' };
    const created = await graphPost(sim, `${act}/insights`, params);
    const id = created.body.report_run_id;
    expect(id).toMatch(/^\d+$/);
    const states = await poll(id);
    expect(states.map((s) => s.async_status)).toEqual(['Job Not Started', 'Job Started', 'Job Running', 'Job Completed']);
    const pct = states.map((s) => s.async_percent_completion);
    expect(pct[2]).toBeGreaterThan(pct[1]);
    expect(pct[3]).toBe(100);
    expect(states[3]).toEqual(expect.objectContaining({ id, account_id: act.slice(4), async_percent_completion: 100, is_running: false, date_start: expect.any(String) }));
    const rows = await walk(sim, `${id}/insights`, { limit: 50 });
    const sync = await walk(sim, `${act}/insights`, { ...params, limit: 50 });
    expect(rows.rows).toEqual(sync.rows);
    expect(rows.requests).toBeGreaterThan(1);
  });

  it('ends in Job Failed (with error fields) or Job Skipped under faults', async () => {
    await control(sim, 'faults', { asyncJobFailureRate: 1 });
    const failed = await graphPost(sim, `${act}/insights`, { fields: 'spend' });
    const f = (await poll(failed.body.report_run_id)).pop();
    expect(f).toEqual(expect.objectContaining({ async_status: 'Job Failed', is_running: false, error_code: expect.any(Number), error_message: expect.any(String) }));
    expect((await graphGet(sim, `${failed.body.report_run_id}/insights`)).status).toBe(400);
    await control(sim, 'faults', { asyncJobSkipRate: 1 });
    const skipped = await graphPost(sim, `${act}/insights`, { fields: 'spend' });
    expect((await poll(skipped.body.report_run_id)).pop().async_status).toBe('Job Skipped');
  });

  it('splits by id-list filtering like a client retrying a failed job', async () => {
    const campaigns = acct.objects.campaigns.filter((c: any) => c.effective_status === 'ACTIVE').map((c: any) => c.id);
    const whole = await walk(sim, `${act}/insights`, { level: 'campaign', fields: 'campaign_id,spend', date_preset: 'last_7d', limit: 100 });
    const part = await walk(sim, `${act}/insights`, { level: 'campaign', fields: 'campaign_id,spend', date_preset: 'last_7d', limit: 100, filtering: JSON.stringify([{ field: 'campaign.id', operator: 'IN', value: campaigns.slice(0, 1) }]) });
    expect(part.rows).toEqual(whole.rows.filter((r: any) => r.campaign_id === campaigns[0]));
  });
});
