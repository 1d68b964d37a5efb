/** Samples of the usage headers Meta sent, so operators can see how close an account is to its limits. */
import { Prisma, type Db } from './prisma-client';

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

/** Columns of the snapshot table, one per usage header Meta sends. */
export const USAGE_HEADERS = ['appUsage', 'adAccountUsage', 'businessUseCaseUsage', 'insightsThrottle'] as const;
export type UsageHeader = (typeof USAGE_HEADERS)[number];

/** A header's latest value and when it was seen. */
export interface LatestUsage {
  value: unknown;
  observedAt: Date;
}

/** The account's latest snapshot and, per header, the latest snapshot that carried it (Meta does not send every header on every answer). */
export async function latestUsageOf(
  db: Db,
  adAccountId: string,
): Promise<{ latest: { observedAt: Date; maxUsagePct: string; estimatedRegainSeconds: number | null } | null; headers: Record<UsageHeader, LatestUsage | null> }> {
  const [latest, ...perHeader] = await Promise.all([
    db.rateLimitSnapshot.findFirst({ where: { adAccountId }, orderBy: { observedAt: 'desc' }, select: { observedAt: true, maxUsagePct: true, estimatedRegainSeconds: true } }),
    ...USAGE_HEADERS.map((header) =>
      db.rateLimitSnapshot.findFirst({ where: { adAccountId, [header]: { not: Prisma.AnyNull } }, orderBy: { observedAt: 'desc' }, select: { observedAt: true, [header]: true } }),
    ),
  ]);
  const headers = Object.fromEntries(
    USAGE_HEADERS.map((header, i) => {
      const row = perHeader[i] as ({ observedAt: Date } & Record<string, unknown>) | null;
      return [header, row ? { value: row[header], observedAt: row.observedAt } : null];
    }),
  ) as Record<UsageHeader, LatestUsage | null>;
  return { latest: latest ? { observedAt: latest.observedAt, maxUsagePct: latest.maxUsagePct.toString(), estimatedRegainSeconds: latest.estimatedRegainSeconds } : null, headers };
}
