/** Pixels of the ad accounts from the synced copy. */
import { z } from 'zod';
import { optionalTimestamp, syncedListBase, timestamp } from './synced-assets';

export const listPixelsInput = z.strictObject(syncedListBase());

export const pixelView = z.object({
  id: z.string(),
  adAccountId: z.string(),
  name: z.string().nullable(),
  lastFiredTime: optionalTimestamp.describe('When the pixel last fired, as Meta reported at the last sync'),
  creationTime: optionalTimestamp,
  isUnavailable: z.boolean().nullable(),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
