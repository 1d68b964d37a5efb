/**
 * Reads: project a node onto requested fields (with reference and edge expansion) and list
 * an edge with status hiding, filtering, cursor paging, summary and the data budget.
 */
import { documentedFieldValue } from './documented-field-values';
import { DOCUMENTED_FIELDS } from './documented-fields';
import { countFields, parseFields, type FieldSpec } from './field-selection';
import { matchesFilters, mentionsEffectiveStatus, parseFiltering } from './filtering';
import { invalidParameter, nonexistingField } from './graph-errors';
import { formatInsightsRow, insightsFieldCount, parseInsightsQuery, runInsightsQuery } from './insights-engine';
import { EDGES, GRAPH_TYPE_NAMES, READABLE_FIELDS, REFERENCES, STATUS_HIDDEN_TYPES, TIME_FIELDS } from './object-fields';
import { enforceDataBudget, pageIds, pageOffsets, resolveLimit, type Paging, type RequestOrigin } from './paging';
import type { SimNode, SimulatorState } from './simulator-state';
import { formatGraphTime } from './time-zones';

/** A list response. */
export interface ListResponse {
  data: unknown[];
  paging?: Paging;
  summary?: { total_count: number };
}

const ID_ONLY: FieldSpec[] = [{ name: 'id', modifiers: {} }];

function timezoneOf(state: SimulatorState, node: SimNode): string {
  return state.accountOf(node)?.timezone ?? 'UTC';
}

/** Project one node onto the requested fields (only `id` when none are requested). */
export function projectNode(state: SimulatorState, node: SimNode, specs: readonly FieldSpec[], origin: RequestOrigin): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const use = specs.length ? specs : ID_ONLY;
  for (const spec of use) {
    const v = fieldValue(state, node, spec, origin);
    if (v !== undefined) out[spec.name] = v;
  }
  if (!('id' in out)) out.id = node.id;
  return out;
}

function fieldValue(state: SimulatorState, node: SimNode, spec: FieldSpec, origin: RequestOrigin): unknown {
  const f = spec.name;
  const ref = REFERENCES[node.type]?.[f];
  if (ref) {
    const id = ref(node);
    if (!id) return undefined;
    const target = state.nodes.get(id);
    if (!target || !spec.subfields?.length) return { id };
    return projectNode(state, target, spec.subfields, origin);
  }
  if (EDGES[node.type]?.includes(f)) {
    const params: Record<string, string> = { ...spec.modifiers };
    if (f === 'insights') {
      if (spec.subfields?.length) params.fields = spec.subfields.map((s) => s.name).join(',');
      return readInsights(state, node, params, { ...origin, path: `${node.id}/insights`, params });
    }
    const sub = spec.subfields ?? [];
    if (sub.length) params.fields = serializeFields(sub);
    return readEdge(state, node, f, params, sub, { ...origin, path: `${node.id}/${f}`, params });
  }
  if (!READABLE_FIELDS[node.type].has(f)) {
    // Documented but not stored: derived from the world, or left out like Meta leaves out empty values.
    if (DOCUMENTED_FIELDS[node.type].has(f)) return node.fields[f] ?? documentedFieldValue(state, node, f);
    throw nonexistingField(f, GRAPH_TYPE_NAMES[node.type]);
  }
  switch (f) {
    case 'id':
      return node.id;
    case 'account_id':
      return node.type === 'adaccount' ? node.id.slice(4) : node.accountId;
    case 'name':
      return node.name ?? node.fields.name;
    case 'effective_status':
      return state.effectiveStatus(node);
    case 'status':
    case 'configured_status':
      return node.status ?? node.fields[f];
    case 'created_time':
      return formatGraphTime(node.createdMs, timezoneOf(state, node));
    case 'updated_time':
      return formatGraphTime(node.updatedMs, timezoneOf(state, node));
    case 'campaign_id':
      return node.campaignId ?? node.fields.campaign_id;
    case 'adset_id':
      return node.adsetId ?? node.fields.adset_id;
  }
  const v = node.fields[f];
  if (typeof v === 'number' && TIME_FIELDS.has(f)) return formatGraphTime(v, timezoneOf(state, node));
  return v;
}

