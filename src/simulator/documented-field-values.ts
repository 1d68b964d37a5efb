/**
 * Values of documented fields the simulated world does not store: derived from what it does
 * store (an ad's targeting is its ad set's, a creative's actor is its page), or left out of
 * the answer where Meta leaves out an empty value (no labels, no recommendations). Pure
 * functions of the node and its parents, so every read answers the same.
 */
import type { SimNode, SimulatorState } from './simulator-state';
import { formatGraphTime } from './time-zones';

type Derive = (state: SimulatorState, node: SimNode) => unknown;

const parent = (state: SimulatorState, id: string | undefined): SimNode | undefined => (id ? state.nodes.get(id) : undefined);
const adsetOf = (state: SimulatorState, n: SimNode): SimNode | undefined => parent(state, n.adsetId ?? (n.fields.adset_id as string | undefined));
const campaignOf = (state: SimulatorState, n: SimNode): SimNode | undefined => parent(state, n.campaignId ?? (n.fields.campaign_id as string | undefined));
const tzOf = (state: SimulatorState, n: SimNode): string => state.accountOf(n)?.timezone ?? 'UTC';
const pageOfCreative = (n: SimNode): string | undefined => {
  const spec = n.fields.object_story_spec as { page_id?: string } | undefined;
  return spec?.page_id || undefined;
};
const instagramOfPage = (state: SimulatorState, pageId: string | undefined): string | undefined =>
  pageId ? state.edgeIds(pageId, 'instagram_accounts')[0] : undefined;
const isVideoCreative = (n: SimNode): boolean => {
  const spec = n.fields.object_story_spec as { video_data?: unknown } | undefined;
  return Boolean(n.fields.video_id) || Boolean(spec?.video_data);
};
/** Meta's bid_info: the bid per billing objective, present only when a bid is set. */
const bidInfo = (adset: SimNode | undefined): unknown => {
  const bid = adset?.fields.bid_amount;
  return typeof bid === 'number' && bid > 0 ? { ACTIONS: bid } : undefined;
};

const BY_TYPE: Partial<Record<SimNode['type'], Record<string, Derive>>> = {
  campaign: {
    budget_rebalance_flag: () => false,
    can_create_brand_lift_study: () => false,
    can_use_spend_cap: () => true,
    has_secondary_skadnetwork_reporting: () => false,
    is_budget_schedule_enabled: () => false,
    is_skadnetwork_attribution: () => false,
    primary_attribution: () => 'PRIMARY_ATTRIBUTION_CLICK_THROUGH',
    topline_id: () => '0',
    last_budget_toggling_time: (s, n) => (n.fields.daily_budget || n.fields.lifetime_budget ? formatGraphTime(n.createdMs, tzOf(s, n)) : undefined),
  },
  adset: {
    bid_info: (_s, n) => bidInfo(n),
    bid_constraints: (_s, n) => (n.fields.bid_strategy === 'LOWEST_COST_WITH_MIN_ROAS' ? { roas_average_floor: 10000 } : undefined),
    lifetime_imps: () => 0,
    is_dynamic_creative: () => false,
    is_budget_schedule_enabled: () => false,
    multi_optimization_goal_weight: () => 'UNDEFINED',
    recurring_budget_semantics: () => false,
    source_adset_id: () => '0',
    use_new_app_click: () => false,
    optimization_sub_event: () => 'NONE',
    instagram_user_id: (s, n) => {
      const ad = s.edgeIds(n.id, 'ads')[0];
      const creative = parent(s, ad ? s.nodes.get(ad)?.creativeId : undefined);
      return creative ? instagramOfPage(s, pageOfCreative(creative)) : undefined;
    },
    campaign_active_time: (s, n) => {
      const c = campaignOf(s, n);
      return c ? String(Math.max(0, Math.floor((s.now() - c.createdMs) / 1000))) : undefined;
    },
  },
  ad: {
    bid_type: (s, n) => (adsetOf(s, n)?.fields.bid_amount ? 'ABSOLUTE_OCPM' : 'CPM'),
    bid_info: (s, n) => bidInfo(adsetOf(s, n)),
    targeting: (s, n) => adsetOf(s, n)?.fields.targeting,
    conversion_domain: () => 'example.com',
    display_sequence: () => 0,
    engagement_audience: () => false,
    preview_shareable_link: (_s, n) => `https://fb.me/sim-preview-${n.id}`,
    ad_active_time: (s, n) => String(Math.max(0, Math.floor((s.now() - n.createdMs) / 1000))),
  },
  adcreative: {
    actor_id: (_s, n) => pageOfCreative(n),
    instagram_user_id: (s, n) => instagramOfPage(s, pageOfCreative(n)),
    effective_instagram_media_id: (s, n) => (instagramOfPage(s, pageOfCreative(n)) ? `179${n.id.slice(-14)}` : undefined),
    object_type: (_s, n) => (isVideoCreative(n) ? 'VIDEO' : 'SHARE'),
    object_url: (_s, n) => (n.fields.object_story_spec as { link_data?: { link?: string } } | undefined)?.link_data?.link,
    authorization_category: () => 'NONE',
    effective_authorization_category: () => 'NONE',
    use_page_actor_override: () => false,
  },
  customaudience: {
    customer_file_source: (_s, n) => (n.fields.subtype === 'CUSTOM' ? 'USER_PROVIDED_ONLY' : undefined),
    is_value_based: () => false,
    time_content_updated: (_s, n) => n.fields.time_updated,
  },
  adaccount: {
    age: (s, n) => Math.round(((s.now() - n.createdMs) / 86_400_000) * 100) / 100,
    is_personal: () => 0,
    is_prepay_account: () => false,
    is_tax_id_required: () => false,
    tax_id_status: () => 0,
    user_tasks: () => ['MANAGE', 'ADVERTISE', 'ANALYZE'],
  },
  business: {
    link: (_s, n) => `https://business.facebook.com/settings/?business_id=${n.id}`,
    is_hidden: () => false,
    updated_time: (s, n) => formatGraphTime(n.updatedMs, tzOf(s, n)),
  },
  page: {
    link: (_s, n) => `https://www.facebook.com/${n.id}`,
    followers_count: (_s, n) => n.fields.fan_count,
    is_published: () => true,
    can_post: () => true,
  },
  leadgen_form: {
    page: (s, n) => {
      for (const [pageId] of s.edges) if (s.edgeIds(pageId, 'leadgen_forms').includes(n.id)) return { id: pageId };
      return undefined;
    },
  },
};

/** The value of a documented field that is not stored; undefined leaves it out of the answer. */
export function documentedFieldValue(state: SimulatorState, node: SimNode, field: string): unknown {
  const derive = BY_TYPE[node.type]?.[field];
  return derive ? derive(state, node) : undefined;
}
