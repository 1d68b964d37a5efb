/**
 * Ground truth for tests and benchmarks (`GET /__sim/truth`): every object of every status,
 * and the numbers Meta would report now (current revision and clock) computed over ALL ads,
 * archived and deleted included, for every day of the insights history.
 */
import { formatMoney, windowValues } from './insights-engine';
import {
  ACTION_TYPES, ATTRIBUTION_WINDOWS, CELL_LENGTH, DEFAULT_WINDOWS, M, VALUE_ACTION_INDEX,
  dayCell, hourCells, metricContext, type MetricContext,
} from './metrics-model';
import type { AccountInfo, SimNode, SimulatorState } from './simulator-state';
import { dayToString, formatGraphTime, hourLabel } from './time-zones';

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { max: mMax } = Math;
const F64 = Float64Array;
const toStr = String;


/** Per-day account totals. */
export interface TruthDay {
  date: string;
  spend: string;
  impressions: number;
  clicks: number;
}

/**
 * One object's identity, statuses and the values writes change, as a Graph read answers them:
 * budgets and caps as minor-unit strings, times in the account's offset. Absent when unset.
 */
export interface TruthObject {
  id: string;
  name?: string;
  status?: string;
  effective_status?: string;
  created_time: string;
  updated_time: string;
  campaign_id?: string;
  adset_id?: string;
  /** Ads: the creative's id. */
  creative_id?: string;
  daily_budget?: string;
  lifetime_budget?: string;
  /** Campaigns. */
  spend_cap?: string;
  bid_strategy?: string;
  /** Ad sets and ads (an integer in minor units, as Meta sends it). */
  bid_amount?: number;
  start_time?: string;
  /** Ad sets. */
  end_time?: string;
  /** Campaigns. */
  stop_time?: string;
}

/** One account in the truth document. */
export interface TruthAccount {
  id: string;
  account_id: string;
  name: string;
  timezone: string;
  currency: string;
  revision: number;
  unsettledDays: number;
  historyStart: string;
  today: string;
  counts: Record<'campaigns' | 'adsets' | 'ads' | 'creatives' | 'customAudiences' | 'pixels' | 'adRules' | 'pages' | 'productCatalogs', number>;
  daily: TruthDay[];
  objects: Record<'campaigns' | 'adsets' | 'ads' | 'creatives', TruthObject[]>;
}

/** A per-entity metrics row (`?level=…&grain=…`). */
export interface TruthRow {
  entityId: string;
  date: string;
  hour?: number;
  hourLabel?: string;
  spend: string;
  spendMinor: number;
  impressions: number;
  clicks: number;
  inlineLinkClicks: number;
  reach?: number;
  actions: Record<string, string>[];
}

function objects(state: SimulatorState, account: AccountInfo, edge: string): TruthObject[] {
  return state.edgeIds(account.id, edge).map((id) => {
    const n = state.nodes.get(id) as SimNode;
    const o: TruthObject = {
      id, name: n.name, status: n.status,
      created_time: formatGraphTime(n.createdMs, account.timezone), updated_time: formatGraphTime(n.updatedMs, account.timezone),
    };
    if (n.type !== 'adcreative') o.effective_status = state.effectiveStatus(n);
    if (n.campaignId) o.campaign_id = n.campaignId;
    if (n.adsetId) o.adset_id = n.adsetId;
    if (n.creativeId) o.creative_id = n.creativeId;
    const f = n.fields;
    for (const k of ['daily_budget', 'lifetime_budget', 'spend_cap', 'bid_strategy'] as const) if (typeof f[k] === 'string') o[k] = f[k] as string;
    if (typeof f.bid_amount === 'number') o.bid_amount = f.bid_amount;
    for (const k of ['start_time', 'end_time', 'stop_time'] as const) if (typeof f[k] === 'number') o[k] = formatGraphTime(f[k] as number, account.timezone);
    return o;
  });
}

function allAds(state: SimulatorState, account: AccountInfo): SimNode[] {
  return state.edgeIds(account.id, 'ads').map((id) => state.nodes.get(id) as SimNode);
}

function dailyTotals(state: SimulatorState, account: AccountInfo, ctx: MetricContext): TruthDay[] {
  const key = JSON.stringify(['truth-daily', account.id, state.version, account.revision, ctx.today, ctx.currentHour]);
  return state.cache.get(key, () => {
    const days = ctx.today - account.historyStartDay + 1;
    const spend = new F64(days);
    const imp = new F64(days);
    const clk = new F64(days);
    const cell = new F64(CELL_LENGTH);
    for (const ad of allAds(state, account)) {
      for (let d = mMax(account.historyStartDay, ad.firstStatsDay ?? 0); d <= ctx.today; d++) {
        if (!dayCell(ctx, ad, d, cell)) continue;
        const i = d - account.historyStartDay;
        spend[i] = (spend[i] ?? 0) + (cell[M.spend] ?? 0);
        imp[i] = (imp[i] ?? 0) + (cell[M.impressions] ?? 0);
        clk[i] = (clk[i] ?? 0) + (cell[M.clicks] ?? 0);
      }
    }
    return Array.from({ length: days }, (_, i) => ({
      date: dayToString(account.historyStartDay + i),
      spend: formatMoney(spend[i] ?? 0, account.currency),
      impressions: imp[i] ?? 0,
      clicks: clk[i] ?? 0,
    }));
  });
}

