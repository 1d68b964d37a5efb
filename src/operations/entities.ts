import type { z } from 'zod';
import { NotFoundError } from '../errors';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import {
  findAdOfCompany, findAdSetOfCompany, findCampaignOfCompany, listAdRows, listAdSetRows, listCampaignRows,
  type AdRow, type AdSetRow, type CampaignRow, type EntityListFilter,
} from '../db/entity-repository';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { adSetView, adView, campaignView, entityRefInput, listAdSetsInput, listAdsInput, listCampaignsInput } from './schemas/entities';
import type { ServiceContext } from './service-context';
import { decimalText, iso } from './synced-reads';
import { parseInput } from './validation';

export type CampaignView = z.infer<typeof campaignView>;
export type AdSetView = z.infer<typeof adSetView>;
export type AdView = z.infer<typeof adView>;

interface ListFilter {
  adAccountId?: string;
  status?: string;
  effectiveStatus?: string;
  includeDeleted?: boolean;
}

/** Company scoping and the common filters of every entity list; a named ad account must be the company's. */
async function listFilter(ctx: ServiceContext, actor: Actor, filter: ListFilter & { cursor?: string; limit: number }): Promise<EntityListFilter> {
  const after = decodeCursor(filter.cursor, ['id']);
  if (filter.adAccountId) await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: filter.adAccountId });
  return {
    companyId: actor.companyId,
    adAccountId: filter.adAccountId,
    status: filter.status,
    effectiveStatus: filter.effectiveStatus,
    includeDeleted: filter.includeDeleted,
    afterId: after?.id,
    take: filter.limit + 1,
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

export function toCampaignView(row: CampaignRow): CampaignView {
  return {
    ...common(row),
    objective: row.objective,
    buyingType: row.buyingType,
    bidStrategy: row.bidStrategy,
    dailyBudget: decimalText(row.dailyBudget),
    lifetimeBudget: decimalText(row.lifetimeBudget),
    spendCap: decimalText(row.spendCap),
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
    bidAmount: decimalText(row.bidAmount),
    dailyBudget: decimalText(row.dailyBudget),
    lifetimeBudget: decimalText(row.lifetimeBudget),
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
  const rows = await listCampaignRows(ctx.db, await listFilter(ctx, actor, input));
  return toPage(rows, input.limit, toCampaignView, (row) => ({ id: row.id }));
}

export async function getCampaign(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<CampaignView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(entityRefInput, raw);
  const row = await findCampaignOfCompany(ctx.db, { companyId: actor.companyId, id: input.id });
  if (!row) throw new NotFoundError('Campaign', input.id);
  return toCampaignView(row);
}

export async function listAdSets(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<AdSetView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAdSetsInput, raw);
  const rows = await listAdSetRows(ctx.db, { ...(await listFilter(ctx, actor, input)), campaignId: input.campaignId });
  return toPage(rows, input.limit, toAdSetView, (row) => ({ id: row.id }));
}

export async function getAdSet(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AdSetView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(entityRefInput, raw);
  const row = await findAdSetOfCompany(ctx.db, { companyId: actor.companyId, id: input.id });
  if (!row) throw new NotFoundError('Ad set', input.id);
  return toAdSetView(row);
}

export async function listAds(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<AdView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listAdsInput, raw);
  const rows = await listAdRows(ctx.db, { ...(await listFilter(ctx, actor, input)), campaignId: input.campaignId, adsetId: input.adsetId });
  return toPage(rows, input.limit, toAdView, (row) => ({ id: row.id }));
}

export async function getAd(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AdView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(entityRefInput, raw);
  const row = await findAdOfCompany(ctx.db, { companyId: actor.companyId, id: input.id });
  if (!row) throw new NotFoundError('Ad', input.id);
  return toAdView(row);
}
