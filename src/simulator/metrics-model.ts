/**
 * Lazy, deterministic delivery metrics. Each (ad, local day) cell is a pure function of
 * (seed, ad ordinal, day, account revision, simulated clock), generated as integers (minor
 * currency units for money) so every coarser number is an exact sum. Hours are an exact
 * split of the day (cumulative rounding), so hourly rows always add up to the daily row.
 *
 * Late attribution: the last `unsettledDays` local days (today included) are scaled by a
 * factor drawn from the account's revision, so a re-read after `/__sim/revise` differs.
 * Today only has the hours that have already started on the simulated clock.
 */
import { unit as seededUnit } from './seeded-random';
import type { AccountInfo, SimNode, SimulatorState } from './simulator-state';
import { currencyDecimals } from './profiles';
import { hoursOfLocalDay, type LocalHour } from './time-zones';

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { max: mMax, min: mMin, round: mRound } = Math;
const F64 = Float64Array;
// Imported bindings compile to getters under tsx/esbuild CJS; the per-cell hash is bound once.
const unit = seededUnit;

/** Attribution windows with their own keys in action lists. */
export const ATTRIBUTION_WINDOWS = ['1d_click', '7d_click', '28d_click', '1d_view', '7d_view', '28d_view'] as const;
/** Window names. */
export type AttributionWindow = (typeof ATTRIBUTION_WINDOWS)[number];
/** The account-default attribution that `value` uses when no windows are requested. */
export const DEFAULT_WINDOWS: readonly AttributionWindow[] = ['7d_click', '1d_view'];
/** Action types the simulator reports. */
export const ACTION_TYPES = ['link_click', 'landing_page_view', 'lead', 'offsite_conversion.fb_pixel_purchase', 'post_engagement'] as const;
/** The action type that carries `action_values`. */
export const VALUE_ACTION_INDEX = 3;

/** Cell layout: scalar metrics, then action counts [type][window], then purchase values [window]. */
export const M = { impressions: 0, clicks: 1, spend: 2, linkClicks: 3, uniqueClicks: 4, reach: 5 } as const;
/** Offset of action counts: index = ACTIONS + typeIndex * 6 + windowIndex. */
export const ACTIONS = 6;
/** Offset of purchase values in minor units: index = VALUES + windowIndex. */
export const VALUES = ACTIONS + ACTION_TYPES.length * ATTRIBUTION_WINDOWS.length;
/** Length of a metric cell. */
export const CELL_LENGTH = VALUES + ATTRIBUTION_WINDOWS.length;

const DIURNAL = [0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.55, 0.8, 0.95, 1, 1.05, 1.1, 1.05, 1, 1, 1.05, 1.15, 1.3, 1.4, 1.35, 1.1, 0.8, 0.45];
const WEEKDAY = [0.85, 0.9, 1, 1.05, 1.1, 1.05, 0.95];

/** Per-account facts every cell computation needs, computed once per query. */
export interface MetricContext {
  seed: number;
  account: AccountInfo;
  today: number;
  currentHour: number;
  /** Major-to-minor multiplier of the account currency (100 or 1). */
  minorPerMajor: number;
  /** Rough exchange scale so JPY budgets look like yen. */
  fx: number;
}

/** Build the metric context of an account at the current simulated time. */
export function metricContext(state: SimulatorState, account: AccountInfo): MetricContext {
  const decimals = currencyDecimals(account.currency);
  return {
    seed: state.seed,
    account,
    today: state.today(account),
    currentHour: state.currentHour(account),
    minorPerMajor: decimals === 0 ? 1 : 100,
    fx: account.currency === 'JPY' ? 150 : account.currency === 'KRW' ? 1300 : account.currency === 'BRL' ? 5 : 1,
  };
}

/** True when the ad can have delivery on this local day. */
export function hasDelivery(ctx: MetricContext, ad: SimNode, day: number): boolean {
  return day <= ctx.today && day >= ctx.account.historyStartDay && day >= (ad.firstStatsDay ?? 0);
}

