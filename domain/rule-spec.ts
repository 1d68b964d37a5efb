/**
 * Meta's automated-rules vocabulary (ad rules engine: `evaluation_spec`, `execution_spec`,
 * `schedule_spec`) as this service evaluates it, and the normalized form a valid rule compiles to.
 * Words are Meta's exactly (sources in shared/notes/WRITES.md §1 and META-API.md §6); money in
 * filters and change specs is in minor units of the account currency, as Meta takes it.
 * Pure data and types: workflows, activities, the SQL compiler and the TS evaluator all read it.
 */

/** The objects a rule evaluates (`entity_type`). */
export const RuleEntityType = { Ad: 'AD', AdSet: 'ADSET', Campaign: 'CAMPAIGN' } as const;
export type RuleEntityType = (typeof RuleEntityType)[keyof typeof RuleEntityType];
export const RULE_ENTITY_TYPES: readonly RuleEntityType[] = ['AD', 'ADSET', 'CAMPAIGN'];

/** Metric level (metrics tables' `level`) of each entity type. */
export const LEVEL_OF_ENTITY: Readonly<Record<RuleEntityType, 'ad' | 'adset' | 'campaign'>> = { AD: 'ad', ADSET: 'adset', CAMPAIGN: 'campaign' };

/** Filter operators of Meta's evaluation spec. ANY, ALL and NONE exist on Meta for list fields this service does not hold (adlabel_ids). */
export const RuleOperator = {
  GreaterThan: 'GREATER_THAN',
  LessThan: 'LESS_THAN',
  Equal: 'EQUAL',
  NotEqual: 'NOT_EQUAL',
  InRange: 'IN_RANGE',
  NotInRange: 'NOT_IN_RANGE',
  In: 'IN',
  NotIn: 'NOT_IN',
  Contain: 'CONTAIN',
  NotContain: 'NOT_CONTAIN',
} as const;
export type RuleOperator = (typeof RuleOperator)[keyof typeof RuleOperator];
/** Meta's operators this service does not evaluate (named in validation messages). */
export const UNSUPPORTED_OPERATORS = ['ANY', 'ALL', 'NONE'] as const;

/** Operators comparing one number (or a [low, high] range). */
export const NUMERIC_OPERATORS: readonly RuleOperator[] = ['GREATER_THAN', 'LESS_THAN', 'EQUAL', 'NOT_EQUAL', 'IN_RANGE', 'NOT_IN_RANGE'];
/** Operators of insights filters (Meta lists no NOT_EQUAL for insights). */
export const INSIGHTS_OPERATORS: readonly RuleOperator[] = ['GREATER_THAN', 'LESS_THAN', 'EQUAL', 'IN_RANGE', 'NOT_IN_RANGE'];

/** Time presets (`time_preset`, EQUAL, one per rule). */
export const TIME_PRESETS = [
  'TODAY', 'YESTERDAY', 'LIFETIME', 'THIS_MONTH', 'THIS_WEEK_MON_TODAY', 'THIS_WEEK_SUN_TODAY',
  'LAST_2_DAYS', 'LAST_3_DAYS', 'LAST_7_DAYS', 'LAST_14_DAYS', 'LAST_28_DAYS', 'LAST_30_DAYS',
  'LAST_2D', 'LAST_3D', 'LAST_7D', 'LAST_14D', 'LAST_28D', 'LAST_30D',
] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];
/** Meta's ROAS presets (8- and 29-day attribution offsets): named, not evaluated here. */
export const UNSUPPORTED_TIME_PRESET = /^LAST_ND_(\d+|LIFETIME)_(8|29)$/;

/** What a rule does to the objects it matches (`execution_type`). */
export const ExecutionType = {
  Notification: 'NOTIFICATION',
  Pause: 'PAUSE',
  Unpause: 'UNPAUSE',
  ChangeBudget: 'CHANGE_BUDGET',
  ChangeCampaignBudget: 'CHANGE_CAMPAIGN_BUDGET',
  ChangeBid: 'CHANGE_BID',
} as const;
export type ExecutionType = (typeof ExecutionType)[keyof typeof ExecutionType];
export const EXECUTION_TYPES: readonly ExecutionType[] = Object.values(ExecutionType);
/** Meta's execution types this service does not run (named in validation messages). */
export const UNSUPPORTED_EXECUTION_TYPES = ['ROTATE', 'REBALANCE_BUDGET', 'PING_ENDPOINT', 'DCO', 'UPDATE_CREATIVE', 'CHANGE_CAMPAIGN_BUDGET_BY_ROAS'] as const;
/** The entity type each change acts on (Meta: CHANGE_BUDGET and CHANGE_BID on ad sets). */
export const ENTITY_OF_CHANGE: Readonly<Partial<Record<ExecutionType, RuleEntityType>>> = {
  CHANGE_BUDGET: 'ADSET',
  CHANGE_CAMPAIGN_BUDGET: 'CAMPAIGN',
  CHANGE_BID: 'ADSET',
};

