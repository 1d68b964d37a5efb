/**
 * The words of a change set: levels, the fields a change may set per level, the statuses a
 * change may set (no DELETED: nothing is ever hard-deleted), bid strategies, violation codes,
 * and the canonical value form every before/after is kept in. Pure, shared by the planner,
 * the apply activities and the fronts.
 */

/** Meta object levels a change set edits. */
export const ChangeLevel = { Campaign: 'campaign', AdSet: 'adset', Ad: 'ad' } as const;
export type ChangeLevel = (typeof ChangeLevel)[keyof typeof ChangeLevel];
export const CHANGE_LEVELS: readonly ChangeLevel[] = [ChangeLevel.Campaign, ChangeLevel.AdSet, ChangeLevel.Ad];

/** Fields an update may set (camelCase, as both fronts name them). */
export const CHANGE_FIELDS = ['name', 'status', 'dailyBudget', 'lifetimeBudget', 'bidAmount', 'bidStrategy', 'startTime', 'endTime', 'spendCap'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

/** Money fields: canonical values are integer strings in the currency's minor unit. */
export const MONEY_FIELDS: ReadonlySet<ChangeField> = new Set(['dailyBudget', 'lifetimeBudget', 'bidAmount', 'spendCap']);
/** Time fields: canonical values are UTC ISO instants to the second (`2026-12-01T10:00:00Z`). */
export const TIME_FIELDS: ReadonlySet<ChangeField> = new Set(['startTime', 'endTime']);

/** What each level accepts (a campaign's end is Meta's `stop_time`; only campaigns have a spend cap here). */
export const FIELDS_BY_LEVEL: Readonly<Record<ChangeLevel, readonly ChangeField[]>> = {
  campaign: ['name', 'status', 'dailyBudget', 'lifetimeBudget', 'bidStrategy', 'startTime', 'endTime', 'spendCap'],
  adset: ['name', 'status', 'dailyBudget', 'lifetimeBudget', 'bidAmount', 'bidStrategy', 'startTime', 'endTime'],
  ad: ['name', 'status', 'bidAmount'],
};

/** Statuses a change may set: pause, resume, archive. Meta's DELETED is never offered. */
export const SETTABLE_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP', 'LOWEST_COST_WITH_MIN_ROAS'] as const;
/** Strategies that cap the bid, so they need a bid amount. */
export const CAPPED_BID_STRATEGIES: ReadonlySet<string> = new Set(['LOWEST_COST_WITH_BID_CAP', 'COST_CAP']);

/** A canonical field value; null means "not set" (Meta's "0" budget included). */
export type FieldValue = string | null;

/** One field of one item: the value the plan saw and the value it will set. */
export interface FieldChange {
  before: FieldValue;
  after: FieldValue;
}
export type ItemChanges = Partial<Record<ChangeField, FieldChange>>;

/** Why an item (or the whole set) cannot be applied. Any violation blocks the confirm. */
export const ViolationCode = {
  UnknownObject: 'UNKNOWN_OBJECT',
  DuplicateObject: 'DUPLICATE_OBJECT',
  OutstandingChange: 'OUTSTANDING_CHANGE',
  FieldNotAllowed: 'FIELD_NOT_ALLOWED',
  InvalidValue: 'INVALID_VALUE',
  ObjectDeleted: 'OBJECT_DELETED',
  ObjectArchived: 'OBJECT_ARCHIVED',
  NoBudgetToChange: 'NO_BUDGET_TO_CHANGE',
  BudgetTypeConflict: 'BUDGET_TYPE_CONFLICT',
  CampaignBudgetConflict: 'CAMPAIGN_BUDGET_CONFLICT',
  LifetimeBudgetWithoutEnd: 'LIFETIME_BUDGET_WITHOUT_END',
  EndBeforeStart: 'END_BEFORE_START',
  BelowMinimumBudget: 'BELOW_MINIMUM_BUDGET',
  AboveMetaMaximum: 'ABOVE_META_MAXIMUM',
  AboveMaxDailyBudget: 'ABOVE_MAX_DAILY_BUDGET',
  AboveMaxLifetimeBudget: 'ABOVE_MAX_LIFETIME_BUDGET',
  IncreaseTooLarge: 'INCREASE_TOO_LARGE',
  DailyIncreaseCap: 'DAILY_INCREASE_CAP',
  BidAmountRequired: 'BID_AMOUNT_REQUIRED',
  MissingField: 'MISSING_FIELD',
  DuplicateName: 'DUPLICATE_NAME',
  UnknownParent: 'UNKNOWN_PARENT',
  PromotedObjectRequired: 'PROMOTED_OBJECT_REQUIRED',
  BudgetRequired: 'BUDGET_REQUIRED',
} as const;
export type ViolationCode = (typeof ViolationCode)[keyof typeof ViolationCode];

/** One violation, written for the person or agent who must fix the request. */
export interface Violation {
  code: ViolationCode;
  message: string;
  field?: string;
  objectId?: string;
}

/** Canonical UTC instant to the second ("2026-12-01T10:00:00Z"), or null when the text is no time. */
export function canonicalTime(value: string | number | Date): string | null {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
