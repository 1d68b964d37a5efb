/**
 * Insights queries: parse Meta's parameters, aggregate lazy (ad, day[, hour]) cells into
 * rows at the requested level, time increment and breakdowns, and format rows as strings.
 *
 * Additive metrics are exact integer sums. Reach and unique clicks are per (entity, period):
 * the summed fine-grained reach is deduplicated by factors that shrink with the number of
 * ads and days in the row, so a coarser row's reach is below the sum of its parts while
 * never above its impressions.
 *
 * `value` in action lists: with no `action_attribution_windows`, the account default
 * (7d_click + 1d_view); with windows, the SUM of the requested windows' counts, and each
 * requested window also gets its own key.
 */
import { DOCUMENTED_BREAKDOWNS, DOCUMENTED_INSIGHTS_FIELDS } from './documented-fields';
import { parseActionBreakdowns, splitAction, splitExact, type ActionPiece, type ActionTargets } from './action-breakdowns';
import { invalidParameter } from './graph-errors';
import { documentedInsightsValue, type RowFacts } from './insights-documented-metrics';
import { matchesFilters, mentionsEffectiveStatus, parseFiltering, type Filter } from './filtering';
import {
  ACTION_TYPES, ACTIONS, ATTRIBUTION_WINDOWS, CELL_LENGTH, DEFAULT_WINDOWS, M, VALUE_ACTION_INDEX, VALUES,
  dayCell, metricContext, splitCell, type AttributionWindow, type MetricContext,
} from './metrics-model';
import { currencyDecimals } from './profiles';
import { hashString, unit } from './seeded-random';
import type { AccountInfo, SimNode, SimulatorState } from './simulator-state';
import { dayToString, hourLabel, monthStart, parseDay, subtractMonths, yearMonth } from './time-zones';

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { abs: mAbs, floor: mFloor, log: mLog, max: mMax, min: mMin } = Math;
const F64 = Float64Array;
const toStr = String;
// Imported bindings compile to getters under tsx/esbuild CJS; hot loops read local copies.
const CL = CELL_LENGTH;
const ML = M;
const ACTS = ACTIONS;
const VALS = VALUES;
const WINDOWS = ATTRIBUTION_WINDOWS;
const TYPES = ACTION_TYPES;
const VALUE_INDEX = VALUE_ACTION_INDEX;
const DEF_WINDOWS = DEFAULT_WINDOWS;

/** Insights levels. */
export const Levels = ['account', 'campaign', 'adset', 'ad'] as const;
/** One level. */
export type Level = (typeof Levels)[number];

/** Supported breakdowns and their values. */
export const BREAKDOWN_VALUES: Readonly<Record<string, readonly string[]>> = {
  age: ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
  gender: ['female', 'male', 'unknown'],
  country: ['US', 'DE', 'GB', 'FR', 'CA', 'BR'],
  publisher_platform: ['facebook', 'instagram', 'audience_network', 'messenger'],
  region: ['California', 'Texas', 'New York', 'Florida', 'Bavaria', 'England'],
  dma: ['New York', 'Los Angeles', 'Chicago', 'Philadelphia', 'Dallas-Ft. Worth', 'San Francisco-Oak-San Jose'],
  comscore_market: ['New York, NY', 'Los Angeles, CA', 'Chicago, IL', 'Houston, TX', 'unknown'],
  platform_position: ['feed', 'instagram_stories', 'instagram_reels', 'facebook_reels', 'right_hand_column', 'an_classic', 'messenger_inbox'],
  impression_device: ['iphone', 'android_smartphone', 'desktop', 'ipad', 'android_tablet', 'other'],
  device_platform: ['mobile_app', 'mobile_web', 'desktop'],
  product_id: ['SKU-1000', 'SKU-1001', 'SKU-1002', 'SKU-1003', 'SKU-1004'],
  media_type: ['image', 'video', 'carousel'],
};
/** The hourly breakdown. */
export const HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

