import type { FastifyInstance } from 'fastify';
import { getServiceInfo, getServiceStatus } from '../../operations/service-status';
import type { ServiceContext } from '../../operations/service-context';

/** /health (liveness, no checks), /info (what this is; where it listens only with a token), /status (real dependency checks). */
export async function serviceRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  app.get('/health', { config: { public: true } }, async () => ({ ok: true }));
  // Public, but internal addresses only for a valid token (a wrong one is a 401, as everywhere).
  app.get('/info', { config: { public: true } }, async (request) =>
    getServiceInfo(ctx, request.headers.authorization ? await app.authenticateRequest(request) : undefined),
  );
  app.get('/status', { config: { public: true } }, async (_request, reply) => {
    const status = await getServiceStatus(ctx);
    return reply.code(status.ok ? 200 : 503).send(status);
  });
}
