/**
 * The change-set requests a rule's acted objects make: each object's before→after values (the
 * rule's own plan, money in minor units) as one requested item of the change-set planner, which
 * then checks them against the account's caps like any change set. Absolute amounts in major
 * units, because that is what the planner reads; the rule already stopped them at its limit.
 */
import type { RequestedItem, RequestedSet } from './change-set-plan';
import type { ChangeLevel } from './change-set-vocabulary';
import type { FieldChanges } from './rule-actions';
import { formatMinor, type MinorOffset } from './minor-units';
import { LEVEL_OF_ENTITY, type RuleEntityType } from './rule-spec';

/** One acted object with the change the rule planned for it. */
export interface ActedChange {
  entityId: string;
  change: FieldChanges;
}

/** The requested items of the change set a rule evaluation makes (objects without a change are left out). */
export function ruleChangeRequests(entityType: RuleEntityType, acted: readonly ActedChange[], offset: MinorOffset): RequestedItem[] {
  const level: ChangeLevel = LEVEL_OF_ENTITY[entityType];
  return acted
    .filter((a) => Object.keys(a.change).length > 0)
    .map((a) => ({ id: a.entityId, level, set: requestedSetOf(a.change, offset) }));
}

function requestedSetOf(change: FieldChanges, offset: MinorOffset): RequestedSet {
  const set: RequestedSet = {};
  for (const [field, { after }] of Object.entries(change)) {
    switch (field) {
      case 'status':
        if (after !== 'ACTIVE' && after !== 'PAUSED') throw new Error(`a rule sets status ACTIVE or PAUSED, not ${after}`);
        set.status = after;
        break;
      case 'daily_budget':
        set.dailyBudget = { amount: formatMinor(after, offset) };
        break;
      case 'lifetime_budget':
        set.lifetimeBudget = { amount: formatMinor(after, offset) };
        break;
      case 'bid_amount':
        set.bidAmount = { amount: formatMinor(after, offset) };
        break;
      default:
        throw new Error(`a rule does not change ${field}`);
    }
  }
  return set;
}
