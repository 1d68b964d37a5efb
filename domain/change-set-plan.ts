/**
 * The change-set planner: turns what was asked (items, or one `set` applied to a selection) and
 * the stored objects into a plan. Every percentage is resolved here, once, into an absolute
 * value (minor units, floor and ceiling applied); every item is checked against the account's
 * caps, Meta's minimum budget for the currency, the campaign-budget conflict, lifetime budgets
 * without an end, what Meta refuses on ARCHIVED and DELETED objects, and one outstanding change
 * per object. Pure: the caller loads the objects and writes the plan.
 */
import {
  CAPPED_BID_STRATEGIES, FIELDS_BY_LEVEL, MONEY_FIELDS, ViolationCode, canonicalTime,
  type ChangeField, type ChangeLevel, type FieldChange, type FieldValue, type ItemChanges, type SettableStatus, type Violation,
} from './change-set-vocabulary';
import { applyPercent, formatMinor, majorToMinor, parsePercent, type MinorOffset } from './minor-units';

/** A requested amount: absolute (major units), or a percentage of the current value with bounds. */
export type MoneyRequest = { amount: string } | { percent: string; floor?: string; ceiling?: string };

/** The fields one item sets. Amounts are major-unit decimal strings; times ISO 8601. */
export interface RequestedSet {
  name?: string;
  status?: SettableStatus;
  dailyBudget?: MoneyRequest;
  lifetimeBudget?: MoneyRequest;
  bidAmount?: MoneyRequest;
  spendCap?: MoneyRequest;
  bidStrategy?: string;
  startTime?: string;
  endTime?: string;
}

/** One requested change. */
export interface RequestedItem {
  id: string;
  level: ChangeLevel;
  set: RequestedSet;
}

/** A stored object as the planner sees it (canonical values: minor-unit strings, ISO seconds). */
export interface PlanObject {
  id: string;
  level: ChangeLevel;
  name: string | null;
  /** Configured status (ACTIVE, PAUSED, ARCHIVED, DELETED). */
  status: string | null;
  campaignId: string | null;
  dailyBudget: FieldValue;
  lifetimeBudget: FieldValue;
  bidAmount: FieldValue;
  spendCap: FieldValue;
  bidStrategy: FieldValue;
  startTime: FieldValue;
  /** `end_time` of an ad set, `stop_time` of a campaign. */
  endTime: FieldValue;
  /** Ad sets: decides which of Meta's minimum budgets applies. */
  billingEvent: string | null;
  /** Ad sets: their campaign has its own budget (campaign budget), so they cannot have one. */
  campaignHasBudget: boolean;
  /** No longer listed by Meta (soft-deleted in the copy): treated as DELETED. */
  removed: boolean;
}

/** Meta's `act_x/minimum_budgets` for the account currency, in minor units. */
export interface MinimumDailyBudgets {
  imp: string;
  videoViews: string;
  highFreq: string;
  lowFreq: string;
}

/** The account's guard rails (ad_account_limits), money in minor units; null = no cap. */
export interface PlanLimits {
  /** Largest increase one change may make to a budget, in percent (decimal string). */
  maxBudgetIncreasePct: string | null;
  maxDailyBudget: FieldValue;
  maxLifetimeBudget: FieldValue;
  /** Largest sum of daily-budget increases per account-local day. */
  maxDailyIncreasePerDay: FieldValue;
}

/** Everything but the objects that a plan depends on. */
export interface PlanContext {
  currency: string;
  offset: MinorOffset;
  limits: PlanLimits;
  /** Null when unknown: the minimum is then not checked here (Meta still refuses, 1885272). */
  minimumBudgets: MinimumDailyBudgets | null;
  /** Daily-budget increases of change sets already confirmed today (minor units). */
  dailyIncreaseSoFar: string;
  /** Wall-clock now (ms), for end times in the past and the lifetime-budget days left. */
  nowMs: number;
  /** Objects another change set is still applying → that set's id. */
  outstanding: ReadonlyMap<string, string>;
}

