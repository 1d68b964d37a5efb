/**
 * Builders for Meta's generic `filtering` parameter (a JSON array of `{field, operator, value}`),
 * the way to include ARCHIVED/DELETED objects and to ask only for what changed since a time.
 */
import { ALL_AD_STATUSES } from './objects/ad';
import { ALL_ADSET_STATUSES } from './objects/ad-set';
import { ALL_CAMPAIGN_STATUSES } from './objects/campaign';

/** Meta's filtering operators. */
export const FilterOperator = {
  Equal: 'EQUAL',
  NotEqual: 'NOT_EQUAL',
  GreaterThan: 'GREATER_THAN',
  GreaterThanOrEqual: 'GREATER_THAN_OR_EQUAL',
  LessThan: 'LESS_THAN',
  LessThanOrEqual: 'LESS_THAN_OR_EQUAL',
  InRange: 'IN_RANGE',
  NotInRange: 'NOT_IN_RANGE',
  Contain: 'CONTAIN',
  NotContain: 'NOT_CONTAIN',
  In: 'IN',
  NotIn: 'NOT_IN',
  Any: 'ANY',
  All: 'ALL',
  None: 'NONE',
} as const;
export type FilterOperator = (typeof FilterOperator)[keyof typeof FilterOperator];

/** One element of `filtering`. */
export interface MetaFilter {
  field: string;
  operator: FilterOperator;
  value: unknown;
}

/** Entities whose edges take `<entity>.effective_status` / `<entity>.updated_time` filters. */
export type FilterEntity = 'campaign' | 'adset' | 'ad';

const ALL_STATUSES: Record<FilterEntity, readonly string[]> = {
  campaign: ALL_CAMPAIGN_STATUSES,
  adset: ALL_ADSET_STATUSES,
  ad: ALL_AD_STATUSES,
};

/** `<entity>.effective_status IN [...]`; defaults to every status, ARCHIVED and DELETED included. */
export function effectiveStatusFilter(entity: FilterEntity, statuses: readonly string[] = ALL_STATUSES[entity]): MetaFilter {
  return { field: `${entity}.effective_status`, operator: FilterOperator.In, value: [...statuses] };
}

/** `<entity>.updated_time GREATER_THAN <unix seconds>` for incremental syncs. */
export function updatedSinceFilter(entity: FilterEntity, since: Date): MetaFilter {
  return { field: `${entity}.updated_time`, operator: FilterOperator.GreaterThan, value: Math.floor(since.getTime() / 1000) };
}