/** Schedule types (`schedule_spec.schedule_type`). */
export const SCHEDULE_TYPES = ['DAILY', 'HOURLY', 'SEMI_HOURLY', 'CUSTOM'] as const;
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];

/** Effective statuses Meta reports for campaigns, ad sets and ads. */
export const EFFECTIVE_STATUSES = [
  'ACTIVE', 'PAUSED', 'DELETED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO',
  'CAMPAIGN_PAUSED', 'ARCHIVED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES',
] as const;

/** Meta's implied status filter when a rule names none: IN for every type but UNPAUSE, NOT_IN for it. */
export const IMPLIED_ACTIVE_STATUSES = ['ACTIVE', 'PENDING_REVIEW'] as const;
export const IMPLIED_UNPAUSE_EXCLUDED = ['ARCHIVED', 'DELETED'] as const;

/** Rule statuses (Meta's words). */
export const RuleStatus = { Enabled: 'ENABLED', Disabled: 'DISABLED', Deleted: 'DELETED', HasIssues: 'HAS_ISSUES' } as const;
export type RuleStatus = (typeof RuleStatus)[keyof typeof RuleStatus];

/** Where a rule runs: evaluated by this service, or read from Meta's `adrules_library` and run there. */
export const RuleOrigin = { Service: 'service', Meta: 'meta' } as const;
export type RuleOrigin = (typeof RuleOrigin)[keyof typeof RuleOrigin];

/** Why an evaluation ran. */
export const EvaluationMode = { Scheduled: 'scheduled', Manual: 'manual', Preview: 'preview', Backtest: 'backtest' } as const;
export type EvaluationMode = (typeof EvaluationMode)[keyof typeof EvaluationMode];

