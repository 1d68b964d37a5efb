import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { exportLeads } from '../../operations/lead-exports';
import { listLeadForms, listLeads } from '../../operations/leads';
import { pageOf } from '../../operations/schemas/common';
import { exportLeadsInput, leadFormView, leadView, listLeadFormsInput, listLeadsInput } from '../../operations/schemas/leads';
import { leadExportStream } from '../lead-export-stream';
import { z } from 'zod';
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
        tags, security, summary: "A lead form's leads, newest first, by creation time (needs the leads scope: the answers are personal data; every read is audited)", querystring: listLeadsInput, response: { 200: pageOf(leadView), ...errorResponses },
      },
    },
    (request) => listLeads(ctx, actorOf(request), request.query, { requestId: request.id }),
  );
  r.get(
    '/leads/export',
    {
      schema: {
        tags, security,
        summary: "Export a form's leads created in [from, to), newest first, streamed: CSV with Accept: text/csv (id, created_time, form_id, ad_id, then one column per question of the form in its order), else NDJSON (leads scope; audited with the row count)",
        querystring: exportLeadsInput,
        response: { 200: z.string().describe('text/csv or application/x-ndjson'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const format = /(^|,)\s*text\/csv\b/i.test(request.headers.accept ?? '') ? 'csv' : 'ndjson';
      const exported = await exportLeads(ctx, actorOf(request), request.query, { requestId: request.id, format });
      const body = leadExportStream(exported, format);
      const name = `leads-${exported.formId}.${format === 'csv' ? 'csv' : 'ndjson'}`;
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(body as unknown as string);
    },
  );
}
