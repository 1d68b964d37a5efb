-- (Prisma's driver adapter splits scripts on semicolons: none in these comments.)
-- The daily token check: when Meta's debug_token last answered for an account's token (the
-- instant its expiry is measured against) and the required scopes the person withdrew.
ALTER TABLE "ad_accounts" ADD COLUMN IF NOT EXISTS "token_checked_at" TIMESTAMPTZ(3);
ALTER TABLE "ad_accounts" ADD COLUMN IF NOT EXISTS "token_missing_scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
