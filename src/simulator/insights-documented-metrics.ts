/**
 * Insights fields Meta documents beyond the core counts, each derived from the same row's
 * counts so ratios agree with them (`inline_link_click_ctr` = inline link clicks ÷
 * impressions, `purchase_roas` = purchase value ÷ spend, …). Fields with nothing to report are
 * left out of the row, as Meta leaves them out: rankings need an ad with enough impressions,
 * video metrics need a video creative (object_type VIDEO), objective-specific fields the
 * objective. Video metrics are integer fractions of the row's impressions, drawn per ad.
 */
import { ACTION_TYPES, ATTRIBUTION_WINDOWS, DEFAULT_WINDOWS, type AttributionWindow } from './metrics-model';
import type { ActionPiece } from './action-breakdowns';
import { unit } from './seeded-random';
import type { SimNode, SimulatorState } from './simulator-state';
import { dayToString, localDay } from './time-zones';

/** What one row offers to the derived fields. */
export interface RowFacts {
  state: SimulatorState;
  /** The row's entity when it is a campaign, ad set or ad. */
  entity: SimNode | undefined;
  adset: SimNode | undefined;
  impressions: number;
  clicks: number;
  linkClicks: number;
  uniqueClicks: number;
  reach: number;
  spendMajor: number;
  /** Action count per ACTION_TYPES index, at the row's attribution. */
  actionCount: (typeIndex: number) => number;
  /** Purchase value (major units) at the row's attribution. */
  purchaseValue: number;
  windows: AttributionWindow[] | null;
  hourly: boolean;
  timezone: string;
  formatMoney: (major: number) => string;
  /** Splits one action entry along the requested action breakdowns (null: none requested). */
  split: ((actionType: string, numbers: readonly number[]) => ActionPiece[]) | null;
}

const LPV = ACTION_TYPES.indexOf('landing_page_view');
const PURCHASE = ACTION_TYPES.indexOf('offsite_conversion.fb_pixel_purchase');
const ENGAGEMENT = ACTION_TYPES.indexOf('post_engagement');
const RANKINGS = ['ABOVE_AVERAGE', 'AVERAGE', 'BELOW_AVERAGE_35', 'BELOW_AVERAGE_20', 'BELOW_AVERAGE_10'];
/** Per-ad video funnel: share of impressions that play, then each quartile's share of plays. */
const VIDEO_STEPS = { p25: 0.62, p50: 0.41, p75: 0.27, p95: 0.17, p100: 0.14, s15: 0.33, s30: 0.22, thruplay: 0.31, c2s: 0.72 } as const;

/** Fields whose numbers rest on reach or unique counts, which hourly rows do not carry. */
export const HOURLY_UNAVAILABLE: ReadonlySet<string> = new Set([
  'unique_ctr', 'cost_per_unique_click', 'unique_inline_link_clicks', 'unique_inline_link_click_ctr', 'cost_per_unique_inline_link_click',
  'unique_link_clicks_ctr', 'unique_outbound_clicks', 'unique_outbound_clicks_ctr', 'cost_per_unique_outbound_click',
]);

function ratio(x: number, digits = 6): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

const list = (actionType: string, value: string): Record<string, string>[] => [{ action_type: actionType, value }];

function uniqueLinkClicks(f: RowFacts): number {
  if (f.clicks <= 0) return 0;
  return Math.min(f.linkClicks, Math.round((f.linkClicks * f.uniqueClicks) / f.clicks));
}

function isVideo(state: SimulatorState, ad: SimNode | undefined): boolean {
  if (!ad || ad.type !== 'ad' || !ad.creativeId) return false;
  const c = state.nodes.get(ad.creativeId);
  const spec = c?.fields.object_story_spec as { video_data?: unknown } | undefined;
  return Boolean(c?.fields.video_id) || Boolean(spec?.video_data);
}

function videoPlays(f: RowFacts): number {
  const ad = f.entity as SimNode;
  const share = 0.25 + 0.35 * unit(f.state.seed, ad.ordinal, 0x71de0, 1);
  return Math.floor(f.impressions * share);
}