/** One planned item. */
export interface PlannedItem {
  position: number;
  level: ChangeLevel;
  entityId: string;
  campaignId: string | null;
  changes: ItemChanges;
  violations: Violation[];
}

/** What a plan changes, in the account currency (amounts in major units). */
export interface PlanTotals {
  items: number;
  itemsWithViolations: number;
  /** Per currency (one per ad account): sums of after − before. */
  byCurrency: Record<string, { dailyBudgetDelta: string; lifetimeBudgetDelta: string; dailyBudgetIncrease: string }>;
  /** Objects whose status goes to ACTIVE from anything else. */
  objectsTurnedOn: number;
  /** Objects whose status goes from ACTIVE to PAUSED or ARCHIVED. */
  objectsTurnedOff: number;
  objectsArchived: number;
}

/** A plan: items, totals and violations; `requiresConfirmation` unless it only lowers spend. */
export interface Plan {
  items: PlannedItem[];
  totals: PlanTotals;
  /** Violations of the set as a whole. */
  violations: Violation[];
  violationCount: number;
  requiresConfirmation: boolean;
}

/** Meta's lifetime budget ceiling is a million impression floors (USD 1M). */
const LIFETIME_CEILING_FLOORS = 1_000_000n;
const DAY_MS = 86_400_000;
const MAX_NAME_LENGTH = 400;

/** Plans updates of existing objects. `objects` holds every stored object the items name. */
export function planUpdates(requests: readonly RequestedItem[], objects: ReadonlyMap<string, PlanObject>, ctx: PlanContext): Plan {
  const seen = new Set<string>();
  const items = requests.map((request, position): PlannedItem => {
    const object = objects.get(request.id);
    const item: PlannedItem = { position, level: request.level, entityId: request.id, campaignId: object?.campaignId ?? null, changes: {}, violations: [] };
    const violate = (code: ViolationCode, message: string, field?: string): void => {
      item.violations.push({ code, message, objectId: request.id, ...(field ? { field } : {}) });
    };
    if (seen.has(request.id)) violate(ViolationCode.DuplicateObject, `${request.id} appears more than once in the change set; give each object one item`);
    seen.add(request.id);
    if (!object || object.level !== request.level) {
      violate(ViolationCode.UnknownObject, `No ${levelName(request.level)} ${request.id} in this ad account (sync the account if it was created recently)`);
      return item;
    }
    const other = ctx.outstanding.get(request.id);
    if (other) violate(ViolationCode.OutstandingChange, `${levelName(object.level)} ${request.id} has a change still being applied by change set ${other}; wait for it or cancel it`);
    resolveChanges(request.set, object, ctx, item, violate);
    checkItem(object, item.changes, ctx, violate);
    return item;
  });
  return finishPlan(items, ctx);
}

/** Totals, set-level violations and the confirmation rule of a list of planned items. */
export function finishPlan(items: PlannedItem[], ctx: PlanContext, extra: Violation[] = []): Plan {
  const totals = totalsOf(items, ctx);
  const violations = [...extra];
  const cap = ctx.limits.maxDailyIncreasePerDay;
  const increase = sumIncrease(items);
  if (cap !== null && increase > 0n && increase + BigInt(ctx.dailyIncreaseSoFar) > BigInt(cap)) {
    violations.push({
      code: ViolationCode.DailyIncreaseCap,
      message: `Daily budgets would rise by ${money(increase, ctx)} today (${money(BigInt(ctx.dailyIncreaseSoFar), ctx)} already confirmed today); this ad account allows at most ${money(BigInt(cap), ctx)} per day`,
    });
  }
  const violationCount = violations.length + items.reduce((n, i) => n + i.violations.length, 0);
  return { items, totals, violations, violationCount, requiresConfirmation: items.some((i) => itemRaisesSpend(i.changes)) };
}

