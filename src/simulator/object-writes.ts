/**
 * Writes: create campaigns / ad sets / ads / creatives, update and soft-delete objects, with
 * Meta's validation envelopes (code 100 + error_user_title/msg + blame_field_specs), the
 * archived/deleted rules and the ad set budget-change limit (613/1487632).
 */
import { budgetChangeLimit, invalidParameter, validationError } from './graph-errors';
import { ObjectStatus, type AccountInfo, type NodeType, type SimNode, type SimulatorState } from './simulator-state';
import { localDay } from './time-zones';

/** Objectives accepted on create (OUTCOME_* plus legacy values still in the enum). */
export const OBJECTIVES = [
  'OUTCOME_APP_PROMOTION', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC',
  'APP_INSTALLS', 'BRAND_AWARENESS', 'CONVERSIONS', 'LINK_CLICKS', 'REACH', 'VIDEO_VIEWS', 'LEAD_GENERATION', 'MESSAGES', 'POST_ENGAGEMENT', 'PAGE_LIKES', 'PRODUCT_CATALOG_SALES', 'STORE_VISITS', 'EVENT_RESPONSES',
] as const;
const SPECIAL_AD_CATEGORIES = ['NONE', 'CREDIT', 'EMPLOYMENT', 'HOUSING', 'ISSUES_ELECTIONS_POLITICS', 'FINANCIAL_PRODUCTS_SERVICES', 'ONLINE_GAMBLING_AND_GAMING'];
const STATUSES: readonly string[] = [ObjectStatus.Active, ObjectStatus.Paused, ObjectStatus.Archived, ObjectStatus.Deleted];
/** Params that are never object fields (transport, paging, SDK extras). */
const TRANSPORT_PARAMS = new Set(['access_token', 'appsecret_proof', 'fields', 'method', 'format', 'pretty', 'suppress_http_code', 'locale', 'include_headers', 'execution_options']);

function parseJson(field: string, raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw validationError(field, 'Invalid parameter', `The value of ${field} must be valid JSON.`);
  }
}

function requireName(params: Record<string, string>, what: string): string {
  const name = params.name?.trim();
  if (!name) throw validationError('name', `Missing ${what} name`, `Please give your ${what} a name.`);
  return name;
}

function minorUnits(params: Record<string, string>, field: string): string | undefined {
  const raw = params[field];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw validationError(field, 'Invalid budget', `The ${field} must be a whole number in the minor unit of the account currency.`);
  if (n < 0) throw validationError(field, 'Invalid budget', `The ${field} can't be negative.`);
  return String(n);
}

function statusParam(params: Record<string, string>, fallback: string): string {
  const s = params.status ?? fallback;
  if (!STATUSES.includes(s)) throw invalidParameter(`(#100) param status must be one of {${STATUSES.join(', ')}}`, { error_data: { blame_field_specs: [['status']] } });
  return s;
}

function validateOnly(params: Record<string, string>): boolean {
  return (params.execution_options ?? '').includes('validate_only');
}

function newNode(state: SimulatorState, type: NodeType, account: AccountInfo, name: string, status: string | undefined, fields: Record<string, unknown>): SimNode {
  const now = state.now();
  const node: SimNode = {
    type, id: state.allocateId(type), accountId: account.accountId, name, status, createdMs: now, updatedMs: now, ordinal: -1,
    fields: { ...fields, name, ...(status ? { status, configured_status: status } : {}) },
  };
  state.addNode(node);
  state.version++;
  return node;
}

function parentOf(state: SimulatorState, account: AccountInfo, id: string | undefined, type: NodeType, field: string): SimNode {
  if (!id) throw validationError(field, `Missing ${field}`, `The ${field} parameter is required.`);
  const n = state.nodes.get(id);
  if (!n || n.type !== type || n.accountId !== account.accountId) {
    throw validationError(field, `Invalid ${field}`, `The ${field} ${id} doesn't exist in ad account ${account.id}.`);
  }
  if (n.status === ObjectStatus.Deleted) throw validationError(field, 'Parent deleted', `The ${field} ${id} has been deleted.`);
  return n;
}

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
    default:
      throw invalidParameter(`(#100) Creating objects on edge ${edge} is not supported`);
  }
}