const METRIC_FIELDS = [
  'impressions', 'clicks', 'reach', 'frequency', 'spend', 'ctr', 'cpc', 'cpm', 'cpp', 'inline_link_clicks',
  'unique_clicks', 'actions', 'action_values', 'cost_per_action_type',
] as const;
const ID_FIELDS = [
  'account_id', 'account_name', 'account_currency', 'campaign_id', 'campaign_name', 'adset_id', 'adset_name',
  'ad_id', 'ad_name', 'date_start', 'date_stop', 'objective', 'buying_type',
] as const;
const KNOWN_FIELDS = new Set<string>([...METRIC_FIELDS, ...ID_FIELDS]);
const HOURLY_OMITTED = new Set(['reach', 'frequency', 'unique_clicks', 'cpp']);
const DEFAULT_FIELDS = ['account_id', 'date_start', 'date_stop', 'impressions', 'spend'];

/** Time bucketing. */
export type TimeIncrement = { kind: 'days'; n: number } | { kind: 'monthly' } | { kind: 'all' };

/** A validated insights query. */
export interface InsightsQuery {
  account: AccountInfo;
  scope: SimNode;
  level: Level;
  since: number;
  until: number;
  increment: TimeIncrement;
  breakdowns: string[];
  /** Action breakdowns beyond action_type, in request order. */
  actionBreakdowns: string[];
  windows: AttributionWindow[] | null;
  fields: string[];
  filters: Filter[];
  filteringRaw: string;
}

/** An aggregated row before formatting. */
export interface InsightsGroup {
  bucketStart: number;
  bucketStop: number;
  entityId: string;
  breakdown: Record<string, string>;
  breakdownOrder: number;
  /** Offset of this row's metric cell in the result's pool. */
  offset: number;
  reachSum: number;
  uniqueSum: number;
  ads: number;
  lastAd: number;
  days: Set<number> | undefined;
  lastDay: number;
  dayCount: number;
  hourly: boolean;
}

/** Result of a query (cached; pages format slices of it). */
export interface InsightsResult {
  groups: InsightsGroup[];
  /** All rows' metric cells, CL apart (one allocation instead of one per row). */
  pool: Float64Array;
}

/** Growable pool of metric cells. */
class CellPool {
  buffer = new F64(CL * 1024);
  used = 0;

  /** Reserve a zeroed cell; returns its offset. */
  take(): number {
    if (this.used + CL > this.buffer.length) {
      const bigger = new F64(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    const offset = this.used;
    this.used += CL;
    return offset;
  }
}

function levelOf(node: SimNode): Level {
  switch (node.type) {
    case 'campaign':
      return 'campaign';
    case 'adset':
      return 'adset';
    case 'ad':
      return 'ad';
    default:
      return 'account';
  }
}

function parseList(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const t = raw.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) return v.map(String);
    } catch {
      throw invalidParameter(`(#100) Invalid JSON list: ${t}`);
    }
  }
  return t.split(',').map((s) => s.trim()).filter(Boolean);
}

function parseTimeRange(params: Record<string, string>): { since: string; until: string } | undefined {
  if (params['time_range[since]'] !== undefined || params['time_range[until]'] !== undefined) {
    return { since: params['time_range[since]'] ?? '', until: params['time_range[until]'] ?? '' };
  }
  const raw = params.time_range;
  if (raw === undefined || raw === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw invalidParameter('(#100) param time_range must be a JSON object with since and until');
  }
  if (typeof v !== 'object' || v === null) throw invalidParameter('(#100) param time_range must be a JSON object with since and until');
  const o = v as Record<string, unknown>;
  return { since: toStr(o.since ?? ''), until: toStr(o.until ?? '') };
}

/** Resolve a date preset to [since, until] local days. */
export function presetRange(preset: string, today: number, account: AccountInfo): [number, number] {
  const n = /^last_(\d+)d$/.exec(preset);
  if (n) return [today - Number(n[1]), today - 1];
  switch (preset) {
    case 'today':
      return [today, today];
    case 'yesterday':
      return [today - 1, today - 1];
    case 'this_month':
      return [monthStart(today), today];
    case 'last_month':
      return [monthStart(today, -1), monthStart(today) - 1];
    case 'this_year': {
      const { year } = yearMonth(today);
      return [Date.UTC(year, 0, 1) / 86_400_000, today];
    }
    case 'maximum':
    case 'data_maximum':
      return [account.historyStartDay, today];
    default:
      throw invalidParameter(`(#100) date_preset must be one of the following values: today, yesterday, this_month, last_month, this_year, maximum, data_maximum, last_3d, last_7d, last_14d, last_28d, last_30d, last_90d`);
  }
}

