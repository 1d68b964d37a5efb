/**
 * Creates: `POST act_x/campaigns|adsets|ads|adcreatives` with Meta's required fields and rules,
 * answering `{id}` (or `{success:true}` under `execution_options=["validate_only"]`, which
 * creates nothing). A created object looks like a generated one: the same fields, created and
 * updated times on the simulated clock, derived effective status, present on its edges.
 */
import { createCustomAudience } from './audience-lists';
import { invalidParameter, validationError } from './graph-errors';
import { ObjectStatus, type AccountInfo, type NodeType, type SimNode, type SimulatorState } from './simulator-state';
import { localDay } from './time-zones';
import {
  BID_STRATEGIES, BILLING_EVENTS, OPTIMIZATION_GOALS, SPECIAL_AD_CATEGORIES, enumParam, jsonParam, minorUnits, objectParam,
  refuseUnknownParams, requireName, timeParam, validateOnly,
} from './write-params';
import { recordWrite } from './write-recording';
import {
  checkBidStrategy, checkBudgets, checkCampaignBudgetConflict, checkGoalFits, checkPromotedObject, checkTargeting, usesCampaignBudget,
} from './write-rules';

/** Objectives a new campaign may use (Meta refuses the legacy ones on new campaigns). */
export const OUTCOME_OBJECTIVES = [
  'OUTCOME_APP_PROMOTION', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC',
] as const;

/** Legacy objectives still in the enum and on old campaigns. */
const LEGACY_OBJECTIVES = [
  'APP_INSTALLS', 'BRAND_AWARENESS', 'CONVERSIONS', 'LINK_CLICKS', 'REACH', 'VIDEO_VIEWS', 'LEAD_GENERATION', 'MESSAGES',
  'POST_ENGAGEMENT', 'PAGE_LIKES', 'PRODUCT_CATALOG_SALES', 'STORE_VISITS', 'EVENT_RESPONSES',
];

/** Statuses a new object may start in. */
const CREATE_STATUSES = [ObjectStatus.Active, ObjectStatus.Paused] as const;

const CAMPAIGN_PARAMS: ReadonlySet<string> = new Set([
  'name', 'objective', 'status', 'special_ad_categories', 'special_ad_category_country', 'buying_type', 'bid_strategy',
  'daily_budget', 'lifetime_budget', 'spend_cap', 'start_time', 'stop_time', 'promoted_object', 'pacing_type',
]);
const ADSET_PARAMS: ReadonlySet<string> = new Set([
  'name', 'campaign_id', 'status', 'optimization_goal', 'billing_event', 'bid_strategy', 'bid_amount', 'bid_constraints',
  'daily_budget', 'lifetime_budget', 'targeting', 'promoted_object', 'start_time', 'end_time', 'destination_type',
  'attribution_spec', 'pacing_type', 'frequency_control_specs', 'adset_schedule',
]);
const AD_PARAMS: ReadonlySet<string> = new Set(['name', 'adset_id', 'creative', 'status', 'tracking_specs', 'conversion_specs']);

/** `POST act_x/<edge>`: create an object; returns `{id}` (or `{success}` for validate_only). */
export function createObject(state: SimulatorState, account: AccountInfo, edge: string, params: Record<string, string>): Record<string, unknown> {
  switch (edge) {
    case 'campaigns':
      return createCampaign(state, account, params);
    case 'adsets':
      return createAdset(state, account, params);
    case 'ads':
      return createAd(state, account, params);
    case 'adcreatives':
      return createCreative(state, account, params);
    case 'customaudiences':
      return createCustomAudience(state, account, params);
    default:
      throw invalidParameter(`(#100) Creating objects on edge ${edge} is not supported`);
  }
}

function newNode(state: SimulatorState, type: NodeType, account: AccountInfo, name: string, status: string, fields: Record<string, unknown>): SimNode {
  const now = state.now();
  const node: SimNode = {
    type, id: state.allocateId(type), accountId: account.accountId, name, status, createdMs: now, updatedMs: now, ordinal: -1,
    fields: { ...fields, name, status, ...(type === 'adcreative' ? {} : { configured_status: status }) },
  };
  state.addNode(node);
  state.version++;
  state.forgetActiveAdCount(account);
  return node;
}

function created(state: SimulatorState, node: SimNode): Record<string, unknown> {
  recordWrite(state, node, 'create', Object.keys(node.fields));
  return { id: node.id };
}

/** The parent an ad set or ad is created under: in the account, neither deleted nor archived. */
function parentOf(state: SimulatorState, account: AccountInfo, id: string | undefined, type: NodeType, field: string): SimNode {
  if (!id) throw validationError(field, `Missing ${field}`, `The ${field} parameter is required.`);
  const n = state.nodes.get(id);
  if (!n || n.type !== type || n.accountId !== account.accountId) {
    throw validationError(field, `Invalid ${field}`, `The ${field} ${id} doesn't exist in ad account ${account.id}.`);
  }
  if (n.status === ObjectStatus.Deleted) throw validationError(field, 'Parent deleted', `The ${field} ${id} has been deleted.`);
  if (n.status === ObjectStatus.Archived) throw validationError(field, 'Parent archived', `The ${field} ${id} is archived; nothing can be added to it.`);
  return n;
}