function resolveChanges(set: RequestedSet, object: PlanObject, ctx: PlanContext, item: PlannedItem, violate: (code: ViolationCode, message: string, field?: string) => void): void {
  const allowed = FIELDS_BY_LEVEL[object.level];
  for (const [key, requested] of Object.entries(set) as Array<[ChangeField, unknown]>) {
    if (requested === undefined) continue;
    if (!allowed.includes(key)) {
      violate(ViolationCode.FieldNotAllowed, `${key} cannot be set on ${article(object.level)} ${levelName(object.level)} (it accepts ${allowed.join(', ')})`, key);
      continue;
    }
    const before = currentValue(object, key);
    let after: FieldValue;
    if (MONEY_FIELDS.has(key)) {
      const resolved = resolveMoney(requested as MoneyRequest, before, key, ctx);
      if ('error' in resolved) {
        violate(resolved.code, resolved.error, key);
        continue;
      }
      after = resolved.value;
    } else if (key === 'startTime' || key === 'endTime') {
      after = canonicalTime(String(requested));
      if (after === null) {
        violate(ViolationCode.InvalidValue, `${key} "${String(requested).slice(0, 40)}" is not an ISO 8601 date and time`, key);
        continue;
      }
    } else if (key === 'name') {
      after = String(requested).trim();
      if (after === '' || after.length > MAX_NAME_LENGTH) {
        violate(ViolationCode.InvalidValue, `name must be 1 to ${MAX_NAME_LENGTH} characters`, key);
        continue;
      }
    } else {
      after = String(requested);
    }
    item.changes[key] = { before, after };
  }
}

type Resolved = { value: string } | { error: string; code: ViolationCode };

function resolveMoney(request: MoneyRequest, before: FieldValue, field: ChangeField, ctx: PlanContext): Resolved {
  const parse = (text: string, what: string): bigint | Resolved => {
    const minor = majorToMinor(text, ctx.offset);
    if (minor === null) return { code: ViolationCode.InvalidValue, error: `${what} "${text.slice(0, 40)}" is not an amount of ${ctx.currency} (at most ${ctx.offset === 100 ? 2 : 0} decimals)` };
    return minor;
  };
  let after: bigint;
  if ('amount' in request) {
    const minor = parse(request.amount, field);
    if (typeof minor !== 'bigint') return minor;
    after = minor;
  } else {
    if (before === null) {
      return { code: ViolationCode.NoBudgetToChange, error: `${field} has no current value to change by ${request.percent} %; give an amount instead` };
    }
    const percent = parsePercent(request.percent);
    if (!percent || percent.numerator <= -100n * percent.denominator) {
      return { code: ViolationCode.InvalidValue, error: `percent must be a number above -100 (got "${request.percent.slice(0, 20)}")` };
    }
    after = applyPercent(BigInt(before), percent);
    if (request.floor !== undefined) {
      const floor = parse(request.floor, 'floor');
      if (typeof floor !== 'bigint') return floor;
      if (after < floor) after = floor;
    }
    if (request.ceiling !== undefined) {
      const ceiling = parse(request.ceiling, 'ceiling');
      if (typeof ceiling !== 'bigint') return ceiling;
      if (after > ceiling) after = ceiling;
    }
  }
  if (after <= 0n) return { code: ViolationCode.InvalidValue, error: `${field} must be more than 0 ${ctx.currency} (amounts cannot be removed here)` };
  return { value: after.toString() };
}