/** Validate Meta's insights params against a scope node. */
export function parseInsightsQuery(state: SimulatorState, scope: SimNode, params: Record<string, string>): InsightsQuery {
  const account = state.accountOf(scope);
  if (!account) throw invalidParameter(`(#100) Insights are not available on this node`);
  const today = state.today(account);
  const levelRaw = params.level ?? levelOf(scope);
  if (!(Levels as readonly string[]).includes(levelRaw)) {
    throw invalidParameter(`(#100) param level must be one of the following values: ${Levels.join(', ')}`);
  }
  let since: number;
  let until: number;
  const tr = parseTimeRange(params);
  if (tr) {
    const s = parseDay(tr.since);
    const u = parseDay(tr.until);
    if (s === undefined || u === undefined) throw invalidParameter('(#100) time_range since and until must be dates formatted YYYY-MM-DD');
    if (s > u) throw invalidParameter('(#100) time_range since must be on or before until');
    since = s;
    until = u;
  } else {
    [since, until] = presetRange(params.date_preset ?? 'last_30d', today, account);
  }
  const oldest = subtractMonths(today, state.limits.retentionMonths);
  if (since < oldest) {
    throw invalidParameter(
      `(#100) Insights data is only available for the last ${state.limits.retentionMonths} months: since (${dayToString(since)}) must be on or after ${dayToString(oldest)}`,
      { error_subcode: 1487534, error_user_title: 'Date range too far in the past', error_user_msg: `Pick a start date on or after ${dayToString(oldest)}.` },
    );
  }
  const inc = params.time_increment ?? 'all_days';
  let increment: TimeIncrement;
  if (inc === 'monthly') increment = { kind: 'monthly' };
  else if (inc === 'all_days') increment = { kind: 'all' };
  else {
    const n = Number(inc);
    if (!Number.isInteger(n) || n < 1 || n > 90) throw invalidParameter('(#100) time_increment must be an integer between 1 and 90, "monthly" or "all_days"');
    increment = { kind: 'days', n };
  }
  const breakdowns = parseList(params.breakdowns);
  breakdowns.forEach((b, i) => {
    if (b === HOURLY_BREAKDOWN || BREAKDOWN_VALUES[b]) return;
    if (DOCUMENTED_BREAKDOWNS.includes(b)) {
      throw invalidParameter(`(#100) breakdowns[${i}] ${b} is a breakdown Meta documents that the simulator does not model; simulated breakdowns: ${[HOURLY_BREAKDOWN, ...Object.keys(BREAKDOWN_VALUES)].join(', ')}`);
    }
    throw invalidParameter(`(#100) breakdowns[${i}] must be one of the following values: ${DOCUMENTED_BREAKDOWNS.join(', ')}`);
  });
  const actionBreakdowns = parseActionBreakdowns(parseList(params.action_breakdowns));
  const windowsRaw = parseList(params.action_attribution_windows).filter((w) => w !== 'default');
  for (const w of windowsRaw) {
    if (!(WINDOWS as readonly string[]).includes(w)) {
      throw invalidParameter(`(#100) action_attribution_windows must be one of the following values: ${WINDOWS.join(', ')}, default`);
    }
  }
  const fields = params.fields ? parseList(params.fields) : DEFAULT_FIELDS;
  for (const f of fields) {
    if (!KNOWN_FIELDS.has(f) && !DOCUMENTED_INSIGHTS_FIELDS.has(f)) throw invalidParameter(`(#100) ${f} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`);
  }
  const filteringRaw = params.filtering ?? '';
  return {
    account, scope, level: levelRaw as Level, since, until, increment, breakdowns, actionBreakdowns,
    windows: windowsRaw.length ? (windowsRaw as AttributionWindow[]) : null,
    fields, filters: parseFiltering(filteringRaw), filteringRaw,
  };
}

/** Number of requested fields (for the data budget). */
export function insightsFieldCount(q: InsightsQuery): number {
  return q.fields.length + q.breakdowns.length;
}

