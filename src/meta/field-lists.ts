/**
 * The fields the sync asks Meta for, per entity. Only `id` comes back unless fields are named,
 * so each list covers every column the database stores (prisma/schema.prisma) plus what the
 * parsers need to place a row (parent ids, account id). Keep lists short: Meta answers
 * "reduce the amount of data" when limit × fields grows, and each field costs CPU quota.
 */

export const AD_ACCOUNT_FIELDS = [
  'id', 'account_id', 'name', 'account_status', 'disable_reason', 'currency', 'timezone_name', 'timezone_id',
  'timezone_offset_hours_utc', 'amount_spent', 'balance', 'spend_cap', 'min_daily_budget', 'created_time', 'business',
] as const;

export const CAMPAIGN_FIELDS = [
  'id', 'account_id', 'name', 'objective', 'status', 'configured_status', 'effective_status', 'buying_type',
  'bid_strategy', 'daily_budget', 'lifetime_budget', 'budget_remaining', 'spend_cap', 'special_ad_categories',
  'start_time', 'stop_time', 'created_time', 'updated_time',
] as const;

export const ADSET_FIELDS = [
  'id', 'account_id', 'campaign_id', 'name', 'status', 'configured_status', 'effective_status', 'optimization_goal',
  'billing_event', 'bid_strategy', 'bid_amount', 'daily_budget', 'lifetime_budget', 'budget_remaining', 'targeting',
  'promoted_object', 'start_time', 'end_time', 'created_time', 'updated_time',
] as const;

/** `creative{id}` expands in place, so ads carry their creative id without a second call. */
export const AD_FIELDS = [
  'id', 'account_id', 'campaign_id', 'adset_id', 'name', 'status', 'configured_status', 'effective_status',
  'creative{id}', 'bid_amount', 'tracking_specs', 'issues_info', 'created_time', 'updated_time',
] as const;

export const AD_CREATIVE_FIELDS = [
  'id', 'account_id', 'name', 'title', 'body', 'status', 'object_story_id', 'object_story_spec', 'asset_feed_spec',
  'image_hash', 'image_url', 'video_id', 'thumbnail_url', 'call_to_action_type', 'link_url', 'url_tags',
] as const;

export const CUSTOM_AUDIENCE_FIELDS = [
  'id', 'account_id', 'name', 'subtype', 'description', 'approximate_count_lower_bound',
  'approximate_count_upper_bound', 'delivery_status', 'operation_status', 'retention_days', 'rule', 'lookalike_spec',
  'time_created', 'time_updated',
] as const;

export const PIXEL_FIELDS = ['id', 'name', 'last_fired_time', 'creation_time', 'is_unavailable'] as const;

export const BUSINESS_FIELDS = ['id', 'name', 'verification_status'] as const;

export const BUSINESS_USER_FIELDS = ['id', 'name', 'email', 'role'] as const;

export const PAGE_FIELDS = ['id', 'name', 'category', 'business', 'instagram_business_account'] as const;

export const INSTAGRAM_ACCOUNT_FIELDS = ['id', 'username'] as const;

export const LEAD_FORM_FIELDS = ['id', 'name', 'status', 'leads_count', 'questions', 'created_time', 'page'] as const;

export const LEAD_FIELDS = [
  'id', 'created_time', 'ad_id', 'adset_id', 'campaign_id', 'form_id', 'is_organic', 'platform', 'field_data',
] as const;

export const PRODUCT_CATALOG_FIELDS = ['id', 'name', 'vertical', 'product_count', 'business'] as const;

export const PRODUCT_FEED_FIELDS = ['id', 'name', 'schedule', 'product_count'] as const;

export const PRODUCT_FIELDS = ['id', 'retailer_id', 'name', 'price', 'currency', 'availability', 'url', 'image_url'] as const;

export const PRODUCT_SET_FIELDS = ['id', 'name', 'filter', 'product_count'] as const;

export const AD_RULE_FIELDS = [
  'id', 'account_id', 'name', 'status', 'evaluation_spec', 'execution_spec', 'schedule_spec', 'created_by',
  'created_time', 'updated_time',
] as const;

/**
 * Fields one object of a request costs against Meta's "reduce the amount of data" budget: every
 * field counts once and an expansion (`creative{id,name}`) counts itself plus its subfields,
 * recursively; modifiers (`.limit(5)`) are free. An empty list still returns `id`, so it costs 1.
 */
export function countRequestedFields(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) count += countFieldSpec(field);
  return Math.max(1, count);
}

/** Counts one comma-separated `fields` expression (top-level commas split fields, braces nest). */
function countFieldSpec(text: string): number {
  let count = 0;
  let parens = 0;
  let named = false;
  for (const c of text) {
    if (c === '(') parens++;
    else if (c === ')') parens--;
    else if (parens > 0) continue;
    else if (c === '{' || c === '}' || c === ',') named = false;
    else if (!named && /[A-Za-z0-9_:]/.test(c)) {
      // The first identifier character of a field name (not of a `.modifier`) starts a new field.
      named = true;
      count++;
    } else if (c === '.') named = true;
  }
  return count;
}

/**
 * Largest page size that can work for a field list: `min(maxLimit, floor(dataBudget / fields))`,
 * where `dataBudget` is the most `limit × fields` one request may ask for.
 */
export function largestWorkingPageSize(input: { fields: readonly string[]; maxLimit: number; dataBudget: number }): number {
  return Math.max(1, Math.min(input.maxLimit, Math.floor(input.dataBudget / countRequestedFields(input.fields))));
}

/**
 * Insights columns the metrics tables store. Ids/names of the level's ancestors are named so a
 * row can be placed without another lookup; `reach`/`frequency` are only meaningful at the
 * row's own grain (never summed downstream).
 */
export const INSIGHTS_FIELDS = [
  'account_id', 'campaign_id', 'adset_id', 'ad_id', 'date_start', 'date_stop', 'impressions', 'clicks',
  'inline_link_clicks', 'unique_clicks', 'reach', 'frequency', 'spend', 'ctr', 'cpc', 'cpm', 'actions', 'action_values',
] as const;

/** Hourly rows: Meta omits reach/unique metrics with the hourly breakdown, so they are not asked for. */
export const HOURLY_INSIGHTS_FIELDS = [
  'account_id', 'campaign_id', 'adset_id', 'ad_id', 'date_start', 'date_stop', 'impressions', 'clicks',
  'inline_link_clicks', 'spend', 'ctr', 'cpc', 'cpm', 'actions', 'action_values',
] as const;

/** Breakdown that turns insights rows into account-local hours. */
export const HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone';

export const REPORT_RUN_FIELDS = [
  'id', 'account_id', 'async_status', 'async_percent_completion', 'date_start', 'date_stop', 'time_ref', 'is_running',
  'error_code', 'error_subcode', 'error_message', 'error_user_title', 'error_user_msg',
] as const;

/** Every status, so edges and insights return ARCHIVED and DELETED objects too (Meta hides them by default). */
export const ALL_CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'] as const;
export const ALL_ADSET_STATUSES = [...ALL_CAMPAIGN_STATUSES, 'CAMPAIGN_PAUSED'] as const;
export const ALL_AD_STATUSES = [
  'ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO',
  'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES',
] as const;
