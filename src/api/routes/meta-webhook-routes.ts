import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { receiveMetaNotification, verifyWebhookSubscription, webhookVerificationInput } from '../../operations/meta-webhooks';
import type { ServiceContext } from '../../operations/service-context';
import { errorResponses } from './schemas';

/**
 * Meta's Webhooks callback URL. Public (Meta sends no bearer token): the handshake is
 * authenticated by the verify token, each notification by its signature over the raw body, so
 * this plugin keeps bodies as bytes instead of parsing JSON (a re-serialised body would not match).
 */
export async function metaWebhookRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];
  // Encapsulated: the rest of the app keeps its JSON parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  r.get(
    '/webhooks/meta',
    {
      config: { public: true },
      // The verify token travels in the URL: request logging stays below info so it never reaches a log line.
      logLevel: 'warn',
      schema: {
        tags,
        summary: "Meta's subscription handshake: echoes hub.challenge when hub.mode is subscribe and hub.verify_token is META_WEBHOOK_VERIFY_TOKEN (403 otherwise)",
        querystring: webhookVerificationInput,
        response: { 200: z.string().describe('hub.challenge, as text/plain'), ...errorResponses },
      },
    },
    async (request, reply) => reply.type('text/plain; charset=utf-8').send(verifyWebhookSubscription(ctx, request.query)),
  );
  r.post(
    '/webhooks/meta',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Meta's notifications (page `leadgen`): 403 unless X-Hub-Signature-256 signs the raw body with the app secret; each new lead starts one meta-lead:<leadgenId> workflow (a redelivery starts nothing)",
        response: { 200: z.literal('EVENT_RECEIVED').describe('text/plain'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const signature = request.headers['x-hub-signature-256'];
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      await receiveMetaNotification(ctx, { rawBody, signature: typeof signature === 'string' ? signature : undefined });
      return reply.code(200).type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
    },
  );
}
