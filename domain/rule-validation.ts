/**
 * Validates a rule's three specs against Meta's vocabulary and this engine's allow-lists, and
 * compiles a valid one into a {@link CompiledRule}. Every issue names the filter (its path and
 * field) and what is allowed instead, so a person or an agent can fix it in one go.
 */
import {
  ENTITY_OF_CHANGE, EXECUTION_TYPES, IMPLIED_ACTIVE_STATUSES, IMPLIED_UNPAUSE_EXCLUDED, INSIGHTS_OPERATORS, RULE_ENTITY_TYPES,
  SCHEDULE_TYPES, TIME_PRESETS, UNSUPPORTED_EXECUTION_TYPES, UNSUPPORTED_OPERATORS, UNSUPPORTED_TIME_PRESET,
  type ChangeSpec, type CompiledAction, type CompiledRule, type CustomScheduleEntry, type ExecutionType, type InsightCondition,
  type MetadataCondition, type RuleEntityType, type RuleIssue, type RuleOperator, type ScheduleType, type TimePreset,
} from './rule-spec';
import {
  INSIGHTS_METRICS, METADATA_FIELDS, PARENT_PREFIXES, PRESET_ALIASES, UNSUPPORTED_INSIGHTS_FIELDS, UNSUPPORTED_METADATA_FIELDS, usesUniqueCount,
} from './rule-fields';
import { presetIsMultiDay } from './rule-windows';
import { compileSchedule } from './rule-schedule';

/** Most filters a rule may have, and most values in one IN / NOT_IN list. */
export const MAX_FILTERS = 50;
export const MAX_LIST_VALUES = 5_000;
/** Longest text value (names). */
export const MAX_TEXT_LENGTH = 400;

export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; issues: RuleIssue[] };

