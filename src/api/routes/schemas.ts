import { z } from 'zod';

/** The one error shape, for OpenAPI. */
const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('Stable code, e.g. VALIDATION_ERROR, NOT_FOUND, UNAUTHENTICATED'),
    message: z.string(),
    requestId: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** Error responses every protected route may give. */
export const errorResponses = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const;

export const security = [{ bearerAuth: [] as string[] }];
