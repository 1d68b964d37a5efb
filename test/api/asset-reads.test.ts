/**
 * The reads of everything the full sync stores, through both fronts, on an ad account synced as a
 * user would (connect, full sync): each list answers what the simulator's Graph API serves for the
 * same edge (ids, counts and a few fields), pages with cursors, and leads need the `leads` scope.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { authenticate } from '../../src/operations/api-tokens';
import { bearer, connectAndFullSync, createHarness, SIM_TOKEN, type Harness } from './support/harness';

let h: Harness;
let account: string;

beforeAll(async () => {
  h = await createHarness({ latencyMs: 0, seed: 6060, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  account = h.simulatorAccounts[0]!;
  await connectAndFullSync(h, account);
});
afterAll(async () => h?.close());

type Json = Record<string, any>;

/** Every node of a Graph edge, as the simulator (Meta) serves it, following its paging. */
async function graphAll(path: string, fields: string[]): Promise<Json[]> {
  const out: Json[] = [];
  let url: string | undefined = `${h.simulator.url}/v24.0/${path}?fields=${fields.join(',')}&limit=100&access_token=${SIM_TOKEN}`;
  while (url) {
    const body = (await (await fetch(url)).json()) as { data: Json[]; paging?: { next?: string } };
    out.push(...body.data);
    url = body.paging?.next;
  }
  return out;
}

async function get(url: string, token = h.a.read): Promise<Json> {
  const response = await h.inject({ url, headers: bearer(token) });
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
  return response.json();
}

/** Every item of a list route, page by page (`limit` small, so paging is exercised). */
async function all(url: string, limit: number, token = h.a.read): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await get(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
    items.push(...page.data);
    cursor = page.nextCursor;
    pages++;
    if (pages > 200) throw new Error(`${url} pages forever`);
  } while (cursor);
  return items;
}

const ids = (items: Json[]): string[] => items.map((item) => String(item.id)).sort();
const sameInstant = (a: string | null | undefined, b: string | null | undefined) => (a && b ? Date.parse(a) === Date.parse(b) : a === b);

