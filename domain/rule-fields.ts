/**
 * The allow-lists of rule fields: which metadata fields each entity type has, and which insights
 * metrics exist with the formula each is computed by. Nothing outside these tables ever reaches
 * SQL: the compiler maps allow-listed names to fixed columns and binds every value.
 */
import type { MetadataFieldKind, MetricFormula, Quantity, RuleEntityType, RuleOperator } from './rule-spec';

export interface MetadataFieldDef {
  kind: MetadataFieldKind;
  /** Entity types that have this field. */
  on: readonly RuleEntityType[];
  operators: readonly RuleOperator[];
}

const ALL: readonly RuleEntityType[] = ['AD', 'ADSET', 'CAMPAIGN'];
const NUMERIC: readonly RuleOperator[] = ['GREATER_THAN', 'LESS_THAN', 'EQUAL', 'NOT_EQUAL', 'IN_RANGE', 'NOT_IN_RANGE'];
const ENUM: readonly RuleOperator[] = ['EQUAL', 'NOT_EQUAL', 'IN', 'NOT_IN'];

/**
 * Metadata fields (Meta's names). Money is compared in minor units, times as unix seconds,
 * `hours_since_creation` in hours at the evaluation instant. `stop_time` is the ad set's
 * `end_time`, as Meta maps it. Meta's other metadata fields (adlabel_ids, is_autobid,
 * placement.page_types, estimated_budget_spending_percentage, ...) are not held here: naming one
 * is a validation error that says so.
 */
export const METADATA_FIELDS: Readonly<Record<string, MetadataFieldDef>> = {
  id: { kind: 'id', on: ALL, operators: ['EQUAL', 'IN', 'NOT_IN'] },
  name: { kind: 'text', on: ALL, operators: ['EQUAL', 'CONTAIN', 'NOT_CONTAIN'] },
  effective_status: { kind: 'enum', on: ALL, operators: ENUM },
  objective: { kind: 'enum', on: ['CAMPAIGN'], operators: ENUM },
  buying_type: { kind: 'enum', on: ['CAMPAIGN'], operators: ENUM },
  optimization_goal: { kind: 'enum', on: ['ADSET'], operators: ENUM },
  billing_event: { kind: 'enum', on: ['ADSET'], operators: ENUM },
  daily_budget: { kind: 'money', on: ['ADSET', 'CAMPAIGN'], operators: NUMERIC },
  lifetime_budget: { kind: 'money', on: ['ADSET', 'CAMPAIGN'], operators: NUMERIC },
  spend_cap: { kind: 'money', on: ['CAMPAIGN'], operators: NUMERIC },
  bid_amount: { kind: 'money', on: ['ADSET', 'AD'], operators: NUMERIC },
  start_time: { kind: 'time', on: ['ADSET', 'CAMPAIGN'], operators: NUMERIC },
  stop_time: { kind: 'time', on: ['ADSET', 'CAMPAIGN'], operators: NUMERIC },
  created_time: { kind: 'time', on: ALL, operators: NUMERIC },
  updated_time: { kind: 'time', on: ALL, operators: NUMERIC },
  hours_since_creation: { kind: 'hours', on: ALL, operators: NUMERIC },
};

/** Parent prefixes each entity type accepts (`adset.` on ads, `campaign.` on ads and ad sets). */
export const PARENT_PREFIXES: Readonly<Record<RuleEntityType, Readonly<Record<string, RuleEntityType>>>> = {
  AD: { adset: 'ADSET', campaign: 'CAMPAIGN' },
  ADSET: { campaign: 'CAMPAIGN' },
  CAMPAIGN: {},
};

/** Meta's metadata fields that this service does not hold (named, then refused). */
export const UNSUPPORTED_METADATA_FIELDS = [
  'adlabel_ids', 'is_autobid', 'placement.page_types', 'budget_reset_period', 'estimated_budget_spending_percentage',
  'audience_reached_percentage', 'active_time', 'current_time', 'attribution_setting',
] as const;

const q = {
  spend: { kind: 'spend' } as Quantity,
  impressions: { kind: 'impressions' } as Quantity,
  clicks: { kind: 'clicks' } as Quantity,
  results: { kind: 'results' } as Quantity,
  reach: { kind: 'reach' } as Quantity,
  uniqueClicks: { kind: 'uniqueClicks' } as Quantity,
  action: (actionType: string): Quantity => ({ kind: 'action', actionType }),
  value: (actionType: string): Quantity => ({ kind: 'actionValue', actionType }),
};

const PURCHASE = 'offsite_conversion.fb_pixel_purchase';
const APP_PURCHASE = 'app_custom_event.fb_mobile_purchase';

/** Pixel events with their own `offsite_conversion.fb_pixel_<event>` and `cost_per_<event>_fb` fields. */
export const PIXEL_EVENTS = [
  'purchase', 'lead', 'complete_registration', 'add_to_cart', 'initiate_checkout', 'add_payment_info',
  'add_to_wishlist', 'view_content', 'search', 'custom',
] as const;

