/** Facebook Login (the OAuth connect flow): start, callback, grants. */
import { z } from 'zod';
import { adAccountIdSchema } from './common';

/** The permissions the service asks Meta for (Facebook Login for Business). */
export const META_OAUTH_SCOPES = ['ads_management', 'ads_read', 'business_management', 'leads_retrieval', 'pages_read_engagement', 'pages_manage_metadata'] as const;

export const oauthStartView = z.object({
  url: z.string().describe("Meta's consent dialog: send the person's browser there"),
  scopes: z.array(z.string()),
  redirectUri: z.string(),
  expiresAt: z.string().describe('The login must come back before this (10 minutes by default)'),
});

/**
 * What Meta appends to the redirect URI. Not strict: Meta may add parameters of its own
 * (`granted_scopes`, `error_code`, ...), which are ignored.
 */
export const oauthCallbackInput = z.object({
  state: z.string().min(1, 'state is missing: open the URL from GET /v1/meta/oauth/start').max(1024, 'state is too long'),
  code: z.string().min(1).max(2048).regex(/^[\x21-\x7e]+$/, 'code has characters a Meta code never has').optional(),
  error: z.string().max(200).optional(),
  error_reason: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
});

const grantIdSchema = z.uuid('expected a grant id (UUID)').describe('Facebook Login grant id (from the callback)');
export const oauthGrantRefInput = z.strictObject({ grantId: grantIdSchema });
export const connectOAuthGrantInput = z.strictObject({
  grantId: grantIdSchema,
  adAccountIds: z.array(adAccountIdSchema).min(1, 'name at least one ad account of the grant').max(200).refine((ids) => new Set(ids).size === ids.length, 'adAccountIds has duplicates'),
});

export const oauthGrantView = z.object({
  grantId: z.string(),
  tokenType: z.string().describe('USER (Facebook Login) or SYSTEM_USER (Business Manager)'),
  grantedScopes: z.array(z.string()),
  missingScopes: z.array(z.string()).describe('Permissions the service asked for that the person did not grant'),
  tokenExpiresAt: z.string().nullable().describe('When the long-lived token expires (null: never)'),
  dataAccessExpiresAt: z.string().nullable(),
  expiresAt: z.string().describe('Connect accounts with this grant before this'),
  adAccounts: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      accountStatus: z.number().nullable(),
      currency: z.string().nullable(),
      connection: z.enum(['available', 'connected_here', 'connected_elsewhere']).describe('connected_here: connecting it again replaces its token'),
    }),
  ),
});
