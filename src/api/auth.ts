import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError, UnauthenticatedError } from '../errors';
import type { Actor } from '../operations/actor';
import { authenticate } from '../operations/api-tokens';
import type { ServiceContext } from '../operations/service-context';
import { AuthFailureLimiter } from './auth-failure-limiter';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every non-public route. */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** No token needed (/health, /info, /status, /docs, /.well-known/oauth-protected-resource). */
    public?: boolean;
  }
  interface FastifyInstance {
    /**
     * The request's actor from its Authorization header: 401 for a missing or refused token,
     * 429 once the client's address has had API_AUTH_FAILURES_PER_MINUTE refused tokens this minute.
     */
    authenticateRequest(request: FastifyRequest): Promise<Actor>;
  }
}

/**
 * Every route needs a bearer token unless its config says `public`. Runs on `onRequest`, before
 * the body is read: an anonymous caller gets 401 without the service parsing anything. Refused
 * tokens are counted per address, so a flood of random tokens stops costing database lookups.
 */
export function installAuth(app: FastifyInstance, ctx: ServiceContext): void {
  const failures = new AuthFailureLimiter({ maxPerMinute: ctx.config.http.authFailuresPerMinute });
  app.decorate('authenticateRequest', async (request: FastifyRequest): Promise<Actor> => {
    const authorization = request.headers.authorization;
    // No credentials presented: a plain 401, nothing looked up, nothing counted.
    if (!authorization) return authenticate(ctx, authorization);
    const retryAfter = failures.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      throw new RateLimitedError(`Too many failed authentications from this address: at most ${failures.maxPerMinute} per minute; retry in ${retryAfter} s`, retryAfter);
    }
    try {
      return await authenticate(ctx, authorization);
    } catch (error) {
      if (error instanceof UnauthenticatedError) failures.recordFailure(request.ip);
      throw error;
    }
  });
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request) => {
    // Unknown routes answer 404 (no route to protect); public routes answer everyone.
    if (!request.routeOptions.url || request.routeOptions.config?.public || request.url.startsWith('/docs')) return;
    request.actor = await app.authenticateRequest(request);
  });
}

/** The authenticated actor of a request (the hook guarantees one on protected routes). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthenticatedError();
  return request.actor;
}
