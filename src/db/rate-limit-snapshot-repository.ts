/** Samples of the usage headers Meta sent, so operators can see how close an account is to its limits. */
import type { Db } from './prisma-client';

/** One sample; the usage objects are stored as Meta's headers described them. */
export interface RateLimitSnapshotInput {
  adAccountId: string;
  observedAt: Date;
  appUsage?: object;
  adAccountUsage?: object;
  businessUseCaseUsage?: object[];
  insightsThrottle?: object;
  /** Highest usage percentage of the sample (capped by the caller to the column's range). */
  maxUsagePct: number;
  estimatedRegainSeconds: number | null;
}

/** Appends one usage sample. */
export async function insertRateLimitSnapshot(db: Db, snapshot: RateLimitSnapshotInput): Promise<void> {
  await db.rateLimitSnapshot.create({ data: snapshot });
}
