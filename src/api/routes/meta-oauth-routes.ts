import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { completeMetaOAuth, connectMetaOAuthGrant, startMetaOAuth } from '../../operations/meta-oauth';
import { adAccountView } from '../../operations/schemas/ad-accounts';
import { connectOAuthGrantInput, oauthCallbackInput, oauthGrantRefInput, oauthGrantView, oauthStartView } from '../../operations/schemas/meta-oauth';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** Facebook Login: start (admin), Meta's callback (authenticated by `state`), connect a grant's accounts. */
export async function metaOAuthRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['facebook login'];

  r.get(
    '/meta/oauth/start',
    { schema: { tags, security, summary: "Start Facebook Login: Meta's dialog URL with a signed, single-use state (10 minutes) bound to this company and token (admin)", response: { 200: oauthStartView, ...errorResponses } } },
    (request) => startMetaOAuth(ctx, actorOf(request), { requestId: request.id }),
  );
  r.get(
    '/meta/oauth/callback',
    {
      // Meta redirects the browser here: no bearer token, `state` authenticates it. Request logging
      // stays below info so Meta's one-time code in the URL never reaches a log line.
      config: { public: true },
      logLevel: 'warn',
      schema: {
        tags,
        summary: "Facebook Login's redirect URI: checks state, exchanges the code server-side for a long-lived token (stored encrypted, never shown) and answers the grant: the ad accounts it reaches and the missing permissions",
        querystring: oauthCallbackInput,
        response: { 200: oauthGrantView, ...errorResponses },
      },
    },
    async (request) => {
      // A browser that also sends a bearer token must be of the state's company.
      const caller = request.headers.authorization ? await app.authenticateRequest(request) : undefined;
      return completeMetaOAuth(ctx, request.query, { caller, requestId: request.id });
    },
  );
  r.post(
    '/meta/oauth/grants/:grantId/connect',
    {
      schema: {
        tags,
        security,
        summary: "Connect chosen ad accounts of a Facebook Login grant, in one transaction (409 if another company holds one: nothing is connected); the company's accounts the login covers get the new token too (write)",
        params: oauthGrantRefInput,
        body: connectOAuthGrantInput.omit({ grantId: true }),
        response: { 201: z.object({ grantId: z.string(), connected: z.array(adAccountView), tokenReplaced: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await connectMetaOAuthGrant(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id })),
  );
}
