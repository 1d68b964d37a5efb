/** Temporal schedules: list, pause, resume, trigger, backfill. */
import { z } from 'zod';
import { checkRange, cursorSchema, dateSchema, limitSchema, scheduleIdSchema } from './common';

export const listSchedulesInput = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema(200, 50) });
export const scheduleRefInput = z.strictObject({ scheduleId: scheduleIdSchema });
export const pauseScheduleInput = z.strictObject({ scheduleId: scheduleIdSchema, note: z.string().max(500).optional() });
export const backfillScheduleInput = z
  .strictObject({ scheduleId: scheduleIdSchema, from: dateSchema, to: dateSchema })
  .superRefine((value, ctx) => checkRange(value, ctx, 400));
export const scheduleView = z.object({
  scheduleId: z.string(),
  kind: z.string(),
  adAccountId: z.string().nullable(),
  scope: z.enum(['ad-account', 'global']),
  paused: z.boolean(),
  note: z.string().nullable(),
  workflowType: z.string().nullable(),
  nextActionTimes: z.array(z.string()),
  recentActions: z.number(),
});
export const scheduleActionView = z.object({ scheduleId: z.string(), action: z.enum(['paused', 'unpaused', 'triggered', 'backfilled']) });