/**
 * Insights metrics (Meta's field names) and how each is computed from sums over the window.
 * Money is in minor units of the account currency (`spent` 1000 = 10.00 USD); `ctr`, `link_ctr`
 * and `result_rate` are percentages; ROAS is a ratio. `results` and `cost_per` count the action
 * type the object's optimization goal counts (`result_action_types`); `cpa` is spend per
 * offsite (pixel) conversion; `leadgen` counts lead-form leads (`lead`).
 */
export const INSIGHTS_METRICS: Readonly<Record<string, MetricFormula>> = {
  spent: { numerator: q.spend, factor: 1 },
  impressions: { numerator: q.impressions, factor: 1 },
  clicks: { numerator: q.clicks, factor: 1 },
  reach: { numerator: q.reach, factor: 1 },
  unique_impressions: { numerator: q.reach, factor: 1 },
  unique_clicks: { numerator: q.uniqueClicks, factor: 1 },
  frequency: { numerator: q.impressions, factor: 1, denominator: q.reach },
  cpp: { numerator: q.spend, factor: 1000, denominator: q.reach },
  cpc: { numerator: q.spend, factor: 1, denominator: q.clicks },
  cpm: { numerator: q.spend, factor: 1000, denominator: q.impressions },
  ctr: { numerator: q.clicks, factor: 100, denominator: q.impressions },
  results: { numerator: q.results, factor: 1 },
  cost_per: { numerator: q.spend, factor: 1, denominator: q.results },
  result_rate: { numerator: q.results, factor: 100, denominator: q.impressions },
  cpa: { numerator: q.spend, factor: 1, denominator: { kind: 'actionPrefix', prefix: 'offsite_conversion.' } },
  offsite_conversion: { numerator: { kind: 'actionPrefix', prefix: 'offsite_conversion.' }, factor: 1 },
  link_click: { numerator: q.action('link_click'), factor: 1 },
  cost_per_link_click: { numerator: q.spend, factor: 1, denominator: q.action('link_click') },
  link_ctr: { numerator: q.action('link_click'), factor: 100, denominator: q.impressions },
  leadgen: { numerator: q.action('lead'), factor: 1 },
  post_engagement: { numerator: q.action('post_engagement'), factor: 1 },
  video_play: { numerator: q.action('video_view'), factor: 1 },
  mobile_app_install: { numerator: q.action('mobile_app_install'), factor: 1 },
  website_purchase_roas: { numerator: q.value(PURCHASE), factor: 1, denominator: q.spend },
  mobile_app_purchase_roas: { numerator: q.value(APP_PURCHASE), factor: 1, denominator: q.spend },
  ...Object.fromEntries(
    PIXEL_EVENTS.flatMap((event) => [
      [`offsite_conversion.fb_pixel_${event}`, { numerator: q.action(`offsite_conversion.fb_pixel_${event}`), factor: 1 }],
      [`cost_per_${event}_fb`, { numerator: q.spend, factor: 1, denominator: q.action(`offsite_conversion.fb_pixel_${event}`) }],
    ]),
  ),
};

/** Aliases Meta lists that fix their own window: `today_spent` is `spent` over TODAY, and so on. */
export const PRESET_ALIASES: Readonly<Record<string, { metric: string; preset: 'TODAY' | 'YESTERDAY' | 'LIFETIME' }>> = {
  today_spent: { metric: 'spent', preset: 'TODAY' },
  yesterday_spent: { metric: 'spent', preset: 'YESTERDAY' },
  lifetime_spent: { metric: 'spent', preset: 'LIFETIME' },
};

/** Meta's insights fields that this service does not compute (named, then refused). */
export const UNSUPPORTED_INSIGHTS_FIELDS = ['daily_ratio_spent', 'lifetime_ratio_spent', 'mobile_app_install_roas'] as const;

/** True when the quantity cannot be summed over days (reach and unique counts). */
export function isUniqueQuantity(quantity: Quantity): boolean {
  return quantity.kind === 'reach' || quantity.kind === 'uniqueClicks';
}

/** True when a metric needs a unique count (allowed over a single stored day only). */
export function usesUniqueCount(formula: MetricFormula): boolean {
  return isUniqueQuantity(formula.numerator) || (formula.denominator !== undefined && isUniqueQuantity(formula.denominator));
}

/** Stable key of a quantity (SQL column aliases, evaluator maps). */
export function quantityKey(quantity: Quantity): string {
  switch (quantity.kind) {
    case 'action':
      return `action:${quantity.actionType}`;
    case 'actionValue':
      return `value:${quantity.actionType}`;
    case 'actionPrefix':
      return `prefix:${quantity.prefix}`;
    default:
      return quantity.kind;
  }
}
