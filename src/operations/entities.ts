import type { z } from 'zod';
import { NotFoundError } from '../errors';
import type { Prisma } from '../db/prisma-client';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { adSetView, adView, campaignView, entityRefInput, listAdSetsInput, listAdsInput, listCampaignsInput } from './schemas/entities';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';

export type CampaignView = z.infer<typeof campaignView>;
export type AdSetView = z.infer<typeof adSetView>;
export type AdView = z.infer<typeof adView>;

type Decimalish = { toString(): string } | null;
const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const dec = (value: Decimalish): string | null => (value === null ? null : value.toString());

interface ListFilter {
  adAccountId?: string;
  status?: string;
  effectiveStatus?: string;
  includeDeleted?: boolean;
}

/** Company scoping for every entity query, plus the common filters. */
async function baseWhere(ctx: ServiceContext, actor: Actor, filter: ListFilter) {
  if (filter.adAccountId) {
    const owned = await ctx.db.adAccount.findFirst({ where: { id: filter.adAccountId, companyId: actor.companyId }, select: { id: true } });
    if (!owned) throw new NotFoundError('Ad account', filter.adAccountId);
  }
  return {
    adAccount: { companyId: actor.companyId },
    ...(filter.adAccountId ? { adAccountId: filter.adAccountId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.effectiveStatus ? { effectiveStatus: filter.effectiveStatus } : {}),
    ...(filter.includeDeleted ? {} : { deletedAt: null }),
  };
}

function common(row: { id: string; adAccountId: string; name: string | null; status: string | null; configuredStatus: string | null; effectiveStatus: string | null; createdTime: Date | null; updatedTime: Date | null; syncedAt: Date; deletedAt: Date | null }) {
  return {
    id: row.id,
    adAccountId: row.adAccountId,
    name: row.name,
    status: row.status,
    configuredStatus: row.configuredStatus,
    effectiveStatus: row.effectiveStatus,
    createdTime: iso(row.createdTime),
    updatedTime: iso(row.updatedTime),
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

type CampaignRow = Prisma.CampaignGetPayload<object>;
type AdSetRow = Prisma.AdSetGetPayload<object>;
type AdRow = Prisma.AdGetPayload<object>;

export function toCampaignView(row: CampaignRow): CampaignView {
  return {
    ...common(row),
    objective: row.objective,
    buyingType: row.buyingType,
    bidStrategy: row.bidStrategy,
    dailyBudget: dec(row.dailyBudget),
    lifetimeBudget: dec(row.lifetimeBudget),
    spendCap: dec(row.spendCap),
    startTime: iso(row.startTime),
    stopTime: iso(row.stopTime),
  };
}

export function toAdSetView(row: AdSetRow): AdSetView {
  return {
    ...common(row),
    campaignId: row.campaignId,
    optimizationGoal: row.optimizationGoal,
    billingEvent: row.billingEvent,
    bidStrategy: row.bidStrategy,
    bidAmount: dec(row.bidAmount),
    dailyBudget: dec(row.dailyBudget),
    lifetimeBudget: dec(row.lifetimeBudget),
    startTime: iso(row.startTime),
    endTime: iso(row.endTime),
  };
}

export function toAdView(row: AdRow): AdView {
  return { ...common(row), campaignId: row.campaignId, adsetId: row.adsetId, creativeId: row.creativeId };
}

// Meta ids are compared as text; keyset order is by id, which is stable and indexed.

export async function listCampaigns(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<CampaignView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listCampaignsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await ctx.db.campaign.findMany({
    where: { ...(await baseWhere(ctx, actor, input)), ...(after ? { id: { gt: after.id } } : {}) },
    orderBy: { id: 'asc' },
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, toCampaignView, (row) => ({ id: row.id }));
}

export async function getCampaign(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<CampaignView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(entityRefInput, raw);
  const row = await ctx.db.campaign.findFirst({ where: { id: input.id, adAccount: { companyId: actor.companyId } } });
  if (!row) throw new NotFoundError('Campaign', input.id);
  return toCampaignView(row);
}

export async function listAdSets(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<AdSetView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAdSetsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await ctx.db.adSet.findMany({
    where: { ...(await baseWhere(ctx, actor, input)), ...(input.campaignId ? { campaignId: input.campaignId } : {}), ...(after ? { id: { gt: after.id } } : {}) },
    orderBy: { id: 'asc' },
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, toAdSetView, (row) => ({ id: row.id }));
}

export async function getAdSet(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AdSetView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(entityRefInput, raw);
  const row = await ctx.db.adSet.findFirst({ where: { id: input.id, adAccount: { companyId: actor.companyId } } });
  if (!row) throw new NotFoundError('Ad set', input.id);
  return toAdSetView(row);
}

export async function listAds(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<AdView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAdsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await ctx.db.ad.findMany({
    where: {
      ...(await baseWhere(ctx, actor, input)),
      ...(input.campaignId ? { campaignId: input.campaignId } : {}),
      ...(input.adsetId ? { adsetId: input.adsetId } : {}),
      ...(after ? { id: { gt: after.id } } : {}),
    },
    orderBy: { id: 'asc' },
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, toAdView, (row) => ({ id: row.id }));
}

export async function getAd(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AdView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(entityRefInput, raw);
  const row = await ctx.db.ad.findFirst({ where: { id: input.id, adAccount: { companyId: actor.companyId } } });
  if (!row) throw new NotFoundError('Ad', input.id);
  return toAdView(row);
}
