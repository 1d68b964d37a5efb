import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listLeadForms, listLeads } from '../../operations/leads';
import { pageOf } from '../../operations/schemas/common';
import { leadFormView, leadView, listLeadFormsInput, listLeadsInput } from '../../operations/schemas/leads';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** Lead forms (`read`) and their leads (`leads`: personal data). */
export async function leadRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['leads'];

  r.get(
    '/lead-forms',
    { schema: { tags, security, summary: "List lead forms of your ad accounts' pages, with Meta's and the stored lead counts", querystring: listLeadFormsInput, response: { 200: pageOf(leadFormView), ...errorResponses } } },
    (request) => listLeadForms(ctx, actorOf(request), request.query),
  );
  r.get(
    '/leads',
    {
      schema: {
        tags, security, summary: "A lead form's leads, newest first, by creation time (needs the leads scope: the answers are personal data)", querystring: listLeadsInput, response: { 200: pageOf(leadView), ...errorResponses },
      },
    },
    (request) => listLeads(ctx, actorOf(request), request.query),
  );
}
