import type { z } from 'zod';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { listDailyMetricRows, listHourlyMetricRows, listMonthlyMetricRows } from '../db/metrics-repository';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, encodeCursor, type Page } from './paging';
import { getMetricsInput, metricRowView } from './schemas/metrics';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type MetricRowView = z.infer<typeof metricRowView>;

type Decimalish = { toString(): string };
interface CommonMetricRow {
  level: string;
  entityId: string;
  adAccountId: string;
  spend: Decimalish;
  impressions: bigint;
  clicks: bigint;
  inlineLinkClicks: bigint;
  source: string;
}
interface GrainMetricRow extends CommonMetricRow {
  reach?: bigint | null;
  frequency?: Decimalish | null;
  ctr?: Decimalish | null;
  cpc?: Decimalish | null;
  cpm?: Decimalish | null;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);
const dateOf = (text: string): Date => new Date(`${text}T00:00:00Z`);
const str = (value: Decimalish | null | undefined): string | null => (value === null || value === undefined ? null : value.toString());

/**
 * Metrics of one ad account at one level and grain over local dates, keyset-paged by
 * (entity, bucket). Money is a decimal string in major units; reach only when Meta reported it
 * at this grain (it is never summed), so rollup rows and hourly rows carry `reach: null`.
 */
export async function getMetrics(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<MetricRowView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(getMetricsInput, raw);
  await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const after = decodeCursor(input.cursor, ['e', 'b']);
  const query = { adAccountId: input.adAccountId, level: input.level, entityId: input.entityId, to: dateOf(input.to), take: input.limit + 1 };

  let rows: Array<{ row: GrainMetricRow; bucket: string }>;
  if (input.grain === 'hourly') {
    const found = await listHourlyMetricRows(ctx.db, { ...query, from: dateOf(input.from), after: after ? { entityId: after.e, bucket: new Date(after.b) } : undefined });
    rows = found.map((row) => ({ row, bucket: row.bucketStart.toISOString() }));
  } else if (input.grain === 'daily') {
    const found = await listDailyMetricRows(ctx.db, { ...query, from: dateOf(input.from), after: after ? { entityId: after.e, bucket: dateOf(after.b) } : undefined });
    rows = found.map((row) => ({ row, bucket: day(row.date) }));
  } else {
    const found = await listMonthlyMetricRows(ctx.db, { ...query, from: dateOf(`${input.from.slice(0, 7)}-01`), after: after ? { entityId: after.e, bucket: dateOf(after.b) } : undefined });
    rows = found.map((row) => ({ row, bucket: day(row.month) }));
  }

  const more = rows.length > input.limit;
  const kept = more ? rows.slice(0, input.limit) : rows;
  const last = kept[kept.length - 1];
  return {
    data: kept.map(({ row, bucket }) => {
      const reach = row.reach === undefined || row.reach === null ? null : Number(row.reach);
      return {
        entityId: row.entityId,
        level: row.level,
        adAccountId: row.adAccountId,
        grain: input.grain,
        bucketStart: bucket,
        spend: row.spend.toString(),
        impressions: Number(row.impressions),
        clicks: Number(row.clicks),
        inlineLinkClicks: Number(row.inlineLinkClicks),
        reach,
        reachSource: reach === null ? null : 'meta',
        frequency: str(row.frequency),
        ctr: str(row.ctr),
        cpc: str(row.cpc),
        cpm: str(row.cpm),
        source: row.source === 'rollup' ? 'rollup' : 'meta',
      };
    }),
    nextCursor: more && last ? encodeCursor({ e: last.row.entityId, b: last.bucket }) : null,
  };
}
