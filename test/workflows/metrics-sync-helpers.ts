/**
 * Shared by the metrics sync tests: compare what PostgreSQL holds with the simulator's ground
 * truth (`/__sim/truth`), exactly, per entity and day (or hour), actions included.
 */
import Decimal from 'decimal.js';
import type { TruthAccount, TruthRow } from '../../src/simulator/truth';
import type { SyncHarness } from '../support/sync-harness';

/** What the comparisons read: the simulator, the database and the simulator's truth. */
export type TruthSource = Pick<SyncHarness, 'truth' | 'database'> & { sim: { url: string } };

export type Level = 'account' | 'campaign' | 'adset' | 'ad';
export const LEVELS: Level[] = ['account', 'campaign', 'adset', 'ad'];
export const WINDOWS = ['7d_click', '1d_view'];

export async function truthRows(h: TruthSource, adAccountId: string, level: Level, grain: 'daily' | 'hourly'): Promise<TruthRow[]> {
  const res = await fetch(`${h.sim.url}/__sim/truth?adAccountId=${encodeURIComponent(adAccountId)}&level=${level}&grain=${grain}`);
  if (!res.ok) throw new Error(`truth answered ${res.status}`);
  return ((await res.json()) as { rows: TruthRow[] }).rows;
}

function dec(value: unknown): string {
  return new Decimal(String(value)).toString();
}

function keyOf(entityId: string, date: string, hour?: number | null): string {
  return hour === undefined || hour === null ? `${entityId}|${date}` : `${entityId}|${date}|${hour}`;
}

/** Metric and action maps the truth says the database must hold for a level. */
function expectedMaps(rows: TruthRow[], from: string, to: string) {
  const metrics = new Map<string, string>();
  const actions = new Map<string, string>();
  for (const row of rows) {
    if (row.date < from || row.date > to) continue;
    const key = keyOf(row.entityId, row.date, row.hour);
    // An all-zero row and no row say the same; Meta sends some, the truth lists all.
    if (!(row.impressions === 0 && row.spendMinor === 0 && row.clicks === 0)) metrics.set(key, `${dec(row.spend)}|${row.impressions}|${row.clicks}`);
    for (const entry of row.actions) {
      const valueOf = entry.action_type.startsWith('value:');
      const type = valueOf ? entry.action_type.slice('value:'.length) : entry.action_type;
      for (const window of ['value', ...WINDOWS]) {
        const k = `${key}|${type}|${window}`;
        // An hour can hold purchase value without a purchase count: the count row is then 0.
        const [count, value] = (actions.get(k) ?? (valueOf ? '0|' : '|')).split('|');
        actions.set(k, valueOf ? `${count}|${dec(entry[window])}` : `${dec(entry[window])}|${value}`);
      }
    }
  }
  return { metrics, actions };
}

