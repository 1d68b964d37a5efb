-- Change sets: bulk_requests / bulk_request_items become the one write path (preview, plan hash,
-- expiry, confirm, per-item outcomes), and ad_account_limits gains the per-account caps.
-- The tables had no rows yet (nothing wrote them), so the new NOT NULL columns need no backfill.
-- AlterTable
ALTER TABLE "ad_account_limits" ADD COLUMN     "max_daily_increase_per_day" DECIMAL(20,6),
ADD COLUMN     "minimum_budgets" JSONB,
ADD COLUMN     "minimum_budgets_at" TIMESTAMPTZ(3),
ALTER COLUMN "max_budget_increase_pct" DROP NOT NULL;

-- AlterTable
ALTER TABLE "bulk_requests" DROP COLUMN "confirmed",
DROP COLUMN "dry_run",
ADD COLUMN     "cancel_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "chunk_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "confirmed_by" TEXT,
ADD COLUMN     "expires_at" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "item_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "plan_hash" TEXT NOT NULL,
ADD COLUMN     "requires_confirmation" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "rule_execution_id" UUID,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'api',
ADD COLUMN     "token_id" UUID,
ADD COLUMN     "totals" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "violation_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "violations" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "bulk_request_items" DROP CONSTRAINT "bulk_request_items_pkey",
DROP COLUMN "after",
DROP COLUMN "before",
ADD COLUMN     "action" TEXT NOT NULL DEFAULT 'update',
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "campaign_id" TEXT,
ADD COLUMN     "changes" JSONB NOT NULL,
ADD COLUMN     "chunk" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_write_at" TIMESTAMPTZ(3),
ADD COLUMN     "live" JSONB,
ADD COLUMN     "meta_code" INTEGER,
ADD COLUMN     "meta_subcode" INTEGER,
ADD COLUMN     "name" TEXT,
ADD COLUMN     "not_before" TIMESTAMPTZ(3),
ADD COLUMN     "parent_id" TEXT,
ADD COLUMN     "payload" JSONB,
ADD COLUMN     "position" INTEGER NOT NULL,
ADD COLUMN     "sent_at" TIMESTAMPTZ(3),
ADD COLUMN     "verified_at" TIMESTAMPTZ(3),
ADD COLUMN     "violations" JSONB NOT NULL DEFAULT '[]',
ALTER COLUMN "entity_id" DROP NOT NULL,
ALTER COLUMN "status" SET DEFAULT 'planned',
ADD CONSTRAINT "bulk_request_items_pkey" PRIMARY KEY ("bulk_request_id", "position");

-- CreateIndex
CREATE INDEX "bulk_requests_ad_account_id_created_at_idx" ON "bulk_requests"("ad_account_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "bulk_request_items_bulk_request_id_status_chunk_idx" ON "bulk_request_items"("bulk_request_id", "status", "chunk");

-- CreateIndex
CREATE INDEX "bulk_request_items_entity_id_idx" ON "bulk_request_items"("entity_id");

-- AddForeignKey
ALTER TABLE "bulk_requests" ADD CONSTRAINT "bulk_requests_rule_execution_id_fkey" FOREIGN KEY ("rule_execution_id") REFERENCES "ad_rule_executions"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- One outstanding change per Meta object: a second change set touching an object that another
-- set is still applying is refused at confirm (Prisma cannot express a partial index).
CREATE UNIQUE INDEX "bulk_request_items_one_outstanding_per_object" ON "bulk_request_items"("entity_id")
  WHERE "status" IN ('pending', 'in_flight', 'deferred');
