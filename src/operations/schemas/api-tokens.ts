/** API tokens: create, list, revoke. */
import { z } from 'zod';
import { ALL_SCOPES, COMPANY_SCOPES, Scope } from '../actor';
import { cursorSchema, limitSchema } from './common';

/** Any scope a token may hold: what `npm run token:create` accepts. */
export const scopeSchema = z.enum(ALL_SCOPES as [string, ...string[]]);
/** A scope the API may grant: `operator` (global schedules, every tenant) only comes from the CLI. */
export const companyScopeSchema = z.enum(COMPANY_SCOPES as [string, ...string[]], {
  error: (issue) =>
    issue.input === Scope.Operator
      ? 'the operator scope is granted only by `npm run token:create` on the service host, never through the API'
      : `expected one of ${COMPANY_SCOPES.join(', ')}`,
});
export const createApiTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('What the token is for'),
  scopes: z.array(companyScopeSchema).min(1).max(COMPANY_SCOPES.length).refine((s) => new Set(s).size === s.length, 'scopes must not repeat').describe(`${COMPANY_SCOPES.join(', ')} (leads: the personal data of leads)`),
  expiresAt: z.iso.datetime({ offset: true, error: 'expected an ISO time such as 2027-01-31T00:00:00Z' }).optional().describe('When the token stops working (in the future, at most 2 years away); never, when left out'),
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
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export const createdApiTokenView = apiTokenView.extend({ token: z.string().describe('Shown once; only a hash is stored') });
