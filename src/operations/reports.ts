/**
 * Performance reports for people and agents: the figures of one ad account's objects at a level
 * over a period (a Meta preset in the account's time zone, or local days), optionally against a
 * comparison period, sorted, cut to the top N, with totals; and the same figures as a time
 * series. One statement each (src/db/performance-report.ts); this file resolves the period,
 * picks the columns the metrics need and says what every figure is.
 */
import Decimal from 'decimal.js';
import type { z } from 'zod';
import { localDate } from '../../domain/calendar';
import { presetRange, rangeDays, wholeMonthsBefore, type DayRange, type ReportPreset } from '../../domain/report-periods';
import type { MetricLevel } from '../../domain/vocabulary';
import { ValidationError } from '../errors';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { LEAD_TYPES, PURCHASE_TYPES, runPerformanceQuery, type PerformanceQuery, type ReportColumns, type ReportPeriod, type ReportSqlRow } from '../db/performance-report';
import { requireScope, Scope, type Actor } from './actor';
import {
  ACTION_METRIC, DEFAULT_REPORT_METRICS, performanceReportInput, performanceReportView, performanceSeriesInput, performanceSeriesView,
} from './schemas/reports';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type PerformanceReportView = z.infer<typeof performanceReportView>;
export type PerformanceSeriesView = z.infer<typeof performanceSeriesView>;
type Figures = Record<string, string | number | null>;
type Unit = PerformanceReportView['units'][string];

const COUNTS = new Set(['impressions', 'reach', 'clicks', 'results', 'purchases', 'leads']);
const ACTION_FIGURES = new Set(['results', 'costPerResult', 'purchases', 'purchaseValue', 'roas', 'leads', 'costPerLead']);

const DESCRIPTIONS: Record<string, string> = {
  spend: 'Amount spent',
  impressions: 'Impressions',
  reach: 'People reached (never summed across days: only for a one-day period, or a calendar month Meta reported at monthly grain, of one object)',
  clicks: 'Clicks (all)',
  ctr: 'Click-through rate: clicks × 100 / impressions',
  cpc: 'Cost per click: spend / clicks',
  cpm: 'Cost per 1,000 impressions: spend × 1000 / impressions',
  frequency: 'Impressions per person reached: impressions / reach (only where reach is real)',
  results: "Results: the actions the object's optimization goal counts (its resultType)",
  costPerResult: 'Cost per result: spend / results',
  purchases: `Purchases: the first of ${PURCHASE_TYPES.join(', ')} the period has`,
  purchaseValue: 'Purchase conversion value (of the same action type as purchases)',
  roas: 'Return on ad spend: purchase value / spend',
  leads: `Leads: the first of ${LEAD_TYPES.join(', ')} the period has`,
  costPerLead: 'Cost per lead: spend / leads',
};

/** The unit, currency and attribution window of a metric. */
function unitOf(metric: string, currency: string | null, window: string): Unit {
  const action = ACTION_METRIC.exec(metric);
  if (action) {
    const [, kind, type] = action;
    if (kind === 'action') return { unit: 'count', currency: null, attributionWindow: window, description: `Actions of type ${type}` };
    if (kind === 'actionValue') return { unit: 'money', currency, attributionWindow: window, description: `Conversion value of actions of type ${type}` };
    return { unit: 'money_per_action', currency, attributionWindow: window, description: `Cost per action of type ${type}: spend / actions` };
  }
  const unit: Unit['unit'] = COUNTS.has(metric) ? 'count' : metric === 'ctr' ? 'percent' : metric === 'roas' || metric === 'frequency' ? 'ratio' : metric.startsWith('costPer') ? 'money_per_action' : 'money';
  return { unit, currency: unit === 'money' || unit === 'money_per_action' ? currency : null, attributionWindow: ACTION_FIGURES.has(metric) ? window : null, description: DESCRIPTIONS[metric] ?? metric };
}

/** Columns the statement must sum for these metrics (and the sort metric). */
function columnsFor(metrics: readonly string[]): ReportColumns {
  const has = (...names: string[]) => names.some((name) => metrics.includes(name));
  const actionTypes: string[] = [];
  for (const metric of metrics) {
    const match = ACTION_METRIC.exec(metric);
    if (match && !actionTypes.includes(match[2]!)) actionTypes.push(match[2]!);
  }
  return {
    reach: has('reach', 'frequency', 'results', 'costPerResult'),
    results: has('results', 'costPerResult'),
    purchases: has('purchases'),
    purchaseValue: has('purchaseValue', 'roas'),
    leads: has('leads', 'costPerLead'),
    actionTypes,
  };
}