/** Inverse of parseFields, for `next` URLs of expanded edges. */
export function serializeFields(specs: readonly FieldSpec[]): string {
  return specs
    .map((s) => {
      const mods = Object.entries(s.modifiers).map(([k, v]) => `.${k}(${v})`).join('');
      return `${s.name}${mods}${s.subfields?.length ? `{${serializeFields(s.subfields)}}` : ''}`;
    })
    .join(',');
}

function parseStatusList(raw: string): string[] {
  const t = raw.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) return v.map(String);
    } catch {
      throw invalidParameter('(#100) param effective_status must be an array.');
    }
  }
  return t.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Filtered, sorted ids of an edge (cached per state version and query). */
function edgeIds(state: SimulatorState, parent: SimNode, edge: string, params: Record<string, string>): readonly string[] {
  const parentKey = parent.type === 'user' ? 'me' : parent.id;
  const all = state.edgeIds(parentKey, edge);
  const first = all.length ? state.nodes.get(all[0] as string) : undefined;
  const childType = first?.type;
  const filters = parseFiltering(params.filtering);
  const statuses = params.effective_status ? parseStatusList(params.effective_status) : undefined;
  const updatedSince = params.updated_since ? Number(params.updated_since) : undefined;
  const hides = childType !== undefined && STATUS_HIDDEN_TYPES.has(childType);
  if (!filters.length && !statuses && updatedSince === undefined && !hides && childType !== 'adrule') return all;
  const key = JSON.stringify(['edge', parentKey, edge, params.filtering ?? '', params.effective_status ?? '', params.updated_since ?? '', state.version]);
  return state.cache.get(key, () => {
    const hideDefault = hides && !statuses && !mentionsEffectiveStatus(filters);
    const out: string[] = [];
    for (const id of all) {
      const n = state.nodes.get(id);
      if (!n) continue;
      if (n.type === 'adrule' && n.status === 'DELETED' && !statuses) continue;
      if (hides) {
        const es = state.effectiveStatus(n);
        if (hideDefault && (es === 'ARCHIVED' || es === 'DELETED')) continue;
        if (statuses && !statuses.includes(es)) continue;
      }
      if (updatedSince !== undefined && n.updatedMs / 1000 < updatedSince) continue;
      if (filters.length && !matchesFilters(state, n, filters)) continue;
      out.push(id);
    }
    return out;
  }, (ids) => ids.length / 8);
}

function wantsSummary(params: Record<string, string>): boolean {
  const s = params.summary;
  return s !== undefined && s !== 'false' && s !== '0' && s !== '';
}

/** List an object edge. */
export function readEdge(
  state: SimulatorState,
  parent: SimNode,
  edge: string,
  params: Record<string, string>,
  specs: readonly FieldSpec[],
  origin: RequestOrigin,
  /** Only these ids (the accounts a Facebook Login token reaches). @default all */
  only?: ReadonlySet<string>,
): ListResponse {
  const limit = resolveLimit(params, state.limits);
  enforceDataBudget(limit, countFields(specs.length ? specs : ID_ONLY), state.limits);
  const all = edgeIds(state, parent, edge, params);
  const ids = only ? all.filter((id) => only.has(id)) : all;
  const page = pageIds(ids, limit, origin);
  const data = page.ids.map((id) => projectNode(state, state.nodes.get(id) as SimNode, specs, origin));
  const out: ListResponse = { data };
  if (page.paging) out.paging = page.paging;
  if (wantsSummary(params)) out.summary = { total_count: ids.length };
  return out;
}

/** Sync insights read (also used for `insights{…}` expansion). */
export function readInsights(state: SimulatorState, scope: SimNode, params: Record<string, string>, origin: RequestOrigin): ListResponse {
  const q = parseInsightsQuery(state, scope, params);
  const limit = resolveLimit(params, state.limits);
  enforceDataBudget(limit, insightsFieldCount(q), state.limits);
  const result = runInsightsQuery(state, q);
  const page = pageOffsets(result.groups.length, limit, origin);
  const data: unknown[] = [];
  for (let i = page.start; i < page.end; i++) data.push(formatInsightsRow(state, q, result, result.groups[i] as NonNullable<(typeof result.groups)[number]>));
  const out: ListResponse = { data };
  if (page.paging) out.paging = page.paging;
  if (wantsSummary(params)) out.summary = { total_count: result.groups.length };
  return out;
}

/** Parse the `fields` param of a request. */
export function requestedFields(params: Record<string, string>): FieldSpec[] {
  return parseFields(params.fields);
}
