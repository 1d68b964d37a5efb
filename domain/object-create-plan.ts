/**
 * Plans the create of a campaign, an ad set or an ad (from an existing creative): checks the
 * fields Meta requires with messages that say what to add (objective, special ad categories,
 * optimization goal, billing event, a budget or the campaign's, targeting with a location, the
 * promoted object a goal needs), refuses a name a live object of the level already has (a retry
 * finds the new object by its name), and applies the same budget rules and caps as updates.
 * Everything is created PAUSED: turning it on is a separate, confirmed change. Pure.
 */
import { ViolationCode, canonicalTime, CAPPED_BID_STRATEGIES, type ChangeLevel, type FieldValue, type ItemChanges, type Violation } from './change-set-vocabulary';
import { finishPlan, levelName, minimumForBillingEvent, money, type Plan, type PlanContext, type PlannedItem } from './change-set-plan';
import { majorToMinor } from './minor-units';

/** Objectives a new campaign may have (Meta's OUTCOME_* set). */
export const CREATE_OBJECTIVES = ['OUTCOME_APP_PROMOTION', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC'] as const;
export const SPECIAL_AD_CATEGORIES = ['NONE', 'CREDIT', 'EMPLOYMENT', 'HOUSING', 'ISSUES_ELECTIONS_POLITICS', 'FINANCIAL_PRODUCTS_SERVICES', 'ONLINE_GAMBLING_AND_GAMING'] as const;

/** A new campaign. Amounts in major units; times ISO 8601. */
export interface CampaignCreateRequest {
  name: string;
  objective: string;
  specialAdCategories: string[];
  buyingType?: string;
  bidStrategy?: string;
  dailyBudget?: string;
  lifetimeBudget?: string;
  spendCap?: string;
  startTime?: string;
  endTime?: string;
}

/** A new ad set under an existing campaign. */
export interface AdSetCreateRequest {
  name: string;
  campaignId: string;
  optimizationGoal: string;
  billingEvent: string;
  targeting: Record<string, unknown>;
  promotedObject?: Record<string, unknown>;
  bidStrategy?: string;
  bidAmount?: string;
  dailyBudget?: string;
  lifetimeBudget?: string;
  startTime?: string;
  endTime?: string;
  destinationType?: string;
}

/** A new ad in an existing ad set, from an existing creative. */
export interface AdCreateRequest {
  name: string;
  adsetId: string;
  creativeId: string;
  trackingSpecs?: unknown[];
}

export type CreateRequest =
  | { level: 'campaign'; spec: CampaignCreateRequest }
  | { level: 'adset'; spec: AdSetCreateRequest }
  | { level: 'ad'; spec: AdCreateRequest };

/** The stored parent (campaign of a new ad set, ad set of a new ad), as far as a create needs it. */
export interface CreateParent {
  id: string;
  level: ChangeLevel;
  status: string | null;
  removed: boolean;
  campaignId: string | null;
  /** Campaign: objective; ad set: its campaign's. */
  objective: string | null;
  /** Campaign: has its own budget (its ad sets get none). */
  hasBudget: boolean;
}

/** What a create plan depends on besides the request. */
export interface CreateContext extends Omit<PlanContext, 'outstanding'> {
  /** Names of live objects of the level in the account, and of creates still outstanding. */
  takenNames: ReadonlySet<string>;
  /** Null when the named parent does not exist in the account. */
  parent: CreateParent | null;
  /** Ads: the creative, null when the account has no such creative. */
  creative: { id: string; removed: boolean } | null;
}

/**
 * A canonical create spec: the fields Meta gets (camelCase; money in minor units, times ISO),
 * status always PAUSED. The activity turns it into Meta's parameters.
 */
export type CreateSpec = Record<string, unknown> & { name: string; status: 'PAUSED' };

/** The plan of one create: a one-item plan whose item carries the spec. */
export interface CreatePlan extends Plan {
  item: PlannedItem & { spec: CreateSpec; name: string; parentId: string | null };
}

/** Plans one create. */
export function planCreate(request: CreateRequest, ctx: CreateContext): CreatePlan {
  const violations: Violation[] = [];
  const violate = (code: ViolationCode, message: string, field?: string): void => {
    violations.push({ code, message, ...(field ? { field } : {}) });
  };
  const name = request.spec.name.trim();
  if (name === '' || name.length > 400) violate(ViolationCode.InvalidValue, 'name must be 1 to 400 characters', 'name');
  else if (ctx.takenNames.has(name)) {
    violate(ViolationCode.DuplicateName, `${levelName(request.level)} named "${name.slice(0, 80)}" already exists in this ad account: choose a unique name (a retried create is recognised by its name)`, 'name');
  }
  const spec: CreateSpec = { name, status: 'PAUSED' };
  const changes: ItemChanges = { name: { before: null, after: name }, status: { before: null, after: 'PAUSED' } };
  const amount = (field: string, text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    const minor = majorToMinor(text, ctx.offset);
    if (minor === null || minor <= 0n) {
      violate(ViolationCode.InvalidValue, `${field} "${text.slice(0, 40)}" must be a positive amount of ${ctx.currency} (at most ${ctx.offset === 100 ? 2 : 0} decimals)`, field);
      return undefined;
    }
    return minor.toString();
  };
  const time = (field: string, text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    const t = canonicalTime(text);
    if (t === null) violate(ViolationCode.InvalidValue, `${field} "${text.slice(0, 40)}" is not an ISO 8601 date and time`, field);
    return t ?? undefined;
  };
  let parentId: string | null = null;
  let campaignId: string | null = null;
  let budget: { daily?: string; lifetime?: string } = {};
  let billingEvent: string | null = null;
  let start: string | undefined;
  let end: string | undefined;

  switch (request.level) {
    case 'campaign': {
      const s = request.spec;
      if (!(CREATE_OBJECTIVES as readonly string[]).includes(s.objective)) {
        violate(ViolationCode.MissingField, `objective must be one of ${CREATE_OBJECTIVES.join(', ')}`, 'objective');
      }
      const bad = s.specialAdCategories.filter((c) => !(SPECIAL_AD_CATEGORIES as readonly string[]).includes(c));
      if (bad.length) violate(ViolationCode.InvalidValue, `specialAdCategories may hold only ${SPECIAL_AD_CATEGORIES.join(', ')} (an empty list when none applies)`, 'specialAdCategories');
      Object.assign(spec, { objective: s.objective, specialAdCategories: [...s.specialAdCategories] });
      if (s.buyingType) spec.buyingType = s.buyingType;
      if (s.bidStrategy) spec.bidStrategy = s.bidStrategy;
      budget = { daily: amount('dailyBudget', s.dailyBudget), lifetime: amount('lifetimeBudget', s.lifetimeBudget) };
      const cap = amount('spendCap', s.spendCap);
      if (cap) spec.spendCap = cap;
      start = time('startTime', s.startTime);
      end = time('endTime', s.endTime);
      break;
    }
    case 'adset': {
      const s = request.spec;
      parentId = s.campaignId;
      campaignId = s.campaignId;
      const parent = checkParent(ctx.parent, 'campaign', s.campaignId, violate);
      Object.assign(spec, { campaignId: s.campaignId, optimizationGoal: s.optimizationGoal, billingEvent: s.billingEvent, targeting: s.targeting });
      billingEvent = s.billingEvent;
      const geo = s.targeting.geo_locations;
      if (typeof geo !== 'object' || geo === null || Object.keys(geo).length === 0) {
        violate(ViolationCode.MissingField, 'targeting needs geo_locations with at least one location (countries, regions or cities)', 'targeting');
      }
      if (s.promotedObject) spec.promotedObject = s.promotedObject;
      if (s.destinationType) spec.destinationType = s.destinationType;
      if (s.bidStrategy) spec.bidStrategy = s.bidStrategy;
      const bid = amount('bidAmount', s.bidAmount);
      if (bid) spec.bidAmount = bid;
      if (s.bidStrategy && CAPPED_BID_STRATEGIES.has(s.bidStrategy) && !bid) {
        violate(ViolationCode.BidAmountRequired, `the bid strategy ${s.bidStrategy} needs bidAmount`, 'bidAmount');
      }
      checkPromotedObject(parent?.objective ?? null, s.optimizationGoal, s.promotedObject, violate);
      budget = { daily: amount('dailyBudget', s.dailyBudget), lifetime: amount('lifetimeBudget', s.lifetimeBudget) };
      if (parent?.hasBudget && (budget.daily || budget.lifetime)) {
        violate(ViolationCode.CampaignBudgetConflict, `campaign ${parent.id} has its own budget (campaign budget): its ad sets cannot have one; leave dailyBudget and lifetimeBudget out`, budget.daily ? 'dailyBudget' : 'lifetimeBudget');
      } else if (parent && !parent.hasBudget && !budget.daily && !budget.lifetime && s.dailyBudget === undefined && s.lifetimeBudget === undefined) {
        violate(ViolationCode.BudgetRequired, `campaign ${parent.id} has no campaign budget, so the ad set needs dailyBudget or lifetimeBudget`, 'dailyBudget');
      }
      start = time('startTime', s.startTime);
      end = time('endTime', s.endTime);
      break;
    }
    case 'ad': {
      const s = request.spec;
      parentId = s.adsetId;
      const parent = checkParent(ctx.parent, 'adset', s.adsetId, violate);
      campaignId = parent?.campaignId ?? null;
      if (!ctx.creative || ctx.creative.removed) violate(ViolationCode.UnknownParent, `no creative ${s.creativeId} in this ad account (sync the account if it was created recently)`, 'creativeId');
      Object.assign(spec, { adsetId: s.adsetId, creativeId: s.creativeId });
      if (s.trackingSpecs) spec.trackingSpecs = s.trackingSpecs;
      break;
    }
  }

  if (budget.daily && budget.lifetime) violate(ViolationCode.BudgetTypeConflict, 'set either dailyBudget or lifetimeBudget, not both', 'lifetimeBudget');
  if (start) spec.startTime = start;
  if (end) spec.endTime = end;
  if (budget.daily) {
    spec.dailyBudget = budget.daily;
    changes.dailyBudget = { before: null, after: budget.daily };
  }
  if (budget.lifetime) {
    spec.lifetimeBudget = budget.lifetime;
    changes.lifetimeBudget = { before: null, after: budget.lifetime };
  }
  checkCreateBudgets(request.level, budget, billingEvent, start, end, ctx, violate);

  const item = {
    position: 0,
    level: request.level,
    entityId: '',
    campaignId,
    changes,
    violations: violations.map((v) => ({ ...v })),
    spec,
    name,
    parentId,
  };
  const plan = finishPlan([item], { ...ctx, outstanding: new Map() });
  // A create always needs the separate confirm: it adds an object that can spend once resumed.
  return { ...plan, requiresConfirmation: true, item };
}

function checkParent(
  parent: CreateParent | null,
  level: ChangeLevel,
  id: string,
  violate: (code: ViolationCode, message: string, field?: string) => void,
): CreateParent | null {
  const field = level === 'campaign' ? 'campaignId' : 'adsetId';
  if (!parent || parent.level !== level) {
    violate(ViolationCode.UnknownParent, `no ${levelName(level)} ${id} in this ad account (sync the account if it was created recently)`, field);
    return null;
  }
  if (parent.removed || parent.status === 'DELETED' || parent.status === 'ARCHIVED') {
    violate(ViolationCode.ObjectArchived, `${levelName(level)} ${id} is ${parent.status === 'ARCHIVED' ? 'archived' : 'deleted'}: nothing can be added to it`, field);
  }
  return parent;
}

/** Goals that optimise for an app, a pixel event or a page need `promotedObject` naming it. */
function checkPromotedObject(objective: string | null, goal: string, promoted: Record<string, unknown> | undefined, violate: (code: ViolationCode, message: string, field?: string) => void): void {
  const need = (keys: string[], why: string): void => {
    const missing = keys.filter((k) => promoted?.[k] === undefined || promoted[k] === '');
    if (missing.length) violate(ViolationCode.PromotedObjectRequired, `${why} needs promotedObject with ${keys.join(' and ')} (missing ${missing.join(', ')})`, 'promotedObject');
  };
  if (objective === 'OUTCOME_APP_PROMOTION' || goal === 'APP_INSTALLS' || goal === 'APP_INSTALLS_AND_OFFSITE_CONVERSIONS') {
    need(['application_id', 'object_store_url'], objective === 'OUTCOME_APP_PROMOTION' ? 'An app promotion ad set' : `The optimization goal ${goal}`);
  } else if (goal === 'OFFSITE_CONVERSIONS' || goal === 'VALUE') {
    need(['pixel_id', 'custom_event_type'], `The optimization goal ${goal}`);
  } else if (goal === 'LEAD_GENERATION' || goal === 'QUALITY_LEAD') {
    need(['page_id'], `The optimization goal ${goal}`);
  }
}

function checkCreateBudgets(
  level: ChangeLevel,
  budget: { daily?: string; lifetime?: string },
  billingEvent: string | null,
  start: string | undefined,
  end: string | undefined,
  ctx: CreateContext,
  violate: (code: ViolationCode, message: string, field?: string) => void,
): void {
  const m = ctx.minimumBudgets;
  const floor = m ? BigInt(level === 'adset' ? minimumForBillingEvent(billingEvent, m) : m.imp) : null;
  const endMs = end ? Date.parse(end) : null;
  const startMs = start ? Date.parse(start) : ctx.nowMs;
  if (endMs !== null) {
    if (endMs <= startMs) violate(ViolationCode.EndBeforeStart, 'endTime must be after the start time', 'endTime');
    else if (endMs <= ctx.nowMs) violate(ViolationCode.InvalidValue, 'endTime is in the past', 'endTime');
  }
  if (budget.daily) {
    const value = BigInt(budget.daily);
    if (floor !== null && value < floor) violate(ViolationCode.BelowMinimumBudget, `dailyBudget ${money(value, ctx)} is below Meta's minimum daily budget of ${money(floor, ctx)}`, 'dailyBudget');
    const cap: FieldValue = ctx.limits.maxDailyBudget;
    if (cap !== null && value > BigInt(cap)) violate(ViolationCode.AboveMaxDailyBudget, `dailyBudget ${money(value, ctx)} is above this ad account's largest daily budget, ${money(BigInt(cap), ctx)}`, 'dailyBudget');
  }
  if (budget.lifetime) {
    const value = BigInt(budget.lifetime);
    if (endMs === null) violate(ViolationCode.LifetimeBudgetWithoutEnd, 'a lifetime budget needs endTime: set it, or use dailyBudget', 'lifetimeBudget');
    else if (floor !== null) {
      const days = BigInt(Math.max(1, Math.ceil((endMs - Math.max(startMs, ctx.nowMs)) / 86_400_000)));
      if (value < floor * days) violate(ViolationCode.BelowMinimumBudget, `lifetimeBudget ${money(value, ctx)} is below Meta's minimum for ${days} days, ${money(floor * days, ctx)}`, 'lifetimeBudget');
    }
    const cap: FieldValue = ctx.limits.maxLifetimeBudget;
    if (cap !== null && value > BigInt(cap)) violate(ViolationCode.AboveMaxLifetimeBudget, `lifetimeBudget ${money(value, ctx)} is above this ad account's largest lifetime budget, ${money(BigInt(cap), ctx)}`, 'lifetimeBudget');
  }
}
