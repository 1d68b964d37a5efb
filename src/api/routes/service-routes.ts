import type { FastifyInstance } from 'fastify';
import { getServiceInfo, getServiceStatus } from '../../operations/service-status';
import type { ServiceContext } from '../../operations/service-context';

/** /health (liveness, no checks), /info (what this is; where it listens only with a token), /status (real dependency checks; with a token, the company's attention items). */
export async function serviceRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  app.get('/health', { config: { public: true } }, async () => ({ ok: true }));
  // Public, but internal addresses only for a valid token (a wrong one is a 401, as everywhere).
  app.get('/info', { config: { public: true } }, async (request) =>
    getServiceInfo(ctx, request.headers.authorization ? await app.authenticateRequest(request) : undefined),
  );
  // Public too; a valid token also gets its company's attention items (a wrong one is a 401).
  app.get('/status', { config: { public: true } }, async (request, reply) => {
    const status = await getServiceStatus(ctx, request.headers.authorization ? await app.authenticateRequest(request) : undefined);
    return reply.code(status.ok ? 200 : 503).send(status);
  });
}
