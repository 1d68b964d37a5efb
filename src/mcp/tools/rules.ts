import { createRule, disableRule, enableRule, getRule, listRules, updateRule } from '../../operations/rules';
import { backtestRule, listRuleExecutions, previewRule, runRule } from '../../operations/rule-runs';
import {
  backtestRuleInput, backtestView, createdRuleView, createRuleInput, enableRuleInput, listRuleExecutionsInput, listRulesInput, ruleChangeView,
  ruleExecutionListView, ruleListView, rulePreviewView, ruleRefInput, ruleView, runRuleView, updateRuleInput,
} from '../../operations/schemas/rules';
import { pageNote, readOnly, type ToolAnnotations, type ToolArea } from './tool-spec';
import { startedRun, startOutputOf, waitSchema } from './workflow-starts';

/** Creating stores a new rule each call (disabled): not idempotent, changes nothing on Meta. */
const creates: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Changing a rule's specs replaces what it will do on its next ticks. */
const replaces: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
/** Enabling lets its schedule act on Meta through change sets (pauses, budget changes). */
const enables: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };
/** Disabling only stops future ticks; history stays. */
const disables: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Preview and backtest send nothing to Meta; they record their own execution rows (a new one each call). */
const evaluates: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Run acts on Meta now (through a change set): each call is a new evaluation. */
const acts: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

const specNote =
  "Specs in Meta's own shapes: evaluation_spec {evaluation_type: SCHEDULE, filters: [{field, operator, value}] ANDed, with entity_type and, for insights fields, one time_preset}, execution_spec {execution_type, execution_options: [{field: change_spec|action_frequency|execution_count_limit, operator: EQUAL, value}]}, schedule_spec {schedule_type: DAILY|HOURLY|SEMI_HOURLY|CUSTOM}. Money in minor units (1000 = 10.00).";

/** Automated rules: the same operations and schemas as /v1/rules. */
export const ruleTools: ToolArea = (ctx, actor) => [
  {
    name: 'create_rule',
    title: 'Create a rule',
    description: `Creates an automated rule on an ad account, DISABLED (write scope). ${specNote} Invalid specs are refused with the field and what is allowed. Preview it with preview_rule, then enable_rule.`,
    input: createRuleInput,
    output: createdRuleView,
    annotations: creates,
    run: (args) => createRule(ctx, actor, args),
  },
  {
    name: 'list_rules',
    title: 'List rules',
    description: `Your company's rules (optionally of one ad account), ours and Meta's own (runsOn "meta", read from adrules_library), newest first. ${pageNote}`,
    input: listRulesInput,
    output: ruleListView,
    annotations: readOnly,
    run: (args) => listRules(ctx, actor, args),
  },
  {
    name: 'get_rule',
    title: 'Get a rule',
    description: 'One rule: its specs, status, specHash, whether it can raise spend, and its next evaluation times when enabled.',
    input: ruleRefInput,
    output: ruleView,
    annotations: readOnly,
    run: (args) => getRule(ctx, actor, args),
  },
  {
    name: 'update_rule',
    title: 'Update a rule',
    description: `Changes a rule's name, specs or webhook (write scope). ${specNote} An enabled rule whose new specs can raise spend or turn delivery on changes only with confirmSpecHash equal to the new specHash: without it nothing changes and confirmation.state is "required" with the hash to confirm.`,
    input: updateRuleInput,
    output: ruleChangeView,
    annotations: replaces,
    run: (args) => updateRule(ctx, actor, args),
  },
  {
    name: 'enable_rule',
    title: 'Enable a rule',
    description:
      'Enables a rule (write scope): its Temporal Schedule evaluates it in the ad account time zone and its actions run as change sets under the account caps. A rule that can raise spend or turn delivery on needs confirmSpecHash (the specHash you reviewed): without it nothing changes and confirmation.state is "required".',
    input: enableRuleInput,
    output: ruleChangeView,
    annotations: enables,
    run: (args) => enableRule(ctx, actor, args),
  },
  {
    name: 'disable_rule',
    title: 'Disable a rule',
    description: 'Disables a rule (write scope): its schedule is removed, no more evaluations; its history stays.',
    input: ruleRefInput,
    output: ruleView,
    annotations: disables,
    run: (args) => disableRule(ctx, actor, args),
  },
  {
    name: 'preview_rule',
    title: 'Preview a rule',
    description: 'What the rule matches now, with the values that matched, and the change set it would make (before → after). Nothing is sent to Meta; the preview is recorded in the rule history (mode preview).',
    input: ruleRefInput,
    output: rulePreviewView,
    annotations: evaluates,
    run: (args) => previewRule(ctx, actor, args),
  },
  {
    name: 'backtest_rule',
    title: 'Backtest a rule',
    description:
      'Evaluates the rule at each tick of its schedule over [from, to] of stored history (days of the ad account, or ISO instants), with cooldowns and count limits: when it would have fired, on which objects, and their spend afterwards ("would have fired", not "would have saved"). Short ranges answer inline; long ones start a workflow (mode "workflow", its workflowId; then list_rule_executions with backtestId). Nothing is sent to Meta.',
    input: backtestRuleInput,
    output: backtestView,
    annotations: evaluates,
    run: (args) => backtestRule(ctx, actor, args),
  },
  {
    name: 'run_rule',
    title: 'Run a rule now',
    description:
      'Evaluates the rule now and acts (write scope): starts its evaluation workflow and answers the workflowId (follow it with get_workflow_status; its execution appears in list_rule_executions). Actions go to Meta as a change set confirmed by the rule. A rule that can raise spend must be enabled with its confirmation first.',
    input: ruleRefInput.extend({ waitSeconds: waitSchema }),
    output: startOutputOf(runRuleView),
    annotations: acts,
    run: startedRun(ctx, actor, (args) => runRule(ctx, actor, args)),
  },
  {
    name: 'list_rule_executions',
    title: 'List rule executions',
    description: `The rule's evaluations (scheduled, manual, preview, backtest), newest first: matched, acted, held back by cooldown, stale metrics, the change set id, and the matched objects with the values that matched. ${pageNote}`,
    input: listRuleExecutionsInput,
    output: ruleExecutionListView,
    annotations: readOnly,
    run: (args) => listRuleExecutions(ctx, actor, args),
  },
];
