import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * /docs (Swagger UI) and /docs/json (the OpenAPI document @fastify/swagger builds from the routes'
 * zod schemas), served by @fastify/swagger-ui. Public: the auth hook lets /docs through.
 */
export async function docsRoutes(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: false }, staticCSP: false });
}
