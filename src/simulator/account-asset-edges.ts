/**
 * Read-only edges a connector reads beside the ad hierarchy: `/me/business_users` (and
 * `<business>/business_users`),
 * `act_x/customconversions`, `act_x/adimages`, `act_x/advideos`, `act_x/activities`. Their
 * records are derived from the simulated world (images from the creatives' hashes, custom
 * conversions from the pixels, activities from objects' creation and updates), so they are
 * deterministic and agree with the rest of it; fields are checked against the official SDK's
 * lists and pages are cursor-paged like every other edge.
 */
import { sdkFields } from './documented-fields';
import { parseFields } from './field-selection';
import { nonexistingField } from './graph-errors';
import { enforceDataBudget, pageOffsets, resolveLimit, type Paging, type RequestOrigin } from './paging';
import { hashString } from './seeded-random';
import type { SimNode, SimulatorState } from './simulator-state';
import { formatGraphTime } from './time-zones';

type Row = Record<string, unknown>;

interface AssetEdge {
  /** SDK class whose field list applies. */
  sdkClass: string;
  /** Fields answered when none are requested. */
  defaults: string[];
  rows: (state: SimulatorState, parent: SimNode) => Row[];
}

/** A numeric id derived from a key (stable across runs of the same world). */
function derivedId(prefix: string, key: string): string {
  return `${prefix}${String(hashString(key) >>> 0).padStart(10, '0')}`;
}

function tz(state: SimulatorState, node: SimNode): string {
  return state.accountOf(node)?.timezone ?? 'UTC';
}

function children(state: SimulatorState, parentId: string, edge: string): SimNode[] {
  return state.edgeIds(parentId, edge).map((id) => state.nodes.get(id)).filter((n): n is SimNode => n !== undefined);
}

const ACTIVITY_TYPES: Partial<Record<SimNode['type'], [string, string, string]>> = {
  campaign: ['create_campaign_group', 'update_campaign_group', 'CAMPAIGN_GROUP'],
  adset: ['create_campaign', 'update_campaign_run_status', 'CAMPAIGN'],
  ad: ['create_ad', 'update_ad_run_status', 'ADGROUP'],
};

