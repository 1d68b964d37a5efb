/**
 * Updates (`POST /<id>`) and soft deletes (`DELETE /<id>`), with Meta's rules: DELETED objects
 * accept only a new name, ARCHIVED ones only name and status (→ DELETED); budgets, times and
 * bids are checked like on create; the per-object change limits apply; `validate_only`
 * checks everything and changes nothing. Every applied write bumps `updated_time` and goes to
 * the write log.
 */
import { invalidParameter, validationError } from './graph-errors';
import { creativeParam } from './object-creates';
import { ObjectStatus, type NodeType, type SimNode, type SimulatorState } from './simulator-state';
import {
  BID_STRATEGIES, BILLING_EVENTS, OPTIMIZATION_GOALS, WRITABLE_STATUSES, enumParam, jsonParam, minorUnits, objectParam,
  refuseUnknownParams, timeParam, validateOnly,
} from './write-params';
import { readFields, recordWrite } from './write-recording';
import {
  admitBudgetChange, admitSpendCapChange, checkBidStrategy, checkBudgetType, checkBudgets, checkCampaignBudgetConflict,
  checkGoalFits, checkPromotedObject, checkTargeting, countBudgetChange, countSpendCapChange, endField,
} from './write-rules';

const UPDATABLE: Partial<Record<NodeType, ReadonlySet<string>>> = {
  adaccount: new Set(['spend_cap']),
  campaign: new Set([
    'name', 'status', 'daily_budget', 'lifetime_budget', 'bid_strategy', 'spend_cap', 'start_time', 'stop_time',
    'special_ad_categories', 'special_ad_category_country', 'promoted_object', 'pacing_type',
  ]),
  adset: new Set([
    'name', 'status', 'daily_budget', 'lifetime_budget', 'bid_amount', 'bid_strategy', 'bid_constraints', 'targeting',
    'start_time', 'end_time', 'optimization_goal', 'billing_event', 'promoted_object', 'destination_type',
    'attribution_spec', 'pacing_type', 'frequency_control_specs', 'adset_schedule',
  ]),
  ad: new Set(['name', 'status', 'creative', 'bid_amount', 'tracking_specs', 'conversion_specs']),
  adcreative: new Set(['name', 'status']),
  adrule: new Set(['name', 'status', 'evaluation_spec', 'execution_spec', 'schedule_spec']),
};

/** Params stored as the JSON value the client sent. */
const JSON_FIELDS = [
  'targeting', 'promoted_object', 'special_ad_categories', 'special_ad_category_country', 'pacing_type', 'bid_constraints',
  'attribution_spec', 'frequency_control_specs', 'adset_schedule', 'tracking_specs', 'conversion_specs',
  'evaluation_spec', 'execution_spec', 'schedule_spec',
] as const;

const RULE_STATUSES = ['ENABLED', 'DISABLED', 'DELETED'] as const;

/** Objects whose configured status is mirrored in `configured_status`. */
function hasConfiguredStatus(type: NodeType): boolean {
  return type === 'campaign' || type === 'adset' || type === 'ad';
}

function setStatus(state: SimulatorState, node: SimNode, status: string): void {
  state.changeStatus(node, () => {
    node.status = status;
    node.fields.status = status;
    if (hasConfiguredStatus(node.type)) node.fields.configured_status = status;
  });
}

function checkStatusRules(node: SimNode, keys: readonly string[], params: Record<string, string>): void {
  if (node.status === ObjectStatus.Deleted) {
    const other = keys.find((k) => k !== 'name');
    if (other) {
      throw validationError(other, 'Object Deleted', `The ${node.type} ${node.id} has been deleted: only its name can be changed, and the deletion can't be undone.`);
    }
  }
  if (node.status === ObjectStatus.Archived) {
    const other = keys.find((k) => k !== 'name' && k !== 'status');
    if (other) throw validationError(other, 'Archived object', `Archived objects only accept name and status changes; ${other} can't be edited.`);
    if (params.status !== undefined && params.status !== ObjectStatus.Deleted && params.status !== ObjectStatus.Archived) {
      throw validationError('status', 'Archived object', 'An archived object can only be deleted.');
    }
  }
}