function createCampaign(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  const name = requireName(params, 'campaign');
  const objective = params.objective;
  if (!objective) throw validationError('objective', 'Missing objective', 'Please choose an objective for your campaign.');
  if (!(OBJECTIVES as readonly string[]).includes(objective)) {
    throw validationError('objective', 'Invalid objective', `The objective ${objective} is not valid. Choose one of ${OBJECTIVES.slice(0, 6).join(', ')}.`);
  }
  if (params.special_ad_categories === undefined) {
    throw validationError('special_ad_categories', 'Special ad categories required', 'Declare special_ad_categories for this campaign (use [] or ["NONE"] if none apply).');
  }
  const cats = parseJson('special_ad_categories', params.special_ad_categories);
  if (!Array.isArray(cats) || cats.some((c) => !SPECIAL_AD_CATEGORIES.includes(String(c)))) {
    throw validationError('special_ad_categories', 'Invalid special ad category', `special_ad_categories must be a list of ${SPECIAL_AD_CATEGORIES.join(', ')}.`);
  }
  const daily = minorUnits(params, 'daily_budget');
  const lifetime = minorUnits(params, 'lifetime_budget');
  if (daily && lifetime) throw validationError('lifetime_budget', 'Too many budgets', 'Set either daily_budget or lifetime_budget, not both.');
  const status = statusParam(params, ObjectStatus.Active);
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'campaign', account, name, status, {
    objective, buying_type: params.buying_type ?? 'AUCTION', bid_strategy: params.bid_strategy ?? 'LOWEST_COST_WITHOUT_CAP',
    special_ad_categories: cats, special_ad_category: String(cats[0] ?? 'NONE'), start_time: state.now(),
    ...(daily ? { daily_budget: daily, budget_remaining: daily } : {}),
    ...(lifetime ? { lifetime_budget: lifetime, budget_remaining: lifetime } : {}),
  });
  state.addEdge(account.id, 'campaigns', node.id);
  return { id: node.id };
}

function createAdset(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  const name = requireName(params, 'ad set');
  const campaign = parentOf(state, account, params.campaign_id, 'campaign', 'campaign_id');
  const daily = minorUnits(params, 'daily_budget');
  const lifetime = minorUnits(params, 'lifetime_budget');
  const bid = minorUnits(params, 'bid_amount');
  const targeting = parseJson('targeting', params.targeting);
  const status = statusParam(params, ObjectStatus.Active);
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'adset', account, name, status, {
    campaign_id: campaign.id, optimization_goal: params.optimization_goal ?? 'LINK_CLICKS', billing_event: params.billing_event ?? 'IMPRESSIONS',
    ...(daily ? { daily_budget: daily, budget_remaining: daily } : {}),
    ...(lifetime ? { lifetime_budget: lifetime, budget_remaining: lifetime } : {}),
    ...(bid ? { bid_amount: Number(bid) } : {}),
    ...(targeting !== undefined ? { targeting } : {}),
    start_time: state.now(),
  });
  node.campaignId = campaign.id;
  state.addEdge(account.id, 'adsets', node.id);
  state.addEdge(campaign.id, 'adsets', node.id);
  return { id: node.id };
}

function createAd(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  const name = requireName(params, 'ad');
  const adset = parentOf(state, account, params.adset_id, 'adset', 'adset_id');
  const creativeSpec = parseJson('creative', params.creative);
  const creativeId = typeof creativeSpec === 'object' && creativeSpec !== null ? (creativeSpec as Record<string, unknown>).creative_id : undefined;
  if (creativeId === undefined) throw validationError('creative', 'Missing creative', 'Pass creative={"creative_id":"<id>"}.');
  const creative = state.nodes.get(String(creativeId));
  if (!creative || creative.type !== 'adcreative' || creative.accountId !== account.accountId) {
    throw validationError('creative', 'Invalid creative', `The creative ${String(creativeId)} doesn't exist in ad account ${account.id}.`);
  }
  const status = statusParam(params, ObjectStatus.Active);
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'ad', account, name, status, { campaign_id: adset.campaignId, adset_id: adset.id, creative: { id: creative.id } });
  node.campaignId = adset.campaignId;
  node.adsetId = adset.id;
  node.creativeId = creative.id;
  node.ordinal = state.adsByOrdinal.length;
  node.firstStatsDay = localDay(node.createdMs, account.timezone);
  state.adsByOrdinal.push(node);
  state.addEdge(account.id, 'ads', node.id);
  if (adset.campaignId) state.addEdge(adset.campaignId, 'ads', node.id);
  state.addEdge(adset.id, 'ads', node.id);
  return { id: node.id };
}

function createCreative(state: SimulatorState, account: AccountInfo, params: Record<string, string>): Record<string, unknown> {
  const name = params.name?.trim() || 'Untitled creative';
  const spec = parseJson('object_story_spec', params.object_story_spec);
  if (spec === undefined && !params.object_story_id && !params.asset_feed_spec) {
    throw validationError('object_story_spec', 'Missing creative content', 'Provide object_story_spec, object_story_id or asset_feed_spec.');
  }
  if (validateOnly(params)) return { success: true };
  const node = newNode(state, 'adcreative', account, name, ObjectStatus.Active, {
    ...(spec !== undefined ? { object_story_spec: spec } : {}),
    ...(params.object_story_id ? { object_story_id: params.object_story_id } : {}),
  });
  state.addEdge(account.id, 'adcreatives', node.id);
  return { id: node.id };
}

