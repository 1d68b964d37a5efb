import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRule, deleteRule, disableRule, enableRule, getRule, listRules, updateRule } from '../../operations/rules';
import { backtestRule, listRuleExecutions, previewRule, runRule } from '../../operations/rule-runs';
import {
  backtestRuleInput, backtestView, createdRuleView, createRuleInput, enableRuleInput, listRuleExecutionsInput, listRulesInput, ruleChangeView,
  ruleExecutionListView, ruleIdSchema, ruleListView, rulePreviewView, ruleView, runRuleView, updateRuleInput,
} from '../../operations/schemas/rules';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

const ruleParams = z.strictObject({ id: ruleIdSchema });
const ruleIdOf = (params: { id: string }) => ({ ruleId: params.id });

/**
 * Automated rules in Meta's vocabulary (`evaluation_spec`, `execution_spec`, `schedule_spec`):
 * create (disabled), read, change, enable and disable, preview, backtest, run now, history.
 */
export async function ruleRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['rules'];

  r.post(
    '/rules',
    {
      schema: {
        tags,
        security,
        summary: "Create a rule (write) in Meta's snake_case shapes, money in minor units; it is created DISABLED. A webhookUrl (NOTIFICATION rules) answers its signing secret once",
        body: createRuleInput,
        response: { 201: createdRuleView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createRule(ctx, actorOf(request), request.body, { requestId: request.id })),
  );
  r.get(
    '/rules',
    { schema: { tags, security, summary: "The company's rules, ours and those running on Meta (runsOn meta), newest first", querystring: listRulesInput, response: { 200: ruleListView, ...errorResponses } } },
    (request) => listRules(ctx, actorOf(request), request.query),
  );
  r.get('/rules/:id', { schema: { tags, security, summary: 'One rule, with its next evaluation times when enabled', params: ruleParams, response: { 200: ruleView, ...errorResponses } } }, (request) =>
    getRule(ctx, actorOf(request), ruleIdOf(request.params)),
  );
  r.patch(
    '/rules/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a rule (write). An enabled rule whose new specs can raise spend or turn delivery on changes only with confirmSpecHash equal to the new specHash; without it nothing changes and confirmation.state is "required"',
        params: ruleParams,
        body: updateRuleInput.omit({ ruleId: true }),
        response: { 200: ruleChangeView, ...errorResponses },
      },
    },
    (request) => updateRule(ctx, actorOf(request), { ...request.body, ...ruleIdOf(request.params) }, { requestId: request.id }),
  );
  r.delete(
    '/rules/:id',
    { schema: { tags, security, summary: 'Delete a rule (write): DELETED and its schedule removed; its executions and matches are kept', params: ruleParams, response: { 200: ruleView, ...errorResponses } } },
    (request) => deleteRule(ctx, actorOf(request), ruleIdOf(request.params), { requestId: request.id }),
  );
  r.post(
    '/rules/:id/enable',
    {
      schema: {
        tags,
        security,
        summary: 'Enable a rule (write): its Temporal Schedule starts ticking in the ad account time zone. A rule that can raise spend or turn delivery on needs confirmSpecHash (the specHash you reviewed); without it nothing changes and confirmation.state is "required"',
        params: ruleParams,
        body: enableRuleInput.omit({ ruleId: true }).nullish(),
        response: { 200: ruleChangeView, ...errorResponses },
      },
    },
    (request) => enableRule(ctx, actorOf(request), { ...(request.body ?? {}), ...ruleIdOf(request.params) }, { requestId: request.id }),
  );
  r.post(
    '/rules/:id/disable',
    { schema: { tags, security, summary: 'Disable a rule (write): its schedule is removed; history stays', params: ruleParams, response: { 200: ruleView, ...errorResponses } } },
    (request) => disableRule(ctx, actorOf(request), ruleIdOf(request.params), { requestId: request.id }),
  );
  r.post(
    '/rules/:id/preview',
    {
      schema: {
        tags,
        security,
        summary: 'What the rule matches now and the change set it would make (before → after). Nothing is sent to Meta; only the preview execution is recorded',
        params: ruleParams,
        response: { 200: rulePreviewView, ...errorResponses },
      },
    },
    (request) => previewRule(ctx, actorOf(request), ruleIdOf(request.params)),
  );
  r.post(
    '/rules/:id/backtest',
    {
      schema: {
        tags,
        security,
        summary:
          'The rule at each tick of its schedule over [from, to] of stored history, with cooldown and count limits: when it would have fired, on which objects, their spend afterwards. Short ranges answer inline (200); long ones start ruleBacktestWorkflow (202, its workflowId; results under executions?backtestId=). Nothing is sent to Meta',
        params: ruleParams,
        body: backtestRuleInput.omit({ ruleId: true }),
        response: { 200: backtestView, 202: backtestView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await backtestRule(ctx, actorOf(request), { ...request.body, ...ruleIdOf(request.params) }, { requestId: request.id });
      return reply.code(result.mode === 'workflow' ? 202 : 200).send(result);
    },
  );
  r.post(
    '/rules/:id/run',
    {
      schema: {
        tags,
        security,
        summary: 'Evaluate the rule now and act (write): starts ruleEvaluationWorkflow and answers its workflowId; actions run as a change set',
        params: ruleParams,
        response: { 202: runRuleView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await runRule(ctx, actorOf(request), ruleIdOf(request.params), { requestId: request.id })),
  );
  r.get(
    '/rules/:id/executions',
    {
      schema: {
        tags,
        security,
        summary: "The rule's evaluations (scheduled, manual, preview, backtest), newest first, each with its matched objects and the values that matched",
        params: ruleParams,
        querystring: listRuleExecutionsInput.omit({ ruleId: true }),
        response: { 200: ruleExecutionListView, ...errorResponses },
      },
    },
    (request) => listRuleExecutions(ctx, actorOf(request), { ...request.query, ...ruleIdOf(request.params) }),
  );
}