/** Build the truth document (optionally only one account). */
export function buildTruth(state: SimulatorState, adAccountId?: string): { now: string; seed: number; profile: string; adAccounts: TruthAccount[] } {
  const accounts = [...state.accounts.values()].filter((a) => !adAccountId || a.id === adAccountId || a.accountId === adAccountId);
  return {
    now: new Date(state.now()).toISOString(),
    seed: state.seed,
    profile: state.profile.name,
    adAccounts: accounts.map((account) => {
      const ctx = metricContext(state, account);
      const business = account.businessId;
      return {
        id: account.id,
        account_id: account.accountId,
        name: account.name,
        timezone: account.timezone,
        currency: account.currency,
        revision: account.revision,
        unsettledDays: account.unsettledDays,
        historyStart: dayToString(account.historyStartDay),
        today: dayToString(ctx.today),
        counts: {
          campaigns: state.edgeIds(account.id, 'campaigns').length,
          adsets: state.edgeIds(account.id, 'adsets').length,
          ads: state.edgeIds(account.id, 'ads').length,
          creatives: state.edgeIds(account.id, 'adcreatives').length,
          customAudiences: state.edgeIds(account.id, 'customaudiences').length,
          pixels: state.edgeIds(account.id, 'adspixels').length,
          adRules: state.edgeIds(account.id, 'adrules_library').length,
          pages: state.edgeIds(business, 'owned_pages').length,
          productCatalogs: state.edgeIds(business, 'owned_product_catalogs').length,
        },
        daily: dailyTotals(state, account, ctx),
        objects: {
          campaigns: objects(state, account, 'campaigns'),
          adsets: objects(state, account, 'adsets'),
          ads: objects(state, account, 'ads'),
          creatives: objects(state, account, 'adcreatives'),
        },
      };
    }),
  };
}

function actionsOf(cell: Float64Array, currency: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  ACTION_TYPES.forEach((type, t) => {
    const per = windowValues(cell, t, 'count');
    if (per.every((x) => x === 0)) return;
    const entry: Record<string, string> = {
      action_type: type,
      value: toStr(DEFAULT_WINDOWS.reduce((s, w) => s + (per[ATTRIBUTION_WINDOWS.indexOf(w)] ?? 0), 0)),
    };
    ATTRIBUTION_WINDOWS.forEach((w, i) => (entry[w] = toStr(per[i] ?? 0)));
    out.push(entry);
  });
  const values = windowValues(cell, VALUE_ACTION_INDEX, 'value');
  if (values.some((x) => x > 0)) {
    const entry: Record<string, string> = {
      action_type: `value:${ACTION_TYPES[VALUE_ACTION_INDEX]}`,
      value: formatMoney(DEFAULT_WINDOWS.reduce((s, w) => s + (values[ATTRIBUTION_WINDOWS.indexOf(w)] ?? 0), 0), currency),
    };
    ATTRIBUTION_WINDOWS.forEach((w, i) => (entry[w] = formatMoney(values[i] ?? 0, currency)));
    out.push(entry);
  }
  return out;
}

/**
 * Per-entity rows over ALL ads of one account. `level` other than ad sums ads (additive
 * metrics only; reach is given only for ad-level daily rows, where it is the real value).
 */
export function buildTruthRows(state: SimulatorState, account: AccountInfo, level: 'ad' | 'adset' | 'campaign' | 'account', grain: 'daily' | 'hourly'): TruthRow[] {
  const ctx = metricContext(state, account);
  const acc = new Map<string, { entityId: string; day: number; hour?: number; cell: Float64Array }>();
  const cell = new F64(CELL_LENGTH);
  const hourlyFrom = ctx.today - state.profile.hourlyDays + 1;
  const add = (entityId: string, day: number, hour: number | undefined, c: Float64Array): void => {
    const key = `${day}|${hour ?? ''}|${entityId}`;
    let e = acc.get(key);
    if (!e) {
      e = { entityId, day, hour, cell: new F64(CELL_LENGTH) };
      acc.set(key, e);
    }
    for (let i = 0; i < CELL_LENGTH; i++) e.cell[i] = (e.cell[i] ?? 0) + (c[i] ?? 0);
  };
  for (const ad of allAds(state, account)) {
    const entityId = level === 'ad' ? ad.id : level === 'adset' ? ad.adsetId ?? '' : level === 'campaign' ? ad.campaignId ?? '' : account.id;
    for (let d = mMax(account.historyStartDay, ad.firstStatsDay ?? 0); d <= ctx.today; d++) {
      if (grain === 'hourly') {
        if (d < hourlyFrom) continue;
        for (const h of hourCells(ctx, ad, d)) add(entityId, d, h.hour, h.cell);
      } else if (dayCell(ctx, ad, d, cell)) add(entityId, d, undefined, cell);
    }
  }
  const rows = [...acc.values()].sort((a, b) => a.day - b.day || (a.hour ?? 0) - (b.hour ?? 0) || (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0));
  return rows.map((r) => {
    const row: TruthRow = {
      entityId: r.entityId,
      date: dayToString(r.day),
      spend: formatMoney(r.cell[M.spend] ?? 0, account.currency),
      spendMinor: r.cell[M.spend] ?? 0,
      impressions: r.cell[M.impressions] ?? 0,
      clicks: r.cell[M.clicks] ?? 0,
      inlineLinkClicks: r.cell[M.linkClicks] ?? 0,
      actions: actionsOf(r.cell, account.currency),
    };
    if (r.hour !== undefined) {
      row.hour = r.hour;
      row.hourLabel = hourLabel(r.hour);
    } else if (level === 'ad') row.reach = r.cell[M.reach] ?? 0;
    return row;
  });
}