function checkItem(object: PlanObject, changes: ItemChanges, ctx: PlanContext, violate: (code: ViolationCode, message: string, field?: string) => void): void {
  const fields = Object.keys(changes) as ChangeField[];
  const what = `${levelName(object.level)} ${object.id}`;
  if (object.removed || object.status === 'DELETED') {
    for (const f of fields.filter((f) => f !== 'name')) violate(ViolationCode.ObjectDeleted, `${what} is deleted on Meta: only its name can change (not ${f})`, f);
    return;
  }
  if (object.status === 'ARCHIVED') {
    for (const f of fields.filter((f) => f !== 'name' && !(f === 'status' && changes.status?.after === 'ARCHIVED'))) {
      violate(ViolationCode.ObjectArchived, `${what} is archived: Meta accepts only a new name on archived objects (not ${f})`, f);
    }
    return;
  }
  const after = (f: ChangeField): FieldValue => (changes[f] ? changes[f]!.after : currentValue(object, f));
  const daily = changes.dailyBudget;
  const lifetime = changes.lifetimeBudget;
  if (daily && lifetime) violate(ViolationCode.BudgetTypeConflict, `set either dailyBudget or lifetimeBudget on ${what}, not both`, 'lifetimeBudget');
  if (object.level === 'adset' && object.campaignHasBudget && (daily || lifetime)) {
    violate(
      ViolationCode.CampaignBudgetConflict,
      `${what} belongs to campaign ${object.campaignId}, which has its own budget (campaign budget): change the campaign's budget instead`,
      daily ? 'dailyBudget' : 'lifetimeBudget',
    );
  } else {
    for (const [field, change, other] of [['dailyBudget', daily, 'lifetimeBudget'], ['lifetimeBudget', lifetime, 'dailyBudget']] as const) {
      if (!change) continue;
      if (change.before === null && currentValue(object, other) !== null) {
        violate(ViolationCode.BudgetTypeConflict, `${what} has a ${other === 'dailyBudget' ? 'daily' : 'lifetime'} budget; Meta does not switch a budget between daily and lifetime`, field);
      } else if (change.before === null && object.level === 'campaign') {
        violate(ViolationCode.NoBudgetToChange, `${what} has no campaign budget (its ad sets carry the budgets): change the ad sets' budgets instead`, field);
      } else if (change.before === null && object.level === 'adset') {
        violate(ViolationCode.NoBudgetToChange, `${what} has no budget of its own to change`, field);
      }
    }
  }
  const floor = minimumFor(object, ctx);
  if (daily?.after) {
    const value = BigInt(daily.after);
    if (floor !== null && value < floor) violate(ViolationCode.BelowMinimumBudget, `dailyBudget ${money(value, ctx)} of ${what} is below Meta's minimum daily budget of ${money(floor, ctx)}`, 'dailyBudget');
    if (ctx.limits.maxDailyBudget !== null && value > BigInt(ctx.limits.maxDailyBudget)) {
      violate(ViolationCode.AboveMaxDailyBudget, `dailyBudget ${money(value, ctx)} of ${what} is above this ad account's largest daily budget, ${money(BigInt(ctx.limits.maxDailyBudget), ctx)}`, 'dailyBudget');
    }
    checkIncrease(daily, 'dailyBudget', what, ctx, violate);
  }
  const endMs = after('endTime') === null ? null : Date.parse(after('endTime')!);
  if (lifetime?.after) {
    const value = BigInt(lifetime.after);
    if (endMs === null) {
      violate(ViolationCode.LifetimeBudgetWithoutEnd, `${what} needs an end time for a lifetime budget: set endTime in the same item, or use a daily budget`, 'lifetimeBudget');
    } else if (floor !== null) {
      const startMs = after('startTime') === null ? ctx.nowMs : Math.max(Date.parse(after('startTime')!), ctx.nowMs);
      const days = BigInt(Math.max(1, Math.ceil((endMs - startMs) / DAY_MS)));
      if (value < floor * days) violate(ViolationCode.BelowMinimumBudget, `lifetimeBudget ${money(value, ctx)} of ${what} is below Meta's minimum for ${days} days, ${money(floor * days, ctx)}`, 'lifetimeBudget');
    }
    if (ctx.minimumBudgets && value > BigInt(ctx.minimumBudgets.imp) * LIFETIME_CEILING_FLOORS) {
      violate(ViolationCode.AboveMetaMaximum, `lifetimeBudget ${money(value, ctx)} of ${what} is above Meta's ceiling of ${money(BigInt(ctx.minimumBudgets.imp) * LIFETIME_CEILING_FLOORS, ctx)}`, 'lifetimeBudget');
    }
    if (ctx.limits.maxLifetimeBudget !== null && value > BigInt(ctx.limits.maxLifetimeBudget)) {
      violate(ViolationCode.AboveMaxLifetimeBudget, `lifetimeBudget ${money(value, ctx)} of ${what} is above this ad account's largest lifetime budget, ${money(BigInt(ctx.limits.maxLifetimeBudget), ctx)}`, 'lifetimeBudget');
    }
    checkIncrease(lifetime, 'lifetimeBudget', what, ctx, violate);
  }
  const startAfter = after('startTime');
  if ((changes.endTime || changes.startTime) && endMs !== null) {
    if (startAfter !== null && endMs <= Date.parse(startAfter)) violate(ViolationCode.EndBeforeStart, `endTime of ${what} must be after its start time (${startAfter})`, 'endTime');
    else if (changes.endTime && endMs <= ctx.nowMs) violate(ViolationCode.InvalidValue, `endTime of ${what} is in the past`, 'endTime');
  }
  if (changes.bidStrategy || changes.bidAmount) {
    const strategy = after('bidStrategy');
    if (strategy !== null && CAPPED_BID_STRATEGIES.has(strategy) && after('bidAmount') === null && object.level !== 'campaign') {
      violate(ViolationCode.BidAmountRequired, `the bid strategy ${strategy} needs a bid amount: set bidAmount on ${what} too`, 'bidAmount');
    }
  }
}

