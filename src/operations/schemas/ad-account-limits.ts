/**
 * Schemas of an ad account's write caps (get and put). Amounts are major units of the account
 * currency; null removes a cap.
 */
import { z } from 'zod';
import { amountSchema, percentSchema } from './change-sets';
import { adAccountIdSchema } from './common';

const optionalCap = amountSchema.nullable().optional();
export const putLimitsInput = z
  .strictObject({
    adAccountId: adAccountIdSchema,
    maxBudgetIncreasePct: percentSchema.nullable().optional().describe('Largest increase one change may make to a budget, in percent; null removes the cap'),
    maxDailyBudget: optionalCap.describe('Highest daily budget any campaign or ad set may get (major units); null removes it'),
    maxLifetimeBudget: optionalCap,
    maxDailyIncreasePerDay: optionalCap.describe('Largest sum of daily-budget increases per account-local day (major units)'),
  })
  .refine((v) => ['maxBudgetIncreasePct', 'maxDailyBudget', 'maxLifetimeBudget', 'maxDailyIncreasePerDay'].some((k) => k in v), 'set at least one limit');
export const limitsRefInput = z.strictObject({ adAccountId: adAccountIdSchema });

export const limitsView = z.object({
  adAccountId: z.string(),
  currency: z.string().nullable(),
  maxBudgetIncreasePct: z.string().nullable(),
  maxDailyBudget: z.string().nullable(),
  maxLifetimeBudget: z.string().nullable(),
  maxDailyIncreasePerDay: z.string().nullable(),
  minimumDailyBudgets: z.object({ imp: z.string(), videoViews: z.string(), highFreq: z.string(), lowFreq: z.string() }).nullable().describe("Meta's minimums for the currency (major units), when known"),
  updatedAt: z.string().nullable(),
});
