/** Campaign: its Graph API field list, wire schema and parser to a database record. */
import type Decimal from 'decimal.js';
import { z } from 'zod';
import { metaId, optionalTime, parseWith } from '../wire-values';
import { accountOf, type Json, minorOrNull, optId, optMinor, optStr, optTime, pick, type ParseContext } from './common';

export const CAMPAIGN_FIELDS = [
  'id', 'account_id', 'name', 'objective', 'status', 'configured_status', 'effective_status', 'buying_type',
  'bid_strategy', 'daily_budget', 'lifetime_budget', 'budget_remaining', 'spend_cap', 'special_ad_categories',
  'start_time', 'stop_time', 'created_time', 'updated_time',
] as const;
/** Every status, so edges and insights return ARCHIVED and DELETED objects too (Meta hides them by default). */
export const ALL_CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'] as const;

const campaignSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  objective: optStr,
  status: optStr,
  configured_status: optStr,
  effective_status: optStr,
  buying_type: optStr,
  bid_strategy: optStr,
  daily_budget: optMinor,
  lifetime_budget: optMinor,
  budget_remaining: optMinor,
  spend_cap: optMinor,
  special_ad_categories: z.array(z.string()).nullish(),
  start_time: optTime,
  stop_time: optTime,
  created_time: optTime,
  updated_time: optTime,
});

export interface CampaignRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  objective: string | null;
  status: string | null;
  configuredStatus: string | null;
  effectiveStatus: string | null;
  buyingType: string | null;
  bidStrategy: string | null;
  dailyBudget: Decimal | null;
  lifetimeBudget: Decimal | null;
  budgetRemaining: Decimal | null;
  spendCap: Decimal | null;
  specialAdCategories: string[];
  startTime: Date | null;
  stopTime: Date | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses a campaign; budgets are minor units of `ctx.currency`. */
export function parseCampaign(raw: unknown, ctx: ParseContext): CampaignRecord {
  const c = parseWith(campaignSchema, 'campaign', raw);
  return {
    id: c.id,
    adAccountId: accountOf(c.account_id, ctx, 'campaign'),
    name: c.name ?? null,
    objective: c.objective ?? null,
    status: c.status ?? null,
    configuredStatus: c.configured_status ?? null,
    effectiveStatus: c.effective_status ?? null,
    buyingType: c.buying_type ?? null,
    bidStrategy: c.bid_strategy ?? null,
    dailyBudget: minorOrNull(c.daily_budget, ctx.currency, true),
    lifetimeBudget: minorOrNull(c.lifetime_budget, ctx.currency, true),
    budgetRemaining: minorOrNull(c.budget_remaining, ctx.currency),
    spendCap: minorOrNull(c.spend_cap, ctx.currency, true),
    specialAdCategories: c.special_ad_categories ?? [],
    startTime: optionalTime(c.start_time),
    stopTime: optionalTime(c.stop_time),
    createdTime: optionalTime(c.created_time),
    updatedTime: optionalTime(c.updated_time),
    raw,
  };
}

/** Graph parameter of each change-set field a campaign accepts (its end is `stop_time`). */
export const CAMPAIGN_WRITE_PARAMS = {
  name: 'name', status: 'status', dailyBudget: 'daily_budget', lifetimeBudget: 'lifetime_budget', bidStrategy: 'bid_strategy',
  startTime: 'start_time', endTime: 'stop_time', spendCap: 'spend_cap',
} as const;

/** Create parameters of a campaign from a canonical create spec (domain/object-create-plan); always PAUSED. */
export function campaignCreateParams(spec: Record<string, unknown>): Record<string, unknown> {
  return pick(spec, {
    name: 'name', objective: 'objective', specialAdCategories: 'special_ad_categories', buyingType: 'buying_type', bidStrategy: 'bid_strategy',
    dailyBudget: 'daily_budget', lifetimeBudget: 'lifetime_budget', spendCap: 'spend_cap', startTime: 'start_time', endTime: 'stop_time',
  });
}
