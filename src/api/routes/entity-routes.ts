import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getAd, getAdSet, getCampaign, listAds, listAdSets, listCampaigns } from '../../operations/entities';
import { getMetrics } from '../../operations/metrics';
import { pageOf } from '../../operations/schemas/common';
import { adSetView, adView, campaignView, entityRefInput, listAdSetsInput, listAdsInput, listCampaignsInput } from '../../operations/schemas/entities';
import { getMetricsInput, metricRowView } from '../../operations/schemas/metrics';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** Campaigns, ad sets, ads (from the PostgreSQL copy) and metrics. */
export async function entityRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['entities'];

  r.get('/campaigns', { schema: { tags, security, summary: 'List campaigns', querystring: listCampaignsInput, response: { 200: pageOf(campaignView), ...errorResponses } } }, (request) =>
    listCampaigns(ctx, actorOf(request), request.query),
  );
  r.get('/campaigns/:id', { schema: { tags, security, summary: 'Get a campaign', params: entityRefInput, response: { 200: campaignView, ...errorResponses } } }, (request) =>
    getCampaign(ctx, actorOf(request), request.params),
  );
  r.get('/ad-sets', { schema: { tags, security, summary: 'List ad sets', querystring: listAdSetsInput, response: { 200: pageOf(adSetView), ...errorResponses } } }, (request) =>
    listAdSets(ctx, actorOf(request), request.query),
  );
  r.get('/ad-sets/:id', { schema: { tags, security, summary: 'Get an ad set', params: entityRefInput, response: { 200: adSetView, ...errorResponses } } }, (request) =>
    getAdSet(ctx, actorOf(request), request.params),
  );
  r.get('/ads', { schema: { tags, security, summary: 'List ads', querystring: listAdsInput, response: { 200: pageOf(adView), ...errorResponses } } }, (request) => listAds(ctx, actorOf(request), request.query));
  r.get('/ads/:id', { schema: { tags, security, summary: 'Get an ad', params: entityRefInput, response: { 200: adView, ...errorResponses } } }, (request) => getAd(ctx, actorOf(request), request.params));
  r.get(
    '/metrics',
    { schema: { tags: ['metrics'], security, summary: 'Metrics by level, entity, grain and date range (money as decimal strings)', querystring: getMetricsInput, response: { 200: pageOf(metricRowView), ...errorResponses } } },
    (request) => getMetrics(ctx, actorOf(request), request.query),
  );
}
