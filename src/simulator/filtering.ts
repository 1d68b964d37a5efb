/**
 * The generic `filtering=[{field, operator, value}]` parameter for edges and insights.
 * Fields are `<entity>.<attribute>` (prefix optional); a prefix naming an ancestor reads the
 * ancestor (`campaign.id` on ads means the ad's campaign).
 */
import { invalidParameter } from './graph-errors';
import { compareIds } from './paging';
import type { SimNode, SimulatorState } from './simulator-state';

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { floor: mFloor } = Math;

/** Supported operators. */
export const FilterOperators = [
  'EQUAL', 'NOT_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL',
  'IN_RANGE', 'NOT_IN_RANGE', 'IN', 'NOT_IN', 'CONTAIN', 'NOT_CONTAIN', 'ANY', 'ALL', 'NONE',
] as const;
/** One operator. */
export type FilterOperator = (typeof FilterOperators)[number];

const ENTITIES = ['ad', 'adset', 'campaign', 'account', 'adcreative', 'customaudience'] as const;
const ATTRIBUTES = ['id', 'name', 'effective_status', 'configured_status', 'status', 'updated_time', 'created_time', 'campaign_id', 'adset_id', 'objective'] as const;
type Attribute = (typeof ATTRIBUTES)[number];

/** A parsed filter. */
export interface Filter {
  /** Entity prefix, or undefined for "the listed object". */
  entity?: string;
  attribute: Attribute;
  operator: FilterOperator;
  value: unknown;
}

/** Parse the `filtering` param (JSON string); throws code 100 on anything malformed. */
export function parseFiltering(raw: string | undefined): Filter[] {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter('(#100) param filtering must be an array.');
  }
  if (!Array.isArray(parsed)) throw invalidParameter('(#100) param filtering must be an array.');
  return parsed.map((f: unknown) => {
    if (typeof f !== 'object' || f === null) throw invalidParameter('(#100) Filtering entries must be objects with field, operator and value');
    const { field, operator, value } = f as Record<string, unknown>;
    if (typeof field !== 'string' || typeof operator !== 'string') {
      throw invalidParameter('(#100) Filtering entries must be objects with field, operator and value');
    }
    if (!(FilterOperators as readonly string[]).includes(operator)) {
      throw invalidParameter(`(#100) param filtering[].operator must be one of the following values: ${FilterOperators.join(', ')}`);
    }
    const dot = field.lastIndexOf('.');
    const entity = dot >= 0 ? field.slice(0, dot) : undefined;
    const attribute = dot >= 0 ? field.slice(dot + 1) : field;
    if ((entity !== undefined && !(ENTITIES as readonly string[]).includes(entity)) || !(ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw invalidParameter(`(#100) Filtering field ${field} is invalid.`);
    }
    return { entity, attribute: attribute as Attribute, operator: operator as FilterOperator, value };
  });
}

/** True when any filter constrains an effective status (then archived/deleted are not hidden by default). */
export function mentionsEffectiveStatus(filters: readonly Filter[]): boolean {
  return filters.some((f) => f.attribute === 'effective_status' || f.attribute === 'configured_status' || f.attribute === 'status');
}

function target(state: SimulatorState, node: SimNode, entity: string | undefined): SimNode | undefined {
  if (entity === undefined || entity === node.type || (entity === 'account' && node.type === 'adaccount')) return node;
  if (entity === 'campaign' && node.campaignId) return state.nodes.get(node.campaignId);
  if (entity === 'adset' && node.adsetId) return state.nodes.get(node.adsetId);
  if (entity === 'account' && node.accountId) return state.accountsByBareId.get(node.accountId) ? state.nodes.get(`act_${node.accountId}`) : undefined;
  if (entity === 'adcreative' && node.creativeId) return state.nodes.get(node.creativeId);
  // Meta accepts a mismatched prefix on the listed object (e.g. `ad.id` on adcreatives); so do we.
  return node;
}

function attributeValue(state: SimulatorState, node: SimNode, attribute: Attribute): string | number | undefined {
  switch (attribute) {
    case 'id':
      return node.id.startsWith('act_') ? node.id.slice(4) : node.id;
    case 'name':
      return node.name;
    case 'effective_status':
      return state.effectiveStatus(node);
    case 'configured_status':
    case 'status':
      return node.status;
    case 'updated_time':
      return mFloor(node.updatedMs / 1000);
    case 'created_time':
      return mFloor(node.createdMs / 1000);
    case 'campaign_id':
      return node.campaignId;
    case 'adset_id':
      return node.adsetId;
    case 'objective':
      return node.fields.objective as string | undefined;
  }
}

function cmp(a: string | number, b: unknown, attribute: Attribute): number {
  if (typeof a === 'number') {
    const n = typeof b === 'number' ? b : Number(b);
    if (Number.isNaN(n)) throw invalidParameter(`(#100) Filtering value for ${attribute} must be a number`);
    return a - n;
  }
  if (attribute === 'id' || attribute === 'campaign_id' || attribute === 'adset_id') return compareIds(a, String(b));
  return a < String(b) ? -1 : a > String(b) ? 1 : 0;
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      /* fall through: a plain string is a one-element list */
    }
  }
  return [value];
}

/** Test one node against all filters (ANDed). */
export function matchesFilters(state: SimulatorState, node: SimNode, filters: readonly Filter[]): boolean {
  for (const f of filters) {
    const t = target(state, node, f.entity);
    const v = t ? attributeValue(state, t, f.attribute) : undefined;
    if (!test(v, f)) return false;
  }
  return true;
}

function test(v: string | number | undefined, f: Filter): boolean {
  const eq = (x: unknown): boolean => v !== undefined && String(v) === String(x);
  switch (f.operator) {
    case 'EQUAL':
      return eq(f.value);
    case 'NOT_EQUAL':
      return !eq(f.value);
    case 'GREATER_THAN':
      return v !== undefined && cmp(v, f.value, f.attribute) > 0;
    case 'GREATER_THAN_OR_EQUAL':
      return v !== undefined && cmp(v, f.value, f.attribute) >= 0;
    case 'LESS_THAN':
      return v !== undefined && cmp(v, f.value, f.attribute) < 0;
    case 'LESS_THAN_OR_EQUAL':
      return v !== undefined && cmp(v, f.value, f.attribute) <= 0;
    case 'IN_RANGE':
    case 'NOT_IN_RANGE': {
      const [lo, hi] = asList(f.value);
      const inside = v !== undefined && cmp(v, lo, f.attribute) >= 0 && cmp(v, hi, f.attribute) <= 0;
      return f.operator === 'IN_RANGE' ? inside : !inside;
    }
    case 'IN':
    case 'ANY':
      return asList(f.value).some(eq);
    case 'NOT_IN':
    case 'NONE':
      return !asList(f.value).some(eq);
    case 'ALL':
      return asList(f.value).every(eq);
    case 'CONTAIN':
      return v !== undefined && String(v).toLowerCase().includes(String(f.value).toLowerCase());
    case 'NOT_CONTAIN':
      return v === undefined || !String(v).toLowerCase().includes(String(f.value).toLowerCase());
  }
}