function checkIncrease(change: FieldChange, field: ChangeField, what: string, ctx: PlanContext, violate: (code: ViolationCode, message: string, field?: string) => void): void {
  const cap = ctx.limits.maxBudgetIncreasePct;
  if (cap === null || change.before === null || change.after === null) return;
  const before = BigInt(change.before);
  const after = BigInt(change.after);
  const pct = parsePercent(cap);
  if (!pct || before <= 0n || after <= before) return;
  // (after − before) / before > cap / 100, without division.
  if ((after - before) * 100n * pct.denominator > pct.numerator * before) {
    violate(
      ViolationCode.IncreaseTooLarge,
      `${field} of ${what} would rise from ${money(before, ctx)} to ${money(after, ctx)}, more than this ad account's largest increase per change (${cap} %)`,
      field,
    );
  }
}

/** Meta's minimum daily budget for an object: campaigns use the impression floor, ad sets their billing event's. */
function minimumFor(object: PlanObject, ctx: PlanContext): bigint | null {
  const m = ctx.minimumBudgets;
  if (!m) return null;
  if (object.level !== 'adset') return BigInt(m.imp);
  return BigInt(minimumForBillingEvent(object.billingEvent, m));
}

/** Which of Meta's four floors a billing event falls under (impressions, video views, frequent or rare events). */
export function minimumForBillingEvent(billingEvent: string | null | undefined, m: MinimumDailyBudgets): string {
  switch (billingEvent) {
    case 'THRUPLAY':
    case 'VIDEO_VIEWS':
    case 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS':
      return m.videoViews;
    case 'LINK_CLICKS':
    case 'CLICKS':
    case 'POST_ENGAGEMENT':
    case 'PAGE_LIKES':
      return m.highFreq;
    case 'APP_INSTALLS':
    case 'OFFER_CLAIMS':
    case 'PURCHASE':
    case 'LISTING_INTERACTION':
      return m.lowFreq;
    default:
      return m.imp;
  }
}

/** The stored value of a field. */
export function currentValue(object: PlanObject, field: ChangeField): FieldValue {
  switch (field) {
    case 'name':
      return object.name;
    case 'status':
      return object.status;
    default:
      return object[field];
  }
}

/**
 * True when an item may spend more or turn delivery on: status to ACTIVE or ARCHIVED, a higher
 * budget or bid, a raised spend cap, a later end or an earlier start, another bid strategy.
 * Pauses, decreases, earlier ends, new caps and renames lower spend or leave it alone.
 */
