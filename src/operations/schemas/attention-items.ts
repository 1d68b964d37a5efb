/** Attention items: ad accounts whose Meta token needs a person (rejected, a scope withdrawn, expiring soon). */
import { z } from 'zod';
import { adAccountIdSchema } from './common';

export const attentionKindSchema = z.enum(['needs_reauth', 'scope_withdrawn', 'token_expiring']);

export const listAttentionItemsInput = z.strictObject({
  adAccountId: adAccountIdSchema.optional().describe('Only this ad account of the company'),
  kind: attentionKindSchema.optional().describe('Only items of this kind'),
});

export const tokenAttentionView = z.object({
  kind: attentionKindSchema.describe('needs_reauth: Meta rejected the token; scope_withdrawn: a required permission was withdrawn; token_expiring: it expires within 14 days of the last daily check'),
  message: z.string().describe('What to do'),
  tokenExpiresAt: z.string().nullable(),
  daysLeft: z.number().int().nullable().describe('Days from the last check to expiry (token_expiring only)'),
  missingScopes: z.array(z.string()).describe('The withdrawn permissions (scope_withdrawn only)'),
  checkedAt: z.string().nullable().describe('When the daily token check last asked Meta about this token'),
});

export const attentionItemView = tokenAttentionView.extend({
  adAccountId: z.string(),
  accountName: z.string().nullable(),
});

export const attentionItemsView = z.object({ data: z.array(attentionItemView).describe('One item per ad account that needs attention, by account id') });