function createStatus(params: Record<string, string>, fallback?: string): string {
  const status = enumParam(params, 'status', CREATE_STATUSES) ?? fallback;
  if (!status) throw validationError('status', 'Status Required', 'Set status to ACTIVE or PAUSED for the new campaign.');
  return status;
}

function budgetFields(daily: string | undefined, lifetime: string | undefined): Record<string, string> {
  if (daily !== undefined) return { daily_budget: daily, budget_remaining: daily };
  if (lifetime !== undefined) return { lifetime_budget: lifetime, budget_remaining: lifetime };
  return {};
}

function createCampaign(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  refuseUnknownParams(params, CAMPAIGN_PARAMS, 'creating');
  const name = requireName(params, 'campaign');
  const objective = params.objective;
  if (!objective) throw validationError('objective', 'Missing objective', 'Please choose an objective for your campaign.');
  if (!(OUTCOME_OBJECTIVES as readonly string[]).includes(objective)) {
    const legacy = LEGACY_OBJECTIVES.includes(objective);
    throw validationError(
      'objective',
      legacy ? 'Objective Not Available' : 'Invalid objective',
      `${legacy ? `The objective ${objective} can't be used for new campaigns.` : `The objective ${objective} is not valid.`} Choose one of ${OUTCOME_OBJECTIVES.join(', ')}.`,
    );
  }
  if (params.special_ad_categories === undefined) {
    throw validationError('special_ad_categories', 'Special ad categories required', 'Declare special_ad_categories for this campaign (use [] or ["NONE"] if none apply).');
  }
  const cats = jsonParam(params, 'special_ad_categories');
  if (!Array.isArray(cats) || cats.some((c) => !(SPECIAL_AD_CATEGORIES as readonly string[]).includes(String(c)))) {
    throw validationError('special_ad_categories', 'Invalid special ad category', `special_ad_categories must be a list of ${SPECIAL_AD_CATEGORIES.join(', ')}.`);
  }
  const countries = jsonParam(params, 'special_ad_category_country');
  const buyingType = enumParam(params, 'buying_type', ['AUCTION', 'RESERVED']) ?? 'AUCTION';
  const bidStrategy = enumParam(params, 'bid_strategy', BID_STRATEGIES);
  const daily = minorUnits(params, 'daily_budget');
  const lifetime = minorUnits(params, 'lifetime_budget');
  const spendCap = minorUnits(params, 'spend_cap');
  const now = state.now();
  const start = timeParam(params, 'start_time', false) ?? now;
  const stop = timeParam(params, 'stop_time', true);
  checkBudgets({ level: 'campaign', account, daily, lifetime, startMs: start, endMs: stop, nowMs: now }, { daily, lifetime });
  const promoted = objectParam(params, 'promoted_object');
  const pacing = jsonParam(params, 'pacing_type');
  const status = createStatus(params);
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'campaign', account, name, status, {
    objective, buying_type: buyingType, bid_strategy: bidStrategy ?? 'LOWEST_COST_WITHOUT_CAP',
    special_ad_categories: cats, special_ad_category: String(cats[0] ?? 'NONE'),
    ...(countries !== undefined ? { special_ad_category_country: countries } : {}),
    start_time: start,
    ...(typeof stop === 'number' ? { stop_time: stop } : {}),
    ...budgetFields(daily, lifetime),
    ...(spendCap !== undefined ? { spend_cap: spendCap } : {}),
    ...(promoted ? { promoted_object: promoted } : {}),
    pacing_type: pacing ?? ['standard'],
  });
  state.addEdge(account.id, 'campaigns', node.id);
  return created(state, node);
}

