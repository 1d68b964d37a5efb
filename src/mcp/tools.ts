import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import type { Actor } from '../operations/actor';
import { getAdAccount, listAdAccounts } from '../operations/ad-accounts';
import { getCampaign, listAds, listAdSets, listCampaigns } from '../operations/entities';
import { getMetrics } from '../operations/metrics';
import { runRollup } from '../operations/rollups';
import { listSchedules, pauseSchedule, unpauseSchedule } from '../operations/schedules';
import * as s from '../operations/schemas';
import type { ServiceContext } from '../operations/service-context';
import { startCompanySync, startSync } from '../operations/syncs';
import { cancelWorkflow, getWorkflowStatus, listWorkflows, type WorkflowStart } from '../operations/workflows';
import { toToolError } from './tool-errors';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Marker the input validator returns instead of throwing, so invalid arguments get our error shape. */
export const INVALID_ARGUMENTS = Symbol('invalid-arguments');

interface ToolSpec {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  output: z.ZodObject;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
  run(args: Record<string, unknown>, extra: ToolExtra): Promise<Record<string, unknown>>;
}

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Starts attach to the running job with the same id, so repeating one is harmless. */
const starts = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };

const waitSchema = z
  .number()
  .int()
  .min(0)
  .max(120)
  .optional()
  .describe('With a progress token: wait up to this many seconds, sending notifications/progress, before returning (default 0: return at once)');
const startOutput = s.workflowStartView.extend({
  status: z.enum(s.WORKFLOW_STATUSES).optional().describe('Present when the tool waited'),
  progress: z.record(z.string(), z.unknown()).nullable().optional(),
});
const pageNote = 'Results are paged: when nextCursor is not null more remain; call again with cursor=nextCursor.';

/** Strips tool-only fields before the operation sees the arguments. */
function withoutWait(args: Record<string, unknown>): Record<string, unknown> {
  const { waitSeconds: _ignored, ...rest } = args;
  return rest;
}

