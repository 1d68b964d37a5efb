/**
 * Meta's rules that span fields or objects, shared by creates and updates: budget floors and
 * ceiling, the campaign-budget (CBO) conflict, lifetime budgets needing an end, bid strategies
 * needing a bid, optimization goals needing a promoted object, and the per-object change limits
 * (ad set budget 4 per hour then blocked for an hour, 613/1487632; spend cap 10 per day,
 * 17/1885172), all on the simulated clock so a test moves them with `/__sim/clock`.
 */
import {
  bidAmountRequired, budgetChangeLimit, budgetConflict, budgetTooHigh, budgetTooLow, spendCapChangeLimit, validationError,
} from './graph-errors';
import { dailyFloor, formatAmount, lifetimeCeiling } from './minimum-budgets';
import type { AccountInfo, SimNode, SimulatorState } from './simulator-state';
import { MS_PER_DAY } from './time-zones';

const HOUR_MS = 3_600_000;

/** Strategies that cap the bid, so they need `bid_amount`. */
const CAPPED_STRATEGIES: ReadonlySet<string> = new Set(['LOWEST_COST_WITH_BID_CAP', 'COST_CAP']);

/** Optimization goals each OUTCOME_* objective accepts (legacy objectives are not checked). */
const GOALS_BY_OBJECTIVE: Readonly<Record<string, readonly string[]>> = {
  OUTCOME_AWARENESS: ['REACH', 'IMPRESSIONS', 'AD_RECALL_LIFT', 'THRUPLAY', 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS'],
  OUTCOME_TRAFFIC: ['LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'REACH', 'IMPRESSIONS', 'CONVERSATIONS', 'VISIT_INSTAGRAM_PROFILE', 'PROFILE_VISIT', 'QUALITY_CALL'],
  OUTCOME_ENGAGEMENT: ['POST_ENGAGEMENT', 'THRUPLAY', 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS', 'CONVERSATIONS', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS', 'REACH', 'PAGE_LIKES', 'EVENT_RESPONSES', 'REMINDERS_SET', 'QUALITY_CALL', 'OFFSITE_CONVERSIONS'],
  OUTCOME_LEADS: ['LEAD_GENERATION', 'QUALITY_LEAD', 'OFFSITE_CONVERSIONS', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'CONVERSATIONS', 'QUALITY_CALL', 'APP_INSTALLS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_SALES: ['OFFSITE_CONVERSIONS', 'VALUE', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'CONVERSATIONS', 'IMPRESSIONS', 'REACH', 'APP_INSTALLS', 'MESSAGING_PURCHASE_CONVERSION'],
  OUTCOME_APP_PROMOTION: ['APP_INSTALLS', 'APP_INSTALLS_AND_OFFSITE_CONVERSIONS', 'LINK_CLICKS', 'OFFSITE_CONVERSIONS', 'VALUE', 'IN_APP_VALUE', 'IMPRESSIONS', 'REACH'],
};

/** Billing events other than IMPRESSIONS need the matching optimization goal. */
const GOAL_FOR_BILLING_EVENT: Readonly<Record<string, string>> = {
  LINK_CLICKS: 'LINK_CLICKS', CLICKS: 'LINK_CLICKS', THRUPLAY: 'THRUPLAY', APP_INSTALLS: 'APP_INSTALLS',
  POST_ENGAGEMENT: 'POST_ENGAGEMENT', PAGE_LIKES: 'PAGE_LIKES', OFFER_CLAIMS: 'OFFER_CLAIMS', PURCHASE: 'OFFSITE_CONVERSIONS',
};

/** A budget-carrying object as it will be after the write. */
export interface BudgetState {
  level: 'campaign' | 'adset';
  account: AccountInfo;
  /** Minor units after the write ('0' or undefined = none). */
  daily?: string;
  lifetime?: string;
  startMs?: number;
  /** Simulated now: a lifetime budget must cover the days left from here. */
  nowMs: number;
  /** null or undefined = runs with no end. */
  endMs?: number | null;
  billingEvent?: string;
}

/** True when a stored budget string is set (Meta answers "0" for none on some objects). */
export function hasBudget(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && value !== '0' && value !== 0;
}

/** The end field of a level: campaigns end at `stop_time`, ad sets at `end_time`. */
export function endField(level: 'campaign' | 'adset'): 'stop_time' | 'end_time' {
  return level === 'campaign' ? 'stop_time' : 'end_time';
}

/**
 * Budgets being written (`written` names which): floor (1885272, naming it), lifetime ceiling
 * (1885261); then, on the state after the write, a lifetime budget needs an end after the start.
 */
export function checkBudgets(after: BudgetState, written: { daily?: string; lifetime?: string }): void {
  const what = after.level === 'campaign' ? 'campaign' : 'ad set';
  const currency = after.account.currency;
  const floor = after.level === 'campaign' ? dailyFloor(currency, undefined) : dailyFloor(currency, after.billingEvent);
  if (written.daily !== undefined && written.lifetime !== undefined) {
    throw validationError('lifetime_budget', 'Too Many Budgets', `Set either daily_budget or lifetime_budget for this ${what}, not both.`);
  }
  if (written.daily !== undefined && Number(written.daily) < floor) throw budgetTooLow('daily_budget', what, formatAmount(floor, currency));
  if (written.lifetime !== undefined) {
    const lifetime = Number(written.lifetime);
    const ceiling = lifetimeCeiling(currency);
    if (lifetime > ceiling) throw budgetTooHigh('lifetime_budget', formatAmount(ceiling, currency));
    // A lifetime budget must cover the floor for every day it still runs.
    const from = Math.max(after.startMs ?? after.nowMs, after.nowMs);
    const days = typeof after.endMs === 'number' ? Math.max(1, Math.ceil((after.endMs - from) / MS_PER_DAY)) : 1;
    if (lifetime < floor * days) throw budgetTooLow('lifetime_budget', what, formatAmount(floor * days, currency));
  }
  const end = endField(after.level);
  if (hasBudget(after.lifetime) && (after.endMs === undefined || after.endMs === null)) {
    throw validationError(end, 'End Time Required', `A ${what} with a lifetime budget needs an ${end}. Set ${end}, or use a daily budget.`);
  }
  if (typeof after.endMs === 'number' && after.startMs !== undefined && after.endMs <= after.startMs) {
    throw validationError(end, 'Incorrect End Date', `Please choose an ${end} that occurs after the start time of your ${what}.`);
  }
}

/** An update may change the amount of a budget, not its type (daily ↔ lifetime). */
export function checkBudgetType(node: SimNode, written: { daily?: string; lifetime?: string }): void {
  const what = node.type === 'campaign' ? 'campaign' : 'ad set';
  if (written.daily !== undefined && hasBudget(node.fields.lifetime_budget)) {
    throw validationError('daily_budget', "Budget Type Can't Be Changed", `This ${what} has a lifetime budget; it can't be switched to a daily budget.`);
  }
  if (written.lifetime !== undefined && hasBudget(node.fields.daily_budget)) {
    throw validationError('lifetime_budget', "Budget Type Can't Be Changed", `This ${what} has a daily budget; it can't be switched to a lifetime budget.`);
  }
}

/** True when the campaign owns the budget of its ad sets (campaign budget / CBO). */
export function usesCampaignBudget(campaign: SimNode): boolean {
  return hasBudget(campaign.fields.daily_budget) || hasBudget(campaign.fields.lifetime_budget);
}

/** 100/1885621 when an ad set budget is written under a campaign that has its own budget. */
export function checkCampaignBudgetConflict(campaign: SimNode, written: { daily?: string; lifetime?: string }): void {
  if (!usesCampaignBudget(campaign)) return;
  if (written.daily !== undefined) throw budgetConflict('daily_budget', campaign.id);
  if (written.lifetime !== undefined) throw budgetConflict('lifetime_budget', campaign.id);
}

/** Capped strategies need a bid amount; the min-ROAS strategy needs its ROAS floor. */
export function checkBidStrategy(strategy: string | undefined, bidAmount: unknown, bidConstraints: unknown): void {
  if (!strategy) return;
  if (CAPPED_STRATEGIES.has(strategy) && !(Number(bidAmount) > 0)) throw bidAmountRequired(strategy);
  if (strategy === 'LOWEST_COST_WITH_MIN_ROAS') {
    const floor = typeof bidConstraints === 'object' && bidConstraints !== null ? (bidConstraints as Record<string, unknown>).roas_average_floor : undefined;
    if (!(Number(floor) > 0)) {
      throw validationError('bid_constraints', 'ROAS Floor Required', 'The bid strategy LOWEST_COST_WITH_MIN_ROAS needs bid_constraints with a roas_average_floor.');
    }
  }
}

/** The objective must accept the optimization goal; the billing event must fit the goal. */
export function checkGoalFits(objective: unknown, optimizationGoal: string, billingEvent: string): void {
  const goals = typeof objective === 'string' ? GOALS_BY_OBJECTIVE[objective] : undefined;
  if (goals && !goals.includes(optimizationGoal)) {
    throw validationError('optimization_goal', 'Invalid Optimization Goal', `The optimization goal ${optimizationGoal} can't be used with the objective ${String(objective)}. Choose one of ${goals.join(', ')}.`);
  }
  const needed = GOAL_FOR_BILLING_EVENT[billingEvent];
  if (needed && needed !== optimizationGoal) {
    throw validationError('billing_event', 'Invalid Billing Event', `The billing event ${billingEvent} needs the optimization goal ${needed}; use IMPRESSIONS with ${optimizationGoal}.`);
  }
}

/**
 * Goals (and the app objective) that optimize for an event of a pixel, an app or a page need
 * `promoted_object` naming it, and a named pixel or page must belong to the account.
 */
export function checkPromotedObject(state: SimulatorState, account: AccountInfo, objective: unknown, optimizationGoal: string, promoted: Record<string, unknown> | undefined): void {
  const need = (keys: readonly string[], why: string): void => {
    const missing = keys.filter((k) => promoted?.[k] === undefined || promoted[k] === '');
    if (missing.length) {
      throw validationError('promoted_object', 'Promoted Object Required', `${why} needs promoted_object with ${keys.join(' and ')} (missing ${missing.join(', ')}).`);
    }
  };
  if (objective === 'OUTCOME_APP_PROMOTION' || optimizationGoal === 'APP_INSTALLS' || optimizationGoal === 'APP_INSTALLS_AND_OFFSITE_CONVERSIONS') {
    need(['application_id', 'object_store_url'], objective === 'OUTCOME_APP_PROMOTION' ? 'An app promotion ad set' : `The optimization goal ${optimizationGoal}`);
  } else if (optimizationGoal === 'OFFSITE_CONVERSIONS' || optimizationGoal === 'VALUE') {
    need(['pixel_id', 'custom_event_type'], `The optimization goal ${optimizationGoal}`);
  } else if (optimizationGoal === 'LEAD_GENERATION' || optimizationGoal === 'QUALITY_LEAD') {
    need(['page_id'], `The optimization goal ${optimizationGoal}`);
  }
  const pixel = promoted?.pixel_id;
  if (pixel !== undefined) {
    const node = state.nodes.get(String(pixel));
    if (node?.type !== 'adspixel' || node.accountId !== account.accountId) {
      throw validationError('promoted_object', 'Invalid Pixel', `The pixel ${String(pixel)} doesn't belong to ad account ${account.id}.`);
    }
  }
  const page = promoted?.page_id;
  if (page !== undefined && !state.edgeIds(account.id, 'promote_pages').includes(String(page))) {
    throw validationError('promoted_object', 'Invalid Page', `The page ${String(page)} can't be promoted by ad account ${account.id}.`);
  }
}

/** Targeting must be an object with a location. */
export function checkTargeting(targeting: Record<string, unknown> | undefined): void {
  const geo = targeting?.geo_locations;
  if (typeof geo !== 'object' || geo === null || !Object.keys(geo).length) {
    throw validationError('targeting', 'Location Targeting Required', 'Your audience needs at least one location: add geo_locations (countries, regions, cities…) to targeting.');
  }
}

/**
 * Throws 613/1487632 when the ad set may not change its budget now: while blocked, or when the
 * hourly allowance is used up (which starts the block). Nothing is counted here.
 */
export function admitBudgetChange(state: SimulatorState, node: SimNode, nowMs: number): void {
  const { adsetBudgetChangesPerHour: perHour, adsetBudgetBlockSeconds } = state.limits;
  if ((node.budgetBlockedUntilMs ?? 0) > nowMs) throw budgetChangeLimit(perHour);
  const recent = (node.budgetChangesMs ?? []).filter((t) => t > nowMs - HOUR_MS);
  node.budgetChangesMs = recent;
  if (recent.length >= perHour) {
    node.budgetBlockedUntilMs = nowMs + adsetBudgetBlockSeconds * 1000;
    throw budgetChangeLimit(perHour);
  }
}

/** Count an applied ad set budget change. */
export function countBudgetChange(node: SimNode, nowMs: number): void {
  (node.budgetChangesMs ??= []).push(nowMs);
}

/** Throws 17/1885172 when the object's spend cap changed too often in the last day. */
export function admitSpendCapChange(state: SimulatorState, node: SimNode, nowMs: number): void {
  const recent = (node.spendCapChangesMs ?? []).filter((t) => t > nowMs - MS_PER_DAY);
  node.spendCapChangesMs = recent;
  if (recent.length >= state.limits.spendCapChangesPerDay) throw spendCapChangeLimit(state.limits.spendCapChangesPerDay);
}

/** Count an applied spend cap change. */
export function countSpendCapChange(node: SimNode, nowMs: number): void {
  (node.spendCapChangesMs ??= []).push(nowMs);
}
