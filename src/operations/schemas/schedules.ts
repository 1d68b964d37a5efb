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
  description: z.string().nullable().describe('What the schedule does (its note without the reason of a pause or resume)'),
  workflowType: z.string().nullable(),
  nextActionTimes: z.array(z.string()),
  recentActions: z.number(),
});
export const scheduleActionView = z.object({ scheduleId: z.string(), action: z.enum(['paused', 'unpaused', 'triggered', 'backfilled']) });
export const backfillScheduleView = scheduleActionView.extend({
  scheduledTimes: z.number().int().describe('Times the schedule would have fired in the range'),
  willStart: z.number().int().describe('Runs the backfill starts: one for an ad account schedule (its runs do not depend on their time), every time for a rollup schedule'),
  overlap: z.enum(['skip', 'buffer_all']).describe('skip: times that come while a run is going are dropped; buffer_all: runs one after another, never at once'),
});