const UPDATABLE: Partial<Record<NodeType, ReadonlySet<string>>> = {
  campaign: new Set(['name', 'status', 'daily_budget', 'lifetime_budget', 'bid_strategy', 'spend_cap', 'stop_time', 'special_ad_categories']),
  adset: new Set(['name', 'status', 'daily_budget', 'lifetime_budget', 'bid_amount', 'bid_strategy', 'targeting', 'end_time', 'optimization_goal']),
  ad: new Set(['name', 'status', 'bid_amount', 'creative']),
  adcreative: new Set(['name', 'status']),
  adrule: new Set(['name', 'status', 'evaluation_spec', 'execution_spec', 'schedule_spec']),
};

/** `POST /<id>`: update; `{"success":true}`. */
export function updateObject(state: SimulatorState, node: SimNode, params: Record<string, string>): Record<string, unknown> {
  const allowed = UPDATABLE[node.type];
  if (!allowed) throw invalidParameter(`(#100) Updating this object type is not supported`);
  const changes = Object.keys(params).filter((k) => !TRANSPORT_PARAMS.has(k));
  for (const k of changes) {
    if (!allowed.has(k)) throw invalidParameter(`(#100) Param ${k} is not a valid param for updating this object`, { error_data: { blame_field_specs: [[k]] } });
  }
  if (node.status === ObjectStatus.Deleted) {
    throw validationError('status', 'Object deleted', `The ${node.type} ${node.id} has been deleted and can't be edited.`);
  }
  if (node.status === ObjectStatus.Archived) {
    const other = changes.find((k) => k !== 'name' && k !== 'status');
    if (other) throw validationError(other, 'Archived object', `Archived objects only accept name and status changes; ${other} can't be edited.`);
    if (params.status !== undefined && params.status !== ObjectStatus.Deleted && params.status !== ObjectStatus.Archived) {
      throw validationError('status', 'Archived object', 'An archived object can only be deleted.');
    }
  }
  if (node.type === 'adrule') {
    if (params.status !== undefined && !['ENABLED', 'DISABLED', 'DELETED'].includes(params.status)) throw validationError('status', 'Invalid status', 'Rule status must be ENABLED, DISABLED or DELETED.');
  } else if (params.status !== undefined) statusParam(params, ObjectStatus.Active);
  if (params.name !== undefined && params.name.trim() === '') throw validationError('name', 'Missing name', 'The name can\'t be empty.');
  const daily = minorUnits(params, 'daily_budget');
  const lifetime = minorUnits(params, 'lifetime_budget');
  const bid = minorUnits(params, 'bid_amount');
  if (node.type === 'adset' && (daily !== undefined || lifetime !== undefined)) {
    const now = Date.now();
    const recent = (node.budgetChangesMs ?? []).filter((t) => t > now - 3_600_000);
    if (recent.length >= state.limits.adsetBudgetChangesPerHour) throw budgetChangeLimit();
    recent.push(now);
    node.budgetChangesMs = recent;
  }
  if (params.name !== undefined) {
    node.name = params.name;
    node.fields.name = params.name;
  }
  if (params.status !== undefined) {
    node.status = params.status;
    node.fields.status = params.status;
    if (node.type !== 'adrule' && node.type !== 'adcreative') node.fields.configured_status = params.status;
  }
  if (daily !== undefined) Object.assign(node.fields, { daily_budget: daily, budget_remaining: daily });
  if (lifetime !== undefined) Object.assign(node.fields, { lifetime_budget: lifetime, budget_remaining: lifetime });
  if (bid !== undefined) node.fields.bid_amount = Number(bid);
  for (const k of ['bid_strategy', 'optimization_goal'] as const) if (params[k] !== undefined) node.fields[k] = params[k];
  for (const k of ['targeting', 'special_ad_categories', 'evaluation_spec', 'execution_spec', 'schedule_spec'] as const) {
    if (params[k] !== undefined) node.fields[k] = parseJson(k, params[k]);
  }
  state.touch(node);
  return { success: true };
}

/** `DELETE /<id>`: soft delete (status DELETED). */
export function deleteObject(state: SimulatorState, node: SimNode): Record<string, unknown> {
  if (!UPDATABLE[node.type]) throw invalidParameter('(#100) Deleting this object type is not supported');
  if (node.status === ObjectStatus.Deleted) {
    throw validationError('status', 'Object deleted', `The ${node.type} ${node.id} has already been deleted.`);
  }
  node.status = ObjectStatus.Deleted;
  node.fields.status = ObjectStatus.Deleted;
  if (node.type !== 'adrule' && node.type !== 'adcreative') node.fields.configured_status = ObjectStatus.Deleted;
  state.touch(node);
  return { success: true };
}
