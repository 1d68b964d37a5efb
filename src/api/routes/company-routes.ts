import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createCompany, createCompanyToken, deactivateCompany, getCompany, listCompanies, reactivateCompany, renameCompany } from '../../operations/companies';
import { createApiTokenInput, createdApiTokenView } from '../../operations/schemas/api-tokens';
import { pageOf } from '../../operations/schemas/common';
import { companyRefInput, companyView, createCompanyInput, deactivatedCompanyView, listCompaniesInput, reactivatedCompanyView, renameCompanyInput } from '../../operations/schemas/companies';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

const OPERATOR = '(operator scope; a company token gets 403, or 404 for a named company)';

/** Companies: the operator's routes (the `operator` scope comes from `npm run token:create` only). */
export async function companyRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['companies'];

  r.post('/companies', { schema: { tags, security, summary: `Create a company ${OPERATOR}`, body: createCompanyInput, response: { 201: companyView, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await createCompany(ctx, actorOf(request), request.body, { requestId: request.id })),
  );
  r.get('/companies', { schema: { tags, security, summary: `List companies ${OPERATOR}`, querystring: listCompaniesInput, response: { 200: pageOf(companyView), ...errorResponses } } }, (request) =>
    listCompanies(ctx, actorOf(request), request.query),
  );
  r.get('/companies/:companyId', { schema: { tags, security, summary: `One company ${OPERATOR}`, params: companyRefInput, response: { 200: companyView, ...errorResponses } } }, (request) =>
    getCompany(ctx, actorOf(request), request.params),
  );
  r.patch(
    '/companies/:companyId',
    { schema: { tags, security, summary: `Rename a company ${OPERATOR}`, params: companyRefInput, body: renameCompanyInput.omit({ companyId: true }), response: { 200: companyView, ...errorResponses } } },
    (request) => renameCompany(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id }),
  );
  r.post(
    '/companies/:companyId/deactivate',
    {
      schema: {
        tags,
        security,
        summary: `Deactivate a company: its tokens answer 401 and its running schedules (ad account syncs, rules) are paused; idempotent ${OPERATOR}`,
        params: companyRefInput,
        response: { 200: deactivatedCompanyView, ...errorResponses },
      },
    },
    (request) => deactivateCompany(ctx, actorOf(request), request.params, { requestId: request.id }),
  );
  r.post(
    '/companies/:companyId/reactivate',
    { schema: { tags, security, summary: `Reactivate a company: its tokens work again and the schedules its deactivation paused resume (only those) ${OPERATOR}`, params: companyRefInput, response: { 200: reactivatedCompanyView, ...errorResponses } } },
    (request) => reactivateCompany(ctx, actorOf(request), request.params, { requestId: request.id }),
  );
  r.post(
    '/companies/:companyId/tokens',
    { schema: { tags, security, summary: `Create a token for a company, e.g. its first admin (company scopes only); shown once ${OPERATOR}`, params: companyRefInput, body: createApiTokenInput, response: { 201: createdApiTokenView, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await createCompanyToken(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id })),
  );
}
