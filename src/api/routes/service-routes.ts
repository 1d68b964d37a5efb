import type { FastifyInstance } from 'fastify';
import { getServiceInfo, getServiceStatus } from '../../operations/service-status';
import type { ServiceContext } from '../../operations/service-context';

/** /health (liveness, no checks), /info (what this is), /status (real dependency checks). */
export async function serviceRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  app.get('/health', { config: { public: true } }, async () => ({ ok: true }));
  app.get('/info', { config: { public: true } }, async () => getServiceInfo(ctx));
  app.get('/status', { config: { public: true } }, async (_request, reply) => {
    const status = await getServiceStatus(ctx);
    return reply.code(status.ok ? 200 : 503).send(status);
  });
}
