import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelChangeSet, confirmChangeSet } from '../../operations/change-set-apply';
import { previewChangeSet } from '../../operations/change-set-preview';
import { getChangeSet, listChangeSets } from '../../operations/change-sets';
import {
  cancelChangeSetView, changeSetPreviewView, confirmChangeSetView, changeSetRefInput, changeSetSummaryView, changeSetView, confirmChangeSetInput, getChangeSetInput, listChangeSetsInput, previewChangeSetInput,
} from '../../operations/schemas/change-sets';
import { pageOf } from '../../operations/schemas/common';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** The query of GET /change-sets/{id}: the read input without the id (which is in the path). */
const changeSetQuery = z.strictObject({ itemStatus: getChangeSetInput.shape.itemStatus, itemsCursor: getChangeSetInput.shape.itemsCursor, itemsLimit: getChangeSetInput.shape.itemsLimit });

/** Change sets: preview (and confirm in one call when it only lowers spend), confirm, cancel, read, list. */
export async function changeSetRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['change sets'];

  r.post(
    '/change-sets',
    {
      schema: {
        tags,
        security,
        summary: 'Preview a change set (write): items by id, or a selection with the fields to set. Nothing is sent to Meta; the answer has planHash, expiresAt, before → after, totals and violations',
        description:
          '`dryRun` defaults to true. `confirm: true` (or `dryRun: false`) also confirms a set that only lowers spend (pauses, budget decreases); anything that turns delivery on, raises spend or archives answers `confirmation.state: "required"` and needs POST /v1/change-sets/{id}/confirm with the planHash.',
        body: previewChangeSetInput,
        response: { 201: changeSetPreviewView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await previewChangeSet(ctx, actorOf(request), request.body, { requestId: request.id, source: 'api' })),
  );
  r.post(
    '/change-sets/:changeSetId/confirm',
    {
      schema: {
        tags,
        security,
        summary: 'Confirm a previewed change set with its planHash, before it expires (write); answers the workflow that applies it. A repeated confirm answers the same workflow',
        params: changeSetRefInput,
        body: z.strictObject({ planHash: confirmChangeSetInput.shape.planHash }),
        response: { 202: confirmChangeSetView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await confirmChangeSet(ctx, actorOf(request), { ...request.body, ...request.params }, { requestId: request.id })),
  );
  r.post(
    '/change-sets/:changeSetId/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel a change set (write): an unconfirmed set ends canceled; one being applied stops before its next chunk and items not sent yet are canceled',
        params: changeSetRefInput,
        response: { 200: cancelChangeSetView, ...errorResponses },
      },
    },
    (request) => cancelChangeSet(ctx, actorOf(request), request.params, { requestId: request.id }),
  );
  r.get(
    '/change-sets/:changeSetId',
    {
      schema: { tags, security, summary: 'A change set: summary, counts per outcome, a page of items (before → after, outcome) and its workflow status', params: changeSetRefInput, querystring: changeSetQuery, response: { 200: changeSetView, ...errorResponses } },
    },
    (request) => getChangeSet(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
  r.get(
    '/change-sets',
    { schema: { tags, security, summary: 'Change sets of the company, newest first (optionally of one ad account or status)', querystring: listChangeSetsInput, response: { 200: pageOf(changeSetSummaryView), ...errorResponses } } },
    (request) => listChangeSets(ctx, actorOf(request), request.query),
  );
}
