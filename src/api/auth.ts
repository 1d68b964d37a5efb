import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../errors';
import type { Actor } from '../operations/actor';
import { authenticate } from '../operations/api-tokens';
import type { ServiceContext } from '../operations/service-context';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every non-public route. */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** No token needed (/health, /info, /status, /docs). */
    public?: boolean;
  }
}

/**
 * Every route needs a bearer token unless its config says `public`. Runs on `onRequest`, before
 * the body is read: an anonymous caller gets 401 without the service parsing anything.
 */
export function installAuth(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request) => {
    // Unknown routes answer 404 (no route to protect); public routes answer everyone.
    if (!request.routeOptions.url || request.routeOptions.config?.public || request.url.startsWith('/docs')) return;
    request.actor = await authenticate(ctx, request.headers.authorization);
  });
}

/** The authenticated actor of a request (the hook guarantees one on protected routes). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthenticatedError();
  return request.actor;
}
