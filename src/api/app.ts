import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { hashApiToken } from '../operations/api-tokens';
import { parseBearerToken } from '../operations/bearer-token';
import type { ServiceContext } from '../operations/service-context';
import { installAuth } from './auth';
import { isMcpRequest, mcpChallenge, NO_OAUTH_HINT } from './auth-challenge';
import { docsRoutes } from './docs';
import { ErrorCode, RateLimitedError } from '../errors';
import { toErrorResponse } from './error-mapping';
import { accountHistoryRoutes } from './routes/account-history-routes';
import { adAccountLimitRoutes } from './routes/ad-account-limit-routes';
import { adAccountRoutes } from './routes/ad-account-routes';
import { adminRoutes } from './routes/admin-routes';
import { assetRoutes } from './routes/asset-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { changeSetRoutes } from './routes/change-set-routes';
import { companyRoutes } from './routes/company-routes';
import { entityRoutes } from './routes/entity-routes';
import { leadRoutes } from './routes/lead-routes';
import { mcpRoutes } from './routes/mcp-routes';
import { objectCreateRoutes } from './routes/object-create-routes';
import { reportRoutes } from './routes/report-routes';
import { ruleRoutes } from './routes/rule-routes';
import { serviceRoutes } from './routes/service-routes';
import { workflowRoutes } from './routes/workflow-routes';

export interface BuildAppOptions {
  ctx: ServiceContext;
  /** A pino logger (tests pass one writing to a capture stream). @default pino at config.logLevel */
  logger?: FastifyBaseLogger;
}

/** Header and body paths that may carry secrets; the logger never prints them. */
const LOG_REDACT_PATHS = ['req.headers.authorization', 'req.headers.cookie', '*.accessToken', '*.access_token', '*.token', 'body', 'req.body'];

/** Builds the HTTP app (not listening): `server.listen` is the entrypoint's job, `inject` the tests'. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { ctx } = options;
  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger }
      : { logger: { level: ctx.config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } } }),
    bodyLimit: ctx.config.http.bodyLimitBytes,
    // A client that trickles its request in is cut off (408) instead of holding a socket forever.
    requestTimeout: ctx.config.timeouts.httpRequestMs,
    // Workflow ids may be 255 characters long.
    routerOptions: { maxParamLength: 300 },
    // Router-level failures (bad URL encoding, over-long parameters) in the one error shape too.
    frameworkErrors: (error, request, reply) => {
      const { status, body } = toErrorResponse(error, request.id);
      void (reply as unknown as { code(n: number): { header(k: string, v: string): { send(b: unknown): void } } }).code(status >= 500 ? 400 : status).header('x-request-id', request.id).send(body);
    },
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  acceptEmptyJsonBodies(app);

  await app.register(helmet, { contentSecurityPolicy: false });
  // Per token, else per address: runs before authentication. The key is the token as
  // authentication reads it (parseBearerToken), so `bearer`, `BEARER` or extra spaces are the same
  // token, not a fresh budget; a header that is no well-formed token counts against the address.
  // Random well-formed tokens (a fresh key each) are stopped by the failed-authentication limit (auth.ts).
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.http.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const token = parseBearerToken(request.headers.authorization);
      return token ? `t:${hashApiToken(token).slice(0, 32)}` : `ip:${request.ip}`;
    },
    allowList: (request) => request.url === '/health',
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: 'RATE_LIMITED', message: `Too many requests: at most ${context.max} per minute; retry in ${context.after}` }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Meta Ads orchestrator', version: ctx.config.version, description: 'HTTP API of the Meta Ads orchestration service. Every route but /health, /info, /status, /docs and /.well-known/oauth-protected-resource needs `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  answerWithinTimeout(app, ctx.config.timeouts.httpRequestMs);
  installAuth(app, ctx);
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, request.id);
    if (status >= 500) request.log.error({ err: error, url: request.routeOptions.url }, 'request failed');
    else request.log.info({ code: body.error.code, url: request.routeOptions.url }, 'request rejected');
    if (status === 401 && isMcpRequest(request)) {
      // MCP clients read the challenge to find how to authenticate: point them at the static token.
      reply.header('www-authenticate', mcpChallenge(request, body.error.message));
      body.error.message = `${body.error.message}. ${NO_OAUTH_HINT}`;
    } else if (status === 401) reply.header('www-authenticate', 'Bearer');
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`, requestId: request.id } });
  });
  await app.register(serviceRoutes, { ctx });
  await app.register(docsRoutes);
  await app.register(
    async (v1) => {
      await v1.register(adAccountRoutes, { ctx });
      await v1.register(workflowRoutes, { ctx });
      await v1.register(entityRoutes, { ctx });
      await v1.register(adminRoutes, { ctx });
      await v1.register(changeSetRoutes, { ctx });
      await v1.register(objectCreateRoutes, { ctx });
      await v1.register(adAccountLimitRoutes, { ctx });
      await v1.register(ruleRoutes, { ctx });
      await v1.register(reportRoutes, { ctx });
      await v1.register(assetRoutes, { ctx });
      await v1.register(leadRoutes, { ctx });
      await v1.register(catalogRoutes, { ctx });
      await v1.register(accountHistoryRoutes, { ctx });
      await v1.register(companyRoutes, { ctx });
    },
    { prefix: '/v1' },
  );
  await app.register(mcpRoutes, { ctx });
  return app;
}

/**
 * A POST with `Content-Type: application/json` and no body (what many clients send for an action
 * like cancel or pause) means "no body": routes whose body is optional accept it, the others say
 * which body they need. Non-empty bodies keep Fastify's own parser (prototype poisoning refused).
 */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, String(body), done);
  });
}

/**
 * A backstop behind the database and Temporal deadlines (which answer first, naming the
 * dependency): a request not answered within `timeoutMs` gets 503 instead of waiting forever.
 * Hijacked replies (MCP streams its own answer, and may wait for a workflow) are left alone.
 */
function answerWithinTimeout(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      request.log.error({ url: request.routeOptions.url, timeoutMs }, 'request not answered in time');
      void reply
        .code(503)
        .send({ error: { code: ErrorCode.Unavailable, message: `No answer within ${timeoutMs} ms: a dependency is slow (see /status); try again shortly`, requestId: request.id } });
    }, timeoutMs);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
    reply.raw.once('finish', () => clearTimeout(timer));
  });
}