const ALL_OPERATORS = ['GREATER_THAN', 'LESS_THAN', 'EQUAL', 'NOT_EQUAL', 'IN_RANGE', 'NOT_IN_RANGE', 'IN', 'NOT_IN', 'CONTAIN', 'NOT_CONTAIN'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

function list(values: readonly string[]): string {
  return values.join(', ');
}

/** Validates and compiles a rule's specs (Meta's snake_case shapes). */
export function compileRule(input: { evaluation_spec: unknown; execution_spec: unknown; schedule_spec: unknown }): CompileResult {
  const issues: RuleIssue[] = [];
  const issue = (path: string, message: string): void => {
    if (issues.length < 50) issues.push({ path, message });
  };

  // ── evaluation_spec ──
  const evaluation = input.evaluation_spec;
  let filters: Array<Record<string, unknown>> = [];
  if (!isRecord(evaluation)) issue('evaluation_spec', 'must be an object {evaluation_type, filters}');
  else {
    if (evaluation.evaluation_type !== 'SCHEDULE') {
      issue(
        'evaluation_spec.evaluation_type',
        evaluation.evaluation_type === 'TRIGGER'
          ? 'TRIGGER rules run on Meta only; this service evaluates SCHEDULE rules (use evaluation_type SCHEDULE with a schedule_spec)'
          : 'must be SCHEDULE',
      );
    }
    if (!Array.isArray(evaluation.filters) || evaluation.filters.length === 0) issue('evaluation_spec.filters', 'must be a non-empty list of {field, operator, value}');
    else if (evaluation.filters.length > MAX_FILTERS) issue('evaluation_spec.filters', `may hold at most ${MAX_FILTERS} filters`);
    else {
      evaluation.filters.forEach((f, i) => {
        if (!isRecord(f) || typeof f.field !== 'string' || typeof f.operator !== 'string' || !('value' in f)) {
          issue(`evaluation_spec.filters[${i}]`, 'must be {field, operator, value} with field and operator as text');
        } else filters.push({ ...f, index: i });
      });
    }
  }

  const at = (f: Record<string, unknown>): string => `evaluation_spec.filters[${String(f.index)}] (${String(f.field)})`;

  // entity_type and time_preset first: every other filter is read against them.
  let entityType: RuleEntityType | undefined;
  let timePreset: TimePreset | undefined;
  const rest: Array<Record<string, unknown>> = [];
  for (const f of filters) {
    if (f.field === 'entity_type') {
      if (entityType) issue(at(f), 'entity_type may appear once');
      else if (f.operator !== 'EQUAL') issue(at(f), 'entity_type takes the operator EQUAL');
      else if (!RULE_ENTITY_TYPES.includes(f.value as RuleEntityType)) issue(at(f), `entity_type must be one of ${list(RULE_ENTITY_TYPES)}`);
      else entityType = f.value as RuleEntityType;
    } else if (f.field === 'time_preset') {
      if (timePreset) issue(at(f), 'time_preset may appear once: one window per rule');
      else if (f.operator !== 'EQUAL') issue(at(f), 'time_preset takes the operator EQUAL');
      else if (typeof f.value === 'string' && UNSUPPORTED_TIME_PRESET.test(f.value)) {
        issue(at(f), `${f.value} is one of Meta's ROAS presets with an attribution offset, which this service does not evaluate; use one of ${list(TIME_PRESETS)}`);
      } else if (!TIME_PRESETS.includes(f.value as TimePreset)) issue(at(f), `time_preset must be one of ${list(TIME_PRESETS)}`);
      else timePreset = f.value as TimePreset;
    } else if (f.field === 'attribution_window') {
      if (f.operator !== 'EQUAL' || f.value !== 'ACCOUNT_DEFAULT') issue(at(f), 'attribution_window takes EQUAL ACCOUNT_DEFAULT (the only value Meta accepts)');
    } else rest.push(f);
  }
  if (isRecord(evaluation) && filters.length > 0 && !entityType) {
    issue('evaluation_spec.filters', 'needs an entity_type filter ({field: "entity_type", operator: "EQUAL", value: AD|ADSET|CAMPAIGN}): a rule evaluates one level');
  }

  const metadata: MetadataCondition[] = [];
  const insights: InsightCondition[] = [];
  let status: CompiledRule['status'] | undefined;
  for (const f of rest) {
    const field = f.field as string;
    const operator = f.operator as string;
    if ((UNSUPPORTED_OPERATORS as readonly string[]).includes(operator)) {
      issue(at(f), `operator ${operator} applies to list fields this service does not hold; use one of ${list(ALL_OPERATORS)}`);
      continue;
    }
    if (!ALL_OPERATORS.includes(operator)) {
      issue(at(f), `unknown operator ${operator}; operators are ${list(ALL_OPERATORS)}`);
      continue;
    }
    const alias = PRESET_ALIASES[field];
    const metric = alias ? INSIGHTS_METRICS[alias.metric] : INSIGHTS_METRICS[field];
    if (metric) {
      const preset = alias?.preset ?? timePreset;
      if (!INSIGHTS_OPERATORS.includes(operator as RuleOperator)) {
        issue(at(f), `insights field ${field} takes ${list(INSIGHTS_OPERATORS)}, not ${operator}`);
        continue;
      }
      if (!preset) {
        issue(at(f), `insights field ${field} needs a time_preset filter ({field: "time_preset", operator: "EQUAL", value: e.g. LAST_3D})`);
        continue;
      }
      if (usesUniqueCount(metric)) {
        if (preset === 'TODAY') {
          issue(at(f), `${field} needs a unique count (reach), which is stored per day, not per hour: use time_preset YESTERDAY`);
          continue;
        }
        if (presetIsMultiDay(preset)) {
          issue(at(f), `${field} is a ratio or unique metric (reach, frequency, unique_*, cpp) and cannot be summed over ${preset}: use time_preset YESTERDAY`);
          continue;
        }
      }
      const money = metric.numerator.kind === 'spend' || metric.denominator?.kind === 'results' || metric.denominator?.kind === 'action';
      const value = numericValue(f, at(f), operator as RuleOperator, issue, money ? ', money in minor units: 1000 = 10.00' : '');
      if (value === null) continue;
      insights.push({ field, metric: alias?.metric ?? field, formula: metric, preset, operator: operator as RuleOperator, value });
      continue;
    }
    if ((UNSUPPORTED_INSIGHTS_FIELDS as readonly string[]).includes(field)) {
      issue(at(f), `insights field ${field} is not computed by this service; insights fields are ${list(Object.keys(INSIGHTS_METRICS))}, ${list(Object.keys(PRESET_ALIASES))}`);
      continue;
    }
    // Metadata: optional parent prefix, then an allow-listed name.
    if (!entityType) continue;
    const dot = field.indexOf('.');
    const prefix = dot > 0 && field.slice(0, dot) in PARENT_PREFIXES[entityType] ? field.slice(0, dot) : undefined;
    const name = prefix ? field.slice(dot + 1) : field;
    const owner: RuleEntityType = prefix ? PARENT_PREFIXES[entityType][prefix]! : entityType;
    if (!prefix && /^(adset|campaign)\./.test(field)) {
      const allowed = Object.keys(PARENT_PREFIXES[entityType]).map((p) => `${p}.`);
      issue(at(f), `${entityType} rules take ${allowed.length ? `the prefixes ${list(allowed)}` : 'no parent prefix'} on metadata fields (insights fields take no level prefix here)`);
      continue;
    }
    const def = METADATA_FIELDS[name];
    if (!def) {
      const why = (UNSUPPORTED_METADATA_FIELDS as readonly string[]).includes(name) ? `${name} is a Meta field this service does not hold` : `unknown field ${field}`;
      issue(at(f), `${why}; metadata fields are ${list(Object.keys(METADATA_FIELDS))} (with adset./campaign. prefixes for parents), insights fields are ${list(Object.keys(INSIGHTS_METRICS))}`);
      continue;
    }
    if (!def.on.includes(owner)) {
      issue(at(f), `${owner === entityType ? `${entityType} objects` : `the ${owner.toLowerCase()} of a ${entityType} rule`} have no ${name}; it exists on ${list(def.on)}`);
      continue;
    }
    if (!def.operators.includes(operator as RuleOperator)) {
      issue(at(f), `${name} takes ${list(def.operators)}, not ${operator}`);
      continue;
    }
    const condition = metadataCondition(f, at(f), { field, owner, name, kind: def.kind, operator: operator as RuleOperator }, issue);
    if (!condition) continue;
    if (name === 'effective_status' && owner === entityType && (operator === 'IN' || operator === 'NOT_IN' || operator === 'EQUAL' || operator === 'NOT_EQUAL')) {
      // The rule's own status filter replaces Meta's implied one.
      const values = Array.isArray(condition.value) ? (condition.value as string[]) : [condition.value as string];
      if (status) issue(at(f), 'effective_status may appear once');
      else status = { operator: operator === 'IN' || operator === 'EQUAL' ? 'IN' : 'NOT_IN', values, implied: false };
      continue;
    }
    metadata.push(condition);
  }

  // ── execution_spec ──
  const action = compileAction(input.execution_spec, entityType, issue);

  // ── schedule_spec ──
  const schedule = compileScheduleSpec(input.schedule_spec, issue);

  if (issues.length > 0 || !entityType || !action || !schedule) return { ok: false, issues };
  const implied: CompiledRule['status'] =
    action.type === 'UNPAUSE'
      ? { operator: 'NOT_IN', values: [...IMPLIED_UNPAUSE_EXCLUDED], implied: true }
      : { operator: 'IN', values: [...IMPLIED_ACTIVE_STATUSES], implied: true };
  const raisesSpend = action.type === 'UNPAUSE' || (action.changeSpec !== undefined && action.changeSpec.amount > 0);
  return {
    ok: true,
    rule: { entityType, timePreset, status: status ?? implied, metadata, insights, action, schedule, raisesSpend },
  };
}

type Issue = (path: string, message: string) => void;

function numericValue(f: Record<string, unknown>, path: string, operator: RuleOperator, issue: Issue, hint = ''): number | [number, number] | null {
  if (operator === 'IN_RANGE' || operator === 'NOT_IN_RANGE') {
    const v = f.value;
    const lo = Array.isArray(v) && v.length === 2 ? finiteNumber(v[0]) : null;
    const hi = Array.isArray(v) && v.length === 2 ? finiteNumber(v[1]) : null;
    if (lo === null || hi === null) {
      issue(path, `${operator} takes [low, high] (two numbers${hint})`);
      return null;
    }
    if (lo > hi) {
      issue(path, `${operator} takes [low, high] with low ≤ high`);
      return null;
    }
    return [lo, hi];
  }
  const n = finiteNumber(f.value);
  if (n === null) {
    issue(path, `${operator} takes one number${hint}`);
    return null;
  }
  return n;
}

function metadataCondition(
  f: Record<string, unknown>,
  path: string,
  base: Omit<MetadataCondition, 'value'>,
  issue: Issue,
): MetadataCondition | null {
  const { operator, kind } = base;
  if (kind === 'money' || kind === 'time' || kind === 'hours') {
    const hint = kind === 'money' ? ', in minor units: 1000 = 10.00' : kind === 'time' ? ', a unix time in seconds' : ', in hours';
    const value = numericValue(f, path, operator, issue, hint);
    return value === null ? null : { ...base, value };
  }
  if (operator === 'IN' || operator === 'NOT_IN') {
    const v = f.value;
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST_VALUES || !v.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isInteger(x)))) {
      issue(path, `${operator} takes a list of 1 to ${MAX_LIST_VALUES} values`);
      return null;
    }
    const values = v.map(String);
    if (kind === 'id' && !values.every((x) => /^\d{1,25}$/.test(x))) {
      issue(path, 'ids are Meta object ids (digits)');
      return null;
    }
    return { ...base, value: values };
  }
  if (typeof f.value !== 'string' && !(kind === 'id' && typeof f.value === 'number' && Number.isInteger(f.value))) {
    issue(path, `${operator} takes one text value`);
    return null;
  }
  const value = String(f.value);
  if (value.length === 0 || value.length > MAX_TEXT_LENGTH) {
    issue(path, `the value must be 1 to ${MAX_TEXT_LENGTH} characters`);
    return null;
  }
  if (kind === 'id' && !/^\d{1,25}$/.test(value)) {
    issue(path, 'ids are Meta object ids (digits)');
    return null;
  }
  return { ...base, value };
}

