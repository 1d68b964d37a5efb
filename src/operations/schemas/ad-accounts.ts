/** Ad accounts: connect, list, read. */
import { z } from 'zod';
import { tokenAttentionView } from './attention-items';
import { adAccountIdSchema, booleanishSchema, companyIdSchema, cursorSchema, limitSchema } from './common';

export const listAdAccountsInput = z.strictObject({
  companyId: companyIdSchema.optional().describe('Defaults to the token\'s company'),
  includeDisconnected: booleanishSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(200, 50),
});
export const adAccountRefInput = z.strictObject({ adAccountId: adAccountIdSchema });
export const connectAdAccountInput = z.strictObject({
  companyId: companyIdSchema.optional().describe('Defaults to the token\'s company'),
  adAccountId: adAccountIdSchema,
  accessToken: z
    .string()
    .min(10, 'the access token is too short')
    .max(2048, 'the access token is too long')
    .regex(/^[\x21-\x7e]+$/, 'the access token has characters a Meta token never has')
    .describe('Meta access token with ads_read (and ads_management for writes); stored encrypted, never returned'),
});

export const adAccountView = z.object({
  id: z.string(),
  companyId: z.string(),
  name: z.string().nullable(),
  status: z.enum(['connected', 'needs_reauth', 'disconnected']),
  accountStatus: z.number().nullable().describe('Meta account_status (1 = active)'),
  currency: z.string().nullable(),
  timezoneName: z.string().nullable(),
  tokenStatus: z.string(),
  tokenType: z.string().nullable().describe('USER (a person, e.g. Facebook Login) or SYSTEM_USER (Business Manager), as Meta\'s debug_token said; null when unknown'),
  tokenExpiresAt: z.string().nullable().describe('When the stored Meta token expires (null: never, or unknown)'),
  tokenCheckedAt: z.string().nullable().describe("When the daily token check last asked Meta's debug_token about the token"),
  tokenMissingScopes: z.array(z.string()).describe('Required permissions the person withdrew (the account then needs re-authorisation)'),
  attention: tokenAttentionView.nullable().describe('What needs a person about the token (rejected, a permission withdrawn, expiring within 14 days); null when fine'),
  connectedAt: z.string(),
  disconnectedAt: z.string().nullable(),
  lastFullSyncAt: z.string().nullable(),
  lastIncrementalSyncAt: z.string().nullable(),
  lastMetricsSyncAt: z.string().nullable(),
});
