/**
 * Automated rules: inputs in Meta's snake_case shapes (`evaluation_spec`, `execution_spec`,
 * `schedule_spec`, money in minor units), outputs for both fronts. The shapes are checked here;
 * what the specs mean (fields, operators, presets, change specs) is checked by
 * domain/rule-validation, whose messages name the filter and what is allowed.
 */
import { z } from 'zod';
import { adAccountIdSchema, booleanishSchema, cursorSchema, dateSchema, limitSchema, pageOf } from './common';

export const ruleIdSchema = z.uuid('expected a rule id (UUID)').describe('Rule id (UUID)');
const specHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected the specHash the rule answered with').describe('The specHash of the rule as you reviewed it');

const filterSchema = z.strictObject({
  field: z.string().min(1).max(200).describe('Meta field, e.g. entity_type, time_preset, spent, cost_per, adset.optimization_goal'),
  operator: z.string().min(1).max(40).describe('GREATER_THAN, LESS_THAN, EQUAL, NOT_EQUAL, IN_RANGE, NOT_IN_RANGE, IN, NOT_IN, CONTAIN, NOT_CONTAIN'),
  value: z.unknown().describe('A number (money in minor units: 1000 = 10.00), [low, high], text, or a list'),
});

export const evaluationSpecSchema = z
  .strictObject({
    evaluation_type: z.string().max(20).describe('SCHEDULE'),
    filters: z.array(filterSchema).min(1).max(50),
    trigger: z.unknown().optional(),
  })
  .describe("Meta's evaluation_spec: filters ANDed; needs entity_type, and time_preset with insights filters");

const executionOptionSchema = z.strictObject({
  field: z.string().min(1).max(60).describe('change_spec, action_frequency, execution_count_limit, user_ids'),
  value: z.unknown(),
  operator: z.string().min(1).max(10).describe('EQUAL'),
});

export const executionSpecSchema = z
  .strictObject({
    execution_type: z.string().max(40).describe('NOTIFICATION, PAUSE, UNPAUSE, CHANGE_BUDGET, CHANGE_CAMPAIGN_BUDGET, CHANGE_BID'),
    execution_options: z.array(executionOptionSchema).max(10).optional(),
    is_once_off: z.boolean().optional(),
  })
  .describe("Meta's execution_spec");

export const scheduleSpecSchema = z
  .strictObject({
    schedule_type: z.string().max(20).describe('DAILY, HOURLY, SEMI_HOURLY, CUSTOM (in the ad account time zone)'),
    schedule: z
      .array(z.strictObject({ start_minute: z.number().optional(), end_minute: z.number().optional(), days: z.array(z.number()).optional() }))
      .max(48)
      .optional(),
  })
  .describe("Meta's schedule_spec");

const webhookUrlSchema = z
  .url({ protocol: /^https?$/, message: 'expected an http(s) URL' })
  .max(2048)
  .describe('NOTIFICATION rules POST each notice here, signed with HMAC-SHA256 (X-Rule-Signature)');

export const createRuleInput = z.strictObject({
  adAccountId: adAccountIdSchema,
  name: z.string().trim().min(1).max(255),
  evaluation_spec: evaluationSpecSchema,
  execution_spec: executionSpecSchema,
  schedule_spec: scheduleSpecSchema,
  webhookUrl: webhookUrlSchema.optional(),
});

export const updateRuleInput = z.strictObject({
  ruleId: ruleIdSchema,
  name: z.string().trim().min(1).max(255).optional(),
  evaluation_spec: evaluationSpecSchema.optional(),
  execution_spec: executionSpecSchema.optional(),
  schedule_spec: scheduleSpecSchema.optional(),
  webhookUrl: webhookUrlSchema.nullable().optional().describe('null removes the webhook'),
  confirmSpecHash: specHashSchema.optional().describe('Needed when an enabled rule that can raise spend or turn delivery on changes'),
});

export const ruleRefInput = z.strictObject({ ruleId: ruleIdSchema });
export const enableRuleInput = z.strictObject({
  ruleId: ruleIdSchema,
  confirmSpecHash: specHashSchema.optional().describe('Needed for a rule that can raise spend or turn delivery on: the specHash from the rule'),
});
export const listRulesInput = z.strictObject({
  adAccountId: adAccountIdSchema.optional(),
  includeDeleted: booleanishSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});

/** A backtest range: local days of the account (inclusive) or ISO instants ([from, to)). */
const instantOrDay = z.union([dateSchema, z.iso.datetime({ offset: true })]).describe('YYYY-MM-DD (a local day of the ad account) or an ISO instant');
export const backtestRuleInput = z.strictObject({ ruleId: ruleIdSchema, from: instantOrDay, to: instantOrDay });

