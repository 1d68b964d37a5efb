-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "companies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "companies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "details" JSONB,
    "request_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_history" (
    "id" BIGSERIAL NOT NULL,
    "company_id" UUID NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "old_value" JSONB,
    "new_value" JSONB,
    "source" TEXT NOT NULL,
    "actor" TEXT,
    "workflow_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "business_managers" (
    "id" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "name" TEXT,
    "verification_status" TEXT,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "business_managers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "business_users" (
    "id" TEXT NOT NULL,
    "business_id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "role" TEXT,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "business_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pages" (
    "id" TEXT NOT NULL,
    "business_id" TEXT,
    "name" TEXT,
    "category" TEXT,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ad_account_pages" (
    "ad_account_id" TEXT NOT NULL,
    "page_id" TEXT NOT NULL,

    CONSTRAINT "ad_account_pages_pkey" PRIMARY KEY ("ad_account_id","page_id")
);

-- CreateTable
CREATE TABLE "instagram_accounts" (
    "id" TEXT NOT NULL,
    "page_id" TEXT,
    "username" TEXT,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "instagram_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ad_accounts" (
    "id" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "business_id" TEXT,
    "name" TEXT,
    "account_status" INTEGER,
    "disable_reason" INTEGER,
    "currency" TEXT,
    "timezone_name" TEXT,
    "timezone_offset_hours" DECIMAL(5,2),
    "amount_spent" DECIMAL(20,6),
    "balance" DECIMAL(20,6),
    "spend_cap" DECIMAL(20,6),
    "created_time" TIMESTAMPTZ(3),
    "raw" JSONB,
    "encrypted_access_token" TEXT NOT NULL,
    "token_key_id" TEXT NOT NULL,
    "token_expires_at" TIMESTAMPTZ(3),
    "token_status" TEXT NOT NULL DEFAULT 'valid',
    "token_error" TEXT,
    "connected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnected_at" TIMESTAMPTZ(3),
    "last_full_sync_at" TIMESTAMPTZ(3),
    "last_incremental_sync_at" TIMESTAMPTZ(3),
    "last_metrics_sync_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ad_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "name" TEXT,
    "objective" TEXT,
    "status" TEXT,
    "configured_status" TEXT,
    "effective_status" TEXT,
    "buying_type" TEXT,
    "bid_strategy" TEXT,
    "daily_budget" DECIMAL(20,6),
    "lifetime_budget" DECIMAL(20,6),
    "budget_remaining" DECIMAL(20,6),
    "spend_cap" DECIMAL(20,6),
    "special_ad_categories" TEXT[],
    "start_time" TIMESTAMPTZ(3),
    "stop_time" TIMESTAMPTZ(3),
    "created_time" TIMESTAMPTZ(3),
    "updated_time" TIMESTAMPTZ(3),
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ad_sets" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "campaign_id" TEXT,
    "name" TEXT,
    "status" TEXT,
    "configured_status" TEXT,
    "effective_status" TEXT,
    "optimization_goal" TEXT,
    "billing_event" TEXT,
    "bid_strategy" TEXT,
    "bid_amount" DECIMAL(20,6),
    "daily_budget" DECIMAL(20,6),
    "lifetime_budget" DECIMAL(20,6),
    "budget_remaining" DECIMAL(20,6),
    "targeting" JSONB,
    "promoted_object" JSONB,
    "start_time" TIMESTAMPTZ(3),
    "end_time" TIMESTAMPTZ(3),
    "created_time" TIMESTAMPTZ(3),
    "updated_time" TIMESTAMPTZ(3),
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "ad_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ads" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "campaign_id" TEXT,
    "adset_id" TEXT,
    "creative_id" TEXT,
    "name" TEXT,
    "status" TEXT,
    "configured_status" TEXT,
    "effective_status" TEXT,
    "bid_amount" DECIMAL(20,6),
    "tracking_specs" JSONB,
    "issues_info" JSONB,
    "created_time" TIMESTAMPTZ(3),
    "updated_time" TIMESTAMPTZ(3),
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "ads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ad_creatives" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "name" TEXT,
    "title" TEXT,
    "body" TEXT,
    "status" TEXT,
    "object_story_id" TEXT,
    "object_story_spec" JSONB,
    "asset_feed_spec" JSONB,
    "image_hash" TEXT,
    "image_url" TEXT,
    "video_id" TEXT,
    "thumbnail_url" TEXT,
    "call_to_action_type" TEXT,
    "link_url" TEXT,
    "url_tags" TEXT,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "ad_creatives_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "creative_assets" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "url" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "creative_assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "creative_carousel_cards" (
    "creative_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "link" TEXT,
    "image_hash" TEXT,
    "video_id" TEXT,
    "raw" JSONB,

    CONSTRAINT "creative_carousel_cards_pkey" PRIMARY KEY ("creative_id","position")
);

-- CreateTable
CREATE TABLE "custom_audiences" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "name" TEXT,
    "subtype" TEXT,
    "description" TEXT,
    "approximate_count_lower_bound" BIGINT,
    "approximate_count_upper_bound" BIGINT,
    "delivery_status" JSONB,
    "operation_status" JSONB,
    "retention_days" INTEGER,
    "rule" JSONB,
    "lookalike_spec" JSONB,
    "origin_audience_id" TEXT,
    "time_created" TIMESTAMPTZ(3),
    "time_updated" TIMESTAMPTZ(3),
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "custom_audiences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pixels" (
    "id" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "name" TEXT,
    "last_fired_time" TIMESTAMPTZ(3),
    "creation_time" TIMESTAMPTZ(3),
    "is_unavailable" BOOLEAN,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "pixels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversion_events" (
    "id" BIGSERIAL NOT NULL,
    "pixel_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "action_source" TEXT NOT NULL,
    "value" DECIMAL(20,6),
    "currency" TEXT,
    "custom_data" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "conversion_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offline_conversions" (
    "id" BIGSERIAL NOT NULL,
    "pixel_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "action_source" TEXT NOT NULL,
    "value" DECIMAL(20,6),
    "currency" TEXT,
    "upload_tag" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "offline_conversions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_catalogs" (
    "id" TEXT NOT NULL,
    "business_id" TEXT,
    "name" TEXT,
    "vertical" TEXT,
    "product_count" INTEGER,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "product_catalogs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_feeds" (
    "id" TEXT NOT NULL,
    "catalog_id" TEXT NOT NULL,
    "name" TEXT,
    "schedule" JSONB,
    "product_count" INTEGER,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "product_feeds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" TEXT NOT NULL,
    "catalog_id" TEXT NOT NULL,
    "retailer_id" TEXT,
    "name" TEXT,
    "price" DECIMAL(20,6),
    "currency" TEXT,
    "availability" TEXT,
    "url" TEXT,
    "image_url" TEXT,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_sets" (
    "id" TEXT NOT NULL,
    "catalog_id" TEXT NOT NULL,
    "name" TEXT,
    "filter" JSONB,
    "product_count" INTEGER,
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "product_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_forms" (
    "id" TEXT NOT NULL,
    "page_id" TEXT NOT NULL,
    "name" TEXT,
    "status" TEXT,
    "leads_count" INTEGER,
    "questions" JSONB,
    "created_time" TIMESTAMPTZ(3),
    "raw" JSONB,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "lead_forms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leads" (
    "id" TEXT NOT NULL,
    "form_id" TEXT NOT NULL,
    "ad_id" TEXT,
    "adset_id" TEXT,
    "campaign_id" TEXT,
    "is_organic" BOOLEAN,
    "platform" TEXT,
    "field_data" JSONB,
    "created_time" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "leads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metrics_hourly" (
    "level" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "local_date" DATE NOT NULL,
    "local_hour" INTEGER NOT NULL,
    "campaign_id" TEXT,
    "adset_id" TEXT,
    "spend" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "impressions" BIGINT NOT NULL DEFAULT 0,
    "clicks" BIGINT NOT NULL DEFAULT 0,
    "inline_link_clicks" BIGINT NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL DEFAULT 'meta',
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_hourly_pkey" PRIMARY KEY ("level","entity_id","bucket_start")
);

-- CreateTable
CREATE TABLE "metrics_daily" (
    "level" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "campaign_id" TEXT,
    "adset_id" TEXT,
    "spend" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "impressions" BIGINT NOT NULL DEFAULT 0,
    "clicks" BIGINT NOT NULL DEFAULT 0,
    "inline_link_clicks" BIGINT NOT NULL DEFAULT 0,
    "unique_clicks" BIGINT,
    "reach" BIGINT,
    "frequency" DECIMAL(20,6),
    "ctr" DECIMAL(20,6),
    "cpc" DECIMAL(20,6),
    "cpm" DECIMAL(20,6),
    "source" TEXT NOT NULL DEFAULT 'meta',
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_daily_pkey" PRIMARY KEY ("level","entity_id","date")
);

-- CreateTable
CREATE TABLE "metrics_monthly" (
    "level" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "campaign_id" TEXT,
    "adset_id" TEXT,
    "spend" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "impressions" BIGINT NOT NULL DEFAULT 0,
    "clicks" BIGINT NOT NULL DEFAULT 0,
    "inline_link_clicks" BIGINT NOT NULL DEFAULT 0,
    "unique_clicks" BIGINT,
    "reach" BIGINT,
    "frequency" DECIMAL(20,6),
    "ctr" DECIMAL(20,6),
    "cpc" DECIMAL(20,6),
    "cpm" DECIMAL(20,6),
    "source" TEXT NOT NULL DEFAULT 'rollup',
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_monthly_pkey" PRIMARY KEY ("level","entity_id","month")
);

-- CreateTable
CREATE TABLE "metrics_hourly_actions" (
    "level" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "action_type" TEXT NOT NULL,
    "attribution_window" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "local_date" DATE NOT NULL,
    "count" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "value" DECIMAL(20,6),
    "source" TEXT NOT NULL DEFAULT 'meta',

    CONSTRAINT "metrics_hourly_actions_pkey" PRIMARY KEY ("level","entity_id","bucket_start","action_type","attribution_window")
);

-- CreateTable
CREATE TABLE "metrics_daily_actions" (
    "level" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "action_type" TEXT NOT NULL,
    "attribution_window" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "count" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "value" DECIMAL(20,6),
    "source" TEXT NOT NULL DEFAULT 'meta',

    CONSTRAINT "metrics_daily_actions_pkey" PRIMARY KEY ("level","entity_id","date","action_type","attribution_window")
);

-- CreateTable
CREATE TABLE "metrics_monthly_actions" (
    "level" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "action_type" TEXT NOT NULL,
    "attribution_window" TEXT NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "count" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "value" DECIMAL(20,6),
    "source" TEXT NOT NULL DEFAULT 'rollup',

    CONSTRAINT "metrics_monthly_actions_pkey" PRIMARY KEY ("level","entity_id","month","action_type","attribution_window")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "ad_account_id" TEXT,
    "kind" TEXT NOT NULL,
    "grain" TEXT,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "counts" JSONB NOT NULL DEFAULT '{}',
    "cursors" JSONB NOT NULL DEFAULT '{}',
    "error" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_cursors" (
    "ad_account_id" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "cursor_time" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_cursors_pkey" PRIMARY KEY ("ad_account_id","entity_type")
);

-- CreateTable
CREATE TABLE "metrics_sync_checkpoints" (
    "ad_account_id" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workflow_id" TEXT,

    CONSTRAINT "metrics_sync_checkpoints_pkey" PRIMARY KEY ("ad_account_id","grain","day")
);

-- CreateTable
CREATE TABLE "rate_limit_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "observed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "app_usage" JSONB,
    "ad_account_usage" JSONB,
    "business_use_case_usage" JSONB,
    "insights_throttle" JSONB,
    "max_usage_pct" DECIMAL(6,2) NOT NULL,
    "estimated_regain_seconds" INTEGER,

    CONSTRAINT "rate_limit_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ad_account_limits" (
    "ad_account_id" TEXT NOT NULL,
    "max_budget_increase_pct" DECIMAL(6,2) NOT NULL DEFAULT 50,
    "max_daily_budget" DECIMAL(20,6),
    "max_lifetime_budget" DECIMAL(20,6),
    "access_tier" TEXT,
    "throttled_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ad_account_limits_pkey" PRIMARY KEY ("ad_account_id")
);

-- CreateTable
CREATE TABLE "ad_rules" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "meta_rule_id" TEXT,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ENABLED',
    "evaluation_spec" JSONB NOT NULL,
    "execution_spec" JSONB NOT NULL,
    "schedule_spec" JSONB,
    "dry_run" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ad_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ad_rule_executions" (
    "id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "workflow_id" TEXT,
    "dry_run" BOOLEAN NOT NULL,
    "matched_count" INTEGER NOT NULL DEFAULT 0,
    "results" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "ad_rule_executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_requests" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT true,
    "confirmed" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'previewed',
    "params" JSONB NOT NULL,
    "workflow_id" TEXT,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_request_items" (
    "bulk_request_id" UUID NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error_code" TEXT,
    "error_message" TEXT,
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_request_items_pkey" PRIMARY KEY ("bulk_request_id","entity_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_company_id_idx" ON "api_tokens"("company_id");

-- CreateIndex
CREATE INDEX "audit_events_company_id_occurred_at_idx" ON "audit_events"("company_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "change_history_entity_type_entity_id_occurred_at_idx" ON "change_history"("entity_type", "entity_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "change_history_ad_account_id_occurred_at_idx" ON "change_history"("ad_account_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "business_managers_company_id_idx" ON "business_managers"("company_id");

-- CreateIndex
CREATE INDEX "business_users_business_id_idx" ON "business_users"("business_id");

-- CreateIndex
CREATE INDEX "pages_business_id_idx" ON "pages"("business_id");

-- CreateIndex
CREATE INDEX "ad_account_pages_page_id_idx" ON "ad_account_pages"("page_id");

-- CreateIndex
CREATE INDEX "instagram_accounts_page_id_idx" ON "instagram_accounts"("page_id");

-- CreateIndex
CREATE INDEX "ad_accounts_company_id_idx" ON "ad_accounts"("company_id");

-- CreateIndex
CREATE INDEX "campaigns_ad_account_id_updated_time_idx" ON "campaigns"("ad_account_id", "updated_time");

-- CreateIndex
CREATE INDEX "campaigns_ad_account_id_effective_status_idx" ON "campaigns"("ad_account_id", "effective_status");

-- CreateIndex
CREATE INDEX "ad_sets_ad_account_id_updated_time_idx" ON "ad_sets"("ad_account_id", "updated_time");

-- CreateIndex
CREATE INDEX "ad_sets_campaign_id_idx" ON "ad_sets"("campaign_id");

-- CreateIndex
CREATE INDEX "ads_ad_account_id_updated_time_idx" ON "ads"("ad_account_id", "updated_time");

-- CreateIndex
CREATE INDEX "ads_adset_id_idx" ON "ads"("adset_id");

-- CreateIndex
CREATE INDEX "ads_campaign_id_idx" ON "ads"("campaign_id");

-- CreateIndex
CREATE INDEX "ad_creatives_ad_account_id_idx" ON "ad_creatives"("ad_account_id");

-- CreateIndex
CREATE INDEX "creative_assets_ad_account_id_idx" ON "creative_assets"("ad_account_id");

-- CreateIndex
CREATE INDEX "custom_audiences_ad_account_id_idx" ON "custom_audiences"("ad_account_id");

-- CreateIndex
CREATE INDEX "pixels_ad_account_id_idx" ON "pixels"("ad_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversion_events_pixel_id_event_id_key" ON "conversion_events"("pixel_id", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "offline_conversions_pixel_id_event_id_key" ON "offline_conversions"("pixel_id", "event_id");

-- CreateIndex
CREATE INDEX "product_catalogs_business_id_idx" ON "product_catalogs"("business_id");

-- CreateIndex
CREATE INDEX "product_feeds_catalog_id_idx" ON "product_feeds"("catalog_id");

-- CreateIndex
CREATE INDEX "products_catalog_id_idx" ON "products"("catalog_id");

-- CreateIndex
CREATE INDEX "product_sets_catalog_id_idx" ON "product_sets"("catalog_id");

-- CreateIndex
CREATE INDEX "lead_forms_page_id_idx" ON "lead_forms"("page_id");

-- CreateIndex
CREATE INDEX "leads_form_id_created_time_idx" ON "leads"("form_id", "created_time");

-- CreateIndex
CREATE INDEX "metrics_hourly_ad_account_id_level_local_date_idx" ON "metrics_hourly"("ad_account_id", "level", "local_date");

-- CreateIndex
CREATE INDEX "metrics_hourly_ad_account_id_bucket_start_idx" ON "metrics_hourly"("ad_account_id", "bucket_start");

-- CreateIndex
CREATE INDEX "metrics_daily_ad_account_id_level_date_idx" ON "metrics_daily"("ad_account_id", "level", "date");

-- CreateIndex
CREATE INDEX "metrics_monthly_ad_account_id_level_month_idx" ON "metrics_monthly"("ad_account_id", "level", "month");

-- CreateIndex
CREATE INDEX "metrics_hourly_actions_ad_account_id_level_local_date_idx" ON "metrics_hourly_actions"("ad_account_id", "level", "local_date");

-- CreateIndex
CREATE INDEX "metrics_daily_actions_ad_account_id_level_date_idx" ON "metrics_daily_actions"("ad_account_id", "level", "date");

-- CreateIndex
CREATE INDEX "metrics_monthly_actions_ad_account_id_level_month_idx" ON "metrics_monthly_actions"("ad_account_id", "level", "month");

-- CreateIndex
CREATE INDEX "sync_runs_ad_account_id_started_at_idx" ON "sync_runs"("ad_account_id", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "sync_runs_workflow_id_run_id_key" ON "sync_runs"("workflow_id", "run_id");

-- CreateIndex
CREATE INDEX "rate_limit_snapshots_ad_account_id_observed_at_idx" ON "rate_limit_snapshots"("ad_account_id", "observed_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ad_rules_meta_rule_id_key" ON "ad_rules"("meta_rule_id");

-- CreateIndex
CREATE INDEX "ad_rules_ad_account_id_status_idx" ON "ad_rules"("ad_account_id", "status");

-- CreateIndex
CREATE INDEX "ad_rule_executions_rule_id_started_at_idx" ON "ad_rule_executions"("rule_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "bulk_requests_company_id_created_at_idx" ON "bulk_requests"("company_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_history" ADD CONSTRAINT "change_history_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "business_managers" ADD CONSTRAINT "business_managers_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "business_users" ADD CONSTRAINT "business_users_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business_managers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pages" ADD CONSTRAINT "pages_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business_managers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_account_pages" ADD CONSTRAINT "ad_account_pages_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_account_pages" ADD CONSTRAINT "ad_account_pages_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instagram_accounts" ADD CONSTRAINT "instagram_accounts_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_accounts" ADD CONSTRAINT "ad_accounts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_sets" ADD CONSTRAINT "ad_sets_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ads" ADD CONSTRAINT "ads_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_creatives" ADD CONSTRAINT "ad_creatives_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "creative_assets" ADD CONSTRAINT "creative_assets_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "creative_carousel_cards" ADD CONSTRAINT "creative_carousel_cards_creative_id_fkey" FOREIGN KEY ("creative_id") REFERENCES "ad_creatives"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_audiences" ADD CONSTRAINT "custom_audiences_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pixels" ADD CONSTRAINT "pixels_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversion_events" ADD CONSTRAINT "conversion_events_pixel_id_fkey" FOREIGN KEY ("pixel_id") REFERENCES "pixels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offline_conversions" ADD CONSTRAINT "offline_conversions_pixel_id_fkey" FOREIGN KEY ("pixel_id") REFERENCES "pixels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_catalogs" ADD CONSTRAINT "product_catalogs_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business_managers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_feeds" ADD CONSTRAINT "product_feeds_catalog_id_fkey" FOREIGN KEY ("catalog_id") REFERENCES "product_catalogs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_catalog_id_fkey" FOREIGN KEY ("catalog_id") REFERENCES "product_catalogs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_sets" ADD CONSTRAINT "product_sets_catalog_id_fkey" FOREIGN KEY ("catalog_id") REFERENCES "product_catalogs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_forms" ADD CONSTRAINT "lead_forms_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leads" ADD CONSTRAINT "leads_form_id_fkey" FOREIGN KEY ("form_id") REFERENCES "lead_forms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics_sync_checkpoints" ADD CONSTRAINT "metrics_sync_checkpoints_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rate_limit_snapshots" ADD CONSTRAINT "rate_limit_snapshots_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_account_limits" ADD CONSTRAINT "ad_account_limits_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_rules" ADD CONSTRAINT "ad_rules_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_rules" ADD CONSTRAINT "ad_rules_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_rule_executions" ADD CONSTRAINT "ad_rule_executions_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "ad_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_requests" ADD CONSTRAINT "bulk_requests_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_requests" ADD CONSTRAINT "bulk_requests_ad_account_id_fkey" FOREIGN KEY ("ad_account_id") REFERENCES "ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_request_items" ADD CONSTRAINT "bulk_request_items_bulk_request_id_fkey" FOREIGN KEY ("bulk_request_id") REFERENCES "bulk_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

