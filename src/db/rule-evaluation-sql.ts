import { Prisma, type Db } from './prisma-client';
import { LEVEL_OF_ENTITY, type CompiledRule, type InsightCondition, type MetadataCondition, type Quantity, type RuleEntityType, type RuleOperator, type TimePreset } from '../../domain/rule-spec';
import { quantityKey } from '../../domain/rule-fields';
import { presetWindow, type PresetWindow } from '../../domain/rule-windows';
import type { DayReads } from '../../domain/rule-freshness';

/**
 * A compiled rule as ONE set-based, parameterised statement over the entity tables and the
 * metrics tables for the preset's window. Only allow-listed names become SQL text (through the
 * constant maps below); every value the rule carries is a bound parameter.
 *
 * Shape of the statement:
 * - `e`: the rule's entities of the account, not deleted, with the status filter (the rule's own
 *   or Meta's implied one) and every metadata filter; money × the currency offset (minor units);
 *   when `results` is used, the action type (or metric) the object's optimization goal counts,
 *   from `result_action_types` (a campaign: the one its ad sets share, none when they differ).
 * - `m<k>` / `a<k>`: per window k (one per preset used), sums of the metric and action rows:
 *   past local days from the daily tables, today from the hourly tables (hours begun before
 *   asOf), attribution window `value` (the account default).
 * - the final SELECT joins them and applies the insights filters as cross-multiplied
 *   comparisons: `num × factor OP value × den AND den > 0`, so a ratio never divides and a zero
 *   denominator matches nothing; additive sums of nothing are 0, unique counts of no delivery 0.
 * - each row carries the object's cooldown state (ad_rule_object_state) for the pure verdict.
 */

export interface RuleEvaluationQuery {
  adAccountId: string;
  /** Rule whose cooldown state is joined; omit for an ad-hoc rule (no history). */
  ruleId?: string;
  rule: CompiledRule;
  /** The instant evaluated (ms). */
  asOfMs: number;
  /** The ad account's time zone. */
  timeZone: string;
  /** Minor units per major unit of the account currency (100, or 1 for JPY and kin). */
  currencyOffset: number;
}

/** One matched object. */
export interface RuleMatchRow {
  entityId: string;
  name: string | null;
  /** Configured status. */
  status: string | null;
  effectiveStatus: string | null;
  /** Minor units as integer strings, null when the object has none. */
  dailyBudget: string | null;
  lifetimeBudget: string | null;
  bidAmount: string | null;
  /** field → the value the filter compared (ratios rounded to 6 decimals), as text; null when it had none. */
  values: Record<string, string | null>;
  lastActionAt: Date | null;
  actionCount: number;
}

const TABLES: Record<RuleEntityType, string> = { AD: 'ads', ADSET: 'ad_sets', CAMPAIGN: 'campaigns' };

/** Column of an allow-listed metadata field on each entity table (absent: the table has none). */
const COLUMNS: Record<string, Partial<Record<RuleEntityType, string>>> = {
  id: { AD: 'id', ADSET: 'id', CAMPAIGN: 'id' },
  name: { AD: 'name', ADSET: 'name', CAMPAIGN: 'name' },
  effective_status: { AD: 'effective_status', ADSET: 'effective_status', CAMPAIGN: 'effective_status' },
  objective: { CAMPAIGN: 'objective' },
  buying_type: { CAMPAIGN: 'buying_type' },
  optimization_goal: { ADSET: 'optimization_goal' },
  billing_event: { ADSET: 'billing_event' },
  daily_budget: { ADSET: 'daily_budget', CAMPAIGN: 'daily_budget' },
  lifetime_budget: { ADSET: 'lifetime_budget', CAMPAIGN: 'lifetime_budget' },
  spend_cap: { CAMPAIGN: 'spend_cap' },
  bid_amount: { AD: 'bid_amount', ADSET: 'bid_amount' },
  start_time: { ADSET: 'start_time', CAMPAIGN: 'start_time' },
  stop_time: { ADSET: 'end_time', CAMPAIGN: 'stop_time' },
  created_time: { AD: 'created_time', ADSET: 'created_time', CAMPAIGN: 'created_time' },
  updated_time: { AD: 'updated_time', ADSET: 'updated_time', CAMPAIGN: 'updated_time' },
  hours_since_creation: { AD: 'created_time', ADSET: 'created_time', CAMPAIGN: 'created_time' },
};

