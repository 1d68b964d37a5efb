/**
 * Reads of the metric tables for the fronts (writes are in metrics-upsert.ts, metrics-page-copy.ts
 * and metrics-rollup.ts). One table per grain, each read keyset-paged by (entity, bucket).
 */
import type { Db, Prisma } from './prisma-client';

export type HourlyMetricRecord = Prisma.MetricHourlyGetPayload<object>;
export type DailyMetricRecord = Prisma.MetricDailyGetPayload<object>;
export type MonthlyMetricRecord = Prisma.MetricMonthlyGetPayload<object>;

/** One account's rows at one level over a range of buckets. */
export interface MetricRowsQuery {
  adAccountId: string;
  level: string;
  entityId?: string;
  /** First bucket included: a local date (hourly: of `local_date`), or the first month's first day. */
  from: Date;
  /** Last local date included. */
  to: Date;
  /** Keyset cursor: rows after this (entity, bucket). */
  after?: { entityId: string; bucket: Date };
  /** Page size plus one. */
  take: number;
}

function base(query: MetricRowsQuery) {
  return { adAccountId: query.adAccountId, level: query.level, ...(query.entityId ? { entityId: query.entityId } : {}) };
}

/** Hourly rows whose local date is in [from, to], by (entity, hour start). */
export async function listHourlyMetricRows(db: Db, query: MetricRowsQuery): Promise<HourlyMetricRecord[]> {
  const after = query.after;
  const keyset = after ? { OR: [{ entityId: { gt: after.entityId } }, { entityId: after.entityId, bucketStart: { gt: after.bucket } }] } : {};
  return db.metricHourly.findMany({
    where: { ...base(query), localDate: { gte: query.from, lte: query.to }, ...keyset },
    orderBy: [{ entityId: 'asc' }, { bucketStart: 'asc' }],
    take: query.take,
  });
}

/** Daily rows of [from, to], by (entity, date). */
export async function listDailyMetricRows(db: Db, query: MetricRowsQuery): Promise<DailyMetricRecord[]> {
  const after = query.after;
  const keyset = after ? { OR: [{ entityId: { gt: after.entityId } }, { entityId: after.entityId, date: { gt: after.bucket } }] } : {};
  return db.metricDaily.findMany({
    where: { ...base(query), date: { gte: query.from, lte: query.to }, ...keyset },
    orderBy: [{ entityId: 'asc' }, { date: 'asc' }],
    take: query.take,
  });
}

/** Monthly rows of the months starting in [from, to], by (entity, month). */
export async function listMonthlyMetricRows(db: Db, query: MetricRowsQuery): Promise<MonthlyMetricRecord[]> {
  const after = query.after;
  const keyset = after ? { OR: [{ entityId: { gt: after.entityId } }, { entityId: after.entityId, month: { gt: after.bucket } }] } : {};
  return db.metricMonthly.findMany({
    where: { ...base(query), month: { gte: query.from, lte: query.to }, ...keyset },
    orderBy: [{ entityId: 'asc' }, { month: 'asc' }],
    take: query.take,
  });
}