/** Fill `out` with the full-day (all hours) cell; unsettled days already reflect the revision. */
function fullDayCell(ctx: MetricContext, ad: SimNode, day: number, out: Float64Array): void {
  out.fill(0);
  const s = ctx.seed;
  const o = ad.ordinal;
  if (unit(s, o, 0, 2) < 0.04) return; // some ads never deliver
  const adScale = 0.3 + 1.7 * unit(s, o, 0, 1);
  const noise = 0.6 + 0.8 * unit(s, o, day, 3);
  const weekday = WEEKDAY[(((day + 4) % 7) + 7) % 7] ?? 1;
  const impressions = mRound(700 * adScale * weekday * noise);
  const clicks = mRound(impressions * (0.004 + 0.025 * unit(s, o, 0, 4)) * (0.7 + 0.6 * unit(s, o, day, 5)));
  const link = mRound(clicks * (0.55 + 0.35 * unit(s, o, day, 6)));
  const cpm = 2 + 14 * unit(s, o, 0, 7);
  const spend = mRound((impressions / 1000) * cpm * ctx.fx * ctx.minorPerMajor * (0.85 + 0.3 * unit(s, o, day, 8)));
  out[M.impressions] = impressions;
  out[M.clicks] = clicks;
  out[M.linkClicks] = link;
  out[M.spend] = spend;
  out[M.uniqueClicks] = mRound(clicks * (0.85 + 0.13 * unit(s, o, day, 9)));
  out[M.reach] = impressions > 0 ? mMax(1, mRound(impressions * (0.55 + 0.3 * unit(s, o, day, 10)))) : 0;

  const engagement = clicks + mRound(impressions * 0.002 * unit(s, o, day, 11));
  const lpv = mRound(link * (0.5 + 0.3 * unit(s, o, day, 12)));
  setClickOnly(out, 0, link);
  setClickOnly(out, 1, lpv);
  setConversion(out, 2, mRound(link * 0.08 * unit(s, o, day, 13)), ctx, o, day, 20);
  setConversion(out, VALUE_ACTION_INDEX, mRound(link * 0.06 * unit(s, o, day, 14)), ctx, o, day, 30);
  setClickOnly(out, 4, engagement);
  const aov = mRound((20 + 80 * unit(s, o, 0, 15)) * ctx.fx * ctx.minorPerMajor);
  for (let w = 0; w < ATTRIBUTION_WINDOWS.length; w++) {
    out[VALUES + w] = (out[ACTIONS + VALUE_ACTION_INDEX * ATTRIBUTION_WINDOWS.length + w] ?? 0) * aov;
  }

  const daysAgo = ctx.today - day;
  if (daysAgo >= 0 && daysAgo < ctx.account.unsettledDays) {
    // Late attribution: unsettled days move with each revision (and as the clock ages them).
    const rev = ctx.account.revision;
    const f = 0.9 + 0.1 * unit(s, o, day, 77 + daysAgo, rev);
    const fa = 0.6 + 0.4 * unit(s, o, day, 99 + daysAgo, rev);
    for (let i = 0; i < ACTIONS; i++) out[i] = mRound((out[i] ?? 0) * f);
    for (let i = ACTIONS; i < CELL_LENGTH; i++) out[i] = mRound((out[i] ?? 0) * fa);
    if (out[M.impressions] === 0) out[M.reach] = 0;
  }
}

function setClickOnly(out: Float64Array, type: number, count: number): void {
  const base = ACTIONS + type * ATTRIBUTION_WINDOWS.length;
  out[base] = count;
  out[base + 1] = count;
  out[base + 2] = count;
}