export const listRuleExecutionsInput = z.strictObject({
  ruleId: ruleIdSchema,
  mode: z.enum(['scheduled', 'manual', 'preview', 'backtest']).optional(),
  backtestId: z.uuid().optional(),
  matchesPerExecution: z.coerce.number().int().min(0).max(500).default(50),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});

export const ruleObjectHistoryInput = z.strictObject({
  entityId: z.string().regex(/^\d{1,25}$/, 'expected a numeric Meta object id'),
  ruleId: ruleIdSchema.optional(),
  limit: limitSchema(200, 50),
});

// ───────────── views ─────────────

export const ruleView = z.object({
  ruleId: z.string(),
  adAccountId: z.string(),
  name: z.string(),
  /** Where it runs: evaluated here, or read from Meta's adrules_library and run by Meta. */
  runsOn: z.enum(['service', 'meta']),
  metaRuleId: z.string().nullable(),
  status: z.string(),
  evaluation_spec: z.unknown(),
  execution_spec: z.unknown(),
  schedule_spec: z.unknown(),
  specHash: z.string(),
  raisesSpend: z.boolean().describe('Can raise spend or turn delivery on: enabling needs confirmSpecHash'),
  confirmedSpecHash: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  scheduleId: z.string().nullable(),
  nextTicks: z.array(z.string()).describe('Next evaluation instants (enabled rules of ours)'),
  createdAt: z.string(),
  updatedAt: z.string(),
  enabledAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export const createdRuleView = ruleView.extend({ webhookSecret: z.string().nullable().describe('Shown once: the HMAC-SHA256 key of the webhook signatures') });
export const ruleListView = pageOf(ruleView);

export const confirmationView = z.object({
  state: z.enum(['not_needed', 'confirmed', 'required']),
  specHash: z.string(),
  message: z.string(),
});
export const ruleChangeView = z.object({ rule: ruleView, confirmation: confirmationView });

const fieldChangeView = z.record(z.string(), z.object({ before: z.string().nullable(), after: z.string() }));
export const ruleMatchView = z.object({
  entityId: z.string(),
  name: z.string().nullable(),
  values: z.record(z.string(), z.string().nullable()),
  outcome: z.string(),
  change: fieldChangeView.nullable(),
  spendAfterMinor: z.string().nullable().optional(),
});

export const rulePreviewView = z.object({
  ruleId: z.string(),
  executionId: z.string(),
  asOf: z.string(),
  status: z.enum(['completed', 'stale_metrics']),
  reason: z.string().nullable(),
  counts: z.object({ matched: z.number(), acted: z.number(), skippedCooldown: z.number(), skippedOther: z.number() }),
  objects: z.array(ruleMatchView),
  truncated: z.boolean(),
  changeSet: z
    .object({
      items: z.array(z.object({ entityId: z.string(), level: z.string(), changes: fieldChangeView })),
      totals: z.object({ turnedOff: z.number(), turnedOn: z.number(), budgetDeltaMinor: z.string(), bidDeltaMinor: z.string() }),
      requiresConfirmation: z.boolean(),
    })
    .describe('What the rule would put in a change set now (before → after); nothing is sent'),
});

export const backtestView = z.object({
  mode: z.enum(['inline', 'workflow']),
  backtestId: z.string(),
  ruleId: z.string(),
  from: z.string(),
  to: z.string(),
  ticks: z.number(),
  workflowId: z.string().nullable(),
  summary: z
    .object({ firedTicks: z.number(), unevaluatedTicks: z.number(), actions: z.number(), objects: z.number(), spendAfterMinor: z.string() })
    .nullable()
    .describe('"Would have fired", not "would have saved"; null while the workflow runs'),
  fires: z.array(z.object({ asOf: z.string(), objects: z.array(ruleMatchView) })),
  truncated: z.boolean(),
});

export const runRuleView = z.object({ ruleId: z.string(), asOf: z.string(), workflowId: z.string(), runId: z.string() });

export const ruleExecutionView = z.object({
  executionId: z.string(),
  asOf: z.string(),
  mode: z.string(),
  status: z.string(),
  workflowId: z.string().nullable(),
  backtestId: z.string().nullable(),
  matched: z.number(),
  acted: z.number(),
  skippedCooldown: z.number(),
  skippedOther: z.number(),
  changeSetId: z.string().nullable(),
  metricsReadAt: z.string().nullable(),
  detail: z.unknown(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  matches: z.array(ruleMatchView),
});
export const ruleExecutionListView = pageOf(ruleExecutionView);

export const ruleObjectHistoryView = z.object({
  entityId: z.string(),
  data: z.array(z.object({ ruleId: z.string(), executionId: z.string(), asOf: z.string(), mode: z.string(), outcome: z.string(), values: z.unknown(), change: z.unknown() })),
});