interface Resolved {
  account: { id: string; currency: string | null; timeZone: string };
  today: string;
  period: DayRange & { preset: string | null };
  metrics: string[];
  window: string;
  windows: string[];
}

async function resolve(ctx: ServiceContext, actor: Actor, input: { adAccountId: string; preset?: ReportPreset; from?: string; to?: string; metrics?: string[]; attributionWindow: string }): Promise<Resolved> {
  const row = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const timeZone = row.timezoneName ?? 'UTC';
  const today = localDate(Date.now(), timeZone);
  const range = input.preset ? presetRange(input.preset, today) : { from: input.from!, to: input.to! };
  const stored = ctx.config.sync.attributionWindows;
  if (input.attributionWindow !== 'value' && !stored.includes(input.attributionWindow)) {
    throw new ValidationError(`attributionWindow ${input.attributionWindow} is not stored: the metrics sync stores "value" and ${stored.join(', ')}`, { field: 'attributionWindow' });
  }
  return {
    account: { id: row.id, currency: row.currency, timeZone },
    today,
    period: { ...range, preset: input.preset ?? null },
    metrics: [...new Set(input.metrics ?? DEFAULT_REPORT_METRICS)],
    window: input.attributionWindow,
    windows: input.attributionWindow === 'value' ? [...stored] : [input.attributionWindow],
  };
}

/** A figure as the API answers it: counts as numbers, money and ratios as decimal strings. */
function figure(metric: string, text: string | null | undefined): string | number | null {
  if (text === null || text === undefined) return null;
  return COUNTS.has(metric) || metric.startsWith('action:') ? Number(text) : new Decimal(text).toFixed();
}

function figuresOf(metrics: readonly string[], row: ReportSqlRow, key: 'p' | 'c'): Figures {
  return Object.fromEntries(metrics.map((metric, i) => [metric, figure(metric, row.figures[`${i}_${key}`])]));
}

/** Change in percent, two decimals; null when the comparison figure is 0 or missing. */
function changeOf(current: Figures, previous: Figures): Figures {
  return Object.fromEntries(
    Object.keys(current).map((metric) => {
      const now = current[metric];
      const before = previous[metric];
      if (now === null || now === undefined || before === null || before === undefined || new Decimal(before).isZero()) return [metric, null];
      return [metric, new Decimal(now).minus(before).times(100).div(before).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed()];
    }),
  );
}

function resultTypeOf(key: string | null): string | null {
  return key === null ? null : key.slice(2);
}

function header(r: Resolved, level: MetricLevel, notes: string[]) {
  const windowText = r.window === 'value' ? `Meta's default attribution total ("value"), over the windows the metrics sync requests: ${r.windows.join(', ')}` : `the ${r.window} attribution window alone`;
  return {
    adAccountId: r.account.id,
    level,
    currency: r.account.currency,
    timeZone: r.account.timeZone,
    period: { from: r.period.from, to: r.period.to, preset: r.period.preset, days: rangeDays(r.period) },
    metrics: r.metrics,
    units: Object.fromEntries(r.metrics.map((metric) => [metric, unitOf(metric, r.account.currency, r.window)])),
    attribution: { window: r.window, windows: r.windows, description: `Action figures (results, purchases, leads, values) count ${windowText}; delivery figures (spend, impressions, clicks, reach) have no attribution window.` },
    notes,
  };
}

/** Why some figures are null or where they came from, in words. */
function notesFor(r: Resolved, rows: ReportSqlRow[], metrics: readonly string[], keys: Array<'p' | 'c'>): string[] {
  const notes: string[] = [];
  const reachAsked = metrics.includes('reach') || metrics.includes('frequency');
  if (reachAsked) {
    const index = metrics.includes('reach') ? metrics.indexOf('reach') : metrics.indexOf('frequency');
    const missing = rows.some((row) => keys.some((k) => row.figures[`${index}_${k}`] === null));
    if (missing) notes.push('reach (and frequency) is null where it is not real: Meta\'s reach counts people once, so it is never summed across days or objects; it is given for a one-day past period from daily rows, or a whole calendar month from Meta\'s monthly reads, of one object (today\'s hourly rows carry none)');
  }
  if ((metrics.includes('results') || metrics.includes('costPerResult')) && rows.some((row) => row.kind === 'row' && row.resultKey === null)) {
    notes.push("results are null for objects whose ad sets count different things (or have no optimization goal Meta maps to a result), and in totals when rows count different result types");
  }
  if (r.period.from <= r.today && r.today <= r.period.to) notes.push(`today (${r.today}) counts the hours synced so far`);
  return notes;
}

