/** Ad set: its Graph API field list, wire schema and parser to a database record. */
import type Decimal from 'decimal.js';
import { z } from 'zod';
import { jsonValue, metaId, optionalTime, parseWith } from '../wire-values';
import { accountOf, type Json, minorOrNull, optId, optMinor, optStr, optTime, pick, type ParseContext } from './common';
import { ALL_CAMPAIGN_STATUSES } from './campaign';

export const ADSET_FIELDS = [
  'id', 'account_id', 'campaign_id', 'name', 'status', 'configured_status', 'effective_status', 'optimization_goal',
  'billing_event', 'bid_strategy', 'bid_amount', 'daily_budget', 'lifetime_budget', 'budget_remaining', 'targeting',
  'promoted_object', 'start_time', 'end_time', 'created_time', 'updated_time',
] as const;
/** Every ad set status, for the same reason as ALL_CAMPAIGN_STATUSES. */
export const ALL_ADSET_STATUSES = [...ALL_CAMPAIGN_STATUSES, 'CAMPAIGN_PAUSED'] as const;

const adSetSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  campaign_id: optId,
  name: optStr,
  status: optStr,
  configured_status: optStr,
  effective_status: optStr,
  optimization_goal: optStr,
  billing_event: optStr,
  bid_strategy: optStr,
  bid_amount: optMinor,
  daily_budget: optMinor,
  lifetime_budget: optMinor,
  budget_remaining: optMinor,
  targeting: z.unknown().optional(),
  promoted_object: z.unknown().optional(),
  start_time: optTime,
  end_time: optTime,
  created_time: optTime,
  updated_time: optTime,
});

export interface AdSetRecord {
  id: string;
  adAccountId: string;
  campaignId: string | null;
  name: string | null;
  status: string | null;
  configuredStatus: string | null;
  effectiveStatus: string | null;
  optimizationGoal: string | null;
  billingEvent: string | null;
  bidStrategy: string | null;
  bidAmount: Decimal | null;
  dailyBudget: Decimal | null;
  lifetimeBudget: Decimal | null;
  budgetRemaining: Decimal | null;
  targeting: Json | null;
  promotedObject: Json | null;
  startTime: Date | null;
  endTime: Date | null;
  createdTime: Date | null;
  updatedTime: Date | null;
  raw: Json;
}

/** Parses an ad set; budgets and bid amount are minor units of `ctx.currency`. */
export function parseAdSet(raw: unknown, ctx: ParseContext): AdSetRecord {
  const s = parseWith(adSetSchema, 'ad set', raw);
  return {
    id: s.id,
    adAccountId: accountOf(s.account_id, ctx, 'ad set'),
    campaignId: s.campaign_id ?? null,
    name: s.name ?? null,
    status: s.status ?? null,
    configuredStatus: s.configured_status ?? null,
    effectiveStatus: s.effective_status ?? null,
    optimizationGoal: s.optimization_goal ?? null,
    billingEvent: s.billing_event ?? null,
    bidStrategy: s.bid_strategy ?? null,
    bidAmount: minorOrNull(s.bid_amount, ctx.currency),
    dailyBudget: minorOrNull(s.daily_budget, ctx.currency, true),
    lifetimeBudget: minorOrNull(s.lifetime_budget, ctx.currency, true),
    budgetRemaining: minorOrNull(s.budget_remaining, ctx.currency),
    targeting: jsonValue(s.targeting),
    promotedObject: jsonValue(s.promoted_object),
    startTime: optionalTime(s.start_time),
    endTime: optionalTime(s.end_time),
    createdTime: optionalTime(s.created_time),
    updatedTime: optionalTime(s.updated_time),
    raw,
  };
}

/** Graph parameter of each change-set field an ad set accepts. */
export const ADSET_WRITE_PARAMS = {
  name: 'name', status: 'status', dailyBudget: 'daily_budget', lifetimeBudget: 'lifetime_budget', bidAmount: 'bid_amount',
  bidStrategy: 'bid_strategy', startTime: 'start_time', endTime: 'end_time',
} as const;

/** Create parameters of an ad set from a canonical create spec; always PAUSED. */
export function adSetCreateParams(spec: Record<string, unknown>): Record<string, unknown> {
  return pick(spec, {
    name: 'name', campaignId: 'campaign_id', optimizationGoal: 'optimization_goal', billingEvent: 'billing_event', targeting: 'targeting',
    promotedObject: 'promoted_object', destinationType: 'destination_type', bidStrategy: 'bid_strategy', bidAmount: 'bid_amount',
    dailyBudget: 'daily_budget', lifetimeBudget: 'lifetime_budget', startTime: 'start_time', endTime: 'end_time',
  });
}