export function itemRaisesSpend(changes: ItemChanges): boolean {
  for (const [field, change] of Object.entries(changes) as Array<[ChangeField, FieldChange]>) {
    const { before, after } = change;
    if (before === after) continue;
    switch (field) {
      case 'name':
        break;
      case 'status':
        if (after === 'ACTIVE' || after === 'ARCHIVED') return true;
        break;
      case 'dailyBudget':
      case 'lifetimeBudget':
      case 'bidAmount':
        if (before === null || after === null || BigInt(after) > BigInt(before)) return true;
        break;
      case 'spendCap':
        if (before !== null && (after === null || BigInt(after) > BigInt(before))) return true;
        break;
      case 'endTime':
        if (before !== null && (after === null || after > before)) return true;
        break;
      case 'startTime':
        if (before === null || after === null || after < before) return true;
        break;
      default:
        return true;
    }
  }
  return false;
}

function sumIncrease(items: readonly PlannedItem[]): bigint {
  let sum = 0n;
  for (const item of items) {
    const d = item.changes.dailyBudget;
    if (d?.after == null) continue;
    const delta = BigInt(d.after) - BigInt(d.before ?? '0');
    if (delta > 0n) sum += delta;
  }
  return sum;
}

function totalsOf(items: readonly PlannedItem[], ctx: PlanContext): PlanTotals {
  let daily = 0n;
  let lifetime = 0n;
  let on = 0;
  let off = 0;
  let archived = 0;
  for (const item of items) {
    const d = item.changes.dailyBudget;
    if (d) daily += BigInt(d.after ?? '0') - BigInt(d.before ?? '0');
    const l = item.changes.lifetimeBudget;
    if (l) lifetime += BigInt(l.after ?? '0') - BigInt(l.before ?? '0');
    const s = item.changes.status;
    if (s && s.before !== s.after) {
      if (s.after === 'ACTIVE') on++;
      if (s.before === 'ACTIVE' && (s.after === 'PAUSED' || s.after === 'ARCHIVED')) off++;
      if (s.after === 'ARCHIVED') archived++;
    }
  }
  return {
    items: items.length,
    itemsWithViolations: items.filter((i) => i.violations.length > 0).length,
    byCurrency: {
      [ctx.currency]: {
        dailyBudgetDelta: formatMinor(daily, ctx.offset),
        lifetimeBudgetDelta: formatMinor(lifetime, ctx.offset),
        dailyBudgetIncrease: formatMinor(sumIncrease(items), ctx.offset),
      },
    },
    objectsTurnedOn: on,
    objectsTurnedOff: off,
    objectsArchived: archived,
  };
}

/** An amount for messages: "USD 148.14". */
export function money(minor: bigint, ctx: { currency: string; offset: MinorOffset }): string {
  return `${ctx.currency} ${formatMinor(minor, ctx.offset)}`;
}

export function levelName(level: ChangeLevel): string {
  return level === 'adset' ? 'ad set' : level;
}

function article(level: ChangeLevel): string {
  return level === 'ad' || level === 'adset' ? 'an' : 'a';
}

/**
 * The text a plan hash is computed over: the set, its account and kind, and every item's
 * position, level, object, chunk, changes (fields in a fixed order) and create payload. Two
 * plans hash alike only when they would send exactly the same writes in the same order.
 */
export function canonicalPlanText(plan: {
  changeSetId: string;
  adAccountId: string;
  kind: string;
  items: ReadonlyArray<{ position: number; level: string; entityId: string | null; chunk: number; changes: ItemChanges; payload?: unknown }>;
}): string {
  const fieldOrder = (changes: ItemChanges): Array<[string, FieldValue, FieldValue]> =>
    (Object.keys(changes) as ChangeField[]).sort().map((f) => [f, changes[f]!.before, changes[f]!.after]);
  return JSON.stringify([
    plan.changeSetId,
    plan.adAccountId,
    plan.kind,
    plan.items.map((i) => [i.position, i.level, i.entityId, i.chunk, fieldOrder(i.changes), i.payload === undefined ? null : sortKeys(i.payload)]),
  ]);
}

/** JSON value with object keys sorted, so equal payloads serialise alike. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as Record<string, unknown>).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
