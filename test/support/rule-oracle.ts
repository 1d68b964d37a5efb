/**
 * An independent evaluator of compiled rules, written in TypeScript over the simulator's ground
 * truth: metrics from `/__sim/truth` rows, metadata from the simulator's own object graph. It
 * shares nothing with the SQL compiler but the compiled rule (field names, operators, values):
 * its own window arithmetic, its own goal → result mapping, its own hour-start instants, exact
 * Decimal arithmetic. The property test asserts both give the same objects.
 */
import Decimal from 'decimal.js';
import type { CompiledRule, InsightCondition, MetadataCondition, MetricFormula, Quantity, RuleEntityType, TimePreset } from '../../domain/rule-spec';
import type { SimNode, SimulatorState } from '../../src/simulator/simulator-state';
import type { TruthRow } from '../../src/simulator/truth';

type Level = 'ad' | 'adset' | 'campaign';
const LEVEL: Record<RuleEntityType, Level> = { AD: 'ad', ADSET: 'adset', CAMPAIGN: 'campaign' };
const NODE_TYPE: Record<RuleEntityType, string> = { AD: 'ad', ADSET: 'adset', CAMPAIGN: 'campaign' };
const EDGE: Record<RuleEntityType, string> = { AD: 'ads', ADSET: 'adsets', CAMPAIGN: 'campaigns' };

/** Meta's "Results" per optimization goal, written out again (the migration seeds the same facts). */
const RESULT_OF_GOAL: Record<string, string> = {
  OFFSITE_CONVERSIONS: 'a:offsite_conversion.fb_pixel_purchase',
  VALUE: 'a:offsite_conversion.fb_pixel_purchase',
  LINK_CLICKS: 'a:link_click',
  LANDING_PAGE_VIEWS: 'a:landing_page_view',
  LEAD_GENERATION: 'a:lead',
  QUALITY_LEAD: 'a:lead',
  POST_ENGAGEMENT: 'a:post_engagement',
  PAGE_LIKES: 'a:like',
  APP_INSTALLS: 'a:mobile_app_install',
  CONVERSATIONS: 'a:onsite_conversion.messaging_conversation_started_7d',
  EVENT_RESPONSES: 'a:rsvp',
  IMPRESSIONS: 'm:impressions',
  REACH: 'm:reach',
};

export interface OracleData {
  adAccountId: string;
  timeZone: string;
  offset: number;
  state: SimulatorState;
  nodes: Record<RuleEntityType, SimNode[]>;
  daily: Record<Level, TruthRow[]>;
  hourly: Record<Level, TruthRow[]>;
}

/** Loads the truth rows of an account (daily and hourly, ad/adset/campaign) and its objects. */
export async function loadOracleData(input: { simUrl: string; state: SimulatorState; adAccountId: string }): Promise<OracleData> {
  const account = input.state.accounts.get(input.adAccountId);
  if (!account) throw new Error(`no account ${input.adAccountId}`);
  const rows = async (level: Level, grain: 'daily' | 'hourly'): Promise<TruthRow[]> => {
    const res = await fetch(`${input.simUrl}/__sim/truth?adAccountId=${encodeURIComponent(input.adAccountId)}&level=${level}&grain=${grain}`);
    if (!res.ok) throw new Error(`truth ${level} ${grain}: ${res.status}`);
    return ((await res.json()) as { rows: TruthRow[] }).rows;
  };
  const levels: Level[] = ['ad', 'adset', 'campaign'];
  const [daily, hourly] = await Promise.all(
    (['daily', 'hourly'] as const).map(async (grain) => Object.fromEntries(await Promise.all(levels.map(async (l) => [l, await rows(l, grain)] as const))) as Record<Level, TruthRow[]>),
  );
  const nodes = Object.fromEntries(
    (['AD', 'ADSET', 'CAMPAIGN'] as const).map((t) => [t, input.state.edgeIds(account.id, EDGE[t]).map((id) => input.state.nodes.get(id)!).filter((n) => n.type === NODE_TYPE[t])]),
  ) as Record<RuleEntityType, SimNode[]>;
  const zeroDecimal = ['CLP', 'COP', 'CRC', 'HUF', 'IDR', 'ISK', 'JPY', 'KRW', 'PYG', 'TWD', 'VND'].includes(account.currency);
  return { adAccountId: account.id, timeZone: account.timezone, offset: zeroDecimal ? 1 : 100, state: input.state, nodes, daily, hourly };
}