function adsInScope(state: SimulatorState, q: InsightsQuery): SimNode[] {
  const scope = q.scope;
  const ids = scope.type === 'ad' ? [scope.id] : state.edgeIds(scope.type === 'adaccount' ? scope.id : scope.id, 'ads');
  const includeAll = scope.type === 'ad' || mentionsEffectiveStatus(q.filters);
  const out: SimNode[] = [];
  for (const id of ids) {
    const ad = state.nodes.get(id);
    if (!ad) continue;
    if (!includeAll) {
      const es = state.effectiveStatus(ad);
      // Like Meta: account-level reads skip archived/deleted ads unless the filter asks for them.
      if (es === 'DELETED' || es === 'ARCHIVED') continue;
    }
    if (q.filters.length && !matchesFilters(state, ad, q.filters)) continue;
    out.push(ad);
  }
  return out;
}

function entityOf(ad: SimNode, level: Level, account: AccountInfo): string {
  switch (level) {
    case 'account':
      return account.id;
    case 'campaign':
      return ad.campaignId ?? '';
    case 'adset':
      return ad.adsetId ?? '';
    case 'ad':
      return ad.id;
  }
}

function bucketOf(day: number, q: InsightsQuery): [number, number] {
  switch (q.increment.kind) {
    case 'all':
      return [q.since, q.until];
    case 'monthly':
      return [mMax(monthStart(day), q.since), mMin(monthStart(day, 1) - 1, q.until)];
    case 'days': {
      const n = q.increment.n;
      const start = q.since + mFloor((day - q.since) / n) * n;
      return [start, mMin(start + n - 1, q.until)];
    }
  }
}

/** Deterministic per-ad weights of a breakdown's values. */
function breakdownWeights(seed: number, ad: SimNode, dim: string): number[] {
  const values = BREAKDOWN_VALUES[dim] ?? [];
  const dimHash = hashString(dim);
  return values.map((_, i) => 0.3 + unit(seed, ad.ordinal, dimHash, i + 1));
}

interface Piece {
  cell: Float64Array;
  key: string;
  order: number;
  values: Record<string, string>;
  hourly: boolean;
}

/** Run a query (cached per state version, clock and revision). */
export function runInsightsQuery(state: SimulatorState, q: InsightsQuery): InsightsResult {
  const ctx = metricContext(state, q.account);
  const key = JSON.stringify([
    'insights', q.scope.id, q.level, q.since, q.until, q.increment, q.breakdowns, q.filteringRaw,
    state.version, q.account.revision, ctx.today, ctx.currentHour,
  ]);
  return state.cache.get(key, () => computeInsights(state, q, ctx), (r) => r.groups.length);
}