const raw = Prisma.raw;
const join = Prisma.join;
const sql = Prisma.sql;

function num(value: number): Prisma.Sql {
  // Numbers travel as text and are cast: exact decimals, never a float round-trip in SQL.
  return sql`${String(value)}::numeric`;
}

/** `expr OP value` for one operator (NULL on either side: no match). */
function compare(expr: Prisma.Sql, operator: RuleOperator, value: MetadataCondition['value'] | InsightCondition['value'], kind: 'number' | 'text'): Prisma.Sql {
  if (kind === 'text') {
    switch (operator) {
      case 'EQUAL':
        return sql`${expr} = ${value as string}`;
      case 'NOT_EQUAL':
        return sql`${expr} <> ${value as string}`;
      case 'IN':
        return sql`${expr} = ANY(${value as string[]}::text[])`;
      case 'NOT_IN':
        return sql`${expr} <> ALL(${value as string[]}::text[])`;
      case 'CONTAIN':
        return sql`strpos(lower(${expr}), lower(${value as string})) > 0`;
      case 'NOT_CONTAIN':
        return sql`strpos(lower(${expr}), lower(${value as string})) = 0`;
      default:
        throw new Error(`operator ${operator} on text`);
    }
  }
  switch (operator) {
    case 'GREATER_THAN':
      return sql`${expr} > ${num(value as number)}`;
    case 'LESS_THAN':
      return sql`${expr} < ${num(value as number)}`;
    case 'EQUAL':
      return sql`${expr} = ${num(value as number)}`;
    case 'NOT_EQUAL':
      return sql`${expr} <> ${num(value as number)}`;
    case 'IN_RANGE': {
      const [lo, hi] = value as [number, number];
      return sql`${expr} BETWEEN ${num(lo)} AND ${num(hi)}`;
    }
    case 'NOT_IN_RANGE': {
      const [lo, hi] = value as [number, number];
      return sql`(${expr} < ${num(lo)} OR ${expr} > ${num(hi)})`;
    }
    default:
      throw new Error(`operator ${operator} on numbers`);
  }
}

function aliasOf(owner: RuleEntityType, entityType: RuleEntityType): string {
  return owner === entityType ? 'x' : owner === 'ADSET' ? 'ps' : 'pc';
}

function metadataSql(c: MetadataCondition, entityType: RuleEntityType, asOf: Prisma.Sql, offset: Prisma.Sql): Prisma.Sql {
  const column = COLUMNS[c.name]?.[c.owner];
  if (!column) throw new Error(`no column for ${c.field}`);
  const col = raw(`${aliasOf(c.owner, entityType)}.${column}`);
  switch (c.kind) {
    case 'id':
    case 'text':
    case 'enum':
      return compare(col, c.operator, c.value, 'text');
    case 'money':
      return compare(sql`(${col} * ${offset})`, c.operator, c.value, 'number');
    case 'time':
      return compare(sql`extract(epoch FROM ${col})`, c.operator, c.value, 'number');
    case 'hours': {
      // Cross-multiplied: seconds since creation against hours × 3600.
      const v = c.value as number | [number, number];
      const scaled: number | [number, number] = Array.isArray(v) ? [v[0] * 3600, v[1] * 3600] : v * 3600;
      return compare(sql`extract(epoch FROM (${asOf} - ${col}))`, c.operator, scaled, 'number');
    }
  }
}

interface WindowPlan {
  key: string;
  window: PresetWindow;
  /** Metric columns the window must sum. */
  needsReach: boolean;
  needsUniqueClicks: boolean;
  /** Explicit action types (counts), valued action types, prefixes, and whether results are needed. */
  actions: Map<string, Quantity>;
  results: boolean;
}

function windowPlans(rule: CompiledRule, asOfMs: number, timeZone: string): Map<TimePreset, WindowPlan> {
  const plans = new Map<TimePreset, WindowPlan>();
  for (const c of rule.insights) {
    let plan = plans.get(c.preset);
    if (!plan) {
      plan = { key: String(plans.size), window: presetWindow(c.preset, asOfMs, timeZone), needsReach: false, needsUniqueClicks: false, actions: new Map(), results: false };
      plans.set(c.preset, plan);
    }
    for (const q of [c.formula.numerator, c.formula.denominator]) {
      if (!q) continue;
      if (q.kind === 'reach') plan.needsReach = true;
      if (q.kind === 'uniqueClicks') plan.needsUniqueClicks = true;
      if (q.kind === 'action' || q.kind === 'actionValue' || q.kind === 'actionPrefix') plan.actions.set(quantityKey(q), q);
      if (q.kind === 'results') {
        plan.results = true;
        // REACH-optimized objects count reach as their results.
        plan.needsReach = true;
      }
    }
  }
  return plans;
}