function periodOf(key: 'p' | 'c', range: DayRange, today: string, months: boolean): ReportPeriod {
  return { key, from: range.from, to: range.to, months: months ? wholeMonthsBefore(range, today) : [] };
}

/** The performance report: one row per object of the level (top N by the sort metric) and totals over all. */
export async function getPerformanceReport(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<PerformanceReportView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(performanceReportInput, raw);
  const r = await resolve(ctx, actor, input);
  const descending = input.sort.startsWith('-');
  const sortMetric = input.sort.replace(/^-/, '');
  // The sort metric is computed with the rest, so a row shows what it was sorted by.
  if (sortMetric !== 'name' && !r.metrics.includes(sortMetric)) r.metrics.push(sortMetric);
  const compare = input.compareFrom && input.compareTo ? { from: input.compareFrom, to: input.compareTo } : null;
  const periods = [periodOf('p', r.period, r.today, true), ...(compare ? [periodOf('c', compare, r.today, true)] : [])];
  const keys = periods.map((p) => p.key);
  const query: PerformanceQuery = {
    adAccountId: r.account.id,
    level: input.level,
    today: r.today,
    periods,
    attributionWindow: r.window,
    filter: { ids: input.ids, statuses: input.statuses, nameContains: input.nameContains },
    columns: columnsFor(r.metrics),
    metrics: r.metrics,
    shape: { kind: 'report', sort: { metric: sortMetric, descending }, limit: input.limit },
  };
  const rows = await runPerformanceQuery(ctx.db, query);
  const total = rows.find((row) => row.kind === 'total')!;
  const currency = r.account.currency;
  const withCompare = (row: ReportSqlRow) => {
    const metrics = figuresOf(r.metrics, row, 'p');
    const previous = compare ? figuresOf(r.metrics, row, 'c') : null;
    return { metrics, compare: previous, change: previous ? changeOf(metrics, previous) : null };
  };
  return {
    ...header(r, input.level, notesFor(r, rows, r.metrics, keys)),
    comparePeriod: compare ? { ...compare, preset: null, days: rangeDays(compare) } : null,
    sort: input.sort,
    limit: input.limit,
    data: rows
      .filter((row) => row.kind === 'row')
      .map((row) => ({
        id: row.id!,
        name: row.name,
        status: row.status,
        effectiveStatus: row.effectiveStatus,
        currency,
        resultType: resultTypeOf(row.resultKey),
        ...withCompare(row),
      })),
    totals: { objects: total.objects, currency, ...withCompare(total) },
  };
}

/** The same figures as a time series: one row per local day, week or month of the period (buckets with delivery). */
export async function getPerformanceSeries(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<PerformanceSeriesView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(performanceSeriesInput, raw);
  const r = await resolve(ctx, actor, input);
  const periods = [periodOf('p', r.period, r.today, input.grain === 'month')];
  const rows = await runPerformanceQuery(ctx.db, {
    adAccountId: r.account.id,
    level: input.level,
    today: r.today,
    periods,
    attributionWindow: r.window,
    filter: { ids: input.ids, statuses: input.statuses, nameContains: input.nameContains },
    columns: columnsFor(r.metrics),
    metrics: r.metrics,
    shape: { kind: 'series', grain: input.grain },
  });
  const total = rows.find((row) => row.kind === 'total')!;
  const currency = r.account.currency;
  return {
    ...header(r, input.level, notesFor(r, rows, r.metrics, ['p'])),
    grain: input.grain,
    data: rows
      .filter((row) => row.kind === 'row')
      .map((row) => {
        const start = row.bucket!;
        const end = bucketEnd(start, input.grain);
        return { bucketStart: start < r.period.from ? r.period.from : start, bucketEnd: end > r.period.to ? r.period.to : end, currency, metrics: figuresOf(r.metrics, row, 'p') };
      }),
    totals: { objects: total.objects, currency, metrics: figuresOf(r.metrics, total, 'p') },
  };
}

/** Last local day of the bucket starting `start`. */
function bucketEnd(start: string, grain: 'day' | 'week' | 'month'): string {
  if (grain === 'day') return start;
  const ms = Date.parse(`${start}T00:00:00Z`);
  if (grain === 'week') return new Date(ms + 6 * 86_400_000).toISOString().slice(0, 10);
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}