function createAdset(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  refuseUnknownParams(params, ADSET_PARAMS, 'creating');
  const name = requireName(params, 'ad set');
  const campaign = parentOf(state, account, params.campaign_id, 'campaign', 'campaign_id');
  const goal = enumParam(params, 'optimization_goal', OPTIMIZATION_GOALS);
  if (!goal) throw validationError('optimization_goal', 'Optimization Goal Required', 'Choose an optimization_goal for this ad set.');
  const billing = enumParam(params, 'billing_event', BILLING_EVENTS);
  if (!billing) throw validationError('billing_event', 'Billing Event Required', 'Choose a billing_event for this ad set (IMPRESSIONS fits every goal).');
  if (params.targeting === undefined) throw validationError('targeting', 'Targeting Required', 'Describe the audience of this ad set in targeting (at least geo_locations).');
  const targeting = objectParam(params, 'targeting');
  checkTargeting(targeting);
  checkGoalFits(campaign.fields.objective, goal, billing);
  const promoted = objectParam(params, 'promoted_object');
  checkPromotedObject(state, account, campaign.fields.objective, goal, promoted);
  const daily = minorUnits(params, 'daily_budget');
  const lifetime = minorUnits(params, 'lifetime_budget');
  checkCampaignBudgetConflict(campaign, { daily, lifetime });
  const cbo = usesCampaignBudget(campaign);
  if (!cbo && daily === undefined && lifetime === undefined) {
    throw validationError('daily_budget', 'Budget Required', `The campaign ${campaign.id} has no budget, so this ad set needs a daily_budget or a lifetime_budget.`);
  }
  const now = state.now();
  const start = timeParam(params, 'start_time', false) ?? now;
  const end = timeParam(params, 'end_time', true);
  checkBudgets({ level: 'adset', account, daily, lifetime, startMs: start, endMs: end, nowMs: now, billingEvent: billing }, { daily, lifetime });
  // Under a campaign budget the campaign's bid strategy applies; otherwise Meta's default is lowest cost.
  const strategy = enumParam(params, 'bid_strategy', BID_STRATEGIES) ?? (cbo ? String(campaign.fields.bid_strategy ?? 'LOWEST_COST_WITHOUT_CAP') : 'LOWEST_COST_WITHOUT_CAP');
  const bid = minorUnits(params, 'bid_amount');
  const constraints = objectParam(params, 'bid_constraints');
  checkBidStrategy(strategy, bid, constraints);
  const extras: Record<string, unknown> = {};
  for (const k of ['attribution_spec', 'pacing_type', 'frequency_control_specs', 'adset_schedule'] as const) {
    const v = jsonParam(params, k);
    if (v !== undefined) extras[k] = v;
  }
  const status = createStatus(params, ObjectStatus.Active);
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'adset', account, name, status, {
    campaign_id: campaign.id, optimization_goal: goal, billing_event: billing, bid_strategy: strategy,
    ...(bid !== undefined ? { bid_amount: Number(bid) } : {}),
    ...(constraints ? { bid_constraints: constraints } : {}),
    ...budgetFields(daily, lifetime),
    start_time: start,
    ...(typeof end === 'number' ? { end_time: end } : {}),
    targeting,
    ...(promoted ? { promoted_object: promoted } : {}),
    destination_type: params.destination_type ?? 'UNDEFINED',
    ...extras,
  });
  node.campaignId = campaign.id;
  state.addEdge(account.id, 'adsets', node.id);
  state.addEdge(campaign.id, 'adsets', node.id);
  return created(state, node);
}

/** The creative named by `creative={"creative_id":…}`: in the account and not deleted. */
export function creativeParam(state: SimulatorState, account: AccountInfo, params: Record<string, string>): SimNode {
  const spec = objectParam(params, 'creative');
  const creativeId = spec?.creative_id ?? spec?.id;
  if (creativeId === undefined) throw validationError('creative', 'Missing creative', 'Pass creative={"creative_id":"<id>"}.');
  const creative = state.nodes.get(String(creativeId));
  if (!creative || creative.type !== 'adcreative' || creative.accountId !== account.accountId) {
    throw validationError('creative', 'Invalid creative', `The creative ${String(creativeId)} doesn't exist in ad account ${account.id}.`);
  }
  if (creative.status === ObjectStatus.Deleted) throw validationError('creative', 'Creative deleted', `The creative ${creative.id} has been deleted.`);
  return creative;
}

function createAd(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  refuseUnknownParams(params, AD_PARAMS, 'creating');
  const name = requireName(params, 'ad');
  const adset = parentOf(state, account, params.adset_id, 'adset', 'adset_id');
  if (params.creative === undefined) throw validationError('creative', 'Missing creative', 'Pass creative={"creative_id":"<id>"}.');
  const creative = creativeParam(state, account, params);
  const tracking = jsonParam(params, 'tracking_specs');
  const conversion = jsonParam(params, 'conversion_specs');
  const status = createStatus(params, ObjectStatus.Active);
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'ad', account, name, status, {
    campaign_id: adset.campaignId, adset_id: adset.id, creative: { id: creative.id },
    ...(tracking !== undefined ? { tracking_specs: tracking } : {}),
    ...(conversion !== undefined ? { conversion_specs: conversion } : {}),
  });
  node.campaignId = adset.campaignId;
  node.adsetId = adset.id;
  node.creativeId = creative.id;
  node.ordinal = state.adsByOrdinal.length;
  node.firstStatsDay = localDay(node.createdMs, account.timezone);
  state.adsByOrdinal.push(node);
  state.addEdge(account.id, 'ads', node.id);
  if (adset.campaignId) state.addEdge(adset.campaignId, 'ads', node.id);
  state.addEdge(adset.id, 'ads', node.id);
  return created(state, node);
}

function createCreative(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  const name = params.name?.trim() || 'Untitled creative';
  const spec = jsonParam(params, 'object_story_spec');
  if (spec === undefined && !params.object_story_id && !params.asset_feed_spec) {
    throw validationError('object_story_spec', 'Missing creative content', 'Provide object_story_spec, object_story_id or asset_feed_spec.');
  }
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'adcreative', account, name, ObjectStatus.Active, {
    ...(spec !== undefined ? { object_story_spec: spec } : {}),
    ...(params.object_story_id ? { object_story_id: params.object_story_id } : {}),
  });
  state.addEdge(account.id, 'adcreatives', node.id);
  return created(state, node);
}