/** Lifecycle of an ad_rule_executions row. */
export const ExecutionStatus = {
  Running: 'running',
  /** Evaluated; any change set it made is being applied. */
  Acting: 'acting',
  Completed: 'completed',
  /** The metrics the window needs were too old: nothing was evaluated or acted on. */
  StaleMetrics: 'stale_metrics',
  /** The rule was disabled or changed before a scheduled tick ran: nothing was evaluated. */
  Skipped: 'skipped',
  Failed: 'failed',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

/** What became of one matched object. */
export const MatchOutcome = {
  /** Put in the change set (or notified); in a preview or backtest: would have been. */
  Acted: 'acted',
  /** Acted on within `action_frequency` minutes before. */
  Cooldown: 'cooldown',
  /** Acted on `execution_count_limit` times already. */
  CountLimit: 'count_limit',
  /** The budget or bid is at the change spec's limit already. */
  AtLimit: 'at_limit',
  /** The object has no budget of its own (an ad set under a campaign budget) or no bid. */
  NoBudget: 'no_budget',
  /** Already in the state the action asks for (a paused object for PAUSE). */
  NoChange: 'no_change',
} as const;
export type MatchOutcome = (typeof MatchOutcome)[keyof typeof MatchOutcome];

// ───────────── the rule as stored (Meta's shapes, snake_case) ─────────────

/** One filter of `evaluation_spec.filters` (all ANDed). */
export interface RuleFilter {
  field: string;
  operator: string;
  value: unknown;
}

export interface EvaluationSpec {
  /** SCHEDULE (TRIGGER rules exist on Meta; this service evaluates on schedules only). */
  evaluation_type: string;
  filters: RuleFilter[];
  trigger?: unknown;
}

/** One of `execution_spec.execution_options`: change_spec, action_frequency, execution_count_limit, user_ids. */
export interface ExecutionOption {
  field: string;
  value: unknown;
  operator: string;
}

export interface ExecutionSpec {
  execution_type: string;
  execution_options?: ExecutionOption[];
  is_once_off?: boolean;
}

/** One CUSTOM window: minutes after local midnight (steps of 30) and days 0–6 (0 = Sunday). */
export interface CustomScheduleEntry {
  start_minute?: number;
  end_minute?: number;
  days?: number[];
}

export interface ScheduleSpec {
  schedule_type: string;
  schedule?: CustomScheduleEntry[];
}

/** The three specs of a rule, as Meta's API and `ad_rules` hold them. */
export interface RuleSpecs {
  evaluation_spec: EvaluationSpec;
  execution_spec: ExecutionSpec;
  schedule_spec: ScheduleSpec;
}

// ───────────── the compiled rule (what evaluation runs) ─────────────

/** A metadata field of the entity table (or a parent's, through `adset.`/`campaign.`). */
export type MetadataFieldKind = 'id' | 'text' | 'enum' | 'money' | 'time' | 'hours';

export interface MetadataCondition {
  /** The filter's field as written (e.g. `campaign.objective`). */
  field: string;
  /** Whose field: the evaluated entity or one of its parents. */
  owner: RuleEntityType;
  /** The allow-listed field name without prefix (key of METADATA_FIELDS). */
  name: string;
  kind: MetadataFieldKind;
  operator: RuleOperator;
  /** Normalized: a number (minor units, unix seconds or hours), [lo, hi], a string or a string list. */
  value: number | [number, number] | string | string[];
}

/** Additive quantities an insights metric is built from, summed over the window. */
export type Quantity =
  | { kind: 'spend' }
  | { kind: 'impressions' }
  | { kind: 'clicks' }
  | { kind: 'action'; actionType: string }
  | { kind: 'actionValue'; actionType: string }
  | { kind: 'actionPrefix'; prefix: string }
  | { kind: 'results' }
  /** Not additive: only over a single day (the day's own row). */
  | { kind: 'reach' }
  | { kind: 'uniqueClicks' };

/** value = numerator × factor ÷ denominator (no denominator: numerator × factor); a zero denominator matches nothing. */
export interface MetricFormula {
  numerator: Quantity;
  factor: number;
  denominator?: Quantity;
}

export interface InsightCondition {
  field: string;
  /** The metric's name (key of INSIGHTS_METRICS), e.g. `spent`, `cost_per`. */
  metric: string;
  formula: MetricFormula;
  preset: TimePreset;
  operator: RuleOperator;
  value: number | [number, number];
}

/** change_spec of CHANGE_BUDGET / CHANGE_CAMPAIGN_BUDGET / CHANGE_BID. */
export interface ChangeSpec {
  /** Minor units (ACCOUNT_CURRENCY) or percent (PERCENTAGE); negative lowers. */
  amount: number;
  unit: 'ACCOUNT_CURRENCY' | 'PERCENTAGE';
  /** Ceiling (raising) or floor (lowering) in minor units. */
  limit?: number;
}

export interface CompiledAction {
  type: ExecutionType;
  changeSpec?: ChangeSpec;
  /** Minutes before the rule may act on the same object again. */
  actionFrequencyMinutes?: number;
  /** Most times the rule acts on one object. */
  executionCountLimit?: number;
  /** NOTIFICATION recipients as given (Meta user ids). */
  userIds?: string[];
}

/** A validated rule, normalized for the SQL compiler, the TS evaluator and the scheduler. */
export interface CompiledRule {
  entityType: RuleEntityType;
  /** The rule's time_preset; undefined when it has no insights filters. */
  timePreset?: TimePreset;
  /** The status filter that applies: the rule's own or Meta's implied one. */
  status: { operator: 'IN' | 'NOT_IN'; values: string[]; implied: boolean };
  metadata: MetadataCondition[];
  insights: InsightCondition[];
  action: CompiledAction;
  schedule: CompiledSchedule;
  /** Can raise spend (budget or bid increase) or turn delivery on (UNPAUSE). */
  raisesSpend: boolean;
}

/** Local tick times: minutes after local midnight, per day of week (0 = Sunday). */
export interface CompiledSchedule {
  type: ScheduleType;
  /** Tick minutes (after midnight, the tick offset not yet added) for each day of week 0–6. */
  minutesByDay: ReadonlyArray<readonly number[]>;
}

/** One validation problem: the filter path and what is wrong, with what is allowed. */
export interface RuleIssue {
  path: string;
  message: string;
}
