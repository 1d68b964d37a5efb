/** API tokens: create, list, revoke. */
import { z } from 'zod';
import { ALL_SCOPES } from '../actor';
import { cursorSchema, limitSchema } from './common';

export const scopeSchema = z.enum(ALL_SCOPES as [string, ...string[]]);
export const createApiTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('What the token is for'),
  scopes: z.array(scopeSchema).min(1).max(4).refine((s) => new Set(s).size === s.length, 'scopes must not repeat').describe('read, sync, write, admin'),
});
export const tokenIdInput = z.strictObject({ tokenId: z.uuid('expected a token id (UUID)') });
export const listApiTokensInput = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema(200, 50) });

export const apiTokenView = z.object({
  id: z.string(),
  companyId: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const createdApiTokenView = apiTokenView.extend({ token: z.string().describe('Shown once; only a hash is stored') });