/** Column aliases of action sums inside a window CTE, by quantity key. */
function actionAliases(plan: WindowPlan): Map<string, string> {
  return new Map([...plan.actions.keys()].map((key, i) => [key, `q${i}`]));
}

function metricsCte(plan: WindowPlan, base: { account: string; level: string; asOf: Prisma.Sql }): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  const { window } = plan;
  const uniques = (d: string) => raw(`${plan.needsReach ? `, ${d}.reach` : ''}${plan.needsUniqueClicks ? `, ${d}.unique_clicks` : ''}`);
  const nulls = raw(`${plan.needsReach ? ', NULL::bigint AS reach' : ''}${plan.needsUniqueClicks ? ', NULL::bigint AS unique_clicks' : ''}`);
  if (window.daily) {
    const from = window.daily.from === undefined ? Prisma.empty : sql`AND d.date >= ${window.daily.from}::date`;
    parts.push(sql`SELECT d.entity_id, d.spend, d.impressions, d.clicks${uniques('d')} FROM metrics_daily d
       WHERE d.ad_account_id = ${base.account} AND d.level = ${base.level} ${from} AND d.date <= ${window.daily.to}::date`);
  }
  if (window.includesToday) {
    parts.push(sql`SELECT h.entity_id, h.spend, h.impressions, h.clicks${nulls} FROM metrics_hourly h
       WHERE h.ad_account_id = ${base.account} AND h.level = ${base.level} AND h.local_date = ${window.today}::date AND h.bucket_start < ${base.asOf}`);
  }
  // Reach is never summed: a unique metric's window is one stored day (validation), so max() is that day's value.
  const uniqueSums = raw(`${plan.needsReach ? ', max(u.reach) AS reach' : ''}${plan.needsUniqueClicks ? ', max(u.unique_clicks) AS unique_clicks' : ''}`);
  return sql`m${raw(plan.key)} AS (
    SELECT u.entity_id, sum(u.spend) AS spend, sum(u.impressions) AS impressions, sum(u.clicks) AS clicks${uniqueSums}
      FROM (${join(parts, ' UNION ALL ')}) u
     GROUP BY u.entity_id)`;
}

function actionsCte(plan: WindowPlan, base: { account: string; level: string; asOf: Prisma.Sql }): Prisma.Sql | null {
  if (plan.actions.size === 0 && !plan.results) return null;
  const aliases = actionAliases(plan);
  const { window } = plan;
  const types = new Set<string>();
  const prefixes = new Set<string>();
  for (const q of plan.actions.values()) {
    if (q.kind === 'action' || q.kind === 'actionValue') types.add(q.actionType);
    if (q.kind === 'actionPrefix') prefixes.add(q.prefix);
  }
  const typeFilter = (a: string): Prisma.Sql => {
    const alternatives: Prisma.Sql[] = [];
    if (types.size) alternatives.push(sql`${raw(a)}.action_type = ANY(${[...types]}::text[])`);
    for (const p of prefixes) alternatives.push(sql`starts_with(${raw(a)}.action_type, ${p})`);
    if (plan.results) alternatives.push(sql`${raw(a)}.action_type IN (SELECT t.action_type FROM result_action_types t WHERE t.action_type IS NOT NULL)`);
    return sql`(${join(alternatives, ' OR ')})`;
  };
  const parts: Prisma.Sql[] = [];
  if (window.daily) {
    const from = window.daily.from === undefined ? Prisma.empty : sql`AND d.date >= ${window.daily.from}::date`;
    parts.push(sql`SELECT d.entity_id, d.action_type, d.count, d.value FROM metrics_daily_actions d
       WHERE d.ad_account_id = ${base.account} AND d.level = ${base.level} AND d.attribution_window = 'value' ${from} AND d.date <= ${window.daily.to}::date AND ${typeFilter('d')}`);
  }
  if (window.includesToday) {
    parts.push(sql`SELECT h.entity_id, h.action_type, h.count, h.value FROM metrics_hourly_actions h
       WHERE h.ad_account_id = ${base.account} AND h.level = ${base.level} AND h.attribution_window = 'value' AND h.local_date = ${window.today}::date
         AND h.bucket_start < ${base.asOf} AND ${typeFilter('h')}`);
  }
  const sums: Prisma.Sql[] = [];
  for (const [key, q] of plan.actions) {
    const alias = raw(aliases.get(key)!);
    if (q.kind === 'action') sums.push(sql`sum(u.count) FILTER (WHERE u.action_type = ${q.actionType}) AS ${alias}`);
    else if (q.kind === 'actionValue') sums.push(sql`sum(u.value) FILTER (WHERE u.action_type = ${q.actionType}) AS ${alias}`);
    else if (q.kind === 'actionPrefix') sums.push(sql`sum(u.count) FILTER (WHERE starts_with(u.action_type, ${q.prefix})) AS ${alias}`);
  }
  if (plan.results) sums.push(sql`sum(u.count) FILTER (WHERE u.action_type = e.result_action_type) AS results`);
  const withEntities = plan.results ? sql`JOIN e ON e.id = u.entity_id` : Prisma.empty;
  return sql`a${raw(plan.key)} AS (
    SELECT u.entity_id, ${join(sums, ', ')}
      FROM (${join(parts, ' UNION ALL ')}) u ${withEntities}
     GROUP BY u.entity_id)`;
}

