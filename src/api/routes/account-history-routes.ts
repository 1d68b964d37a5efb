import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getObjectChangeHistory, listChangeHistory } from '../../operations/change-history';
import { listMetaRules } from '../../operations/meta-rules';
import { getRateLimitState } from '../../operations/rate-limits';
import {
  adAccountRefInput, changeHistoryView, listChangeHistoryInput, listMetaRulesInput, listSyncRunsInput, objectChangeHistoryParams, objectChangeHistoryQuery, rateLimitStateView, syncRunView,
} from '../../operations/schemas/account-history';
import { pageOf } from '../../operations/schemas/common';
import { ruleListView } from '../../operations/schemas/rules';
import type { ServiceContext } from '../../operations/service-context';
import { listSyncRuns } from '../../operations/sync-runs';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

const { adAccountId: _metaRulesAccount, ...metaRulesQuery } = listMetaRulesInput.shape;
const { adAccountId: _syncRunsAccount, ...syncRunsQuery } = listSyncRunsInput.shape;

/** What happened to an account and its objects: change history, sync runs, rate limits and Meta's own rules (`read`). */
export async function accountHistoryRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['history'];

  r.get(
    '/change-history',
    {
      schema: {
        tags, security, summary: 'Changes of campaigns, ad sets and ads, newest first: seen by a sync or made here (source, actor), by account, object, field and time', querystring: listChangeHistoryInput, response: { 200: pageOf(changeHistoryView), ...errorResponses },
      },
    },
    (request) => listChangeHistory(ctx, actorOf(request), request.query),
  );
  r.get(
    '/change-history/:entityId',
    {
      schema: {
        tags, security, summary: 'The change history of one campaign, ad set or ad, newest first', params: objectChangeHistoryParams, querystring: objectChangeHistoryQuery, response: { 200: pageOf(changeHistoryView), ...errorResponses },
      },
    },
    (request) => getObjectChangeHistory(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
  r.get(
    '/ad-accounts/:adAccountId/sync-runs',
    {
      schema: {
        tags, security, summary: 'Sync runs of an ad account, newest first: kind, status, counts and errors', params: adAccountRefInput, querystring: z.strictObject(syncRunsQuery), response: { 200: pageOf(syncRunView), ...errorResponses },
      },
    },
    (request) => listSyncRuns(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
  r.get(
    '/ad-accounts/:adAccountId/rate-limits',
    { schema: { tags, security, summary: "An ad account's rate-limit state: the latest usage Meta reported per header, and until when Meta throttles it", params: adAccountRefInput, response: { 200: rateLimitStateView, ...errorResponses } } },
    (request) => getRateLimitState(ctx, actorOf(request), request.params),
  );
  r.get(
    '/ad-accounts/:adAccountId/meta-rules',
    {
      schema: {
        tags, security, summary: "Meta's own automated rules of an ad account (its adrules_library, as the full sync read it; they run on Meta)", params: adAccountRefInput, querystring: z.strictObject(metaRulesQuery), response: { 200: ruleListView, ...errorResponses },
      },
    },
    (request) => listMetaRules(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
}