function computeInsights(state: SimulatorState, q: InsightsQuery, ctx: MetricContext): InsightsResult {
  const ads = adsInScope(state, q);
  const groups = new Map<string, InsightsGroup>();
  const hourly = q.breakdowns.includes(HOURLY_BREAKDOWN);
  const dims = q.breakdowns.filter((b) => b !== HOURLY_BREAKDOWN);
  const hourlyFrom = ctx.today - state.profile.hourlyDays + 1;
  const first = mMax(q.since, q.account.historyStartDay);
  const last = mMin(q.until, ctx.today);
  const multiDay = q.increment.kind !== 'days' || q.increment.n > 1;
  const pool = new CellPool();
  const newGroup = (bs: number, be: number, entityId: string, values: Record<string, string>, order: number, isHourly: boolean): InsightsGroup => ({
    bucketStart: bs, bucketStop: be, entityId, breakdown: values, breakdownOrder: order, offset: pool.take(),
    reachSum: 0, uniqueSum: 0, ads: 0, lastAd: -1, days: multiDay ? new Set() : undefined, lastDay: -1, dayCount: 0, hourly: isHourly,
  });
  const accumulate = (g: InsightsGroup, c: Float64Array, adOrdinal: number, day: number): void => {
    const buf = pool.buffer;
    const o = g.offset;
    for (let i = 0; i < CL; i++) buf[o + i] = (buf[o + i] ?? 0) + (c[i] ?? 0);
    if ((c[ML.impressions] ?? 0) > 0) {
      g.reachSum += c[ML.reach] ?? 0;
      g.uniqueSum += c[ML.uniqueClicks] ?? 0;
      if (g.lastAd !== adOrdinal) {
        g.lastAd = adOrdinal;
        g.ads++;
      }
      if (g.days) g.days.add(day);
      else g.dayCount = 1;
    }
  };
  /** Sums the cell at `src[so…]` into a group (same rules as one piece of a row). */
  const accumulateAt = (g: InsightsGroup, src: Float64Array, so: number, adOrdinal: number, day: number): void => {
    const buf = pool.buffer;
    const o = g.offset;
    for (let i = 0; i < CL; i++) buf[o + i] = (buf[o + i] ?? 0) + (src[so + i] ?? 0);
    if ((src[so + ML.impressions] ?? 0) > 0) {
      g.reachSum += src[so + ML.reach] ?? 0;
      g.uniqueSum += src[so + ML.uniqueClicks] ?? 0;
      if (g.lastAd !== adOrdinal) {
        g.lastAd = adOrdinal;
        g.ads++;
      }
      if (g.days) g.days.add(day);
      else g.dayCount = 1;
    }
  };
  const cells = state.cellTables;
  // Daily cells are cheap to generate and copied into groups at once: one scratch cell, no cache.
  const scratch = new F64(CL);
  // Fast path: one row per (ad, day) needs no grouping map.
  const direct = q.level === 'ad' && !hourly && dims.length === 0 && q.increment.kind === 'days' && q.increment.n === 1;
  const directGroups: InsightsGroup[] = [];
  if (dims.length === 0 && !direct) {
    // No breakdown dimensions: group by (bucket, entity) once per (ad, day), hours by index.
    const slots = new Map<string, InsightsGroup | (InsightsGroup | undefined)[]>();
    let lastKey = '';
    let lastSlot: InsightsGroup | (InsightsGroup | undefined)[] | undefined;
    for (const ad of ads) {
      const entityId = entityOf(ad, q.level, q.account);
      for (let day = mMax(first, ad.firstStatsDay ?? first); day <= last; day++) {
        if (hourly) {
          if (day < hourlyFrom) continue;
          const hc = cells.hourCells(ctx, ad, day);
          if (!hc) continue;
          const [bs, be] = bucketOf(day, q);
          const k = `${bs}|${entityId}`;
          let slot = k === lastKey ? lastSlot : slots.get(k);
          if (!slot) {
            slot = [];
            slots.set(k, slot);
          }
          lastKey = k;
          lastSlot = slot;
          const byHour = slot as (InsightsGroup | undefined)[];
          const hours = hc.hours;
          for (let i = 0; i < hours.length; i++) {
            const hour = hours[i] as number;
            let g = byHour[hour];
            if (!g) {
              g = newGroup(bs, be, entityId, hourValues(hour), hour, true);
              byHour[hour] = g;
            }
            accumulateAt(g, hc.cells, i * CL, ad.ordinal, day);
          }
        } else {
          const c = (dayCell(ctx, ad, day, scratch) ? scratch : null);
          if (!c) continue;
          const [bs, be] = bucketOf(day, q);
          const k = `${bs}|${entityId}`;
          let g = (k === lastKey ? lastSlot : slots.get(k)) as InsightsGroup | undefined;
          if (!g) {
            g = newGroup(bs, be, entityId, {}, 0, false);
            slots.set(k, g);
          }
          lastKey = k;
          lastSlot = g;
          accumulateAt(g, c, 0, ad.ordinal, day);
        }
      }
    }
    for (const slot of slots.values()) {
      if (Array.isArray(slot)) {
        for (const g of slot) if (g) directGroups.push(g);
      } else directGroups.push(slot);
    }
  } else {
    for (const ad of ads) {
      const entityId = entityOf(ad, q.level, q.account);
      const weights = dims.map((d) => breakdownWeights(state.seed, ad, d));
      for (let day = mMax(first, ad.firstStatsDay ?? first); day <= last; day++) {
        if (direct) {
          const c = (dayCell(ctx, ad, day, scratch) ? scratch : null);
          if (!c) continue;
          const g = newGroup(day, day, entityId, {}, 0, false);
          accumulate(g, c, ad.ordinal, day);
          directGroups.push(g);
          continue;
        }
        let pieces: Piece[];
        if (hourly) {
          if (day < hourlyFrom) continue;
          const hc = cells.hourCells(ctx, ad, day);
          if (!hc) continue;
          pieces = hc.hours.map((hour, i) => ({
            cell: hc.cells.subarray(i * CL, (i + 1) * CL), key: `h${hour}`, order: hour,
            values: { [HOURLY_BREAKDOWN]: hourLabel(hour) }, hourly: true,
          }));
        } else {
          const c = (dayCell(ctx, ad, day, scratch) ? scratch : null);
          if (!c) continue;
          pieces = [{ cell: c, key: '', order: 0, values: {}, hourly: false }];
        }
        for (let d = 0; d < dims.length; d++) {
          const dim = dims[d] as string;
          const values = BREAKDOWN_VALUES[dim] ?? [];
          const next: Piece[] = [];
          for (const p of pieces) {
            splitCell(p.cell, weights[d] ?? []).forEach((c, i) => {
              next.push({ cell: c, key: `${p.key}|${i}`, order: p.order * 16 + i, values: { ...p.values, [dim]: values[i] as string }, hourly: p.hourly });
            });
          }
          pieces = next;
        }
        const [bs, be] = bucketOf(day, q);
        for (const p of pieces) {
          const k = `${bs}|${entityId}|${p.key}`;
          let g = groups.get(k);
          if (!g) {
            g = newGroup(bs, be, entityId, p.values, p.order, p.hourly);
            groups.set(k, g);
          }
          accumulate(g, p.cell, ad.ordinal, day);
        }
      }
    }
  }
  const out = directGroups.length ? directGroups : [...groups.values()];
  out.sort((a, b) => a.bucketStart - b.bucketStart || cmpId(a.entityId, b.entityId) || a.breakdownOrder - b.breakdownOrder);
  return { groups: out, pool: pool.buffer };
}