/** SQL for one quantity of a window, in the final SELECT's scope (minor units for money). */
function quantitySql(q: Quantity, plan: WindowPlan, offset: Prisma.Sql): Prisma.Sql {
  const m = `m${plan.key}`;
  const a = `a${plan.key}`;
  const aliases = actionAliases(plan);
  switch (q.kind) {
    case 'spend':
      return sql`(coalesce(${raw(`${m}.spend`)}, 0) * ${offset})`;
    case 'impressions':
      return raw(`coalesce(${m}.impressions, 0)`);
    case 'clicks':
      return raw(`coalesce(${m}.clicks, 0)`);
    case 'reach':
      // No delivery, no one reached; delivery without a stored reach (a rollup row): unknown.
      return raw(`(CASE WHEN coalesce(${m}.impressions, 0) = 0 THEN 0 ELSE ${m}.reach END)`);
    case 'uniqueClicks':
      return raw(`(CASE WHEN coalesce(${m}.clicks, 0) = 0 THEN 0 ELSE ${m}.unique_clicks END)`);
    case 'action':
    case 'actionPrefix':
      return raw(`coalesce(${a}.${aliases.get(quantityKey(q))}, 0)`);
    case 'actionValue':
      return sql`(coalesce(${raw(`${a}.${aliases.get(quantityKey(q))}`)}, 0) * ${offset})`;
    case 'results': {
      const reach = plan.window.days === 1 && plan.window.daily && !plan.window.includesToday ? `(CASE WHEN coalesce(${m}.impressions, 0) = 0 THEN 0 ELSE ${m}.reach END)` : 'NULL';
      return raw(`(CASE WHEN e.result_metric = 'impressions' THEN coalesce(${m}.impressions, 0)
                        WHEN e.result_metric = 'reach' THEN ${reach}
                        WHEN e.result_action_type IS NOT NULL THEN coalesce(${a}.results, 0) END)`);
    }
  }
}

function insightSql(c: InsightCondition, plan: WindowPlan, offset: Prisma.Sql): { where: Prisma.Sql; value: Prisma.Sql } {
  const numerator = sql`(${quantitySql(c.formula.numerator, plan, offset)} * ${num(c.formula.factor)})`;
  if (!c.formula.denominator) return { where: compare(numerator, c.operator, c.value, 'number'), value: sql`${numerator}::text` };
  const den = quantitySql(c.formula.denominator, plan, offset);
  const scaled = (v: number) => sql`(${num(v)} * ${den})`;
  let cmp: Prisma.Sql;
  switch (c.operator) {
    case 'GREATER_THAN':
      cmp = sql`${numerator} > ${scaled(c.value as number)}`;
      break;
    case 'LESS_THAN':
      cmp = sql`${numerator} < ${scaled(c.value as number)}`;
      break;
    case 'EQUAL':
      cmp = sql`${numerator} = ${scaled(c.value as number)}`;
      break;
    case 'IN_RANGE': {
      const [lo, hi] = c.value as [number, number];
      cmp = sql`${numerator} BETWEEN ${scaled(lo)} AND ${scaled(hi)}`;
      break;
    }
    case 'NOT_IN_RANGE': {
      const [lo, hi] = c.value as [number, number];
      cmp = sql`(${numerator} < ${scaled(lo)} OR ${numerator} > ${scaled(hi)})`;
      break;
    }
    default:
      throw new Error(`operator ${c.operator} on insights`);
  }
  return { where: sql`(${den} > 0 AND ${cmp})`, value: sql`round(${numerator} / NULLIF(${den}, 0), 6)::text` };
}

