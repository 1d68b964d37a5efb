-- (Prisma's driver adapter splits scripts on semicolons: none in these comments.)
-- Customer-list uploads to a custom audience. Only normalised SHA-256 hashes (and external ids,
-- which Meta takes as they are) are staged, batch by batch, and the staging rows are deleted
-- when the upload workflow ends. Invalid rows are kept as their number and reason, never the value.
CREATE TABLE IF NOT EXISTS "audience_uploads" (
  "id" UUID NOT NULL,
  "company_id" UUID NOT NULL,
  "ad_account_id" TEXT NOT NULL,
  "audience_id" TEXT NOT NULL,
  "mode" TEXT NOT NULL,
  "schema" TEXT[] NOT NULL,
  "status" TEXT NOT NULL,
  "session_id" TEXT NOT NULL,
  "rows_received" INTEGER NOT NULL,
  "rows_valid" INTEGER NOT NULL,
  "invalid_rows" JSONB NOT NULL,
  "batches_total" INTEGER NOT NULL,
  "batch_results" JSONB NOT NULL DEFAULT '{}',
  "error" TEXT,
  "api_token_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finished_at" TIMESTAMPTZ(3),
  CONSTRAINT "audience_uploads_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "audience_uploads_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "audience_uploads_company_id_idx" ON "audience_uploads"("company_id");

CREATE TABLE IF NOT EXISTS "audience_upload_rows" (
  "upload_id" UUID NOT NULL,
  "row_number" INTEGER NOT NULL,
  "batch_index" INTEGER NOT NULL,
  "hashed_values" TEXT[] NOT NULL,
  CONSTRAINT "audience_upload_rows_pkey" PRIMARY KEY ("upload_id", "row_number"),
  CONSTRAINT "audience_upload_rows_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "audience_uploads"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "audience_upload_rows_batch_idx" ON "audience_upload_rows"("upload_id", "batch_index");
