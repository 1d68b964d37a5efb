import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createAd, createAdSet, createCampaign } from '../../operations/object-creates';
import { changeSetPreviewView } from '../../operations/schemas/change-sets';
import { createAdInput, createAdSetInput, createCampaignInput } from '../../operations/schemas/object-creates';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

const confirmNote = 'Nothing is sent to Meta: the answer is a one-item change-set preview; POST /v1/change-sets/{changeSetId}/confirm with its planHash creates the object, always PAUSED.';

/** Creates of campaigns, ad sets and ads (from an existing creative), through the change-set preview and confirm. */
export async function objectCreateRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['change sets'];
  const response = { 201: changeSetPreviewView, ...errorResponses };

  r.post('/campaigns', { schema: { tags, security, summary: 'Preview a new campaign (write); confirm it to create it PAUSED', description: confirmNote, body: createCampaignInput, response } }, async (request, reply) =>
    reply.code(201).send(await createCampaign(ctx, actorOf(request), request.body, { requestId: request.id, source: 'api' })),
  );
  r.post('/ad-sets', { schema: { tags, security, summary: 'Preview a new ad set under a campaign (write); confirm it to create it PAUSED', description: confirmNote, body: createAdSetInput, response } }, async (request, reply) =>
    reply.code(201).send(await createAdSet(ctx, actorOf(request), request.body, { requestId: request.id, source: 'api' })),
  );
  r.post('/ads', { schema: { tags, security, summary: 'Preview a new ad from an existing creative (write); confirm it to create it PAUSED', description: confirmNote, body: createAdInput, response } }, async (request, reply) =>
    reply.code(201).send(await createAd(ctx, actorOf(request), request.body, { requestId: request.id, source: 'api' })),
  );
}
