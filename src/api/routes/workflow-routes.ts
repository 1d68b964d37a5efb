import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listRollupRuns, runRollup } from '../../operations/rollups';
import { pageOf } from '../../operations/schemas/common';
import { listRollupsInput, runRollupInput } from '../../operations/schemas/rollups';
import { cancelWorkflowView, listWorkflowsInput, workflowRefInput, workflowStartView, workflowStatusView, workflowSummaryView } from '../../operations/schemas/workflows';
import type { ServiceContext } from '../../operations/service-context';
import { cancelWorkflow, getWorkflowStatus, listWorkflows } from '../../operations/workflows';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** Workflow status, listing and cancellation; rollup runs. */
export async function workflowRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['workflows'];

  r.get('/workflows', { schema: { tags, security, summary: 'List workflows (Temporal visibility) by ad account, kind and status', querystring: listWorkflowsInput, response: { 200: pageOf(workflowSummaryView), ...errorResponses } } }, (request) =>
    listWorkflows(ctx, actorOf(request), request.query),
  );
  r.get('/workflows/:workflowId', { schema: { tags, security, summary: 'Status, progress, times and failure of a workflow', params: workflowRefInput, response: { 200: workflowStatusView, ...errorResponses } } }, (request) =>
    getWorkflowStatus(ctx, actorOf(request), request.params),
  );
  r.post(
    '/workflows/:workflowId/cancel',
    { schema: { tags, security, summary: 'Request cancellation of a running workflow', params: workflowRefInput, response: { 202: cancelWorkflowView, ...errorResponses } } },
    async (request, reply) => reply.code(202).send(await cancelWorkflow(ctx, actorOf(request), request.params, { requestId: request.id })),
  );
  r.post(
    '/rollups',
    { schema: { tags: ['rollups'], security, summary: 'Recompute rollups for a window (backfill); a repeated request returns the running one', body: runRollupInput, response: { 202: workflowStartView, ...errorResponses } } },
    async (request, reply) => reply.code(202).send(await runRollup(ctx, actorOf(request), request.body, { requestId: request.id })),
  );
  r.get('/rollups', { schema: { tags: ['rollups'], security, summary: 'Rollup runs of the company', querystring: listRollupsInput, response: { 200: pageOf(workflowSummaryView), ...errorResponses } } }, (request) =>
    listRollupRuns(ctx, actorOf(request), request.query),
  );
}
