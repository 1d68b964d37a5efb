import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getAudienceUpload, startAudienceUpload } from '../../operations/audience-uploads';
import { audienceIdSchema, audienceUploadStartView, audienceUploadView, audienceUsersBody } from '../../operations/schemas/audience-uploads';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** A customer list is larger than the API's default body limit: up to 64 MiB here. */
const LIST_BODY_LIMIT = 64 * 1024 * 1024;

/** Customer-list uploads to custom audiences (`write`) and their progress (`read`). */
export async function audienceRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audiences'];

  r.post(
    '/audiences/:id/users',
    {
      bodyLimit: LIST_BODY_LIMIT,
      schema: {
        tags,
        security,
        summary: 'Upload a customer list (write) to a CUSTOM audience: JSON rows with a schema, or CSV text with a header row (EMAIL, PHONE, FN, LN, EXTERN_ID). Values are normalised and SHA-256 hashed before anything is stored; starts meta-audience-upload:<uploadId> (202), which sends batches of at most 10,000 rows in one Meta session',
        params: z.strictObject({ id: audienceIdSchema }),
        body: audienceUsersBody,
        response: { 202: audienceUploadStartView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startAudienceUpload(ctx, actorOf(request), { ...request.body, audienceId: request.params.id }, { requestId: request.id })),
  );
  r.get(
    '/audience-uploads/:id',
    {
      schema: {
        tags, security, summary: "An upload: status, rows received and invalid (every invalid row's number and reason, never the value), batches sent, Meta's num_received and num_invalid_entries",
        params: z.strictObject({ id: z.uuid('expected an upload id (UUID)') }), response: { 200: audienceUploadView, ...errorResponses },
      },
    },
    (request) => getAudienceUpload(ctx, actorOf(request), { uploadId: request.params.id }),
  );
}
