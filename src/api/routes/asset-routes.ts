import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getCreative, listCreatives } from '../../operations/creatives';
import { listCustomAudiences } from '../../operations/custom-audiences';
import { listInstagramAccounts, listPages } from '../../operations/pages';
import { listPixels } from '../../operations/pixels';
import { pageOf } from '../../operations/schemas/common';
import { creativeRefInput, creativeView, listCreativesInput } from '../../operations/schemas/creatives';
import { customAudienceView, listCustomAudiencesInput } from '../../operations/schemas/custom-audiences';
import { instagramAccountView, listInstagramAccountsInput, listPagesInput, pageView } from '../../operations/schemas/pages';
import { listPixelsInput, pixelView } from '../../operations/schemas/pixels';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** Creatives, custom audiences, pixels, pages and Instagram accounts from the synced copy (`read`). */
export async function assetRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assets'];

  r.get(
    '/creatives',
    { schema: { tags, security, summary: 'List ad creatives, each with the ads that use it', querystring: listCreativesInput, response: { 200: pageOf(creativeView), ...errorResponses } } },
    (request) => listCreatives(ctx, actorOf(request), request.query),
  );
  r.get(
    '/creatives/:id',
    { schema: { tags, security, summary: 'Get an ad creative with the ads that use it', params: creativeRefInput, response: { 200: creativeView, ...errorResponses } } },
    (request) => getCreative(ctx, actorOf(request), request.params),
  );
  r.get(
    '/custom-audiences',
    {
      schema: {
        tags, security, summary: 'List custom audiences and lookalikes: size bounds, delivery and operation status', querystring: listCustomAudiencesInput, response: { 200: pageOf(customAudienceView), ...errorResponses },
      },
    },
    (request) => listCustomAudiences(ctx, actorOf(request), request.query),
  );
  r.get(
    '/pixels',
    { schema: { tags, security, summary: 'List pixels, with when each last fired', querystring: listPixelsInput, response: { 200: pageOf(pixelView), ...errorResponses } } },
    (request) => listPixels(ctx, actorOf(request), request.query),
  );
  r.get(
    '/pages',
    { schema: { tags, security, summary: 'List the Facebook pages your ad accounts can promote', querystring: listPagesInput, response: { 200: pageOf(pageView), ...errorResponses } } },
    (request) => listPages(ctx, actorOf(request), request.query),
  );
  r.get(
    '/instagram-accounts',
    { schema: { tags, security, summary: 'List the Instagram accounts of those pages', querystring: listInstagramAccountsInput, response: { 200: pageOf(instagramAccountView), ...errorResponses } } },
    (request) => listInstagramAccounts(ctx, actorOf(request), request.query),
  );
}