// ───────────── local time, computed here independently ─────────────

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(ms: number, timeZone: string): { date: string; hour: number } {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })));
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % 24 };
}

const hourStarts = new Map<string, number>();
/** The first instant at which the local clock shows `date` `hour`:00. */
function hourStart(date: string, hour: number, timeZone: string): number {
  const key = `${timeZone}|${date}|${hour}`;
  const cached = hourStarts.get(key);
  if (cached !== undefined) return cached;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const candidates: number[] = [];
  for (let offsetQuarter = -56; offsetQuarter <= 56; offsetQuarter++) {
    const t = Date.UTC(y, m - 1, d, hour) - offsetQuarter * 15 * 60_000;
    const p = localParts(t, timeZone);
    if (p.date === date && p.hour === hour && localParts(t - 1, timeZone).hour !== hour) candidates.push(t);
  }
  if (!candidates.length) throw new Error(`no start of ${date} ${hour}:00 in ${timeZone}`);
  const start = Math.min(...candidates);
  hourStarts.set(key, start);
  return start;
}

function shiftDay(date: string, days: number): string {
  const t = Date.parse(`${date}T12:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

interface Window {
  today: string;
  from?: string;
  to?: string;
  hasDaily: boolean;
  withToday: boolean;
  singleStoredDay: boolean;
}

/** The preset's days, read straight from Meta's definitions. */
function windowOf(preset: TimePreset, asOfMs: number, timeZone: string): Window {
  const today = localParts(asOfMs, timeZone).date;
  const yesterday = shiftDay(today, -1);
  const w = (from: string | undefined, withToday: boolean): Window => ({
    today,
    from,
    to: yesterday,
    hasDaily: from === undefined || from <= yesterday,
    withToday,
    singleStoredDay: false,
  });
  switch (preset) {
    case 'TODAY':
      return { today, hasDaily: false, withToday: true, singleStoredDay: false };
    case 'YESTERDAY':
      return { ...w(yesterday, false), singleStoredDay: true };
    case 'LIFETIME':
      return w(undefined, true);
    case 'THIS_MONTH':
      return w(`${today.slice(0, 7)}-01`, true);
    case 'THIS_WEEK_MON_TODAY':
    case 'THIS_WEEK_SUN_TODAY': {
      const dow = new Date(`${today}T12:00:00Z`).getUTCDay();
      const start = preset === 'THIS_WEEK_MON_TODAY' ? (dow + 6) % 7 : dow;
      return w(shiftDay(today, -start), true);
    }
    default: {
      const inclusive = /^LAST_(\d+)_DAYS$/.exec(preset);
      if (inclusive) return w(shiftDay(today, -(Number(inclusive[1]) - 1)), true);
      const n = Number(/^LAST_(\d+)D$/.exec(preset)![1]);
      return w(shiftDay(today, -n), false);
    }
  }
}

// ───────────── sums ─────────────

interface Sums {
  spendMinor: Decimal;
  impressions: Decimal;
  clicks: Decimal;
  reach: Decimal | null;
  counts: Map<string, Decimal>;
  values: Map<string, Decimal>;
}

function sumsOf(data: OracleData, level: Level, preset: TimePreset, asOfMs: number): Map<string, Sums> {
  const w = windowOf(preset, asOfMs, data.timeZone);
  const out = new Map<string, Sums>();
  const add = (row: TruthRow) => {
    let s = out.get(row.entityId);
    if (!s) out.set(row.entityId, (s = { spendMinor: new Decimal(0), impressions: new Decimal(0), clicks: new Decimal(0), reach: null, counts: new Map(), values: new Map() }));
    s.spendMinor = s.spendMinor.plus(row.spendMinor);
    s.impressions = s.impressions.plus(row.impressions);
    s.clicks = s.clicks.plus(row.clicks);
    if (row.reach !== undefined) s.reach = (s.reach ?? new Decimal(0)).plus(row.reach);
    for (const a of row.actions) {
      if (a.action_type.startsWith('value:')) {
        const type = a.action_type.slice(6);
        s.values.set(type, (s.values.get(type) ?? new Decimal(0)).plus(new Decimal(a.value!).times(data.offset)));
      } else s.counts.set(a.action_type, (s.counts.get(a.action_type) ?? new Decimal(0)).plus(a.value!));
    }
  };
  if (w.hasDaily) for (const row of data.daily[level]) if ((w.from === undefined || row.date >= w.from) && row.date <= w.to!) add(row);
  if (w.withToday) for (const row of data.hourly[level]) if (row.date === w.today && hourStart(row.date, row.hour!, data.timeZone) < asOfMs) add(row);
  return out;
}

// ───────────── metadata ─────────────

function secondsOf(ms: unknown): Decimal | null {
  return typeof ms === 'number' ? new Decimal(Math.floor(ms / 1000)) : null;
}

function minorOf(value: unknown): Decimal | null {
  if (value === undefined || value === null || value === '' || value === '0' || value === 0) return null;
  return new Decimal(String(value));
}

function metadataValue(node: SimNode | undefined, c: MetadataCondition, data: OracleData, asOfMs: number): string | Decimal | null {
  if (!node) return null;
  const f = node.fields;
  switch (c.name) {
    case 'id':
      return node.id;
    case 'name':
      return node.name ?? null;
    case 'effective_status':
      return data.state.effectiveStatus(node);
    case 'objective':
    case 'buying_type':
    case 'optimization_goal':
    case 'billing_event':
      return typeof f[c.name] === 'string' ? (f[c.name] as string) : null;
    case 'daily_budget':
    case 'lifetime_budget':
    case 'spend_cap':
      return minorOf(f[c.name]);
    case 'bid_amount':
      return f.bid_amount === undefined || f.bid_amount === null ? null : new Decimal(String(f.bid_amount));
    case 'start_time':
      return secondsOf(f.start_time);
    case 'stop_time':
      return secondsOf(node.type === 'adset' ? f.end_time : f.stop_time);
    case 'created_time':
      return secondsOf(node.createdMs);
    case 'updated_time':
      return secondsOf(node.updatedMs);
    case 'hours_since_creation': {
      // Seconds since creation; the condition's hours are scaled by 3600 below.
      const created = secondsOf(node.createdMs)!;
      return new Decimal(asOfMs).div(1000).minus(created);
    }
    default:
      throw new Error(`oracle: no metadata ${c.name}`);
  }
}

function textMatches(value: string | null, operator: string, expected: string | string[]): boolean {
  if (value === null) return false;
  switch (operator) {
    case 'EQUAL':
      return value === expected;
    case 'NOT_EQUAL':
      return value !== expected;
    case 'IN':
      return (expected as string[]).includes(value);
    case 'NOT_IN':
      return !(expected as string[]).includes(value);
    case 'CONTAIN':
      return value.toLowerCase().includes((expected as string).toLowerCase());
    case 'NOT_CONTAIN':
      return !value.toLowerCase().includes((expected as string).toLowerCase());
  }
  throw new Error(`oracle: text operator ${operator}`);
}

function numberMatches(value: Decimal | null, operator: string, expected: number | [number, number], scale: Decimal = new Decimal(1)): boolean {
  if (value === null) return false;
  const v = (n: number) => new Decimal(n).times(scale);
  switch (operator) {
    case 'GREATER_THAN':
      return value.gt(v(expected as number));
    case 'LESS_THAN':
      return value.lt(v(expected as number));
    case 'EQUAL':
      return value.eq(v(expected as number));
    case 'NOT_EQUAL':
      return !value.eq(v(expected as number));
    case 'IN_RANGE':
      return value.gte(v((expected as [number, number])[0])) && value.lte(v((expected as [number, number])[1]));
    case 'NOT_IN_RANGE':
      return value.lt(v((expected as [number, number])[0])) || value.gt(v((expected as [number, number])[1]));
  }
  throw new Error(`oracle: numeric operator ${operator}`);
}

// ───────────── results and metric values ─────────────

function resultKeyOf(data: OracleData, entityType: RuleEntityType, node: SimNode): string | null {
  const goalKey = (adset: SimNode | undefined) => (adset ? RESULT_OF_GOAL[String(adset.fields.optimization_goal)] ?? null : null);
  if (entityType === 'ADSET') return goalKey(node);
  if (entityType === 'AD') return goalKey(data.state.nodes.get(node.adsetId ?? ''));
  const keys = data.state.edgeIds(node.id, 'adsets').map((id) => goalKey(data.state.nodes.get(id)));
  if (keys.length === 0 || keys.some((k) => k === null)) return null;
  return new Set(keys).size === 1 ? keys[0]! : null;
}

function quantityOf(q: Quantity, s: Sums | undefined, resultKey: string | null, w: Window): Decimal | null {
  const zero = new Decimal(0);
  const impressions = s?.impressions ?? zero;
  const reach = impressions.isZero() ? zero : s?.reach ?? null;
  switch (q.kind) {
    case 'spend':
      return s?.spendMinor ?? zero;
    case 'impressions':
      return impressions;
    case 'clicks':
      return s?.clicks ?? zero;
    case 'reach':
      return reach;
    case 'uniqueClicks':
      throw new Error('oracle: the truth has no unique clicks');
    case 'action':
      return s?.counts.get(q.actionType) ?? zero;
    case 'actionValue':
      return s?.values.get(q.actionType) ?? zero;
    case 'actionPrefix': {
      let total = zero;
      for (const [type, n] of s?.counts ?? []) if (type.startsWith(q.prefix)) total = total.plus(n);
      return total;
    }
    case 'results':
      if (resultKey === null) return null;
      if (resultKey === 'm:impressions') return impressions;
      if (resultKey === 'm:reach') return w.singleStoredDay ? reach : null;
      return s?.counts.get(resultKey.slice(2)) ?? zero;
  }
}

/** The value of a metric per object (null: none, e.g. a zero denominator), as the rule would compare it. */
export function oracleMetricValues(data: OracleData, entityType: RuleEntityType, formula: MetricFormula, preset: TimePreset, asOfMs: number): Map<string, Decimal | null> {
  const sums = sumsOf(data, LEVEL[entityType], preset, asOfMs);
  const w = windowOf(preset, asOfMs, data.timeZone);
  const out = new Map<string, Decimal | null>();
  for (const node of data.nodes[entityType]) {
    const s = sums.get(node.id);
    const key = formula.numerator.kind === 'results' || formula.denominator?.kind === 'results' ? resultKeyOf(data, entityType, node) : null;
    const n = quantityOf(formula.numerator, s, key, w);
    const d = formula.denominator ? quantityOf(formula.denominator, s, key, w) : new Decimal(1);
    out.set(node.id, n === null || d === null || d.lte(0) ? null : n.times(formula.factor).div(d));
  }
  return out;
}

function insightMatches(c: InsightCondition, s: Sums | undefined, resultKey: string | null, w: Window): boolean {
  const n = quantityOf(c.formula.numerator, s, resultKey, w);
  if (n === null) return false;
  const numerator = n.times(c.formula.factor);
  if (!c.formula.denominator) return numberMatches(numerator, c.operator, c.value);
  const d = quantityOf(c.formula.denominator, s, resultKey, w);
  if (d === null || d.lte(0)) return false;
  // Cross-multiplied, exactly as Meta's "value ÷ den OP threshold" with den > 0.
  return numberMatches(numerator, c.operator, c.value, d);
}

/** The ids of the objects the rule matches at `asOfMs`, sorted. */
export function oracleMatches(data: OracleData, rule: CompiledRule, asOfMs: number): string[] {
  const level = LEVEL[rule.entityType];
  const sumsByPreset = new Map<TimePreset, Map<string, Sums>>();
  for (const c of rule.insights) if (!sumsByPreset.has(c.preset)) sumsByPreset.set(c.preset, sumsOf(data, level, c.preset, asOfMs));
  const matched: string[] = [];
  for (const node of data.nodes[rule.entityType]) {
    const status = data.state.effectiveStatus(node);
    const inStatus = rule.status.values.includes(status);
    if (rule.status.operator === 'IN' ? !inStatus : inStatus) continue;
    const owner = (t: RuleEntityType): SimNode | undefined =>
      t === rule.entityType ? node : data.state.nodes.get(t === 'ADSET' ? node.adsetId ?? '' : node.campaignId ?? '');
    const metadataOk = rule.metadata.every((c) => {
      const value = metadataValue(owner(c.owner), c, data, asOfMs);
      if (c.kind === 'hours') return numberMatches(value as Decimal | null, c.operator, c.value as number | [number, number], new Decimal(3600));
      if (c.kind === 'money' || c.kind === 'time') return numberMatches(value as Decimal | null, c.operator, c.value as number | [number, number]);
      return textMatches(value as string | null, c.operator, c.value as string | string[]);
    });
    if (!metadataOk) continue;
    const needsResult = rule.insights.some((c) => c.formula.numerator.kind === 'results' || c.formula.denominator?.kind === 'results');
    const resultKey = needsResult ? resultKeyOf(data, rule.entityType, node) : null;
    const insightsOk = rule.insights.every((c) => insightMatches(c, sumsByPreset.get(c.preset)!.get(node.id), resultKey, windowOf(c.preset, asOfMs, data.timeZone)));
    if (insightsOk) matched.push(node.id);
  }
  return matched.sort();
}