const HOUR_VALUES: Record<string, string>[] = [];
/** The (shared, read-only) breakdown values of an hourly row. */
function hourValues(hour: number): Record<string, string> {
  return (HOUR_VALUES[hour] ??= { [HOURLY_BREAKDOWN]: hourLabel(hour) });
}

function cmpId(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deduplicated reach of a group (also used for unique clicks). */
export function dedup(sum: number, ads: number, days: number): number {
  if (sum <= 0) return 0;
  if (ads <= 1 && days <= 1) return sum;
  const factor = (1 / (1 + 0.15 * mLog(mMax(1, ads)))) * (1 / (1 + 0.3 * mLog(mMax(1, days))));
  return mMax(1, mFloor(sum * factor));
}

/** Major-unit decimal string of a minor-unit integer, trailing zeros trimmed like Meta ("5339.5"). */
export function formatMoney(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return toStr(minor);
  const neg = minor < 0;
  const abs = mAbs(minor);
  const whole = mFloor(abs / 100);
  const frac = abs % 100;
  let s = frac === 0 ? toStr(whole) : `${whole}.${toStr(frac).padStart(2, '0')}`.replace(/0$/, '');
  if (neg) s = `-${s}`;
  return s;
}

function ratio(x: number, digits = 6): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

/** Format one group as Meta's row (all values strings). */
export function formatInsightsRow(state: SimulatorState, q: InsightsQuery, result: InsightsResult, g: InsightsGroup): Record<string, unknown> {
  const account = q.account;
  const currency = account.currency;
  const minorPerMajor = currencyDecimals(currency) === 0 ? 1 : 100;
  const row: Record<string, unknown> = {};
  const entity = g.entityId.startsWith('act_') ? undefined : state.nodes.get(g.entityId);
  const campaign = entity ? state.nodes.get(entity.type === 'campaign' ? entity.id : entity.campaignId ?? '') : undefined;
  const adset = entity ? state.nodes.get(entity.type === 'adset' ? entity.id : entity.adsetId ?? '') : undefined;
  const s = result.pool.subarray(g.offset, g.offset + CL);
  const impressions = s[ML.impressions] ?? 0;
  const clicks = s[ML.clicks] ?? 0;
  const spendMinor = s[ML.spend] ?? 0;
  const spendMajor = spendMinor / minorPerMajor;
  const days = g.days ? g.days.size : g.dayCount;
  const reach = mMin(impressions, dedup(g.reachSum, g.ads, days));
  const uniqueClicks = mMin(clicks, dedup(g.uniqueSum, g.ads, days));
  const levelIdField = `${q.level}_id`;
  let split: Splitter | null | undefined;
  const splitter = (): Splitter | null => {
    if (split !== undefined) return split;
    if (!q.actionBreakdowns.length) return (split = null);
    const targets = actionTargets(state, account);
    const salt = hashString(g.entityId) ^ g.bucketStart ^ (g.breakdownOrder * 7919);
    return (split = (type, numbers) => splitAction(state.seed, salt, type, numbers, q.actionBreakdowns, targets));
  };
  let facts: RowFacts | undefined;
  const rowFacts = (): RowFacts => (facts ??= {
    state, entity, adset, impressions, clicks, linkClicks: s[ML.linkClicks] ?? 0, uniqueClicks, reach, spendMajor,
    actionCount: (t) => actionValue(windowValues(s, t, 'count'), q.windows),
    purchaseValue: actionValue(windowValues(s, VALUE_INDEX, 'value'), q.windows) / minorPerMajor,
    windows: q.windows, hourly: g.hourly, timezone: account.timezone, split: splitter(),
    formatMoney: (major) => formatMoney(Math.round(major * minorPerMajor), currency),
  });

  for (const f of q.fields) {
    if (g.hourly && HOURLY_OMITTED.has(f)) continue;
    switch (f) {
      case 'account_id': row.account_id = account.accountId; break;
      case 'account_name': row.account_name = account.name; break;
      case 'account_currency': row.account_currency = currency; break;
      case 'campaign_id': if (campaign) row.campaign_id = campaign.id; break;
      case 'campaign_name': if (campaign) row.campaign_name = campaign.name; break;
      case 'adset_id': if (adset) row.adset_id = adset.id; break;
      case 'adset_name': if (adset) row.adset_name = adset.name; break;
      case 'ad_id': if (entity?.type === 'ad') row.ad_id = entity.id; break;
      case 'ad_name': if (entity?.type === 'ad') row.ad_name = entity.name; break;
      case 'objective': if (campaign) row.objective = campaign.fields.objective; break;
      case 'buying_type': if (campaign) row.buying_type = campaign.fields.buying_type; break;
      case 'date_start': case 'date_stop': break;
      case 'impressions': row.impressions = toStr(impressions); break;
      case 'clicks': row.clicks = toStr(clicks); break;
      case 'inline_link_clicks': row.inline_link_clicks = toStr(s[ML.linkClicks] ?? 0); break;
      case 'unique_clicks': row.unique_clicks = toStr(uniqueClicks); break;
      case 'reach': row.reach = toStr(reach); break;
      case 'frequency': if (reach > 0) row.frequency = ratio(impressions / reach); break;
      case 'spend': row.spend = formatMoney(spendMinor, currency); break;
      case 'ctr': if (impressions > 0) row.ctr = ratio((clicks / impressions) * 100); break;
      case 'cpc': if (clicks > 0) row.cpc = ratio(spendMajor / clicks); break;
      case 'cpm': if (impressions > 0) row.cpm = ratio((spendMajor / impressions) * 1000); break;
      case 'cpp': if (reach > 0) row.cpp = ratio((spendMajor / reach) * 1000); break;
      case 'actions': { const a = actionList(s, q.windows, 'count', currency, splitter()); if (a.length) row.actions = a; break; }
      case 'action_values': { const a = actionList(s, q.windows, 'value', currency, splitter()); if (a.length) row.action_values = a; break; }
      case 'cost_per_action_type': { const a = costPerAction(s, q.windows, spendMajor, splitter()); if (a.length) row.cost_per_action_type = a; break; }
      default: { const v = documentedInsightsValue(rowFacts(), f); if (v !== undefined) row[f] = v; }
    }
  }
  if (!(levelIdField in row)) {
    if (q.level === 'account') row.account_id = account.accountId;
    else if (entity) row[levelIdField] = entity.id;
  }
  row.date_start = dayToString(g.bucketStart);
  row.date_stop = dayToString(g.bucketStop);
  for (const [k, v] of Object.entries(g.breakdown)) row[k] = v;
  return row;
}

/** Counts (or minor-unit values) per window for one action type. */
export function windowValues(s: Float64Array, typeIndex: number, kind: 'count' | 'value'): number[] {
  return WINDOWS.map((_, w) =>
    kind === 'count' ? s[ACTS + typeIndex * WINDOWS.length + w] ?? 0 : s[VALS + w] ?? 0,
  );
}

function actionValue(perWindow: number[], windows: readonly AttributionWindow[] | null): number {
  const use = windows ?? DEF_WINDOWS;
  let v = 0;
  for (const w of use) v += perWindow[WINDOWS.indexOf(w)] ?? 0;
  return v;
}

/** Splits one action entry's per-window numbers along the requested action breakdowns. */
type Splitter = (actionType: string, numbers: readonly number[]) => ActionPiece[];

/** The page and pixel that action_target_id / action_destination name for an account. */
function actionTargets(state: SimulatorState, account: AccountInfo): ActionTargets {
  return { pageId: state.edgeIds(account.id, 'promote_pages')[0], pixelId: state.edgeIds(account.id, 'adspixels')[0] };
}

/** Values split in the shares of the same type's split counts, so a piece's value goes with its purchases. */
function splitLikeCounts(countPieces: ActionPiece[], values: readonly number[]): ActionPiece[] {
  const parts = values.map((v, w) => {
    const weights = countPieces.map((p) => p.numbers[w] ?? 0);
    return splitExact(v, weights.some((x) => x > 0) ? weights : weights.map(() => 1));
  });
  return countPieces.map((p, i) => ({ labels: p.labels, numbers: parts.map((ps) => ps[i] ?? 0) }));
}

function actionList(s: Float64Array, windows: AttributionWindow[] | null, kind: 'count' | 'value', currency: string, split: Splitter | null): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const fmt = (n: number): string => (kind === 'count' ? toStr(n) : formatMoney(n, currency));
  TYPES.forEach((type, t) => {
    if (kind === 'value' && t !== VALUE_INDEX) return;
    const per = windowValues(s, t, kind);
    if (split) {
      for (const piece of kind === 'count' ? split(type, per) : splitLikeCounts(split(type, windowValues(s, t, 'count')), per)) {
        const value = actionValue(piece.numbers, windows);
        if (value === 0 && piece.numbers.every((x) => x === 0)) continue;
        const entry: Record<string, string> = { action_type: type, ...piece.labels, value: fmt(value) };
        for (const w of windows ?? []) entry[w] = fmt(piece.numbers[WINDOWS.indexOf(w)] ?? 0);
        out.push(entry);
      }
      return;
    }
    const value = actionValue(per, windows);
    if (value === 0 && per.every((x) => x === 0)) return;
    const entry: Record<string, string> = { action_type: type, value: fmt(value) };
    for (const w of windows ?? []) entry[w] = fmt(per[WINDOWS.indexOf(w)] ?? 0);
    out.push(entry);
  });
  return out;
}