/** The result action type (or metric) each entity's optimization goal counts, as lateral joins on `x`. */
function resultTypeSql(entityType: RuleEntityType): { joins: Prisma.Sql; columns: Prisma.Sql } {
  const resolve = (adset: string) =>
    `SELECT t.action_type, t.metric FROM result_action_types t
      WHERE t.optimization_goal = ${adset}.optimization_goal
        AND t.custom_event_type IN (coalesce(${adset}.promoted_object->>'custom_event_type', ''), '')
      ORDER BY t.custom_event_type DESC LIMIT 1`;
  if (entityType === 'CAMPAIGN') {
    // A campaign's results are its ad sets' only when they all count the same thing (Ads Manager shows none otherwise).
    return {
      joins: raw(`LEFT JOIN LATERAL (
        SELECT CASE WHEN count(*) > 0 AND count(k.key) = count(*) AND count(DISTINCT k.key) = 1 THEN min(k.key) END AS key
          FROM ad_sets s
          LEFT JOIN LATERAL (${resolve('s')}) r ON true
          CROSS JOIN LATERAL (SELECT coalesce('a:' || r.action_type, 'm:' || r.metric) AS key) k
         WHERE s.campaign_id = x.id AND s.deleted_at IS NULL) cr ON true`),
      columns: raw(`CASE WHEN starts_with(cr.key, 'a:') THEN substr(cr.key, 3) END AS result_action_type,
                    CASE WHEN starts_with(cr.key, 'm:') THEN substr(cr.key, 3) END AS result_metric`),
    };
  }
  const adset = entityType === 'ADSET' ? 'x' : 'ps';
  return { joins: raw(`LEFT JOIN LATERAL (${resolve(adset)}) rt ON true`), columns: raw('rt.action_type AS result_action_type, rt.metric AS result_metric') };
}

