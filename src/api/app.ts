import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../operations/service-context';
import { toErrorResponse } from './error-mapping';
import { serviceRoutes } from './routes/service-routes';

export interface BuildAppOptions {
  ctx: ServiceContext;
  /** A pino logger (tests pass one writing to a capture stream). @default pino at config.logLevel */
  logger?: FastifyBaseLogger;
}

/** Builds the HTTP app (not listening): `server.listen` is the entrypoint's job, `inject` the tests'. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { ctx } = options;
  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger }
      : { logger: { level: ctx.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] } }),
    bodyLimit: ctx.config.http.bodyLimitBytes,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  await app.register(helmet, { contentSecurityPolicy: false });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, request.id);
    if (status >= 500) request.log.error({ err: error, url: request.routeOptions.url }, 'request failed');
    else request.log.info({ code: body.error.code, url: request.routeOptions.url }, 'request rejected');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}`, requestId: request.id } });
  });
  await app.register(serviceRoutes, { ctx });
  return app;
}