/** `POST /<id>`: update; `{"success":true}`. */
export function updateObject(state: SimulatorState, node: SimNode, params: Record<string, string>): Record<string, unknown> {
  const allowed = UPDATABLE[node.type];
  if (!allowed) throw invalidParameter(`(#100) Updating this object type is not supported`);
  const keys = refuseUnknownParams(params, allowed, 'updating');
  checkStatusRules(node, keys, params);
  const account = state.accountOf(node);

  if (node.type === 'adrule') enumParam(params, 'status', RULE_STATUSES);
  else enumParam(params, 'status', WRITABLE_STATUSES);
  if (params.name !== undefined && params.name.trim() === '') throw validationError('name', 'Missing name', "The name can't be empty.");
  const daily = minorUnits(params, 'daily_budget');
  const lifetime = minorUnits(params, 'lifetime_budget');
  const bid = minorUnits(params, 'bid_amount');
  const spendCap = minorUnits(params, 'spend_cap');
  const level = node.type === 'campaign' || node.type === 'adset' ? node.type : undefined;
  const endKey = level ? endField(level) : undefined;
  const start = timeParam(params, 'start_time', false);
  const end = endKey ? timeParam(params, endKey, true) : undefined;
  const strategy = enumParam(params, 'bid_strategy', BID_STRATEGIES);
  const goal = enumParam(params, 'optimization_goal', OPTIMIZATION_GOALS);
  const billing = enumParam(params, 'billing_event', BILLING_EVENTS);
  const json: Record<string, unknown> = {};
  for (const k of JSON_FIELDS) if (params[k] !== undefined) json[k] = k === 'targeting' || k === 'promoted_object' ? objectParam(params, k) : jsonParam(params, k);
  const creative = params.creative !== undefined && account ? creativeParam(state, account, params) : undefined;

  const written = { daily, lifetime };
  const campaign = node.type === 'adset' && node.campaignId ? state.nodes.get(node.campaignId) : undefined;
  if (level && account) {
    if (daily !== undefined || lifetime !== undefined) {
      checkBudgetType(node, written);
      if (campaign) checkCampaignBudgetConflict(campaign, written);
    }
    if (daily !== undefined || lifetime !== undefined || start !== undefined || end !== undefined) {
      const currentEnd = node.fields[endKey as string];
      checkBudgets({
        level, account, nowMs: state.now(),
        daily: daily ?? (node.fields.daily_budget as string | undefined),
        lifetime: lifetime ?? (node.fields.lifetime_budget as string | undefined),
        startMs: start ?? (node.fields.start_time as number | undefined),
        endMs: end !== undefined ? end : typeof currentEnd === 'number' ? currentEnd : null,
        billingEvent: billing ?? (node.fields.billing_event as string | undefined),
      }, written);
    }
  }
  if (node.type === 'adset' && account) {
    if (strategy !== undefined || bid !== undefined || json.bid_constraints !== undefined) {
      checkBidStrategy(strategy ?? (node.fields.bid_strategy as string | undefined), bid ?? node.fields.bid_amount, json.bid_constraints ?? node.fields.bid_constraints);
    }
    const nextGoal = goal ?? String(node.fields.optimization_goal ?? 'NONE');
    if (goal !== undefined || billing !== undefined) checkGoalFits(campaign?.fields.objective, nextGoal, billing ?? String(node.fields.billing_event ?? 'IMPRESSIONS'));
    if (json.targeting !== undefined) checkTargeting(json.targeting as Record<string, unknown>);
    if (goal !== undefined || json.promoted_object !== undefined) {
      checkPromotedObject(state, account, campaign?.fields.objective, nextGoal, (json.promoted_object ?? node.fields.promoted_object) as Record<string, unknown> | undefined);
    }
  }

  const now = state.now();
  const budgetChange = node.type === 'adset' && (daily !== undefined || lifetime !== undefined);
  const spendCapChange = spendCap !== undefined && (node.type === 'campaign' || node.type === 'adaccount');
  if (budgetChange) admitBudgetChange(state, node, now);
  if (spendCapChange) admitSpendCapChange(state, node, now);
  if (validateOnly(params) || !keys.length) return { success: true };

  const previous = readFields(state, node, keys);
  if (params.name !== undefined) {
    node.name = params.name;
    node.fields.name = params.name;
  }
  if (params.status !== undefined) setStatus(state, node, params.status);
  if (daily !== undefined) Object.assign(node.fields, { daily_budget: daily, budget_remaining: daily });
  if (lifetime !== undefined) Object.assign(node.fields, { lifetime_budget: lifetime, budget_remaining: lifetime });
  if (bid !== undefined) node.fields.bid_amount = Number(bid);
  if (spendCap !== undefined) node.fields.spend_cap = spendCap;
  if (start !== undefined) node.fields.start_time = start;
  if (endKey && end !== undefined) {
    if (end === null) delete node.fields[endKey];
    else node.fields[endKey] = end;
  }
  if (strategy !== undefined) node.fields.bid_strategy = strategy;
  if (goal !== undefined) node.fields.optimization_goal = goal;
  if (billing !== undefined) node.fields.billing_event = billing;
  if (params.destination_type !== undefined) node.fields.destination_type = params.destination_type;
  Object.assign(node.fields, json);
  if (creative) {
    node.creativeId = creative.id;
    node.fields.creative = { id: creative.id };
  }
  if (budgetChange) countBudgetChange(node, now);
  if (spendCapChange) countSpendCapChange(node, now);
  state.touch(node);
  recordWrite(state, node, 'update', keys, previous);
  return { success: true };
}

/** `DELETE /<id>`: soft delete (status DELETED). */
export function deleteObject(state: SimulatorState, node: SimNode): Record<string, unknown> {
  if (!UPDATABLE[node.type] || node.type === 'adaccount') throw invalidParameter('(#100) Deleting this object type is not supported');
  if (node.status === ObjectStatus.Deleted) {
    throw validationError('status', 'Object deleted', `The ${node.type} ${node.id} has already been deleted.`);
  }
  const previous = readFields(state, node, ['status']);
  setStatus(state, node, ObjectStatus.Deleted);
  state.touch(node);
  recordWrite(state, node, 'delete', ['status'], previous);
  return { success: true };
}
