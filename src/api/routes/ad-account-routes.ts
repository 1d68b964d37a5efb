import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectAdAccount, disconnectAdAccount, getAdAccount, listAdAccounts } from '../../operations/ad-accounts';
import type { ServiceContext } from '../../operations/service-context';
import { adAccountView, connectAdAccountInput, listAdAccountsInput } from '../../operations/schemas/ad-accounts';
import { adAccountIdSchema, companyIdSchema, pageOf } from '../../operations/schemas/common';
import { companySyncStartView, startCompanySyncInput, startSyncBody, syncStartView } from '../../operations/schemas/syncs';
import { startCompanySync, startSync } from '../../operations/syncs';
import { listAttentionItems } from '../../operations/attention-items';
import { attentionItemsView, listAttentionItemsInput } from '../../operations/schemas/attention-items';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

const accountParams = z.strictObject({ adAccountId: adAccountIdSchema });

/** Ad accounts (connect, list, get, disconnect) and the syncs started on them. */
export async function adAccountRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['ad accounts'];

  r.get('/ad-accounts', { schema: { tags, security, summary: 'List ad accounts of the company', querystring: listAdAccountsInput, response: { 200: pageOf(adAccountView), ...errorResponses } } }, (request) =>
    listAdAccounts(ctx, actorOf(request), request.query),
  );
  r.post(
    '/ad-accounts',
    { schema: { tags, security, summary: 'Connect an ad account (validates the token with Meta, stores it encrypted, schedules syncs)', body: connectAdAccountInput, response: { 201: adAccountView, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await connectAdAccount(ctx, actorOf(request), request.body, { requestId: request.id })),
  );
  r.get(
    '/attention-items',
    { schema: { tags, security, summary: "Ad accounts whose Meta token needs a person: rejected, a permission withdrawn, or expiring within 14 days (the daily token check's findings)", querystring: listAttentionItemsInput, response: { 200: attentionItemsView, ...errorResponses } } },
    (request) => listAttentionItems(ctx, actorOf(request), request.query),
  );
  r.get('/ad-accounts/:adAccountId', { schema: { tags, security, summary: 'Get an ad account', params: accountParams, response: { 200: adAccountView, ...errorResponses } } }, (request) =>
    getAdAccount(ctx, actorOf(request), request.params),
  );
  r.delete(
    '/ad-accounts/:adAccountId',
    { schema: { tags, security, summary: 'Disconnect an ad account (removes its token and schedules; data stays)', params: accountParams, response: { 200: adAccountView, ...errorResponses } } },
    (request) => disconnectAdAccount(ctx, actorOf(request), request.params, { requestId: request.id }),
  );
  r.post(
    '/ad-accounts/:adAccountId/syncs',
    {
      schema: {
        tags: ['syncs'],
        security,
        summary: 'Start a full, incremental or metrics sync (or hand the request to the running one, which adds what it asks; `attached` and `covers` say so)',
        params: accountParams,
        body: startSyncBody,
        response: { 202: syncStartView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startSync(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id })),
  );
  r.post(
    '/companies/:companyId/syncs',
    {
      schema: {
        tags: ['syncs'],
        security,
        summary: 'Start the company-wide sync over all its ad accounts (or hand the request to the running one, which adds the kinds and accounts it lacks; `attached` and `covers` say so)',
        params: z.strictObject({ companyId: companyIdSchema }),
        body: startCompanySyncInput.omit({ companyId: true }).nullish(),
        response: { 202: companySyncStartView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startCompanySync(ctx, actorOf(request), { ...(request.body ?? {}), ...request.params }, { requestId: request.id })),
  );
}