function costPerAction(s: Float64Array, windows: AttributionWindow[] | null, spendMajor: number, split: Splitter | null): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  TYPES.forEach((type, t) => {
    const per = windowValues(s, t, 'count');
    if (split) {
      for (const piece of split(type, per)) {
        const value = actionValue(piece.numbers, windows);
        if (value === 0) continue;
        const entry: Record<string, string> = { action_type: type, ...piece.labels, value: ratio(spendMajor / value) };
        for (const w of windows ?? []) {
          const c = piece.numbers[WINDOWS.indexOf(w)] ?? 0;
          if (c > 0) entry[w] = ratio(spendMajor / c);
        }
        out.push(entry);
      }
      return;
    }
    const value = actionValue(per, windows);
    if (value === 0) return;
    const entry: Record<string, string> = { action_type: type, value: ratio(spendMajor / value) };
    for (const w of windows ?? []) {
      const c = per[WINDOWS.indexOf(w)] ?? 0;
      if (c > 0) entry[w] = ratio(spendMajor / c);
    }
    out.push(entry);
  });
  return out;
}

/** Date span [start, stop] of a query, for report runs. */
export function queryDates(q: InsightsQuery): { dateStart: string; dateStop: string } {
  return { dateStart: dayToString(q.since), dateStop: dayToString(q.until) };
}