describe('synced objects answer what Meta holds', () => {
  test('creatives: every creative of the account, with the ads that use it; paging by cursor', async () => {
    const graph = await graphAll(`${account}/adcreatives`, ['id', 'name', 'title', 'body', 'call_to_action_type', 'status']);
    const listed = await all(`/v1/creatives?adAccountId=${account}&includeDeleted=true`, 3);
    expect(ids(listed)).toEqual(ids(graph));
    expect(new Set(ids(listed)).size).toBe(listed.length); // no creative on two pages
    for (const node of graph.slice(0, 5)) {
      const mine = listed.find((item) => item.id === node.id)!;
      expect({ name: mine.name, title: mine.title, body: mine.body, callToActionType: mine.callToActionType }).toEqual({
        name: node.name ?? null, title: node.title ?? null, body: node.body ?? null, callToActionType: node.call_to_action_type ?? null,
      });
    }
    // The ads that use each creative are the ads Meta lists with that creative.
    const ads = await graphAll(`${account}/ads`, ['id', 'creative', 'effective_status']);
    const storedAds = await h.database.db.ad.findMany({ where: { adAccountId: account, deletedAt: null }, select: { id: true, creativeId: true } });
    expect(ids(storedAds)).toEqual(expect.arrayContaining(ids(ads)));
    for (const creative of listed) {
      const using = storedAds.filter((ad) => ad.creativeId === creative.id).map((ad) => ad.id).sort();
      expect(creative.adCount).toBe(using.length);
      expect(creative.ads.map((ad: Json) => ad.id)).toEqual(using.slice(0, 100));
    }
    expect(listed.some((creative) => creative.adCount > 0)).toBe(true);
    const one = listed.find((creative) => creative.adCount > 0)!;
    const got = await get(`/v1/creatives/${one.id}`);
    expect(got).toEqual(one);
    // Without includeDeleted, only what Meta still reports as not deleted.
    const live = await all(`/v1/creatives?adAccountId=${account}`, 50);
    expect(live.every((creative) => creative.deletedAt === null)).toBe(true);
  });

  test('custom audiences: size bounds, delivery and operation status as Meta reports them', async () => {
    const graph = await graphAll(`${account}/customaudiences`, ['id', 'name', 'subtype', 'approximate_count_lower_bound', 'approximate_count_upper_bound', 'delivery_status', 'operation_status']);
    const listed = await all(`/v1/custom-audiences?adAccountId=${account}`, 2);
    expect(ids(listed)).toEqual(ids(graph));
    for (const node of graph) {
      const mine = listed.find((item) => item.id === node.id)!;
      expect(mine).toMatchObject({
        name: node.name,
        subtype: node.subtype,
        approximateCountLowerBound: Number(node.approximate_count_lower_bound),
        approximateCountUpperBound: Number(node.approximate_count_upper_bound),
        deliveryStatus: { code: node.delivery_status.code, description: node.delivery_status.description },
        operationStatus: { code: node.operation_status.code },
      });
    }
    const lookalikes = await all(`/v1/custom-audiences?adAccountId=${account}&subtype=LOOKALIKE`, 100);
    expect(ids(lookalikes)).toEqual(ids(graph.filter((node) => node.subtype === 'LOOKALIKE')));
  });

  test('pixels: when each last fired', async () => {
    const graph = await graphAll(`${account}/adspixels`, ['id', 'name', 'last_fired_time']);
    const listed = await all(`/v1/pixels?adAccountId=${account}`, 1);
    expect(ids(listed)).toEqual(ids(graph));
    for (const node of graph) expect(sameInstant(listed.find((item) => item.id === node.id)!.lastFiredTime, node.last_fired_time)).toBe(true);
  });

  test('pages and their Instagram accounts', async () => {
    const graph = await graphAll(`${account}/promote_pages`, ['id', 'name']);
    const pages = await all(`/v1/pages?adAccountId=${account}`, 1);
    expect(ids(pages)).toEqual(ids(graph));
    expect(pages.every((page) => page.adAccountIds.includes(account))).toBe(true);
    const instagram = (await Promise.all(graph.map((page) => graphAll(`${page.id}/instagram_accounts`, ['id', 'username'])))).flat();
    const listed = await all('/v1/instagram-accounts', 1);
    expect(ids(listed)).toEqual(ids(instagram));
    expect(listed.map((item) => item.username).sort()).toEqual(instagram.map((item) => item.username).sort());
    const ofFirst = await all(`/v1/instagram-accounts?pageId=${graph[0]!.id}`, 10);
    expect(ofFirst.every((item) => item.pageId === graph[0]!.id)).toBe(true);
  });

  test('lead forms with their lead counts; leads by time range need the leads scope', async () => {
    const pages = await graphAll(`${account}/promote_pages`, ['id']);
    const forms = (await Promise.all(pages.map((page) => graphAll(`${page.id}/leadgen_forms`, ['id', 'name', 'status', 'leads_count'])))).flat();
    const listed = await all(`/v1/lead-forms?adAccountId=${account}`, 3);
    expect(ids(listed)).toEqual(ids(forms));
    const form = forms[0]!;
    const leads = await graphAll(`${form.id}/leads`, ['id', 'created_time', 'field_data']);
    const mine = listed.find((item) => item.id === form.id)!;
    expect(mine).toMatchObject({ name: form.name, status: form.status, leadsCount: Number(form.leads_count), storedLeads: leads.length });
    expect(leads.length).toBeGreaterThan(2);

    // `read` alone does not reach personal data, over HTTP or MCP.
    const refused = await h.inject({ url: `/v1/leads?formId=${form.id}`, headers: bearer(h.a.read) });
    expect({ status: refused.statusCode, code: refused.json().error.code, scope: refused.json().error.details?.requiredScope }).toEqual({ status: 403, code: 'FORBIDDEN', scope: 'leads' });

    const got = await all(`/v1/leads?formId=${form.id}`, 2, h.a.leads);
    expect(ids(got)).toEqual(ids(leads));
    const times = got.map((lead) => Date.parse(lead.createdTime));
    expect([...times].sort((x, y) => y - x)).toEqual(times); // newest first
    const node = leads.find((lead) => lead.id === got[0]!.id)!;
    expect(got[0]!.fieldData).toEqual(node.field_data);
    // [from, to): the leads Meta created in it.
    const sorted = [...leads].sort((x, y) => Date.parse(x.created_time) - Date.parse(y.created_time));
    const from = new Date(Date.parse(sorted[1]!.created_time)).toISOString();
    const to = new Date(Date.parse(sorted[sorted.length - 1]!.created_time)).toISOString();
    const inRange = await all(`/v1/leads?formId=${form.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, 100, h.a.leads);
    expect(ids(inRange)).toEqual(ids(leads.filter((lead) => Date.parse(lead.created_time) >= Date.parse(from) && Date.parse(lead.created_time) < Date.parse(to))));
    const reversed = await h.inject({ url: `/v1/leads?formId=${form.id}&from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, headers: bearer(h.a.leads) });
    expect({ status: reversed.statusCode, message: reversed.json().error.message }).toEqual({ status: 400, message: expect.stringMatching(/to.*must be after "from"/) });
  });

  test('a leads token is granted through POST /v1/tokens, and admin implies it', async () => {
    const created = await h.inject({ method: 'POST', url: '/v1/tokens', headers: bearer(h.a.admin), payload: { name: 'crm export', scopes: ['leads'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json().scopes).toEqual(['leads']);
    const form = (await get(`/v1/lead-forms?adAccountId=${account}&limit=1`)).data[0];
    expect((await get(`/v1/leads?formId=${form.id}&limit=1`, created.json().token)).data).toHaveLength(1);
    expect((await get(`/v1/leads?formId=${form.id}&limit=1`, h.a.admin)).data).toHaveLength(1);
    // leads alone does not read everything else.
    expect((await h.inject({ url: '/v1/creatives', headers: bearer(created.json().token) })).statusCode).toBe(403);
  });

  test('product catalogs with their feeds, products and product sets', async () => {
    const business = (await h.database.db.adAccount.findUniqueOrThrow({ where: { id: account } })).businessId!;
    const graph = await graphAll(`${business}/owned_product_catalogs`, ['id', 'name', 'product_count']);
    const catalogs = await all(`/v1/product-catalogs?adAccountId=${account}`, 1);
    expect(ids(catalogs)).toEqual(ids(graph));
    const catalog = catalogs[0]!;
    const [feeds, products, sets] = await Promise.all([
      graphAll(`${catalog.id}/product_feeds`, ['id', 'name', 'product_count']),
      graphAll(`${catalog.id}/products`, ['id', 'retailer_id', 'name', 'price']),
      graphAll(`${catalog.id}/product_sets`, ['id', 'name']),
    ]);
    expect(ids(catalog.feeds)).toEqual(ids(feeds));
    expect(catalog).toMatchObject({ feedCount: feeds.length, storedProducts: products.length, storedProductSets: sets.length, productCount: Number(graph.find((c) => c.id === catalog.id)!.product_count) });
    expect(ids(await all(`/v1/product-catalogs/${catalog.id}/feeds`, 1))).toEqual(ids(feeds));
    const listed = await all(`/v1/product-catalogs/${catalog.id}/products`, 5);
    expect(ids(listed)).toEqual(ids(products));
    for (const node of products.slice(0, 3)) {
      const mine = listed.find((item) => item.id === node.id)!;
      // Meta's "12.00 USD": the amount as a decimal string in major units, the currency beside it.
      const [amount, currency] = String(node.price).split(' ');
      expect({ retailerId: mine.retailerId, price: Number(mine.price).toFixed(2), currency: mine.currency }).toEqual({ retailerId: node.retailer_id, price: amount, currency });
      expect(typeof mine.price).toBe('string');
    }
    expect(ids(await all(`/v1/product-catalogs/${catalog.id}/products?retailerId=${products[0]!.retailer_id}`, 10))).toEqual([products[0]!.id]);
    expect(ids(await all(`/v1/product-catalogs/${catalog.id}/product-sets`, 2))).toEqual(ids(sets));
  });

  test("Meta's own rules of the account, apart from the service's", async () => {
    const graph = await graphAll(`${account}/adrules_library`, ['id', 'name', 'status', 'execution_spec']);
    const listed = await all(`/v1/ad-accounts/${account}/meta-rules`, 2);
    expect(listed.map((rule) => rule.metaRuleId).sort()).toEqual(ids(graph));
    for (const node of graph) {
      expect(listed.find((rule) => rule.metaRuleId === node.id)).toMatchObject({ runsOn: 'meta', name: node.name, status: node.status, execution_spec: node.execution_spec });
    }
  });

  test('sync runs: the full sync with its counts; rate-limit state from the usage headers Meta sent', async () => {
    const truth = ((await (await fetch(`${h.simulator.url}/__sim/truth`)).json()) as { adAccounts: Array<{ id: string; counts: Record<string, number> }> }).adAccounts.find((a) => a.id === account)!;
    const runs = await all(`/v1/ad-accounts/${account}/sync-runs`, 1);
    const full = runs.filter((run) => run.kind === 'full');
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ status: 'completed', workflowId: `meta-full-sync:${account}`, error: null, finishedAt: expect.any(String) });
    expect(full[0]!.counts).toMatchObject({ campaigns: truth.counts.campaigns, adcreatives: truth.counts.creatives, customaudiences: truth.counts.customAudiences, pixels: truth.counts.pixels });
    expect(ids(await all(`/v1/ad-accounts/${account}/sync-runs?kind=full&status=completed`, 10))).toEqual([full[0]!.id]);
    expect((await get(`/v1/ad-accounts/${account}/sync-runs?status=failed`)).data).toEqual([]);

    const state = await get(`/v1/ad-accounts/${account}/rate-limits`);
    const latest = await h.database.db.rateLimitSnapshot.findFirstOrThrow({ where: { adAccountId: account }, orderBy: { observedAt: 'desc' } });
    expect(state).toMatchObject({ adAccountId: account, throttled: false, throttledUntil: null, lastObservedAt: latest.observedAt.toISOString(), maxUsagePct: latest.maxUsagePct.toString() });
    expect(state.headers.appUsage).toEqual({ value: latest.appUsage ?? expect.anything(), observedAt: expect.any(String) });
    expect(Object.keys(state.headers.appUsage.value)).toEqual(expect.arrayContaining(['callCount']));
  });

  test('change history: a change made here, per object and per account, filtered by source, actor, field and time', async () => {
    const ad = await h.database.db.ad.findFirstOrThrow({ where: { adAccountId: account, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
    const before = new Date().toISOString();
    const preview = (await h.inject({ method: 'POST', url: '/v1/change-sets', headers: bearer(h.a.write), payload: { adAccountId: account, items: [{ id: ad.id, level: 'ad', set: { status: 'PAUSED' } }] } })).json();
    const confirmed = (await h.inject({ method: 'POST', url: `/v1/change-sets/${preview.changeSetId}/confirm`, headers: bearer(h.a.write), payload: { planHash: preview.planHash } })).json();
    await h.temporal.client.workflow.getHandle(confirmed.workflowId).result();
    const writer = (await authenticate(h.ctx, `Bearer ${h.a.write}`)).tokenId;

    const history = await all(`/v1/change-history/${ad.id}`, 1);
    expect(history.filter((row) => row.field === 'status')).toEqual([
      expect.objectContaining({ entityType: 'ad', entityId: ad.id, adAccountId: account, oldValue: 'ACTIVE', newValue: 'PAUSED', source: 'api', actor: writer, workflowId: confirmed.workflowId }),
    ]);
    const filtered = await all(`/v1/change-history?adAccountId=${account}&source=api&actor=${writer}&field=status&from=${encodeURIComponent(before)}`, 10);
    expect(filtered.map((row) => row.entityId)).toEqual([ad.id]);
    expect((await get(`/v1/change-history?adAccountId=${account}&source=sync&entityId=${ad.id}`)).data).toEqual([]);
    expect((await get(`/v1/change-history?adAccountId=${account}&to=${encodeURIComponent(before)}&entityId=${ad.id}`)).data).toEqual([]);
    const missing = await h.inject({ url: '/v1/change-history/999999999999', headers: bearer(h.a.read) });
    expect({ status: missing.statusCode, code: missing.json().error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  test('a forged cursor is a 400 naming the cursor, not a failed query', async () => {
    const forged = Buffer.from(JSON.stringify({ occurredAt: 'yesterday', id: 'x' })).toString('base64url');
    for (const url of [`/v1/change-history?cursor=${forged}`, `/v1/ad-accounts/${account}/sync-runs?cursor=${forged}`]) {
      const response = await h.inject({ url, headers: bearer(h.a.read) });
      expect({ status: response.statusCode, field: response.json().error.details?.field }).toEqual({ status: 400, field: 'cursor' });
    }
  });
});

describe('the same reads as MCP tools and resources', () => {
  let reader: Client;
  let leadReader: Client;
  const connect = async (token: string) => {
    const client = new Client({ name: 'asset-reads', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(token) } }));
    return client;
  };
  beforeAll(async () => {
    reader = await connect(h.a.read);
    leadReader = await connect(h.a.leads);
  });
  afterAll(async () => {
    await reader?.close();
    await leadReader?.close();
  });
  const call = async (client: Client, name: string, args: Json) => (await client.callTool({ name, arguments: args })) as CallToolResult;

  test('tools answer what the HTTP routes answer', async () => {
    const http = await get(`/v1/creatives?adAccountId=${account}&limit=5`);
    const tool = await call(reader, 'list_creatives', { adAccountId: account, limit: 5 });
    expect(tool.isError ?? false).toBe(false);
    expect(tool.structuredContent).toEqual(http);
    const one = await call(reader, 'get_creative', { id: http.data[0].id });
    expect(one.structuredContent).toEqual(await get(`/v1/creatives/${http.data[0].id}`));
    expect((await call(reader, 'get_rate_limit_state', { adAccountId: account })).structuredContent).toMatchObject({ adAccountId: account, throttled: false });
    const runs = await call(reader, 'list_sync_runs', { adAccountId: account, kind: 'full' });
    expect((runs.structuredContent as Json).data.map((run: Json) => run.status)).toEqual(['completed']);
    const catalogs = (await call(reader, 'list_product_catalogs', { adAccountId: account })).structuredContent as Json;
    const products = (await call(reader, 'list_products', { catalogId: catalogs.data[0].id, limit: 3 })).structuredContent as Json;
    expect(products.data).toHaveLength(3);
    expect(products.nextCursor).not.toBeNull();
  });

  test('list_leads needs the leads scope', async () => {
    const form = ((await call(reader, 'list_lead_forms', { adAccountId: account, limit: 1 })).structuredContent as Json).data[0];
    const refused = await call(reader, 'list_leads', { formId: form.id });
    expect(refused.isError).toBe(true);
    expect(JSON.parse((refused.content[0] as { text: string }).text).error).toMatchObject({ code: 'FORBIDDEN' });
    const leads = await call(leadReader, 'list_leads', { formId: form.id });
    expect((leads.structuredContent as Json).data).toHaveLength(form.storedLeads);
  });

  test('resource templates of the synced objects', async () => {
    const { resourceTemplates } = await reader.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining(['meta://ad-accounts/{id}/campaigns', 'meta://creatives/{id}', 'meta://ad-sets/{id}', 'meta://ads/{id}']));
    const campaigns = await reader.readResource({ uri: `meta://ad-accounts/${account}/campaigns` });
    expect(ids(JSON.parse((campaigns.contents[0] as { text: string }).text).data)).toEqual(ids(await all(`/v1/campaigns?adAccountId=${account}`, 500)));
    const creative = (await get(`/v1/creatives?adAccountId=${account}&limit=1`)).data[0];
    const read = await reader.readResource({ uri: `meta://creatives/${creative.id}` });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual(creative.adCount > 100 ? expect.objectContaining({ id: creative.id }) : creative);
  });
});