/** Every tool: the same operations the HTTP API calls, with the same schemas. */
export function toolSpecs(ctx: ServiceContext, actor: Actor): ToolSpec[] {
  const started = (start: (args: Record<string, unknown>) => Promise<WorkflowStart>) => async (args: Record<string, unknown>, extra: ToolExtra) =>
    followProgress(ctx, actor, await start(withoutWait(args)), args.waitSeconds as number | undefined, extra);
  return [
    {
      name: 'list_ad_accounts',
      title: 'List ad accounts',
      description: `Connected Meta ad accounts of your company. ${pageNote}`,
      input: s.listAdAccountsInput.omit({ companyId: true }),
      output: s.pageOf(s.adAccountView),
      annotations: readOnly,
      run: (args) => listAdAccounts(ctx, actor, args),
    },
    {
      name: 'get_ad_account',
      title: 'Get an ad account',
      description: 'One ad account: status, currency, time zone, token status and last sync times.',
      input: s.adAccountRefInput,
      output: s.adAccountView,
      annotations: readOnly,
      run: (args) => getAdAccount(ctx, actor, args),
    },
    {
      name: 'list_campaigns',
      title: 'List campaigns',
      description: `Campaigns from the synced copy, filtered by ad account and status. ${pageNote}`,
      input: s.listCampaignsInput,
      output: s.pageOf(s.campaignView),
      annotations: readOnly,
      run: (args) => listCampaigns(ctx, actor, args),
    },
    {
      name: 'get_campaign',
      title: 'Get a campaign',
      description: 'One campaign from the synced copy (budgets as decimal strings in major units).',
      input: s.entityRefInput,
      output: s.campaignView,
      annotations: readOnly,
      run: (args) => getCampaign(ctx, actor, args),
    },
    {
      name: 'list_ad_sets',
      title: 'List ad sets',
      description: `Ad sets from the synced copy, filtered by ad account, campaign and status. ${pageNote}`,
      input: s.listAdSetsInput,
      output: s.pageOf(s.adSetView),
      annotations: readOnly,
      run: (args) => listAdSets(ctx, actor, args),
    },
    {
      name: 'list_ads',
      title: 'List ads',
      description: `Ads from the synced copy, filtered by ad account, campaign, ad set and status. ${pageNote}`,
      input: s.listAdsInput,
      output: s.pageOf(s.adView),
      annotations: readOnly,
      run: (args) => listAds(ctx, actor, args),
    },
    {
      name: 'get_metrics',
      title: 'Get metrics',
      description: `Metrics of an ad account by level (account, campaign, adset, ad), entity, grain (hourly, daily, monthly) and local date range. Money is a decimal string in major units; reach only when Meta reported it at that grain. ${pageNote}`,
      input: s.getMetricsInput,
      output: s.pageOf(s.metricRowView),
      annotations: readOnly,
      run: (args) => getMetrics(ctx, actor, args),
    },
    {
      name: 'start_full_sync',
      title: 'Start a full sync',
      description: 'Starts a durable full sync of an ad account (every object), or returns the one already running. Returns the workflow id at once; follow it with get_workflow_status.',
      input: s.adAccountRefInput.extend({ waitSeconds: waitSchema }),
      output: startOutput,
      annotations: starts,
      run: started((args) => startSync(ctx, actor, { ...args, kind: 'full' })),
    },
    {
      name: 'start_incremental_sync',
      title: 'Start an incremental sync',
      description: 'Starts a sync of what changed since the last one, or returns the one already running.',
      input: s.adAccountRefInput.extend({ overlapSeconds: z.number().int().min(0).max(86_400).optional(), waitSeconds: waitSchema }),
      output: startOutput,
      annotations: starts,
      run: started((args) => startSync(ctx, actor, { ...args, kind: 'incremental' })),
    },
    {
      name: 'start_metrics_sync',
      title: 'Start a metrics sync',
      description: 'Pulls insights (daily or hourly) for a local date range, or returns the pull already running for that account and grain.',
      input: s.adAccountRefInput.extend({ grain: z.enum(['daily', 'hourly']), from: s.dateSchema.optional(), to: s.dateSchema.optional(), waitSeconds: waitSchema }),
      output: startOutput,
      annotations: starts,
      run: started((args) => startSync(ctx, actor, { ...args, kind: 'metrics' })),
    },
    {
      name: 'start_company_sync',
      title: 'Start a company sync',
      description: 'Syncs every connected ad account of your company, a few at a time; returns the running one when repeated.',
      input: s.startCompanySyncInput.omit({ companyId: true }).extend({ waitSeconds: waitSchema }),
      output: startOutput,
      annotations: starts,
      run: started((args) => startCompanySync(ctx, actor, args)),
    },
    {
      name: 'run_rollup',
      title: 'Run a rollup',
      description: 'Recomputes daily (from hourly) or monthly (from daily) rollups for a date window of your ad accounts.',
      input: z.strictObject({ grain: z.enum(['daily', 'monthly']), from: s.dateSchema, to: s.dateSchema, adAccountId: s.adAccountIdSchema.optional(), waitSeconds: waitSchema }),
      output: startOutput,
      annotations: starts,
      run: started((args) => runRollup(ctx, actor, args)),
    },
    {
      name: 'get_workflow_status',
      title: 'Get workflow status',
      description: 'Status (RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT), live progress, start and close times and failure of a workflow.',
      input: s.workflowRefInput,
      output: s.workflowStatusView,
      annotations: readOnly,
      run: (args) => getWorkflowStatus(ctx, actor, args),
    },
    {
      name: 'list_workflows',
      title: 'List workflows',
      description: `Workflows of your company by ad account, kind and status, newest first. ${pageNote}`,
      input: s.listWorkflowsInput,
      output: s.pageOf(s.workflowSummaryView),
      annotations: readOnly,
      run: (args) => listWorkflows(ctx, actor, args),
    },
    {
      name: 'cancel_workflow',
      title: 'Cancel a workflow',
      description: 'Requests cancellation of a running workflow; work done so far stays.',
      input: s.workflowRefInput,
      output: s.cancelWorkflowView,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      run: (args) => cancelWorkflow(ctx, actor, args),
    },
    {
      name: 'list_schedules',
      title: 'List schedules',
      description: `Temporal schedules of your ad accounts (and the global ones for admin tokens): paused or not, next run times. ${pageNote}`,
      input: s.listSchedulesInput,
      output: s.pageOf(s.scheduleView),
      annotations: readOnly,
      run: (args) => listSchedules(ctx, actor, args),
    },
    {
      name: 'pause_schedule',
      title: 'Pause a schedule',
      description: 'Pauses a schedule (no new runs until resumed); running workflows continue.',
      input: s.pauseScheduleInput,
      output: s.scheduleActionView,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      run: (args) => pauseSchedule(ctx, actor, args),
    },
    {
      name: 'resume_schedule',
      title: 'Resume a schedule',
      description: 'Resumes a paused schedule.',
      input: s.pauseScheduleInput,
      output: s.scheduleActionView,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      run: (args) => unpauseSchedule(ctx, actor, args),
    },
  ];
}

/** Registers every tool; failures (invalid arguments included) become `isError` results with our codes. */
export function registerTools(server: McpServer, ctx: ServiceContext, actor: Actor): void {
  for (const spec of toolSpecs(ctx, actor)) {
    server.registerTool(
      spec.name,
      { title: spec.title, description: spec.description, inputSchema: spec.input, outputSchema: spec.output, annotations: spec.annotations },
      async (args: Record<string | symbol, unknown>, extra: ToolExtra): Promise<CallToolResult> => {
        try {
          if (args[INVALID_ARGUMENTS]) throw args[INVALID_ARGUMENTS];
          const result = await spec.run(args as Record<string, unknown>, extra);
          return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
        } catch (error) {
          return toToolError(error);
        }
      },
    );
  }
}

const POLL_MS = 1000;

/**
 * After a start: when the client sent a progress token and asked to wait, polls the workflow's
 * status (bounded) and relays its progress query as notifications/progress.
 */
async function followProgress(ctx: ServiceContext, actor: Actor, start: WorkflowStart, waitSeconds: number | undefined, extra: ToolExtra): Promise<Record<string, unknown>> {
  const progressToken = extra._meta?.progressToken;
  if (!waitSeconds || progressToken === undefined) return { ...start };
  const deadline = Date.now() + waitSeconds * 1000;
  let step = 0;
  for (;;) {
    const status = await getWorkflowStatus(ctx, actor, { workflowId: start.workflowId });
    step += 1;
    const phase = typeof status.progress?.phase === 'string' ? status.progress.phase : status.status.toLowerCase();
    await extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step, message: `${status.status}: ${phase}` } })
      .catch(() => undefined);
    if (status.status !== 'RUNNING' || Date.now() + POLL_MS > deadline || extra.signal.aborted) {
      return { ...start, status: status.status, progress: status.progress };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
