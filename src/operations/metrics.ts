import type { z } from 'zod';
import { NotFoundError } from '../errors';
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
  const owned = await ctx.db.adAccount.findFirst({ where: { id: input.adAccountId, companyId: actor.companyId }, select: { id: true } });
  if (!owned) throw new NotFoundError('Ad account', input.adAccountId);
  const after = decodeCursor(input.cursor, ['e', 'b']);
  const take = input.limit + 1;
  const base = { adAccountId: input.adAccountId, level: input.level, ...(input.entityId ? { entityId: input.entityId } : {}) };

  let rows: Array<{ row: GrainMetricRow; bucket: string }>;
  if (input.grain === 'hourly') {
    const keyset = after ? { OR: [{ entityId: { gt: after.e } }, { entityId: after.e, bucketStart: { gt: new Date(after.b) } }] } : {};
    const found = await ctx.db.metricHourly.findMany({
      where: { ...base, localDate: { gte: dateOf(input.from), lte: dateOf(input.to) }, ...keyset },
      orderBy: [{ entityId: 'asc' }, { bucketStart: 'asc' }],
      take,
    });
    rows = found.map((row) => ({ row, bucket: row.bucketStart.toISOString() }));
  } else if (input.grain === 'daily') {
    const keyset = after ? { OR: [{ entityId: { gt: after.e } }, { entityId: after.e, date: { gt: dateOf(after.b) } }] } : {};
    const found = await ctx.db.metricDaily.findMany({
      where: { ...base, date: { gte: dateOf(input.from), lte: dateOf(input.to) }, ...keyset },
      orderBy: [{ entityId: 'asc' }, { date: 'asc' }],
      take,
    });
    rows = found.map((row) => ({ row, bucket: day(row.date) }));
  } else {
    const keyset = after ? { OR: [{ entityId: { gt: after.e } }, { entityId: after.e, month: { gt: dateOf(after.b) } }] } : {};
    const found = await ctx.db.metricMonthly.findMany({
      where: { ...base, month: { gte: dateOf(`${input.from.slice(0, 7)}-01`), lte: dateOf(input.to) }, ...keyset },
      orderBy: [{ entityId: 'asc' }, { month: 'asc' }],
      take,
    });
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