function setConversion(out: Float64Array, type: number, c7: number, ctx: MetricContext, o: number, day: number, salt: number): void {
  const s = ctx.seed;
  const base = ACTIONS + type * ATTRIBUTION_WINDOWS.length;
  const v1 = mRound(c7 * 0.3 * unit(s, o, day, salt));
  const v7 = v1 + mRound(c7 * 0.1 * unit(s, o, day, salt + 1));
  out[base] = mRound(c7 * 0.75);
  out[base + 1] = c7;
  out[base + 2] = c7 + mRound(c7 * 0.2 * unit(s, o, day, salt + 2));
  out[base + 3] = v1;
  out[base + 4] = v7;
  out[base + 5] = v7 + mRound(c7 * 0.05 * unit(s, o, day, salt + 3));
}

/** One hour's share of a day. */
export interface HourCell {
  hour: number;
  cell: Float64Array;
}

/**
 * The day's cell split over existing local hours (23 on spring-forward days; the repeated
 * hour of a fall-back day is one merged row). Today is cut at the current hour.
 * Hourly cells carry no reach or unique clicks (Meta omits them on hourly rows).
 */
export function hourCells(ctx: MetricContext, ad: SimNode, day: number): HourCell[] {
  if (!hasDelivery(ctx, ad, day)) return [];
  const full = new F64(CELL_LENGTH);
  fullDayCell(ctx, ad, day, full);
  return splitHours(ctx, ad, day, full);
}

function splitHours(ctx: MetricContext, ad: SimNode, day: number, full: Float64Array): HourCell[] {
  const hours: LocalHour[] = hoursOfLocalDay(ctx.account.timezone, day);
  const weights = hours.map((h) => (DIURNAL[h.hour] ?? 1) * h.occurrences * (0.7 + 0.6 * unit(ctx.seed, ad.ordinal, day, 100 + h.hour)));
  const total = weights.reduce((a, b) => a + b, 0);
  const cells = hours.map((h) => ({ hour: h.hour, cell: new F64(CELL_LENGTH) }));
  for (let i = 0; i < CELL_LENGTH; i++) {
    if (i === M.reach || i === M.uniqueClicks) continue;
    const v = full[i] ?? 0;
    if (v === 0) continue;
    let cum = 0;
    let prev = 0;
    for (let h = 0; h < cells.length; h++) {
      cum += weights[h] ?? 0;
      const upTo = h === cells.length - 1 ? v : mRound((v * cum) / total);
      (cells[h] as HourCell).cell[i] = upTo - prev;
      prev = upTo;
    }
  }
  if (day === ctx.today) return cells.filter((c) => c.hour <= ctx.currentHour);
  return cells;
}

/**
 * Fill `out` with the (ad, local day) cell as insights report it; returns false when the ad
 * has no delivery that day (no row).
 */
export function dayCell(ctx: MetricContext, ad: SimNode, day: number, out: Float64Array): boolean {
  if (!hasDelivery(ctx, ad, day)) return false;
  fullDayCell(ctx, ad, day, out);
  if (day === ctx.today) {
    const fullImpressions = out[M.impressions] ?? 0;
    const fullReach = out[M.reach] ?? 0;
    const fullUnique = out[M.uniqueClicks] ?? 0;
    const fullClicks = out[M.clicks] ?? 0;
    const parts = splitHours(ctx, ad, day, out);
    out.fill(0);
    for (const p of parts) for (let i = 0; i < CELL_LENGTH; i++) out[i] = (out[i] ?? 0) + (p.cell[i] ?? 0);
    const imp = out[M.impressions] ?? 0;
    out[M.reach] = fullImpressions > 0 ? mMin(imp, mRound((fullReach * imp) / fullImpressions)) : 0;
    if (imp > 0 && out[M.reach] === 0) out[M.reach] = 1;
    const clk = out[M.clicks] ?? 0;
    out[M.uniqueClicks] = fullClicks > 0 ? mMin(clk, mRound((fullUnique * clk) / fullClicks)) : 0;
  }
  return (out[M.impressions] ?? 0) > 0 || (out[M.spend] ?? 0) > 0;
}

