import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getLimits, putLimits } from '../../operations/ad-account-limits';
import { limitsRefInput, limitsView, putLimitsInput } from '../../operations/schemas/ad-account-limits';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** The PUT body: the operation's input without the id (in the path); the operation checks the rest. */
const { adAccountId: _inPath, ...limitFields } = putLimitsInput.shape;
const putLimitsBody = z.strictObject(limitFields);

/** The write caps of an ad account: read with `read`, changed only with `admin`. */
export async function adAccountLimitRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['ad accounts'];

  r.get(
    '/ad-accounts/:adAccountId/limits',
    { schema: { tags, security, summary: "Write caps of an ad account every change-set preview checks, and Meta's minimum daily budgets for its currency", params: limitsRefInput, response: { 200: limitsView, ...errorResponses } } },
    (request) => getLimits(ctx, actorOf(request), request.params),
  );
  r.put(
    '/ad-accounts/:adAccountId/limits',
    {
      schema: {
        tags,
        security,
        summary: 'Set write caps of an ad account (admin): null removes a cap, an absent field keeps it',
        params: limitsRefInput,
        body: putLimitsBody,
        response: { 200: limitsView, ...errorResponses },
      },
    },
    (request) => putLimits(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id }),
  );
}