function option(options: unknown[], field: string): { value: unknown; operator: unknown; index: number } | undefined {
  const index = options.findIndex((o) => isRecord(o) && o.field === field);
  if (index < 0) return undefined;
  const o = options[index] as Record<string, unknown>;
  return { value: o.value, operator: o.operator, index };
}

const KNOWN_OPTIONS = ['change_spec', 'action_frequency', 'execution_count_limit', 'user_ids'];

function compileAction(spec: unknown, entityType: RuleEntityType | undefined, issue: Issue): CompiledAction | null {
  if (!isRecord(spec)) {
    issue('execution_spec', 'must be an object {execution_type, execution_options}');
    return null;
  }
  const type = spec.execution_type;
  if (typeof type !== 'string' || !EXECUTION_TYPES.includes(type as ExecutionType)) {
    const unsupported = typeof type === 'string' && (UNSUPPORTED_EXECUTION_TYPES as readonly string[]).includes(type);
    issue('execution_spec.execution_type', `${unsupported ? `${type} is a Meta execution type this service does not run; ` : ''}execution_type must be one of ${list(EXECUTION_TYPES)}`);
    return null;
  }
  if (spec.is_once_off === true) issue('execution_spec.is_once_off', 'once-off rules are not supported; use execution_count_limit 1 instead');
  const options = spec.execution_options === undefined ? [] : spec.execution_options;
  if (!Array.isArray(options)) {
    issue('execution_spec.execution_options', 'must be a list of {field, value, operator}');
    return null;
  }
  options.forEach((o, i) => {
    if (!isRecord(o) || typeof o.field !== 'string') issue(`execution_spec.execution_options[${i}]`, 'must be {field, value, operator}');
    else if (!KNOWN_OPTIONS.includes(o.field)) issue(`execution_spec.execution_options[${i}] (${o.field})`, `unknown option; options are ${list(KNOWN_OPTIONS)}`);
    else if (o.operator !== 'EQUAL' && !(o.field === 'user_ids' && o.operator === 'IN')) issue(`execution_spec.execution_options[${i}] (${o.field})`, 'options take the operator EQUAL');
  });
  const action: CompiledAction = { type: type as ExecutionType };
  const target = ENTITY_OF_CHANGE[action.type];
  if (target && entityType && entityType !== target) {
    const hint = action.type === 'CHANGE_BUDGET' ? ' (campaign budgets: CHANGE_CAMPAIGN_BUDGET with entity_type CAMPAIGN)' : action.type === 'CHANGE_CAMPAIGN_BUDGET' ? ' (ad set budgets: CHANGE_BUDGET with entity_type ADSET)' : '';
    issue('execution_spec.execution_type', `${action.type} changes the ${target === 'ADSET' ? 'ad set' : 'campaign'}'s ${action.type === 'CHANGE_BID' ? 'bid' : 'budget'}; ${entityType} objects have none: use entity_type ${target}${hint}`);
  }
  const changeOpt = option(options, 'change_spec');
  if (target) {
    if (!changeOpt) issue('execution_spec.execution_options', `${action.type} needs a change_spec option {field: "change_spec", operator: "EQUAL", value: {amount, unit, limit}}`);
    else {
      const change = compileChangeSpec(changeOpt.value, `execution_spec.execution_options[${changeOpt.index}] (change_spec)`, action.type, issue);
      if (change) action.changeSpec = change;
    }
  } else if (changeOpt) issue(`execution_spec.execution_options[${changeOpt.index}] (change_spec)`, `change_spec belongs to CHANGE_BUDGET, CHANGE_CAMPAIGN_BUDGET and CHANGE_BID, not ${action.type}`);
  const frequency = option(options, 'action_frequency');
  if (frequency) {
    const n = finiteNumber(frequency.value);
    if (n === null || !Number.isInteger(n) || n < 1 || n > 525_600) issue(`execution_spec.execution_options[${frequency.index}] (action_frequency)`, 'action_frequency is whole minutes from 1 to 525600 (10080 = one week)');
    else action.actionFrequencyMinutes = n;
  }
  const countLimit = option(options, 'execution_count_limit');
  if (countLimit) {
    const n = finiteNumber(countLimit.value);
    if (n === null || !Number.isInteger(n) || n < 1 || n > 1_000) issue(`execution_spec.execution_options[${countLimit.index}] (execution_count_limit)`, 'execution_count_limit is a whole number from 1 to 1000');
    else action.executionCountLimit = n;
  }
  const users = option(options, 'user_ids');
  if (users) {
    const v = users.value;
    if (!Array.isArray(v) || v.length === 0 || v.length > 50 || !v.every((x) => /^\d{1,25}$/.test(String(x)))) {
      issue(`execution_spec.execution_options[${users.index}] (user_ids)`, 'user_ids is a list of 1 to 50 Meta user ids');
    } else action.userIds = v.map(String);
  }
  return action;
}

