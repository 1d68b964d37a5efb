/**
 * Quota blocking and recovery, DST days, late attribution (revise), retention, reset, the
 * truth document and the CLI.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningSimulator } from '../../src/simulator/simulator-server';
import type { ProfileSpec } from '../../src/simulator/profiles';
import { INCLUDE_ALL_ADS, control, graphGet, graphPost, start, toMinor, walk } from './sim-test-helpers';

const TINY: ProfileSpec = { adAccounts: [{ timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 4, adsetsPerCampaign: 2, adsPerAdset: 3 }], insightsDays: 30, hourlyDays: 7 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('quota model', () => {
  it('blocks on the ad-account score (17 reads / 613 writes) and recovers after the block', async () => {
    // A window of a few seconds: six reads must land inside one window even on a loaded machine
    // (a 1 s window let them spread over two windows under load, and the seventh was not blocked).
    const sim = await start({ profile: TINY, quota: { scoreMax: 6, scoreWindowSeconds: 4, blockSeconds: 1 } });
    try {
      const act = [...sim.state.accounts.keys()][0]!;
      for (let i = 0; i < 6; i++) expect((await graphGet(sim, act)).status).toBe(200);
      const blocked = await graphGet(sim, act);
      expect(blocked.status).toBe(400);
      expect(blocked.body.error).toEqual(expect.objectContaining({ code: 17, error_subcode: 2446079, message: 'User request limit reached' }));
      const usage = JSON.parse(blocked.headers.get('x-ad-account-usage')!);
      expect(usage).toEqual(expect.objectContaining({ acc_id_util_pct: 100, ads_api_access_tier: 'standard_access' }));
      expect(usage.reset_time_duration).toBeGreaterThan(0);
      const write = await graphPost(sim, sim.state.edgeIds(act, 'campaigns')[0]!, { name: 'x' });
      expect(write.body.error).toEqual(expect.objectContaining({ code: 613, error_subcode: 1487742 }));
      await sleep(5100);
      const ok = await graphGet(sim, act);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.headers.get('x-ad-account-usage')!).acc_id_util_pct).toBeLessThan(100);
    } finally {
      await sim.close();
    }
  });

  it('blocks BUC types separately (80004 / 80000) with time to regain access, and the app limit (4)', async () => {
    const sim = await start({ profile: TINY, quota: { adsManagementPerHour: 2, adsManagementPerActiveAd: 0, adsInsightsPerHour: 1, adsInsightsPerActiveAd: 0 } });
    try {
      const act = [...sim.state.accounts.keys()][0]!;
      await graphGet(sim, act);
      await graphGet(sim, act);
      const m = await graphGet(sim, act);
      expect(m.body.error).toEqual(expect.objectContaining({ code: 80004, error_subcode: 2446079, type: 'OAuthException' }));
      const entry = JSON.parse(m.headers.get('x-business-use-case-usage')!)[act.slice(4)].find((e: any) => e.type === 'ads_management');
      expect(entry.estimated_time_to_regain_access).toBeGreaterThan(0);
      expect((await graphGet(sim, `${act}/insights`)).status).toBe(200);
      const i = await graphGet(sim, `${act}/insights`);
      expect(i.body.error.code).toBe(80000);
      expect(JSON.parse(i.headers.get('x-fb-ads-insights-throttle')!).acc_id_util_pct).toBe(100);
    } finally {
      await sim.close();
    }
    const app = await start({ profile: TINY, quota: { appCallsPerHour: 2 } });
    try {
      await graphGet(app, 'me');
      await graphGet(app, 'me');
      const r = await graphGet(app, 'me');
      expect(r.body.error).toEqual(expect.objectContaining({ code: 4 }));
    } finally {
      await app.close();
    }
  });
});

describe('time', () => {
  const hourly = async (sim: RunningSimulator, date: string, level = 'account'): Promise<any[]> => {
    const act = [...sim.state.accounts.keys()][0]!;
    return (await walk(sim, `${act}/insights`, { level, fields: 'spend,impressions', filtering: INCLUDE_ALL_ADS, time_range: JSON.stringify({ since: date, until: date }), breakdowns: 'hourly_stats_aggregated_by_advertiser_time_zone', limit: 1000 })).rows;
  };

  it.each([
    ['2026-03-29', '2026-03-30T12:00:00Z', 23],
    ['2026-10-25', '2026-10-26T12:00:00Z', 24],
  ])('DST day %s in Europe/Berlin has only existing local hours (%s → %i rows) summing to the day', async (date, now, expected) => {
    const sim = await start({ profile: TINY, now });
    try {
      const rows = await hourly(sim, date);
      expect(rows).toHaveLength(expected);
      const labels = rows.map((r) => r.hourly_stats_aggregated_by_advertiser_time_zone);
      expect(new Set(labels).size).toBe(expected);
      if (expected === 23) expect(labels).not.toContain('02:00:00 - 02:59:59');
      else expect(labels).toContain('02:00:00 - 02:59:59');
      const act = [...sim.state.accounts.keys()][0]!;
      const day = (await graphGet(sim, `${act}/insights`, { fields: 'spend,impressions', filtering: INCLUDE_ALL_ADS, time_range: JSON.stringify({ since: date, until: date }) })).body.data[0];
      expect(rows.reduce((s, r) => s + toMinor(r.spend, 2), 0)).toBe(toMinor(day.spend, 2));
      expect(rows.reduce((s, r) => s + Number(r.impressions), 0)).toBe(Number(day.impressions));
      const truthRows = (await control(sim, `truth?adAccountId=${act}&level=ad&grain=hourly`)).body.rows.filter((r: any) => r.date === date);
      expect(new Set(truthRows.map((r: any) => r.hour)).size).toBe(expected);
    } finally {
      await sim.close();
    }
  });

  it('late attribution: revise changes only unsettled days, and truth follows', async () => {
    const sim = await start({ profile: TINY });
    try {
      const act = [...sim.state.accounts.keys()][0]!;
      const read = async (): Promise<Map<string, string>> =>
        new Map((await walk(sim, `${act}/insights`, { fields: 'spend,actions', filtering: INCLUDE_ALL_ADS, date_preset: 'last_7d', time_increment: 1, limit: 100 })).rows.map((r: any) => [r.date_start, JSON.stringify([r.spend, r.actions])]));
      const today = (await graphGet(sim, `${act}/insights`, { fields: 'spend', filtering: INCLUDE_ALL_ADS, date_preset: 'today' })).body.data[0].spend;
      const before = await read();
      const truthBefore = (await control(sim, 'truth')).body.adAccounts[0].daily;
      const revised = await control(sim, 'revise', { adAccountId: act });
      expect(revised.body.accounts[0].revision).toBe(1);
      const after = await read();
      const dates = [...before.keys()].sort();
      // last_7d ends yesterday: yesterday and the day before are unsettled (3 days incl. today).
      for (const d of dates.slice(0, -2)) expect(after.get(d)).toBe(before.get(d));
      for (const d of dates.slice(-2)) expect(after.get(d)).not.toBe(before.get(d));
      expect((await graphGet(sim, `${act}/insights`, { fields: 'spend', filtering: INCLUDE_ALL_ADS, date_preset: 'today' })).body.data[0].spend).not.toBe(today);
      const truthAfter = (await control(sim, 'truth')).body.adAccounts[0].daily;
      expect(truthAfter.slice(0, -3)).toEqual(truthBefore.slice(0, -3));
      expect(truthAfter.slice(-3)).not.toEqual(truthBefore.slice(-3));
    } finally {
      await sim.close();
    }
  });

  it('refuses ranges older than 37 months and moves the clock', async () => {
    const sim = await start({ profile: TINY });
    try {
      const act = [...sim.state.accounts.keys()][0]!;
      const r = await graphGet(sim, `${act}/insights`, { time_range: JSON.stringify({ since: '2023-01-01', until: '2023-01-31' }) });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(100);
      expect(r.body.error.message).toMatch(/37 months/);
      await control(sim, 'clock', { now: '2026-11-20T12:00:00Z' });
      const truth = (await control(sim, 'truth')).body;
      expect(truth.adAccounts[0].today).toBe('2026-11-20');
      expect(truth.adAccounts[0].daily.at(-1).date).toBe('2026-11-20');
    } finally {
      await sim.close();
    }
  });
});

describe('truth, reset and CLI', () => {
  it('has the documented truth shape, and reset restores generated objects', async () => {
    const sim = await start({ profile: 'small' });
    try {
      const truth = (await control(sim, 'truth')).body;
      expect(truth.adAccounts).toHaveLength(2);
      const a = truth.adAccounts[0];
      expect(a).toEqual(expect.objectContaining({ id: expect.stringMatching(/^act_\d+$/), name: expect.any(String), timezone: 'America/Los_Angeles', currency: 'USD' }));
      expect(a.counts).toEqual(expect.objectContaining({ campaigns: 5, adsets: 15, ads: 60, creatives: expect.any(Number), customAudiences: 6, pixels: 2 }));
      expect(a.daily).toHaveLength(30);
      expect(a.daily[0]).toEqual({ date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), spend: expect.stringMatching(/^\d+(\.\d+)?$/), impressions: expect.any(Number), clicks: expect.any(Number) });
      expect(a.objects.ads[0]).toEqual(expect.objectContaining({ id: expect.any(String), status: expect.any(String), effective_status: expect.any(String) }));
      const rows = (await control(sim, `truth?adAccountId=${a.id}&level=ad&grain=daily`)).body.rows;
      expect(rows[0]).toEqual(expect.objectContaining({ entityId: expect.any(String), date: expect.any(String), spend: expect.any(String), impressions: expect.any(Number), clicks: expect.any(Number), actions: expect.any(Array) }));
      expect(rows[0].actions[0]).toEqual(expect.objectContaining({ action_type: expect.any(String), value: expect.any(String), '7d_click': expect.any(String), '1d_view': expect.any(String) }));
      const spend = rows.filter((r: any) => r.date === a.daily[0].date).reduce((s: number, r: any) => s + toMinor(r.spend, 2), 0);
      expect(spend).toBe(toMinor(a.daily[0].spend, 2));
      await graphPost(sim, `${a.id}/campaigns`, { name: 'n', objective: 'OUTCOME_SALES', special_ad_categories: '[]', status: 'PAUSED' });
      expect((await control(sim, 'truth')).body.adAccounts[0].counts.campaigns).toBe(6);
      await control(sim, 'reset', {});
      const again = (await control(sim, 'truth')).body;
      expect(again.adAccounts[0].counts.campaigns).toBe(5);
      expect(again.adAccounts[0].objects).toEqual(a.objects);
    } finally {
      await sim.close();
    }
  });

  it('same seed → same data; another seed → different ids', async () => {
    const [a, b, c] = await Promise.all([start({ seed: 1 }), start({ seed: 1 }), start({ seed: 2 })]);
    try {
      const [ta, tb, tc] = await Promise.all([a, b, c].map(async (s) => (await control(s, 'truth')).body));
      expect(ta.adAccounts).toEqual(tb.adAccounts);
      expect(tc.adAccounts[0].objects.ads.map((x: any) => x.id)).not.toEqual(ta.adAccounts[0].objects.ads.map((x: any) => x.id));
    } finally {
      await Promise.all([a, b, c].map((s) => s.close()));
    }
  });

  it('CLI prints the URL and token count (never tokens) and exits cleanly on SIGTERM', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main/simulator.ts', '--port', '0', '--token', 'secret-one', '--token', 'secret-two'], { cwd: root });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    });
    expect(out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ .*2 token\(s\)/);
    expect(out).not.toContain('secret');
    const url = /http:\/\/[\d.:]+/.exec(out)![0];
    expect((await fetch(`${url}/v23.0/me?access_token=secret-one`)).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
