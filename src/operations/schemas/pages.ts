/** Facebook pages the ad accounts promote, and their Instagram accounts, from the synced copy. */
import { z } from 'zod';
import { metaObjectIdSchema } from './common';
import { optionalTimestamp, syncedListBase, timestamp } from './synced-assets';

export const listPagesInput = z.strictObject(syncedListBase());
export const listInstagramAccountsInput = z.strictObject({ ...syncedListBase(), pageId: metaObjectIdSchema.optional().describe('Only the accounts of this page') });

export const pageView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  category: z.string().nullable(),
  businessId: z.string().nullable(),
  adAccountIds: z.array(z.string()).describe('Your ad accounts that can promote the page'),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
export const instagramAccountView = z.object({
  id: z.string(),
  pageId: z.string().nullable(),
  username: z.string().nullable(),
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