function videoField(f: RowFacts, field: string): unknown {
  if (!isVideo(f.state, f.entity)) return undefined;
  const plays = videoPlays(f);
  const step = (k: keyof typeof VIDEO_STEPS): number => Math.floor(plays * VIDEO_STEPS[k]);
  const v = (n: number): Record<string, string>[] =>
    f.split ? f.split('video_view', [n]).map((p) => ({ action_type: 'video_view', ...p.labels, value: String(p.numbers[0] ?? 0) })) : list('video_view', String(n));
  const cost = (n: number): Record<string, string>[] | undefined => (n > 0 ? list('video_view', ratio(f.spendMajor / n)) : undefined);
  switch (field) {
    case 'video_play_actions': return v(plays);
    case 'video_p25_watched_actions': return v(step('p25'));
    case 'video_p50_watched_actions': return v(step('p50'));
    case 'video_p75_watched_actions': return v(step('p75'));
    case 'video_p95_watched_actions': return v(step('p95'));
    case 'video_p100_watched_actions': return v(step('p100'));
    case 'video_15_sec_watched_actions': return v(step('s15'));
    case 'video_30_sec_watched_actions': return v(step('s30'));
    case 'video_thruplay_watched_actions': return v(step('thruplay'));
    case 'video_continuous_2_sec_watched_actions': return v(step('c2s'));
    case 'video_avg_time_watched_actions': return plays > 0 ? list('video_view', String(Math.round(4 + 11 * (step('p50') / plays)))) : undefined;
    case 'video_time_watched_actions': return v(Math.round(plays * (4 + 11 * (plays > 0 ? step('p50') / plays : 0))));
    case 'video_view_per_impression': return f.impressions > 0 ? ratio((plays / f.impressions) * 100) : undefined;
    case 'cost_per_thruplay': return cost(step('thruplay'));
    case 'cost_per_15_sec_video_view': return cost(step('s15'));
    case 'cost_per_2_sec_continuous_video_view': return cost(step('c2s'));
    case 'unique_video_continuous_2_sec_watched_actions': return f.hourly ? undefined : v(Math.min(step('c2s'), Math.round(step('c2s') * (f.reach / Math.max(1, f.impressions)))));
    case 'unique_video_view_15_sec': return f.hourly ? undefined : v(Math.min(step('s15'), Math.round(step('s15') * (f.reach / Math.max(1, f.impressions)))));
  }
  return undefined;
}

function ranking(f: RowFacts, salt: number): string | undefined {
  const ad = f.entity;
  if (!ad || ad.type !== 'ad') return undefined;
  if (f.impressions < 500) return 'UNKNOWN';
  return RANKINGS[Math.floor(unit(f.state.seed, ad.ordinal, 0x4a11, salt) * RANKINGS.length)];
}

function attributionSetting(windows: AttributionWindow[] | null): string {
  const use = windows ?? DEFAULT_WINDOWS;
  const click = use.filter((w) => w.endsWith('_click'));
  const view = use.filter((w) => w.endsWith('_view'));
  const longest = (ws: AttributionWindow[]): AttributionWindow | undefined => ws.sort((a, b) => ATTRIBUTION_WINDOWS.indexOf(b) - ATTRIBUTION_WINDOWS.indexOf(a))[0];
  return [longest(click), longest(view)].filter(Boolean).join('_');
}