const EDGES: Record<string, AssetEdge> = {
  business_users: {
    sdkClass: 'BusinessUser',
    defaults: ['id', 'name'],
    rows: (state, parent) => {
      const me = state.nodes.get(state.userId);
      const businesses = parent.type === 'business' ? [parent] : children(state, 'me', 'businesses');
      return businesses.map((b) => ({
        id: derivedId('1000', `business_user|${b.id}`), name: me?.fields.name ?? 'Sim User', first_name: 'Sim', last_name: 'User',
        email: 'sim.user@example.com', role: 'ADMIN', title: 'Marketing', marked_for_removal: false, two_fac_status: 'enabled',
        tasks: ['MANAGE', 'ADVERTISE', 'ANALYZE'], business: { id: b.id, name: b.fields.name },
      }));
    },
  },
  customconversions: {
    sdkClass: 'CustomConversion',
    defaults: ['id'],
    rows: (state, account) => children(state, account.id, 'adspixels').flatMap((pixel, i) => {
      const created = formatGraphTime(pixel.createdMs, tz(state, account));
      return [['Purchases over 50', 'PURCHASE', '{"and":[{"event":{"eq":"Purchase"}},{"value":{"gt":50}}]}'], ['Thank-you page', 'OTHER', '{"url":{"i_contains":"thank-you"}}']]
        .map(([name, type, rule], k) => ({
          id: derivedId('2000', `custom_conversion|${pixel.id}|${k}`), account_id: account.accountId, name: `${name} (${i + 1})`,
          custom_event_type: type, rule, pixel: { id: pixel.id }, event_source_type: 'pixel', creation_time: created,
          first_fired_time: created, last_fired_time: formatGraphTime(pixel.fields.last_fired_time as number, tz(state, account)),
          is_archived: false, is_unavailable: false, default_conversion_value: 0, retention_days: 0, data_sources: [{ id: pixel.id, source_type: 'PIXEL', name: pixel.name }],
        }));
    }),
  },
  adimages: {
    sdkClass: 'AdImage',
    defaults: ['hash', 'id'],
    rows: (state, account) => {
      const byHash = new Map<string, SimNode[]>();
      for (const c of children(state, account.id, 'adcreatives')) {
        const hash = c.fields.image_hash;
        if (typeof hash === 'string') byHash.set(hash, [...(byHash.get(hash) ?? []), c]);
      }
      return [...byHash.entries()].map(([hash, creatives]) => {
        const first = creatives[0] as SimNode;
        const url = `https://sim.invalid/images/${hash}.jpg`;
        return {
          id: `${account.accountId}:${hash}`, hash, account_id: account.accountId, name: `${hash.slice(0, 8)}.jpg`,
          url, url_128: `${url}?s=128`, permalink_url: url, width: 1200, height: 628, original_width: 1200, original_height: 628,
          status: 'ACTIVE', created_time: formatGraphTime(first.createdMs, tz(state, account)), updated_time: formatGraphTime(first.updatedMs, tz(state, account)),
          creatives: creatives.map((c) => c.id), is_associated_creatives_in_adgroups: true,
        };
      });
    },
  },
  advideos: {
    sdkClass: 'AdVideo',
    defaults: ['id'],
    rows: (state, account) => {
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const c of children(state, account.id, 'adcreatives')) {
        const spec = c.fields.object_story_spec as { video_data?: { video_id?: string } } | undefined;
        const id = (c.fields.video_id as string | undefined) ?? spec?.video_data?.video_id;
        if (!id || seen.has(id)) continue;
        seen.add(id);
        out.push({
          id, title: c.name, length: 15 + (hashString(id) % 45), created_time: formatGraphTime(c.createdMs, tz(state, account)),
          updated_time: formatGraphTime(c.updatedMs, tz(state, account)), source: `https://sim.invalid/videos/${id}.mp4`,
          picture: `https://sim.invalid/videos/${id}.jpg`, permalink_url: `/videos/${id}/`, published: true,
        });
      }
      return out;
    },
  },
  activities: {
    sdkClass: 'AdActivity',
    defaults: ['event_type', 'event_time'],
    rows: (state, account) => {
      const zone = tz(state, account);
      const events: { ms: number; row: Row }[] = [];
      for (const edge of ['campaigns', 'adsets', 'ads']) {
        for (const n of children(state, account.id, edge)) {
          const kinds = ACTIVITY_TYPES[n.type];
          if (!kinds) continue;
          const base = { actor_id: state.userId, actor_name: 'Sim User', application_id: '0', application_name: 'Ads Manager', object_id: n.id, object_name: n.name, object_type: kinds[2] };
          events.push({ ms: n.createdMs, row: { ...base, event_type: kinds[0], translated_event_type: kinds[0].replace(/_/g, ' '), event_time: formatGraphTime(n.createdMs, zone), date_time_in_timezone: formatGraphTime(n.createdMs, zone), extra_data: '{}' } });
          if (n.updatedMs > n.createdMs) {
            events.push({ ms: n.updatedMs, row: { ...base, event_type: kinds[1], translated_event_type: kinds[1].replace(/_/g, ' '), event_time: formatGraphTime(n.updatedMs, zone), date_time_in_timezone: formatGraphTime(n.updatedMs, zone), extra_data: JSON.stringify({ new_value: n.status ?? '' }) } });
          }
        }
      }
      // Newest first, as Meta lists activities.
      events.sort((a, b) => b.ms - a.ms || String(a.row.object_id).localeCompare(String(b.row.object_id)));
      return events.map((e) => e.row);
    },
  },
};

/** Extra fields Meta's Video node has beyond the SDK's AdVideo list (title, length, …). */
const VIDEO_FIELDS = ['title', 'description', 'length', 'created_time', 'updated_time', 'source', 'picture', 'permalink_url', 'published'];

/** True when `edge` on a node of this type is one of these derived edges. */
export function isAssetEdge(node: SimNode, edge: string): boolean {
  if (edge === 'business_users') return node.type === 'user' || node.type === 'business';
  return node.type === 'adaccount' && edge in EDGES;
}

/** Read one derived edge (fields checked, cursor-paged, summary on request). */
export function readAssetEdge(
  state: SimulatorState, parent: SimNode, edge: string, params: Record<string, string>, origin: RequestOrigin,
): { data: Row[]; paging?: Paging; summary?: { total_count: number } } {
  const def = EDGES[edge] as AssetEdge;
  const allowed = new Set([...sdkFields(def.sdkClass), ...(def.sdkClass === 'AdVideo' ? VIDEO_FIELDS : [])]);
  const requested = parseFields(params.fields).map((f) => f.name);
  for (const f of requested) if (!allowed.has(f)) throw nonexistingField(f, def.sdkClass);
  const fields = requested.length ? requested : def.defaults;
  const limit = resolveLimit(params, state.limits);
  enforceDataBudget(limit, fields.length, state.limits);
  const key = JSON.stringify(['asset-edge', parent.id, edge, state.version]);
  const rows = state.cache.get(key, () => def.rows(state, parent), (r) => r.length / 8);
  const page = pageOffsets(rows.length, limit, origin);
  const data = rows.slice(page.start, page.end).map((r) => {
    const out: Row = {};
    for (const f of fields) if (r[f] !== undefined) out[f] = r[f];
    return out;
  });
  const out: { data: Row[]; paging?: Paging; summary?: { total_count: number } } = { data };
  if (page.paging) out.paging = page.paging;
  const s = params.summary;
  if (s !== undefined && s !== 'false' && s !== '0' && s !== '') out.summary = { total_count: rows.length };
  return out;
}