/** Metric and action maps the database holds for a level (source 'meta' only). */
async function actualMaps(h: TruthSource, adAccountId: string, level: Level, grain: 'daily' | 'hourly', from: string, to: string) {
  const db = h.database.db;
  const metrics = new Map<string, string>();
  const actions = new Map<string, string>();
  if (grain === 'daily') {
    const rows = await db.$queryRaw<Array<{ entity_id: string; day: string; spend: string; impressions: bigint; clicks: bigint; source: string }>>`
      SELECT entity_id, to_char(date, 'YYYY-MM-DD') AS day, spend::text, impressions, clicks, source FROM metrics_daily
       WHERE ad_account_id = ${adAccountId} AND level = ${level} AND date BETWEEN ${from}::date AND ${to}::date`;
    for (const r of rows) {
      expect(r.source).toBe('meta');
      if (isZero(r)) continue;
      metrics.set(keyOf(r.entity_id, r.day), `${dec(r.spend)}|${r.impressions}|${r.clicks}`);
    }
    const acts = await db.$queryRaw<Array<{ entity_id: string; day: string; action_type: string; attribution_window: string; count: string; value: string | null }>>`
      SELECT entity_id, to_char(date, 'YYYY-MM-DD') AS day, action_type, attribution_window, count::text, value::text FROM metrics_daily_actions
       WHERE ad_account_id = ${adAccountId} AND level = ${level} AND date BETWEEN ${from}::date AND ${to}::date`;
    for (const a of acts) actions.set(`${keyOf(a.entity_id, a.day)}|${a.action_type}|${a.attribution_window}`, `${dec(a.count)}|${a.value === null ? '' : dec(a.value)}`);
  } else {
    const rows = await db.$queryRaw<Array<{ entity_id: string; day: string; local_hour: number; spend: string; impressions: bigint; clicks: bigint }>>`
      SELECT entity_id, to_char(local_date, 'YYYY-MM-DD') AS day, local_hour, spend::text, impressions, clicks FROM metrics_hourly
       WHERE ad_account_id = ${adAccountId} AND level = ${level} AND local_date BETWEEN ${from}::date AND ${to}::date`;
    for (const r of rows) if (!isZero(r)) metrics.set(keyOf(r.entity_id, r.day, r.local_hour), `${dec(r.spend)}|${r.impressions}|${r.clicks}`);
    const acts = await db.$queryRaw<Array<{ entity_id: string; day: string; local_hour: number; action_type: string; attribution_window: string; count: string; value: string | null }>>`
      SELECT a.entity_id, to_char(a.local_date, 'YYYY-MM-DD') AS day, m.local_hour, a.action_type, a.attribution_window, a.count::text, a.value::text
        FROM metrics_hourly_actions a
        JOIN metrics_hourly m ON m.level = a.level AND m.entity_id = a.entity_id AND m.bucket_start = a.bucket_start
       WHERE a.ad_account_id = ${adAccountId} AND a.level = ${level} AND a.local_date BETWEEN ${from}::date AND ${to}::date`;
    for (const a of acts) actions.set(`${keyOf(a.entity_id, a.day, a.local_hour)}|${a.action_type}|${a.attribution_window}`, `${dec(a.count)}|${a.value === null ? '' : dec(a.value)}`);
  }
  return { metrics, actions };
}

/** Asserts the database equals the truth for [from, to] at every level, metrics and actions, exactly. */
export async function expectMatchesTruth(h: TruthSource, adAccountId: string, grain: 'daily' | 'hourly', from: string, to: string, levels: Level[] = LEVELS): Promise<{ rows: number }> {
  let rows = 0;
  for (const level of levels) {
    const expected = expectedMaps(await truthRows(h, adAccountId, level, grain), from, to);
    const actual = await actualMaps(h, adAccountId, level, grain, from, to);
    expect({ level, metrics: sorted(actual.metrics) }).toEqual({ level, metrics: sorted(expected.metrics) });
    expect({ level, actions: sorted(actual.actions) }).toEqual({ level, actions: sorted(expected.actions) });
    rows += actual.metrics.size;
  }
  if (grain === 'daily' && levels.includes('account')) {
    // The account's own daily totals (all ads, archived and deleted included).
    const truth = await h.truth(adAccountId);
    const totals = await h.database.db.$queryRaw<Array<{ day: string; spend: string; impressions: bigint; clicks: bigint }>>`
      SELECT to_char(date, 'YYYY-MM-DD') AS day, spend::text, impressions, clicks FROM metrics_daily
       WHERE ad_account_id = ${adAccountId} AND level = 'account' AND date BETWEEN ${from}::date AND ${to}::date ORDER BY date`;
    const expectedDaily = truth.daily.filter((d) => d.date >= from && d.date <= to && (d.impressions > 0 || d.clicks > 0 || Number(d.spend) !== 0));
    expect(totals.map((t) => [t.day, dec(t.spend), Number(t.impressions), Number(t.clicks)])).toEqual(
      expectedDaily.map((d) => [d.date, dec(d.spend), d.impressions, d.clicks]),
    );
  }
  return { rows };
}

function isZero(r: { spend: string; impressions: bigint; clicks: bigint }): boolean {
  return new Decimal(r.spend).isZero() && r.impressions === 0n && r.clicks === 0n;
}

function sorted(map: Map<string, string>): Array<[string, string]> {
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Ads that are archived or deleted and spent money in [from, to]: the spend a careless sync loses. */
export async function hiddenAdsWithSpend(h: TruthSource, account: TruthAccount, from: string, to: string): Promise<string[]> {
  const hidden = new Set(account.objects.ads.filter((a) => a.effective_status === 'ARCHIVED' || a.effective_status === 'DELETED').map((a) => a.id));
  const rows = await truthRows(h, account.id, 'ad', 'daily');
  return [...new Set(rows.filter((r) => hidden.has(r.entityId) && r.spendMinor > 0 && r.date >= from && r.date <= to).map((r) => r.entityId))];
}