/** The value of a documented insights field for one row; undefined leaves it out. */
export function documentedInsightsValue(f: RowFacts, field: string): unknown {
  if (f.hourly && HOURLY_UNAVAILABLE.has(field)) return undefined;
  if (field.startsWith('video_') || field.startsWith('unique_video') || field === 'cost_per_thruplay' || field.startsWith('cost_per_15_sec') || field.startsWith('cost_per_2_sec')) {
    return videoField(f, field);
  }
  const purchases = f.actionCount(PURCHASE);
  const lpv = f.actionCount(LPV);
  const uLink = uniqueLinkClicks(f);
  switch (field) {
    case 'inline_link_click_ctr': return f.impressions > 0 ? ratio((f.linkClicks / f.impressions) * 100) : undefined;
    case 'cost_per_inline_link_click': return f.linkClicks > 0 ? ratio(f.spendMajor / f.linkClicks) : undefined;
    case 'cost_per_unique_click': return f.uniqueClicks > 0 ? ratio(f.spendMajor / f.uniqueClicks) : undefined;
    case 'unique_ctr': return f.reach > 0 ? ratio((f.uniqueClicks / f.reach) * 100) : undefined;
    case 'unique_inline_link_clicks': return String(uLink);
    case 'unique_inline_link_click_ctr': return f.reach > 0 ? ratio((uLink / f.reach) * 100) : undefined;
    case 'unique_link_clicks_ctr': return f.reach > 0 ? ratio((uLink / f.reach) * 100) : undefined;
    case 'cost_per_unique_inline_link_click': return uLink > 0 ? ratio(f.spendMajor / uLink) : undefined;
    case 'inline_post_engagement': return String(f.actionCount(ENGAGEMENT));
    case 'cost_per_inline_post_engagement': { const e = f.actionCount(ENGAGEMENT); return e > 0 ? ratio(f.spendMajor / e) : undefined; }
    case 'outbound_clicks': return f.linkClicks > 0 ? list('outbound_click', String(f.linkClicks)) : undefined;
    case 'unique_outbound_clicks': return uLink > 0 ? list('outbound_click', String(uLink)) : undefined;
    case 'outbound_clicks_ctr': return f.impressions > 0 && f.linkClicks > 0 ? list('outbound_click', ratio((f.linkClicks / f.impressions) * 100)) : undefined;
    case 'unique_outbound_clicks_ctr': return f.reach > 0 && uLink > 0 ? list('outbound_click', ratio((uLink / f.reach) * 100)) : undefined;
    case 'cost_per_outbound_click': return f.linkClicks > 0 ? list('outbound_click', ratio(f.spendMajor / f.linkClicks)) : undefined;
    case 'cost_per_unique_outbound_click': return uLink > 0 ? list('outbound_click', ratio(f.spendMajor / uLink)) : undefined;
    case 'website_ctr': return f.impressions > 0 && f.linkClicks > 0 ? list('link_click', ratio((f.linkClicks / f.impressions) * 100)) : undefined;
    case 'conversions': return purchases > 0 ? list('purchase', String(purchases)) : undefined;
    case 'conversion_values': return purchases > 0 ? list('purchase', f.formatMoney(f.purchaseValue)) : undefined;
    case 'cost_per_conversion': return purchases > 0 ? list('purchase', ratio(f.spendMajor / purchases)) : undefined;
    case 'purchase_roas': return purchases > 0 && f.spendMajor > 0 ? list('omni_purchase', ratio(f.purchaseValue / f.spendMajor)) : undefined;
    case 'website_purchase_roas': return purchases > 0 && f.spendMajor > 0 ? list('offsite_conversion.fb_pixel_purchase', ratio(f.purchaseValue / f.spendMajor)) : undefined;
    case 'average_purchases_conversion_value': return purchases > 0 ? list('purchase', ratio(f.purchaseValue / purchases)) : undefined;
    case 'landing_page_view_per_link_click': return f.linkClicks > 0 ? ratio(lpv / f.linkClicks) : undefined;
    case 'purchase_per_landing_page_view': return lpv > 0 ? ratio(purchases / lpv) : undefined;
    case 'purchases_per_link_click': return f.linkClicks > 0 ? ratio(purchases / f.linkClicks) : undefined;
    case 'quality_ranking': return ranking(f, 1);
    case 'engagement_rate_ranking': return ranking(f, 2);
    case 'conversion_rate_ranking': return ranking(f, 3);
    case 'attribution_setting': return attributionSetting(f.windows);
    case 'optimization_goal': return f.adset?.fields.optimization_goal;
    case 'created_time': return f.entity ? dayToString(localDay(f.entity.createdMs, f.timezone)) : undefined;
    case 'updated_time': return f.entity ? dayToString(localDay(f.entity.updatedMs, f.timezone)) : undefined;
    case 'social_spend': return f.formatMoney(0);
  }
  return undefined;
}
