-- Automated rules: ad_rules in the Meta shape with spec hash, confirmation and webhook, every
-- evaluation in ad_rule_executions (unique per rule, as_of and mode) with one ad_rule_matches row
-- per matched object, cooldown and count-limit state per rule and object, and the Meta mapping from
-- optimization goal to the action type its "results" count. The rule tables had no rows yet, so
-- the new NOT NULL columns need no backfill.
-- AlterTable
ALTER TABLE "ad_rules" DROP COLUMN "dry_run",
ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "confirmed_by" TEXT,
ADD COLUMN     "confirmed_spec_hash" TEXT,
ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "enabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "enabled_by" TEXT,
ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'service',
ADD COLUMN     "raises_spend" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "spec_hash" TEXT NOT NULL,
ADD COLUMN     "webhook_secret_cipher" TEXT,
ADD COLUMN     "webhook_secret_key_id" TEXT,
ADD COLUMN     "webhook_url" TEXT,
ALTER COLUMN "status" SET DEFAULT 'DISABLED';

-- AlterTable
ALTER TABLE "ad_rule_executions" DROP COLUMN "dry_run",
DROP COLUMN "results",
ADD COLUMN     "acted_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "as_of" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "backtest_id" UUID,
ADD COLUMN     "change_set_id" UUID,
ADD COLUMN     "detail" JSONB,
ADD COLUMN     "metrics_read_at" TIMESTAMPTZ(3),
ADD COLUMN     "mode" TEXT NOT NULL,
ADD COLUMN     "skipped_cooldown_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "skipped_other_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "spec_hash" TEXT NOT NULL,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'running';

-- CreateTable
CREATE TABLE "ad_rule_matches" (
    "execution_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "outcome" TEXT NOT NULL,
    "change" JSONB,
    "spend_after" DECIMAL(20,6),
    "as_of" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ad_rule_matches_pkey" PRIMARY KEY ("execution_id","entity_id")
);

-- CreateTable
CREATE TABLE "ad_rule_object_state" (
    "rule_id" UUID NOT NULL,
    "entity_id" TEXT NOT NULL,
    "last_action_at" TIMESTAMPTZ(3) NOT NULL,
    "action_count" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ad_rule_object_state_pkey" PRIMARY KEY ("rule_id","entity_id")
);

-- CreateTable
CREATE TABLE "result_action_types" (
    "optimization_goal" TEXT NOT NULL,
    "custom_event_type" TEXT NOT NULL DEFAULT '',
    "action_type" TEXT,
    "metric" TEXT,

    CONSTRAINT "result_action_types_pkey" PRIMARY KEY ("optimization_goal","custom_event_type")
);

-- CreateIndex
CREATE INDEX "ad_rule_matches_entity_id_as_of_idx" ON "ad_rule_matches"("entity_id", "as_of" DESC);

-- CreateIndex
CREATE INDEX "ad_rule_matches_rule_id_entity_id_as_of_idx" ON "ad_rule_matches"("rule_id", "entity_id", "as_of" DESC);

-- CreateIndex
CREATE INDEX "ad_rules_company_id_created_at_idx" ON "ad_rules"("company_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "ad_rule_executions_backtest_id_idx" ON "ad_rule_executions"("backtest_id");

-- CreateIndex
CREATE UNIQUE INDEX "ad_rule_executions_rule_id_as_of_mode_key" ON "ad_rule_executions"("rule_id", "as_of", "mode");

-- AddForeignKey
ALTER TABLE "ad_rule_matches" ADD CONSTRAINT "ad_rule_matches_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "ad_rule_executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ad_rule_object_state" ADD CONSTRAINT "ad_rule_object_state_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "ad_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- NOTIFICATION rules: one notice per evaluation, with its webhook delivery state.
-- CreateTable
CREATE TABLE "ad_rule_notifications" (
    "id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "execution_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "ad_account_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "webhook_status" TEXT NOT NULL DEFAULT 'none',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ad_rule_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ad_rule_notifications_execution_id_key" ON "ad_rule_notifications"("execution_id");

-- CreateIndex
CREATE INDEX "ad_rule_notifications_rule_id_created_at_idx" ON "ad_rule_notifications"("rule_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "ad_rule_notifications" ADD CONSTRAINT "ad_rule_notifications_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "ad_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The `results` of a rule filter count the action type Ads Manager counts for the goal of the object.
-- OFFSITE_CONVERSIONS and VALUE count the pixel event of the promoted object (purchase when none
-- is named), IMPRESSIONS and REACH count delivery metrics, not actions.
INSERT INTO "result_action_types" ("optimization_goal", "custom_event_type", "action_type", "metric") VALUES
  ('OFFSITE_CONVERSIONS', '', 'offsite_conversion.fb_pixel_purchase', NULL),
  ('OFFSITE_CONVERSIONS', 'PURCHASE', 'offsite_conversion.fb_pixel_purchase', NULL),
  ('OFFSITE_CONVERSIONS', 'LEAD', 'offsite_conversion.fb_pixel_lead', NULL),
  ('OFFSITE_CONVERSIONS', 'COMPLETE_REGISTRATION', 'offsite_conversion.fb_pixel_complete_registration', NULL),
  ('OFFSITE_CONVERSIONS', 'ADD_TO_CART', 'offsite_conversion.fb_pixel_add_to_cart', NULL),
  ('OFFSITE_CONVERSIONS', 'INITIATE_CHECKOUT', 'offsite_conversion.fb_pixel_initiate_checkout', NULL),
  ('OFFSITE_CONVERSIONS', 'ADD_PAYMENT_INFO', 'offsite_conversion.fb_pixel_add_payment_info', NULL),
  ('OFFSITE_CONVERSIONS', 'CONTENT_VIEW', 'offsite_conversion.fb_pixel_view_content', NULL),
  ('OFFSITE_CONVERSIONS', 'SEARCH', 'offsite_conversion.fb_pixel_search', NULL),
  ('VALUE', '', 'offsite_conversion.fb_pixel_purchase', NULL),
  ('LINK_CLICKS', '', 'link_click', NULL),
  ('LANDING_PAGE_VIEWS', '', 'landing_page_view', NULL),
  ('LEAD_GENERATION', '', 'lead', NULL),
  ('QUALITY_LEAD', '', 'lead', NULL),
  ('POST_ENGAGEMENT', '', 'post_engagement', NULL),
  ('PAGE_LIKES', '', 'like', NULL),
  ('APP_INSTALLS', '', 'mobile_app_install', NULL),
  ('CONVERSATIONS', '', 'onsite_conversion.messaging_conversation_started_7d', NULL),
  ('EVENT_RESPONSES', '', 'rsvp', NULL),
  ('IMPRESSIONS', '', NULL, 'impressions'),
  ('REACH', '', NULL, 'reach');