/** Compiles the evaluation of a rule at an instant into one parameterised statement. */
export function compileRuleEvaluation(query: RuleEvaluationQuery): Prisma.Sql {
  const { rule } = query;
  const entityType = rule.entityType;
  const level = LEVEL_OF_ENTITY[entityType];
  const asOf = sql`${new Date(query.asOfMs).toISOString()}::timestamptz`;
  const offset = num(query.currencyOffset);
  const plans = windowPlans(rule, query.asOfMs, query.timeZone);
  const needsResults = [...plans.values()].some((p) => p.results);

  const owners = new Set(rule.metadata.map((c) => c.owner));
  const parentJoins: Prisma.Sql[] = [];
  if (entityType === 'AD' && (owners.has('ADSET') || needsResults)) parentJoins.push(raw('LEFT JOIN ad_sets ps ON ps.id = x.adset_id'));
  if (entityType !== 'CAMPAIGN' && owners.has('CAMPAIGN')) parentJoins.push(raw('LEFT JOIN campaigns pc ON pc.id = x.campaign_id'));
  const result = needsResults ? resultTypeSql(entityType) : null;

  const money = (column: string): Prisma.Sql => (COLUMNS[column]?.[entityType] ? sql`(x.${raw(COLUMNS[column]![entityType]!)} * ${offset})::bigint::text` : raw('NULL::text'));
  const statusCmp = rule.status.operator === 'IN' ? sql`x.effective_status = ANY(${rule.status.values}::text[])` : sql`x.effective_status <> ALL(${rule.status.values}::text[])`;
  const conditions = [sql`x.ad_account_id = ${query.adAccountId}`, raw('x.deleted_at IS NULL'), statusCmp, ...rule.metadata.map((c) => metadataSql(c, entityType, asOf, offset))];

  const entities = sql`e AS (
    SELECT x.id, x.name, x.status, x.effective_status,
           ${money('daily_budget')} AS daily_budget, ${money('lifetime_budget')} AS lifetime_budget, ${money('bid_amount')} AS bid_amount
           ${result ? sql`, ${result.columns}` : Prisma.empty}
      FROM ${raw(TABLES[entityType])} x ${join(parentJoins.length ? parentJoins : [Prisma.empty], ' ')} ${result ? result.joins : Prisma.empty}
     WHERE ${join(conditions, ' AND ')})`;

  const base = { account: query.adAccountId, level, asOf };
  const ctes: Prisma.Sql[] = [entities];
  const joins: Prisma.Sql[] = [];
  for (const plan of plans.values()) {
    ctes.push(metricsCte(plan, base));
    joins.push(raw(`LEFT JOIN m${plan.key} ON m${plan.key}.entity_id = e.id`));
    const actions = actionsCte(plan, base);
    if (actions) {
      ctes.push(actions);
      joins.push(raw(`LEFT JOIN a${plan.key} ON a${plan.key}.entity_id = e.id`));
    }
  }
  const filters = rule.insights.map((c) => insightSql(c, plans.get(c.preset)!, offset));
  const values = filters.length ? sql`json_build_array(${join(filters.map((f) => f.value), ', ')})` : raw(`'[]'::json`);
  const state = query.ruleId
    ? sql`LEFT JOIN ad_rule_object_state os ON os.rule_id = ${query.ruleId}::uuid AND os.entity_id = e.id`
    : raw('LEFT JOIN (SELECT NULL::text AS entity_id, NULL::timestamptz AS last_action_at, 0 AS action_count) os ON false');
  return sql`
    WITH ${join(ctes, ',\n')}
    SELECT e.id AS "entityId", e.name, e.status, e.effective_status AS "effectiveStatus",
           e.daily_budget AS "dailyBudget", e.lifetime_budget AS "lifetimeBudget", e.bid_amount AS "bidAmount",
           ${values} AS "values", os.last_action_at AS "lastActionAt", coalesce(os.action_count, 0)::int AS "actionCount"
      FROM e ${join(joins.length ? joins : [Prisma.empty], ' ')} ${state}
     WHERE ${filters.length ? join(filters.map((f) => f.where), ' AND ') : raw('true')}
     ORDER BY e.id`;
}

/** Runs the evaluation of a rule at an instant: every object it matches, with the values that matched. */
export async function evaluateRuleMatches(db: Db, query: RuleEvaluationQuery): Promise<RuleMatchRow[]> {
  const rows = await db.$queryRaw<Array<Omit<RuleMatchRow, 'values'> & { values: Array<string | null> }>>(compileRuleEvaluation(query));
  return rows.map((row) => ({
    ...row,
    values: Object.fromEntries(query.rule.insights.map((c, i) => [c.field, row.values[i] ?? null])),
  }));
}

/**
 * The metrics sync's reads of some local days of an account (checkpoints of both grains) and
 * whether daily rows of each day exist at a level: the freshness check's input.
 */
export async function readDayReads(db: Db, input: { adAccountId: string; level: string; days: string[] }): Promise<Map<string, DayReads>> {
  const out = new Map<string, DayReads>();
  if (input.days.length === 0) return out;
  const rows = await db.$queryRaw<Array<{ day: string; hourly_at: Date | null; daily_at: Date | null; has_daily: boolean }>>`
    SELECT d.day,
           (SELECT c.completed_at FROM metrics_sync_checkpoints c WHERE c.ad_account_id = ${input.adAccountId} AND c.grain = 'hourly' AND c.day = d.day::date) AS hourly_at,
           (SELECT c.completed_at FROM metrics_sync_checkpoints c WHERE c.ad_account_id = ${input.adAccountId} AND c.grain = 'daily' AND c.day = d.day::date) AS daily_at,
           EXISTS (SELECT 1 FROM metrics_daily m WHERE m.ad_account_id = ${input.adAccountId} AND m.level = ${input.level} AND m.date = d.day::date) AS has_daily
      FROM unnest(${input.days}::text[]) AS d(day)`;
  for (const r of rows) out.set(r.day, { hourlyAt: r.hourly_at?.getTime(), dailyAt: r.daily_at?.getTime(), hasDailyRows: r.has_daily });
  return out;
}
