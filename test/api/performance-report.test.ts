/**
 * GET /v1/reports/performance (and /series) against the real stack, on an ad account synced
 * through the API itself (objects, daily metrics of the whole history, hourly of yesterday and
 * today): the LAST_7D figures equal, figure by figure, what the simulator's truth rows add up to
 * (spend, impressions, clicks, results, cost per result, ROAS), for campaigns and ad sets; a
 * comparison period; top N; CSV that parses and matches the JSON; and bad input answered 400.
 */
import Decimal from 'decimal.js';
import { bearer, createHarness, type Harness } from './support/harness';
import { connectAndSync } from './support/rule-fixtures';

let h: Harness;
let account: string;
let truthToday = '';

interface TruthRow {
  entityId: string;
  date: string;
  spend: string;
  impressions: number;
  clicks: number;
  actions: Array<Record<string, string>>;
}

beforeAll(async () => {
  h = await createHarness({ latencyMs: 0, seed: 1414, env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
  account = h.simulatorAccounts[0]!;
  await connectAndSync(h, h.a, account);
  truthToday = (await truthOf('account')).today;
});
afterAll(async () => h?.close());

async function truthOf(level: string): Promise<{ today: string; rows: TruthRow[] }> {
  const body = (await (await fetch(`${h.simulator.url}/__sim/truth?adAccountId=${account}&level=${level}&grain=daily`)).json()) as { adAccounts: Array<{ today: string }>; rows: TruthRow[] };
  return { today: body.adAccounts[0]!.today, rows: body.rows };
}

const day = (offset: number) => new Date(Date.parse(`${truthToday}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const get = (url: string, headers: Record<string, string> = {}) => h.inject({ url, headers: { ...bearer(h.a.read), ...headers } });

/** What each optimization goal counts as its result in the simulator's data (Meta's mapping). */
const RESULT_OF: Record<string, string> = {
  OFFSITE_CONVERSIONS: 'offsite_conversion.fb_pixel_purchase',
  LINK_CLICKS: 'link_click',
  LEAD_GENERATION: 'lead',
  LANDING_PAGE_VIEWS: 'landing_page_view',
  IMPRESSIONS: 'impressions',
  REACH: 'reach',
};

interface Expected {
  spend: Decimal;
  impressions: number;
  clicks: number;
  actions: Map<string, Decimal>;
  purchaseValue: Decimal;
}

/** Sums of the truth rows of [from, to] per entity: what Meta would report for the period. */
function sumTruth(rows: TruthRow[], from: string, to: string): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const row of rows) {
    if (row.date < from || row.date > to) continue;
    let e = out.get(row.entityId);
    if (!e) out.set(row.entityId, (e = { spend: new Decimal(0), impressions: 0, clicks: 0, actions: new Map(), purchaseValue: new Decimal(0) }));
    e.spend = e.spend.plus(row.spend);
    e.impressions += row.impressions;
    e.clicks += row.clicks;
    for (const action of row.actions) {
      // `value` is Meta's default attribution total; the value entry carries the purchase value.
      if (action.action_type === 'value:offsite_conversion.fb_pixel_purchase') e.purchaseValue = e.purchaseValue.plus(action.value!);
      else e.actions.set(action.action_type!, (e.actions.get(action.action_type!) ?? new Decimal(0)).plus(action.value!));
    }
  }
  return out;
}

const ratio = (num: Decimal, den: Decimal | number): string | null => (new Decimal(den).isZero() ? null : num.div(den).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed());

/** The result type of an ad set, and of a campaign (its ad sets' when they all agree). */
async function resultTypes(): Promise<{ adsets: Map<string, string | null>; campaigns: Map<string, string | null> }> {
  const sets = await h.database.db.adSet.findMany({ where: { adAccountId: account }, select: { id: true, campaignId: true, optimizationGoal: true, deletedAt: true } });
  const adsets = new Map(sets.map((s) => [s.id, RESULT_OF[s.optimizationGoal ?? ''] ?? null]));
  const campaigns = new Map<string, string | null>();
  for (const campaignId of new Set(sets.map((s) => s.campaignId!))) {
    const kinds = new Set(sets.filter((s) => s.campaignId === campaignId && !s.deletedAt).map((s) => adsets.get(s.id)));
    campaigns.set(campaignId, kinds.size === 1 ? [...kinds][0]! : null);
  }
  return { adsets, campaigns };
}

/** The figures a row must show for an entity of the truth, with its result type. */
function expectedFigures(e: Expected, resultType: string | null): Record<string, string | number | null> {
  const results = resultType === null ? null : resultType === 'impressions' ? e.impressions : resultType === 'reach' ? null : Number(e.actions.get(resultType) ?? 0);
  return {
    spend: e.spend.toFixed(),
    impressions: e.impressions,
    clicks: e.clicks,
    results,
    costPerResult: results === null ? null : ratio(e.spend, results),
    purchaseValue: e.purchaseValue.toFixed(),
    roas: ratio(e.purchaseValue, e.spend),
  };
}

const METRICS = 'spend,impressions,clicks,results,costPerResult,purchaseValue,roas';

describe('figures equal the simulator truth', () => {
  test.each(['campaign', 'adset'] as const)('LAST_7D at %s level: every figure of every row, and the totals', async (level) => {
    const response = await get(`/v1/reports/performance?adAccountId=${account}&level=${level}&preset=LAST_7D&metrics=${METRICS}&limit=1000`);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    // LAST_7D as Meta means it: the 7 whole days ending yesterday, in the account's time zone.
    expect(report.period).toEqual({ from: day(-7), to: day(-1), preset: 'LAST_7D', days: 7 });
    const truth = sumTruth((await truthOf(level)).rows, day(-7), day(-1));
    const types = await resultTypes();
    const typeOf = (id: string) => (level === 'campaign' ? types.campaigns.get(id) : types.adsets.get(id)) ?? null;
    const names = new Map((level === 'campaign' ? await h.database.db.campaign.findMany({ where: { adAccountId: account } }) : await h.database.db.adSet.findMany({ where: { adAccountId: account } })).map((o) => [o.id, o]));

    const delivered = [...truth.entries()].filter(([, e]) => e.impressions > 0 || !e.spend.isZero());
    expect(delivered.length).toBeGreaterThan(2);
    if (level === 'adset') {
      // Every ad set counts something; some count actions, with a cost per result, and some purchases.
      expect(report.data.filter((row: { metrics: { costPerResult: unknown } }) => row.metrics.costPerResult !== null).length).toBeGreaterThan(0);
      expect(report.data.filter((row: { metrics: { roas: unknown } }) => row.metrics.roas !== null && row.metrics.roas !== '0').length).toBeGreaterThan(0);
    }
    expect(report.data.map((row: { id: string }) => row.id).sort()).toEqual(delivered.map(([id]) => id).sort());
    for (const row of report.data) {
      const object = names.get(row.id)!;
      expect({ id: row.id, name: row.name, status: row.status, effectiveStatus: row.effectiveStatus, currency: row.currency, resultType: row.resultType, metrics: row.metrics }).toEqual({
        id: row.id,
        name: object.name,
        status: object.status,
        effectiveStatus: object.effectiveStatus,
        currency: 'USD',
        resultType: typeOf(row.id),
        metrics: expectedFigures(truth.get(row.id)!, typeOf(row.id)),
      });
    }
    // Sorted by spend, most first (the default).
    const spends = report.data.map((row: { metrics: { spend: string } }) => new Decimal(row.metrics.spend));
    for (let i = 1; i < spends.length; i++) expect(spends[i - 1].gte(spends[i])).toBe(true);

    const all = [...truth.values()];
    const spend = all.reduce((s, e) => s.plus(e.spend), new Decimal(0));
    const value = all.reduce((s, e) => s.plus(e.purchaseValue), new Decimal(0));
    expect(report.totals).toMatchObject({ objects: delivered.length, currency: 'USD' });
    expect(report.totals.metrics).toMatchObject({
      spend: spend.toFixed(),
      impressions: all.reduce((s, e) => s + e.impressions, 0),
      clicks: all.reduce((s, e) => s + e.clicks, 0),
      purchaseValue: value.toFixed(),
      roas: ratio(value, spend),
    });
    // What each figure is: money in the account currency, action figures at Meta's default window.
    expect(report.units.spend).toMatchObject({ unit: 'money', currency: 'USD', attributionWindow: null });
    expect(report.units.results).toMatchObject({ unit: 'count', attributionWindow: 'value' });
    expect(report.units.roas).toMatchObject({ unit: 'ratio', attributionWindow: 'value' });
    expect(report.attribution).toMatchObject({ window: 'value', windows: ['7d_click', '1d_view'] });
  });

  test('a comparison period: each row carries its figures there and the change in percent', async () => {
    const url = `/v1/reports/performance?adAccountId=${account}&level=campaign&from=${day(-7)}&to=${day(-1)}&compareFrom=${day(-14)}&compareTo=${day(-8)}&metrics=spend,clicks,ctr&limit=1000`;
    const report = (await get(url)).json();
    expect(report.comparePeriod).toEqual({ from: day(-14), to: day(-8), preset: null, days: 7 });
    const rows = (await truthOf('campaign')).rows;
    const now = sumTruth(rows, day(-7), day(-1));
    const before = sumTruth(rows, day(-14), day(-8));
    expect(report.data.length).toBeGreaterThan(0);
    for (const row of report.data) {
      const p = now.get(row.id);
      const c = before.get(row.id)!;
      expect(row.compare).toEqual({ spend: c.spend.toFixed(), clicks: c.clicks, ctr: ratio(new Decimal(c.clicks).times(100), c.impressions) });
      const change = c.spend.isZero() ? null : (p?.spend ?? new Decimal(0)).minus(c.spend).times(100).div(c.spend).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed();
      expect(row.change.spend).toBe(change);
    }
    expect(report.units.ctr).toMatchObject({ unit: 'percent' });
  });

  test('top N by any metric: the N ad sets with most clicks, totals over all of them', async () => {
    const report = (await get(`/v1/reports/performance?adAccountId=${account}&level=adset&preset=LAST_7D&metrics=spend&sort=-clicks&limit=3`)).json();
    const truth = [...sumTruth((await truthOf('adset')).rows, day(-7), day(-1)).entries()].filter(([, e]) => e.impressions > 0);
    const top = truth.sort(([ia, a], [ib, b]) => b.clicks - a.clicks || (ia < ib ? -1 : 1)).slice(0, 3);
    expect(report.data.map((row: { id: string; metrics: { clicks: number } }) => [row.id, row.metrics.clicks])).toEqual(top.map(([id, e]) => [id, e.clicks]));
    expect(report.metrics).toEqual(['spend', 'clicks']); // the sort metric is shown too
    expect(report.totals.objects).toBe(truth.length);
    // Ascending by name, filtered by a name fragment.
    const first = report.data[0];
    const named = (await get(`/v1/reports/performance?adAccountId=${account}&level=adset&preset=LAST_7D&nameContains=${encodeURIComponent(first.name.slice(0, 6))}&sort=name`)).json();
    expect(named.data.every((row: { name: string }) => row.name.toLowerCase().includes(first.name.slice(0, 6).toLowerCase()))).toBe(true);
    expect(named.data.map((row: { name: string }) => row.name)).toEqual([...named.data.map((row: { name: string }) => row.name)].sort());
    const byId = (await get(`/v1/reports/performance?adAccountId=${account}&level=adset&preset=LAST_7D&ids=${first.id}`)).json();
    expect(byId.data.map((row: { id: string }) => row.id)).toEqual([first.id]);
  });

  test('reach is real or null: one past day of one account has it, a week has none and says why', async () => {
    const week = (await get(`/v1/reports/performance?adAccountId=${account}&level=campaign&preset=LAST_7D&metrics=reach,frequency`)).json();
    expect(week.data.every((row: { metrics: { reach: unknown; frequency: unknown } }) => row.metrics.reach === null && row.metrics.frequency === null)).toBe(true);
    expect(week.notes.join(' ')).toMatch(/never summed across days/);
    const stored = await h.database.db.metricDaily.findUnique({ where: { level_entityId_date: { level: 'account', entityId: account, date: new Date(`${day(-1)}T00:00:00Z`) } } });
    const yesterday = (await get(`/v1/reports/performance?adAccountId=${account}&level=account&preset=YESTERDAY&metrics=reach,impressions,frequency`)).json();
    expect(yesterday.data[0].metrics.reach).toBe(stored!.reach === null ? null : Number(stored!.reach));
    expect(yesterday.data[0].metrics.impressions).toBe(Number(stored!.impressions));
  });

  test('the daily series adds up to the truth of each day', async () => {
    const response = await get(`/v1/reports/performance/series?adAccountId=${account}&level=campaign&preset=LAST_7D&grain=day&metrics=spend,impressions,clicks`);
    expect(response.statusCode).toBe(200);
    const series = response.json();
    const truth = (await truthOf('account')).rows;
    expect(series.data).toEqual(
      [...Array(7).keys()].map((i) => {
        const date = day(i - 7);
        const t = truth.find((row) => row.date === date)!;
        return { bucketStart: date, bucketEnd: date, currency: 'USD', metrics: { spend: new Decimal(t.spend).toFixed(), impressions: t.impressions, clicks: t.clicks } };
      }),
    );
    const weeks = (await get(`/v1/reports/performance/series?adAccountId=${account}&level=account&from=${day(-20)}&to=${day(-1)}&grain=week&metrics=spend`)).json();
    const sum = truth.filter((row) => row.date >= day(-20) && row.date <= day(-1)).reduce((s, row) => s.plus(row.spend), new Decimal(0));
    expect(weeks.data[0].bucketStart).toBe(day(-20));
    expect(weeks.data.at(-1).bucketEnd).toBe(day(-1));
    expect(weeks.data.reduce((s: Decimal, row: { metrics: { spend: string } }) => s.plus(row.metrics.spend), new Decimal(0)).toFixed()).toBe(sum.toFixed());
    expect(weeks.totals.metrics.spend).toBe(sum.toFixed());
  });
});

/** RFC 4180 lines into arrays of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += ch;
  }
  return rows;
}

describe('CSV', () => {
  test('the report as CSV parses and says what the JSON says, line by line', async () => {
    const url = `/v1/reports/performance?adAccountId=${account}&level=adset&preset=LAST_7D&compareFrom=${day(-14)}&compareTo=${day(-8)}&metrics=spend,impressions,ctr,results,roas`;
    const json = (await get(url)).json();
    const csv = await get(url, { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [head, ...lines] = parseCsv(csv.body);
    const metrics = json.metrics as string[];
    expect(head).toEqual(['row', 'id', 'name', 'status', 'effectiveStatus', 'currency', 'resultType', ...metrics, ...metrics.map((m) => `compare_${m}`), ...metrics.map((m) => `change_pct_${m}`)]);
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const tail = (row: any) => [...metrics.map((m) => text(row.metrics[m])), ...metrics.map((m) => text(row.compare[m])), ...metrics.map((m) => text(row.change[m]))];
    expect(lines).toEqual([
      ...json.data.map((row: any) => ['object', row.id, text(row.name), text(row.status), text(row.effectiveStatus), 'USD', text(row.resultType), ...tail(row)]),
      ['total', '', '', '', '', 'USD', '', ...tail(json.totals)],
    ]);
  });

  test('the series as CSV too', async () => {
    const url = `/v1/reports/performance/series?adAccountId=${account}&level=ad&preset=LAST_7D&grain=day&metrics=spend,cpm`;
    const json = (await get(url)).json();
    const [head, ...lines] = parseCsv((await get(url, { accept: 'text/csv' })).body);
    expect(head).toEqual(['row', 'bucketStart', 'bucketEnd', 'currency', 'spend', 'cpm']);
    expect(lines).toEqual([
      ...json.data.map((row: any) => ['bucket', row.bucketStart, row.bucketEnd, 'USD', row.metrics.spend, String(row.metrics.cpm ?? '')]),
      ['total', json.period.from, json.period.to, 'USD', json.totals.metrics.spend, String(json.totals.metrics.cpm ?? '')],
    ]);
  });
});

describe('bad input is a clear VALIDATION_ERROR and another company sees nothing', () => {
  test.each([
    ['an unknown metric', `level=campaign&preset=LAST_7D&metrics=spend,profit`, /unknown metric/],
    ['from after to', `level=campaign&from=2026-11-10&to=2026-11-01`, /"to" must not be before "from"/],
    ['both a preset and from', `level=campaign&preset=LAST_7D&from=2026-11-01&to=2026-11-02`, /either "preset" or "from" and "to", not both/],
    ['no period', `level=campaign`, /a period is required/],
    ['an unknown preset', `preset=LAST_8D`, /preset/],
    ['half a comparison', `preset=LAST_7D&compareFrom=2026-11-01`, /compareTo/],
    ['an unknown sort', `preset=LAST_7D&sort=-profit`, /unknown sort metric/],
    ['a window that is not stored', `preset=LAST_7D&attributionWindow=28d_view`, /not stored/],
    ['an unknown level', `preset=LAST_7D&level=creative`, /level/],
  ])('%s', async (_name, query, message) => {
    const response = await get(`/v1/reports/performance?adAccountId=${account}&${query}`);
    expect({ status: response.statusCode, code: response.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    expect(response.json().error.message).toMatch(message);
  });

  test("company B's token: the account is not found", async () => {
    const response = await h.inject({ url: `/v1/reports/performance?adAccountId=${account}&preset=LAST_7D`, headers: bearer(h.b.read) });
    expect({ status: response.statusCode, code: response.json().error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});
