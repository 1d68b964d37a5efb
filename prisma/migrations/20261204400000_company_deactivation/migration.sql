-- (Prisma's driver adapter splits scripts on semicolons: none in these comments.)
-- A company an operator deactivated: its tokens answer 401 and its schedules are paused until it
-- is reactivated. Null while active.
ALTER TABLE "companies" ADD COLUMN IF NOT EXISTS "deactivated_at" TIMESTAMPTZ(3);
