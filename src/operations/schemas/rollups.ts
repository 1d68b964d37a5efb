/** Rollups run on demand and their listing. */
import { z } from 'zod';
import { adAccountIdSchema, checkRange, cursorSchema, dateSchema, limitSchema } from './common';
import { WORKFLOW_STATUSES } from './workflows';

export const runRollupInput = z
  .strictObject({
    grain: z.enum(['daily', 'monthly']),
    from: dateSchema,
    to: dateSchema,
    adAccountId: adAccountIdSchema.optional().describe('Default: every ad account of the company'),
  })
  .superRefine((value, ctx) => checkRange(value, ctx, 3700));
export const listRollupsInput = z.strictObject({
  status: z.enum(WORKFLOW_STATUSES).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});
