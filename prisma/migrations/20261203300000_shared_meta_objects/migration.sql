-- (Prisma's driver adapter splits scripts on semicolons: none in these comments.)
-- Business managers are shared by every ad account that belongs to them, whichever company
-- connected it: the company_id column flipped to whichever company synced last. They belong to
-- no company now: a company reaches one only through its own ad accounts (ad_accounts.business_id).
ALTER TABLE "business_managers" DROP CONSTRAINT IF EXISTS "business_managers_company_id_fkey";
DROP INDEX IF EXISTS "business_managers_company_id_idx";
ALTER TABLE "business_managers" DROP COLUMN IF EXISTS "company_id";

-- Pages are shared too: a company reaches a page (and its lead forms and leads) only through the
-- ad_account_pages links of its own ad accounts. A link records when the account's read last
-- returned the page, so a full read that no longer returns it removes the link instead of
-- soft-deleting a page other accounts still promote.
ALTER TABLE "ad_account_pages" ADD COLUMN IF NOT EXISTS "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