/** Deterministic split of a cell over breakdown values (cumulative rounding, exact sums). */
export function splitCell(cell: Float64Array, weights: readonly number[]): Float64Array[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map(() => new F64(CELL_LENGTH));
  for (let i = 0; i < CELL_LENGTH; i++) {
    const v = cell[i] ?? 0;
    if (v === 0) continue;
    let cum = 0;
    let prev = 0;
    for (let k = 0; k < parts.length; k++) {
      cum += weights[k] ?? 0;
      const upTo = k === parts.length - 1 ? v : mRound((v * cum) / total);
      (parts[k] as Float64Array)[i] = upTo - prev;
      prev = upTo;
    }
  }
  for (const p of parts) {
    if ((p[M.reach] ?? 0) > (p[M.impressions] ?? 0)) p[M.reach] = p[M.impressions] ?? 0;
    if ((p[M.uniqueClicks] ?? 0) > (p[M.clicks] ?? 0)) p[M.uniqueClicks] = p[M.clicks] ?? 0;
  }
  return parts;
}

/** Cached hourly cells of one (account, local day) at one clock/revision: per ad ordinal. */
interface CellTable {
  /** Per ad ordinal: hours × CELL_LENGTH, in `hours` order. */
  readonly cells: Map<number, Float64Array>;
  /** Local hours of the hourly table's cells (same for every ad of the account and day). */
  hours: number[] | undefined;
  bytes: number;
}

/**
 * Bounded LRU of generated cells, shared by every insights query, page and level: a day of
 * hourly cells is generated once per (account, day, revision, clock hour) instead of once per
 * request. Cells are pure functions of the ad ordinal and the key, so object writes never
 * stale them (delivery and status filters are applied by the caller); `reset` clears it.
 */
export class CellTables {
  private readonly tables = new Map<string, CellTable>();
  private totalBytes = 0;
  constructor(private readonly maxBytes = 384 * 1024 * 1024) {}

  private table(ctx: MetricContext, day: number): CellTable {
    const a = ctx.account;
    const key = `${a.id}|${day}|${a.revision}|${a.unsettledDays}|${ctx.today}|${day === ctx.today ? ctx.currentHour : -1}|${ctx.seed}`;
    let t = this.tables.get(key);
    if (t) {
      this.tables.delete(key);
      this.tables.set(key, t);
      return t;
    }
    t = { cells: new Map(), hours: undefined, bytes: 0 };
    this.tables.set(key, t);
    return t;
  }

  private grow(t: CellTable, bytes: number): void {
    t.bytes += bytes;
    this.totalBytes += bytes;
    if (this.totalBytes <= this.maxBytes) return;
    for (const [k, old] of this.tables) {
      if (this.totalBytes <= this.maxBytes) break;
      if (old === t) continue;
      this.tables.delete(k);
      this.totalBytes -= old.bytes;
    }
  }

  /**
   * `hourCells` of the ad as one array (hour i's cell at i × CELL_LENGTH) plus the hours;
   * null when the ad has no delivery that day. The returned arrays must not be modified.
   */
  hourCells(ctx: MetricContext, ad: SimNode, day: number): { hours: number[]; cells: Float64Array } | null {
    if (!hasDelivery(ctx, ad, day)) return null;
    const t = this.table(ctx, day);
    let flat = t.cells.get(ad.ordinal);
    if (!flat) {
      const parts = hourCells(ctx, ad, day);
      if (!t.hours) t.hours = parts.map((p) => p.hour);
      flat = new F64(parts.length * CELL_LENGTH);
      for (let i = 0; i < parts.length; i++) flat.set((parts[i] as HourCell).cell, i * CELL_LENGTH);
      t.cells.set(ad.ordinal, flat);
      this.grow(t, flat.length * 8 + 96);
    }
    return { hours: t.hours as number[], cells: flat };
  }

  clear(): void {
    this.tables.clear();
    this.totalBytes = 0;
  }
}
