-- (Prisma's driver adapter splits scripts on semicolons: none in these comments.)
-- The reads of the synced objects: a creative's ads are found by creative (a page of creatives
-- asks for the ads of every creative on it), and a company's change history, newest first, is
-- read without naming an ad account.
CREATE INDEX IF NOT EXISTS "ads_creative_id_idx" ON "ads"("creative_id");
CREATE INDEX IF NOT EXISTS "change_history_company_id_occurred_at_idx" ON "change_history"("company_id", "occurred_at" DESC);