function compileChangeSpec(value: unknown, path: string, type: ExecutionType, issue: Issue): ChangeSpec | null {
  if (!isRecord(value)) {
    issue(path, 'change_spec is {amount, unit: ACCOUNT_CURRENCY|PERCENTAGE, limit}');
    return null;
  }
  if ('target_field' in value) {
    issue(path, 'target_field (scaling toward a target) is not supported; give amount, unit and limit');
    return null;
  }
  const unknown = Object.keys(value).filter((k) => !['amount', 'unit', 'limit'].includes(k));
  if (unknown.length) issue(path, `unknown change_spec field(s) ${list(unknown)}; fields are amount, unit, limit`);
  const amount = finiteNumber(value.amount);
  const unit = value.unit;
  if (unit !== 'ACCOUNT_CURRENCY' && unit !== 'PERCENTAGE') {
    issue(path, 'unit must be ACCOUNT_CURRENCY (amount in minor units) or PERCENTAGE');
    return null;
  }
  if (amount === null || amount === 0) {
    issue(path, 'amount is a non-zero number (negative lowers)');
    return null;
  }
  if (unit === 'ACCOUNT_CURRENCY' && !Number.isInteger(amount)) {
    issue(path, 'an ACCOUNT_CURRENCY amount is whole minor units (1000 = 10.00)');
    return null;
  }
  if (unit === 'PERCENTAGE' && (amount <= -100 || amount > 1_000 || Math.round(amount * 1e6) !== amount * 1e6)) {
    issue(path, 'a PERCENTAGE amount is above -100 and at most 1000, with at most 6 decimals');
    return null;
  }
  let limit: number | undefined;
  if (value.limit !== undefined && value.limit !== null) {
    const l = finiteNumber(value.limit);
    if (l === null || !Number.isInteger(l) || l < 1) {
      issue(path, 'limit is a whole number of minor units ≥ 1: the ceiling when raising, the floor when lowering');
      return null;
    }
    limit = l;
  }
  if (unit === 'PERCENTAGE' && amount > 0 && limit === undefined) {
    issue(path, `a PERCENTAGE change that raises the ${type === 'CHANGE_BID' ? 'bid' : 'budget'} needs a limit (the ceiling, in minor units): without one it compounds every time the rule acts`);
    return null;
  }
  return { amount, unit, limit };
}

