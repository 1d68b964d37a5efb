import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../operations/api-tokens';
import { backfillSchedule, listSchedules, pauseSchedule, triggerSchedule, unpauseSchedule } from '../../operations/schedules';
import { apiTokenView, createApiTokenInput, createdApiTokenView, listApiTokensInput, tokenIdInput } from '../../operations/schemas/api-tokens';
import { dateSchema, pageOf, scheduleIdSchema } from '../../operations/schemas/common';
import { listSchedulesInput, scheduleActionView, scheduleView } from '../../operations/schemas/schedules';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

const scheduleParams = z.strictObject({ scheduleId: scheduleIdSchema });
const noteBody = z.strictObject({ note: z.string().max(500).optional() }).nullish();

/** API tokens (admin) and schedules. */
export async function adminRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/tokens',
    { schema: { tags: ['tokens'], security, summary: 'Create an API token for the company (admin); the token is shown once', body: createApiTokenInput, response: { 201: createdApiTokenView, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await createApiToken(ctx, actorOf(request), request.body, { requestId: request.id })),
  );
  r.get('/tokens', { schema: { tags: ['tokens'], security, summary: 'List API tokens (admin)', querystring: listApiTokensInput, response: { 200: pageOf(apiTokenView), ...errorResponses } } }, (request) =>
    listApiTokens(ctx, actorOf(request), request.query),
  );
  r.delete('/tokens/:tokenId', { schema: { tags: ['tokens'], security, summary: 'Revoke an API token (admin)', params: tokenIdInput, response: { 200: apiTokenView, ...errorResponses } } }, (request) =>
    revokeApiToken(ctx, actorOf(request), request.params, { requestId: request.id }),
  );

  const tags = ['schedules'];
  r.get('/schedules', { schema: { tags, security, summary: 'List schedules', querystring: listSchedulesInput, response: { 200: pageOf(scheduleView), ...errorResponses } } }, (request) =>
    listSchedules(ctx, actorOf(request), request.query),
  );
  r.post('/schedules/:scheduleId/pause', { schema: { tags, security, summary: 'Pause a schedule', params: scheduleParams, body: noteBody, response: { 200: scheduleActionView, ...errorResponses } } }, (request) =>
    pauseSchedule(ctx, actorOf(request), { ...(request.body ?? {}), ...request.params }, { requestId: request.id }),
  );
  r.post('/schedules/:scheduleId/unpause', { schema: { tags, security, summary: 'Resume a paused schedule', params: scheduleParams, body: noteBody, response: { 200: scheduleActionView, ...errorResponses } } }, (request) =>
    unpauseSchedule(ctx, actorOf(request), { ...(request.body ?? {}), ...request.params }, { requestId: request.id }),
  );
  r.post('/schedules/:scheduleId/trigger', { schema: { tags, security, summary: 'Run a schedule\'s action now', params: scheduleParams, response: { 200: scheduleActionView, ...errorResponses } } }, (request) =>
    triggerSchedule(ctx, actorOf(request), request.params, { requestId: request.id }),
  );
  r.post(
    '/schedules/:scheduleId/backfill',
    { schema: { tags, security, summary: 'Run a schedule for every time it would have fired between two dates', params: scheduleParams, body: z.strictObject({ from: dateSchema, to: dateSchema }), response: { 200: scheduleActionView, ...errorResponses } } },
    (request) => backfillSchedule(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id }),
  );
}
