/** Custom audiences (lookalikes included) from the synced copy. */
import { z } from 'zod';
import { syncedListBase, optionalTimestamp, timestamp } from './synced-assets';

export const listCustomAudiencesInput = z.strictObject({
  ...syncedListBase(),
  subtype: z.string().regex(/^[A-Z_]{1,40}$/, 'expected a subtype such as CUSTOM, WEBSITE or LOOKALIKE').optional(),
});

/** Meta's `{code, description}` status objects. */
const audienceStatus = z.object({ code: z.number().nullable(), description: z.string().nullable() }).nullable();

export const customAudienceView = z.object({
  id: z.string(),
  adAccountId: z.string(),
  name: z.string().nullable(),
  subtype: z.string().nullable(),
  description: z.string().nullable(),
  approximateCountLowerBound: z.number().int().nullable().describe("Meta's estimate of the audience size: lower bound"),
  approximateCountUpperBound: z.number().int().nullable(),
  deliveryStatus: audienceStatus.describe('Whether ads can deliver to it (code 200: ready)'),
  operationStatus: audienceStatus.describe('State of its last operation (code 200: normal)'),
  retentionDays: z.number().int().nullable(),
  lookalikeSpec: z.unknown().describe("A lookalike's spec (origin, ratio, country), null otherwise"),
  originAudienceId: z.string().nullable(),
  timeCreated: optionalTimestamp,
  timeUpdated: optionalTimestamp,
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
