-- (Prisma's driver adapter splits scripts on semicolons: none in these comments.)
-- Facebook Login: the states a company admin started (only a hash is stored, each consumed once)
-- and the grants the callback stored (a long-lived Meta token, encrypted, waiting for the admin to
-- pick the ad accounts it connects). Ad accounts remember what Meta said of their token.
CREATE TABLE IF NOT EXISTS "oauth_states" (
  "id" UUID NOT NULL,
  "company_id" UUID NOT NULL,
  "api_token_id" UUID NOT NULL,
  "state_hash" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "consumed_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "oauth_states_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS "oauth_states_state_hash_key" ON "oauth_states"("state_hash");
CREATE INDEX IF NOT EXISTS "oauth_states_company_id_idx" ON "oauth_states"("company_id");

CREATE TABLE IF NOT EXISTS "oauth_grants" (
  "id" UUID NOT NULL,
  "company_id" UUID NOT NULL,
  "api_token_id" UUID NOT NULL,
  "encrypted_access_token" TEXT NOT NULL,
  "token_key_id" TEXT NOT NULL,
  "token_type" TEXT NOT NULL,
  "meta_user_id" TEXT,
  "granted_scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "missing_scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "token_expires_at" TIMESTAMPTZ(3),
  "data_access_expires_at" TIMESTAMPTZ(3),
  "ad_accounts" JSONB NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "consumed_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "oauth_grants_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "oauth_grants_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS "oauth_grants_company_id_idx" ON "oauth_grants"("company_id");

ALTER TABLE "ad_accounts" ADD COLUMN IF NOT EXISTS "token_type" TEXT;
ALTER TABLE "ad_accounts" ADD COLUMN IF NOT EXISTS "token_scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "ad_accounts" ADD COLUMN IF NOT EXISTS "token_data_access_expires_at" TIMESTAMPTZ(3);