function compileScheduleSpec(spec: unknown, issue: Issue) {
  if (!isRecord(spec)) {
    issue('schedule_spec', `must be an object {schedule_type: ${list(SCHEDULE_TYPES)}}`);
    return null;
  }
  const type = spec.schedule_type;
  if (typeof type !== 'string' || !SCHEDULE_TYPES.includes(type as ScheduleType)) {
    issue('schedule_spec.schedule_type', `must be one of ${list(SCHEDULE_TYPES)}`);
    return null;
  }
  if (type !== 'CUSTOM') {
    if (spec.schedule !== undefined) issue('schedule_spec.schedule', `belongs to CUSTOM schedules, not ${type}`);
    return compileSchedule(type as ScheduleType);
  }
  const entries = spec.schedule;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > 48) {
    issue('schedule_spec.schedule', 'CUSTOM needs 1 to 48 entries {start_minute, end_minute, days}');
    return null;
  }
  const out: CustomScheduleEntry[] = [];
  entries.forEach((e, i) => {
    const path = `schedule_spec.schedule[${i}]`;
    if (!isRecord(e)) return issue(path, 'must be {start_minute, end_minute, days}');
    const unknown = Object.keys(e).filter((k) => !['start_minute', 'end_minute', 'days'].includes(k));
    if (unknown.length) issue(path, `unknown field(s) ${list(unknown)}`);
    if (e.start_minute === undefined && e.days === undefined) issue(path, 'each entry needs start_minute or days');
    const minute = (v: unknown, name: string, max: number): number | undefined => {
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max || v % 30 !== 0) {
        issue(`${path}.${name}`, `${name} is minutes after local midnight in steps of 30, from 0 to ${max}`);
        return undefined;
      }
      return v;
    };
    const start = minute(e.start_minute, 'start_minute', 1410);
    const end = minute(e.end_minute, 'end_minute', 1440);
    if (start !== undefined && end !== undefined && end <= start) issue(`${path}.end_minute`, 'end_minute must be after start_minute');
    let days: number[] | undefined;
    if (e.days !== undefined) {
      if (!Array.isArray(e.days) || e.days.length === 0 || !e.days.every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) <= 6) || new Set(e.days).size !== e.days.length) {
        issue(`${path}.days`, 'days is a list of distinct days 0–6 (0 = Sunday)');
      } else days = e.days as number[];
    }
    out.push({ start_minute: start, end_minute: end, days });
  });
  return compileSchedule('CUSTOM', out);
}
