/**
 * Metric and object invariants on every built-in profile: level sums, hourly/monthly/N-day
 * sums, non-additive reach, effective-status derivation and paging completeness vs truth.
 */
import type { RunningSimulator } from '../../src/simulator/simulator-server';
import { ALL_STATUSES, INCLUDE_ALL_ADS, control, graphGet, start, toMinor, walk } from './sim-test-helpers';

interface TruthObj { id: string; status: string; effective_status: string; campaign_id?: string; adset_id?: string }

const CASES: { profile: 'small' | 'medium' | 'large'; accounts: number; days: number; pageLimit: number }[] = [
  { profile: 'small', accounts: 2, days: 30, pageLimit: 7 },
  { profile: 'medium', accounts: 2, days: 30, pageLimit: 150 },
  { profile: 'large', accounts: 1, days: 5, pageLimit: 5000 },
];

describe.each(CASES)('$profile profile invariants', ({ profile, accounts, days, pageLimit }) => {
  let sim: RunningSimulator;
  let truth: any;
  beforeAll(async () => {
    sim = await start({ profile });
    truth = (await control(sim, 'truth')).body;
  });
  afterAll(() => sim.close());

  const decimalsOf = (account: any): number => (account.currency === 'JPY' ? 0 : 2);
  const range = (account: any): string => {
    const until = account.today as string;
    const since = new Date(Date.parse(`${until}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    return JSON.stringify({ since, until });
  };
  const insights = async (account: any, params: Record<string, string | number>): Promise<any[]> =>
    (await walk(sim, `${account.id}/insights`, { limit: 5000, filtering: INCLUDE_ALL_ADS, time_range: range(account), ...params })).rows;

  it('campaign and ad set daily rows are exact sums of their ads', async () => {
    for (const account of truth.adAccounts.slice(0, accounts)) {
      const d = decimalsOf(account);
      const fields = 'ad_id,adset_id,campaign_id,spend,impressions,clicks,inline_link_clicks';
      const ads = await insights(account, { level: 'ad', time_increment: 1, fields });
      expect(ads.length).toBeGreaterThan(0);
      for (const level of ['campaign', 'adset'] as const) {
        const expected = new Map<string, number[]>();
        for (const r of ads) {
          const k = `${r[`${level}_id`]}|${r.date_start}`;
          const e = expected.get(k) ?? [0, 0, 0, 0];
          e[0]! += toMinor(r.spend, d);
          e[1]! += Number(r.impressions);
          e[2]! += Number(r.clicks);
          e[3]! += Number(r.inline_link_clicks ?? 0);
          expected.set(k, e);
        }
        const rows = await insights(account, { level, time_increment: 1, fields: `${level}_id,spend,impressions,clicks,inline_link_clicks` });
        const actual = new Map(rows.map((r) => [`${r[`${level}_id`]}|${r.date_start}`, [toMinor(r.spend, d), Number(r.impressions), Number(r.clicks), Number(r.inline_link_clicks ?? 0)]]));
        expect(actual).toEqual(expected);
      }
    }
  });

  it('account daily rows equal truth (all ads) and the sum of campaign rows', async () => {
    for (const account of truth.adAccounts.slice(0, accounts)) {
      const rows = await insights(account, { level: 'account', time_increment: 1, fields: 'spend,impressions,clicks' });
      const byDate = new Map(rows.map((r) => [r.date_start, r]));
      const window = account.daily.slice(-days);
      expect(window).toHaveLength(days);
      for (const t of window) {
        const r = byDate.get(t.date);
        if (t.impressions === 0) continue;
        expect({ date: t.date, spend: r?.spend, impressions: Number(r?.impressions), clicks: Number(r?.clicks) }).toEqual({
          date: t.date, spend: t.spend, impressions: t.impressions, clicks: t.clicks,
        });
      }
    }
  });

  it('hourly rows sum exactly to daily rows (account and ad level)', async () => {
    const account = truth.adAccounts[0];
    const d = decimalsOf(account);
    const hourly = await insights(account, { level: 'account', time_increment: 1, fields: 'spend,impressions,clicks,reach', breakdowns: 'hourly_stats_aggregated_by_advertiser_time_zone' });
    const daily = await insights(account, { level: 'account', time_increment: 1, fields: 'spend,impressions,clicks' });
    const sums = new Map<string, number[]>();
    for (const h of hourly) {
      expect(h.date_start).toBe(h.date_stop);
      expect(h.hourly_stats_aggregated_by_advertiser_time_zone).toMatch(/^\d\d:00:00 - \d\d:59:59$/);
      expect(h.reach).toBeUndefined();
      const s = sums.get(h.date_start) ?? [0, 0, 0];
      s[0]! += toMinor(h.spend, d);
      s[1]! += Number(h.impressions);
      s[2]! += Number(h.clicks);
      sums.set(h.date_start, s);
    }
    expect(sums.size).toBeGreaterThanOrEqual(Math.min(days, 7) - 1);
    for (const [date, s] of sums) {
      const day = daily.find((r) => r.date_start === date);
      expect([date, ...s]).toEqual([date, toMinor(day.spend, d), Number(day.impressions), Number(day.clicks)]);
    }
    // One ad: its hourly rows add up to its daily rows too.
    const ad = truth.adAccounts[0].objects.ads.find((a: TruthObj) => a.effective_status === 'ACTIVE');
    const adHourly = (await walk(sim, `${ad.id}/insights`, { limit: 500, time_increment: 1, date_preset: 'last_3d', fields: 'spend,impressions', breakdowns: 'hourly_stats_aggregated_by_advertiser_time_zone' })).rows;
    const adDaily = (await walk(sim, `${ad.id}/insights`, { limit: 500, time_increment: 1, date_preset: 'last_3d', fields: 'spend,impressions' })).rows;
    for (const day of adDaily) {
      const hs = adHourly.filter((h) => h.date_start === day.date_start);
      expect(hs.reduce((s, h) => s + toMinor(h.spend, d), 0)).toBe(toMinor(day.spend, d));
      expect(hs.reduce((s, h) => s + Number(h.impressions), 0)).toBe(Number(day.impressions));
    }
  });

  it('monthly and N-day increments are exact sums of daily rows', async () => {
    const account = truth.adAccounts[0];
    const d = decimalsOf(account);
    const daily = await insights(account, { level: 'campaign', time_increment: 1, fields: 'campaign_id,spend,impressions' });
    for (const inc of ['monthly', '7', 'all_days']) {
      const rows = await insights(account, { level: 'campaign', time_increment: inc, fields: 'campaign_id,spend,impressions' });
      for (const r of rows) {
        const parts = daily.filter((x) => x.campaign_id === r.campaign_id && x.date_start >= r.date_start && x.date_start <= r.date_stop);
        expect([inc, r.date_start, parts.reduce((s, x) => s + toMinor(x.spend, d), 0)]).toEqual([inc, r.date_start, toMinor(r.spend, d)]);
        expect(parts.reduce((s, x) => s + Number(x.impressions), 0)).toBe(Number(r.impressions));
      }
      expect(rows.length).toBeGreaterThan(0);
    }
  });

  it('reach is not additive: coarser rows have less reach than the sum of finer rows, never more than impressions', async () => {
    const account = truth.adAccounts[0];
    const daily = await insights(account, { level: 'campaign', time_increment: 1, fields: 'campaign_id,impressions,reach,frequency' });
    const total = await insights(account, { level: 'campaign', time_increment: 'all_days', fields: 'campaign_id,impressions,reach' });
    let compared = 0;
    for (const t of total) {
      const parts = daily.filter((x) => x.campaign_id === t.campaign_id);
      expect(Number(t.reach)).toBeLessThanOrEqual(Number(t.impressions));
      if (parts.length >= 2) {
        expect(Number(t.reach)).toBeLessThan(parts.reduce((s, x) => s + Number(x.reach), 0));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
    for (const r of daily) {
      expect(Number(r.reach)).toBeLessThanOrEqual(Number(r.impressions));
      expect(Number(r.frequency)).toBeCloseTo(Number(r.impressions) / Number(r.reach), 5);
    }
    const accountDaily = await insights(account, { level: 'account', time_increment: 1, fields: 'reach' });
    for (const r of accountDaily) {
      const parts = daily.filter((x) => x.date_start === r.date_start);
      if (parts.length >= 2) expect(Number(r.reach)).toBeLessThan(parts.reduce((s, x) => s + Number(x.reach), 0));
    }
  });

  it('derives effective_status from the parent chain and serves it on reads', async () => {
    for (const account of truth.adAccounts.slice(0, accounts)) {
      const campaigns = new Map<string, TruthObj>(account.objects.campaigns.map((c: TruthObj) => [c.id, c]));
      const adsets = new Map<string, TruthObj>(account.objects.adsets.map((s: TruthObj) => [s.id, s]));
      const expected = (o: TruthObj): string => {
        if (o.status !== 'ACTIVE') return o.status;
        const parents = [campaigns.get(o.campaign_id ?? ''), o.adset_id ? adsets.get(o.adset_id) : undefined];
        for (const p of parents) if (p && (p.status === 'DELETED' || p.status === 'ARCHIVED')) return p.status;
        if (parents[0]?.status === 'PAUSED') return 'CAMPAIGN_PAUSED';
        if (parents[1]?.status === 'PAUSED') return 'ADSET_PAUSED';
        return 'ACTIVE';
      };
      for (const o of [...account.objects.adsets, ...account.objects.ads]) expect([o.id, o.effective_status]).toEqual([o.id, expected(o)]);
      const seen = new Set(account.objects.ads.map((a: TruthObj) => a.effective_status));
      for (const s of ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED']) expect(seen).toContain(s);
      const read = await walk(sim, `${account.id}/ads`, { limit: pageLimit, fields: 'id,status,effective_status', effective_status: JSON.stringify(ALL_STATUSES) });
      expect(read.rows.map((r: any) => [r.id, r.status, r.effective_status])).toEqual(account.objects.ads.map((a: TruthObj) => [a.id, a.status, a.effective_status]));
    }
  });

  it('walking paging.next returns every object exactly once, matching truth counts', async () => {
    for (const account of truth.adAccounts.slice(0, accounts)) {
      for (const [edge, key] of [['campaigns', 'campaigns'], ['adsets', 'adsets'], ['ads', 'ads']] as const) {
        const all = await walk(sim, `${account.id}/${edge}`, { limit: pageLimit, fields: 'id', filtering: JSON.stringify([{ field: `${edge.slice(0, -1)}.effective_status`, operator: 'IN', value: ALL_STATUSES }]) });
        const ids = all.rows.map((r: any) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(account.counts[key]);
        expect(all.requests).toBe(Math.max(1, Math.ceil(ids.length / pageLimit)));
        const visible = await walk(sim, `${account.id}/${edge}`, { limit: pageLimit, fields: 'id,effective_status' });
        const expectedVisible = account.objects[key].filter((o: TruthObj) => o.effective_status !== 'ARCHIVED' && o.effective_status !== 'DELETED').map((o: TruthObj) => o.id);
        expect(visible.rows.map((r: any) => r.id)).toEqual(expectedVisible);
      }
      const creatives = await walk(sim, `${account.id}/adcreatives`, { limit: pageLimit });
      expect(creatives.rows).toHaveLength(account.counts.creatives);
    }
  });

  it('level=ad insights exclude archived/deleted ads unless filtered in', async () => {
    const account = truth.adAccounts[0];
    const hidden = new Set(account.objects.ads.filter((a: TruthObj) => a.effective_status === 'DELETED' || a.effective_status === 'ARCHIVED').map((a: TruthObj) => a.id));
    expect(hidden.size).toBeGreaterThan(0);
    const dflt = (await walk(sim, `${account.id}/insights`, { level: 'ad', time_increment: 'all_days', fields: 'ad_id,spend', limit: 5000, time_range: range(account) })).rows;
    const all = await insights(account, { level: 'ad', time_increment: 'all_days', fields: 'ad_id,spend' });
    expect(dflt.some((r) => hidden.has(r.ad_id))).toBe(false);
    expect(all.filter((r) => hidden.has(r.ad_id)).length).toBeGreaterThan(0);
  });
});
