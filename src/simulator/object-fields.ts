/**
 * Per-node-type metadata: readable fields, edges, object references and the Graph type name
 * used in "nonexisting field" errors.
 */
import type { NodeType } from './simulator-state';

/** Graph type names, as Meta prints them in errors. */
export const GRAPH_TYPE_NAMES: Record<NodeType, string> = {
  user: 'User', adaccount: 'AdAccount', campaign: 'Campaign', adset: 'AdSet', ad: 'Ad', adcreative: 'AdCreative',
  customaudience: 'CustomAudience', adspixel: 'AdsPixel', adrule: 'AdRule', business: 'Business', page: 'Page',
  leadgen_form: 'LeadgenForm', lead: 'Lead', instagram_account: 'IGUser', product_catalog: 'ProductCatalog',
  product_feed: 'ProductFeed', product: 'ProductItem', product_set: 'ProductSet', report_run: 'AdReportRun',
};

const STATUS = ['status', 'configured_status', 'effective_status'];
const TIMES = ['created_time', 'updated_time'];

/** Readable scalar fields per type (references and edges are listed separately). */
export const READABLE_FIELDS: Record<NodeType, ReadonlySet<string>> = {
  user: new Set(['id', 'name']),
  adaccount: new Set(['id', 'account_id', 'name', 'account_status', 'disable_reason', 'currency', 'timezone_name', 'timezone_id', 'timezone_offset_hours_utc', 'amount_spent', 'balance', 'spend_cap', 'min_daily_budget', 'created_time', 'business', 'owner']),
  campaign: new Set(['id', 'account_id', 'name', 'objective', ...STATUS, ...TIMES, 'buying_type', 'bid_strategy', 'daily_budget', 'lifetime_budget', 'budget_remaining', 'spend_cap', 'special_ad_categories', 'special_ad_category', 'special_ad_category_country', 'start_time', 'stop_time', 'issues_info', 'pacing_type', 'promoted_object', 'smart_promotion_type', 'source_campaign_id', 'is_adset_budget_sharing_enabled']),
  adset: new Set(['id', 'account_id', 'campaign_id', 'name', ...STATUS, ...TIMES, 'optimization_goal', 'billing_event', 'bid_strategy', 'bid_amount', 'bid_constraints', 'daily_budget', 'lifetime_budget', 'budget_remaining', 'start_time', 'end_time', 'targeting', 'promoted_object', 'destination_type', 'attribution_spec', 'learning_stage_info', 'frequency_control_specs', 'adset_schedule', 'pacing_type']),
  ad: new Set(['id', 'account_id', 'campaign_id', 'adset_id', 'name', ...STATUS, ...TIMES, 'bid_amount', 'tracking_specs', 'conversion_specs', 'issues_info', 'ad_review_feedback', 'source_ad_id', 'last_updated_by_app_id']),
  adcreative: new Set(['id', 'account_id', 'name', 'title', 'body', 'object_story_id', 'object_story_spec', 'asset_feed_spec', 'image_hash', 'image_url', 'video_id', 'thumbnail_url', 'call_to_action_type', 'link_url', 'url_tags', 'effective_object_story_id', 'status']),
  customaudience: new Set(['id', 'account_id', 'name', 'description', 'subtype', 'approximate_count_lower_bound', 'approximate_count_upper_bound', 'delivery_status', 'operation_status', 'retention_days', 'rule', 'time_created', 'time_updated', 'lookalike_spec']),
  adspixel: new Set(['id', 'name', 'code', 'last_fired_time', 'creation_time', 'is_unavailable']),
  adrule: new Set(['id', 'account_id', 'name', 'status', 'evaluation_spec', 'execution_spec', 'schedule_spec', 'created_by', ...TIMES, 'disable_error_code']),
  business: new Set(['id', 'name', 'verification_status', 'created_time', 'timezone_id']),
  page: new Set(['id', 'name', 'category', 'fan_count', 'verification_status']),
  leadgen_form: new Set(['id', 'name', 'status', 'locale', 'leads_count', 'questions', 'created_time']),
  lead: new Set(['id', 'created_time', 'ad_id', 'adset_id', 'campaign_id', 'form_id', 'is_organic', 'platform', 'field_data']),
  instagram_account: new Set(['id', 'username', 'follow_count', 'followed_by_count', 'media_count', 'profile_pic']),
  product_catalog: new Set(['id', 'name', 'product_count', 'vertical']),
  product_feed: new Set(['id', 'name', 'file_name', 'product_count', 'schedule']),
  product: new Set(['id', 'name', 'retailer_id', 'price', 'availability', 'condition', 'url', 'image_url']),
  product_set: new Set(['id', 'name', 'product_count', 'filter']),
  report_run: new Set(['id', 'account_id', 'async_status', 'async_percent_completion', 'date_start', 'date_stop', 'time_ref', 'is_running', 'time_completed', 'error_code', 'error_message', 'error_subcode', 'error_user_title', 'error_user_msg']),
};

/** Fields stored as epoch ms and printed in the account's offset format. */
export const TIME_FIELDS: ReadonlySet<string> = new Set(['created_time', 'updated_time', 'start_time', 'stop_time', 'end_time', 'last_fired_time', 'creation_time']);

/** Object references (`{"id":…}` by default, expandable with `{…}`). */
export const REFERENCES: Partial<Record<NodeType, Record<string, (n: { campaignId?: string; adsetId?: string; creativeId?: string }) => string | undefined>>> = {
  ad: { creative: (n) => n.creativeId, adset: (n) => n.adsetId, campaign: (n) => n.campaignId },
  adset: { campaign: (n) => n.campaignId },
};

/** Edges per type (readable as `/<id>/<edge>` and as expanded fields). `insights` is special. */
export const EDGES: Partial<Record<NodeType, readonly string[]>> = {
  user: ['adaccounts', 'businesses'],
  adaccount: ['campaigns', 'adsets', 'ads', 'adcreatives', 'customaudiences', 'adspixels', 'adrules_library', 'promote_pages', 'insights'],
  campaign: ['adsets', 'ads', 'insights'],
  adset: ['ads', 'insights'],
  ad: ['insights'],
  business: ['owned_pages', 'owned_ad_accounts', 'owned_product_catalogs'],
  page: ['leadgen_forms', 'instagram_accounts'],
  leadgen_form: ['leads'],
  product_catalog: ['product_feeds', 'products', 'product_sets'],
};

/** Types whose edges hide ARCHIVED/DELETED objects by default. */
export const STATUS_HIDDEN_TYPES: ReadonlySet<NodeType> = new Set(['campaign', 'adset', 'ad']);
