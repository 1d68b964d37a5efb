import type { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { WorkflowStartSpec } from '../../domain/starts/workflow-start';
import { SearchAttributes } from '../../domain/search-attributes';
import { progressQuery } from '../../domain/progress';
import { workflowStartOptions } from '../temporal/workflow-starts';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import type { Page } from './paging';
import { cancelWorkflowView, listWorkflowsInput, workflowRefInput, workflowStatusView, workflowSummaryView, type WorkflowStatusName } from './schemas/workflows';
import type { ServiceContext } from './service-context';
import { describeWorkflowFailure, mapTemporalError, withTemporal } from './temporal-errors';
import { parseInput } from './validation';

export type WorkflowStatusView = z.infer<typeof workflowStatusView>;
export type WorkflowSummaryView = z.infer<typeof workflowSummaryView>;
export type WorkflowStart = { workflowId: string; runId: string };

/** How long a status request waits for the progress query before answering without it. */
const PROGRESS_QUERY_TIMEOUT_MS = 2_000;

/**
 * Starts a workflow from its start builder (domain/starts, src/temporal/workflow-starts.ts), by
 * type name (fronts never import workflow code), or attaches to the running one with the same
 * id (USE_EXISTING): a repeated request returns the running job.
 */
export async function startWorkflow(ctx: ServiceContext, spec: WorkflowStartSpec<unknown>): Promise<WorkflowStart> {
  const handle = await withTemporal({ kind: 'Workflow', id: spec.workflowId }, () =>
    ctx.temporal.workflow.start(spec.workflowType, workflowStartOptions(spec, ctx.config.temporal.taskQueue)),
  );
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

const STATUS_BY_TEMPORAL: Record<string, WorkflowStatusName> = {
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELED',
  TERMINATED: 'TERMINATED',
  TIMED_OUT: 'TIMED_OUT',
  // The latest run is what describe() returns; an older "continued" run means the job goes on.
  CONTINUED_AS_NEW: 'RUNNING',
  PAUSED: 'RUNNING',
};

/** Describes a workflow of the actor's company (404 for any other, as for one that does not exist). */
async function describeOwned(ctx: ServiceContext, actor: Actor, workflowId: string) {
  const handle = ctx.temporal.workflow.getHandle(workflowId);
  const description = await withTemporal({ kind: 'Workflow', id: workflowId }, () => handle.describe());
  if (description.typedSearchAttributes.get(SearchAttributes.CompanyId) !== actor.companyId) throw new NotFoundError('Workflow', workflowId);
  return { handle, description };
}

/** Status, progress (from the workflow's `progress` query), times and failure of a workflow. */
export async function getWorkflowStatus(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<WorkflowStatusView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(workflowRefInput, raw);
  const { description } = await describeOwned(ctx, actor, input.workflowId);
  const status = STATUS_BY_TEMPORAL[description.status.name] ?? 'RUNNING';
  const runHandle = ctx.temporal.workflow.getHandle(input.workflowId, description.runId);
  const [progress, failure] = await Promise.all([
    sharedProgressQuery(ctx, runHandle, description.runId),
    status === 'COMPLETED' || status === 'RUNNING'
      ? Promise.resolve(null)
      : runHandle.result().then(
          () => null,
          (error: unknown) => describeWorkflowFailure((error as { cause?: unknown }).cause ?? error),
        ),
  ]);
  return {
    workflowId: description.workflowId,
    runId: description.runId,
    kind: description.typedSearchAttributes.get(SearchAttributes.WorkflowKind) ?? null,
    workflowType: description.type,
    adAccountId: description.typedSearchAttributes.get(SearchAttributes.AdAccountId) ?? null,
    status,
    progress,
    startedAt: description.startTime.toISOString(),
    closedAt: description.closeTime?.toISOString() ?? null,
    failure,
  };
}

const progressInFlight = new WeakMap<ServiceContext, Map<string, Promise<Record<string, unknown> | null>>>();

/**
 * Concurrent status requests for one run share one in-flight progress query: the worker answers
 * queries of a workflow one at a time, so many agents polling the same job would otherwise queue
 * behind each other (and time out). No caching beyond the query in flight: answers stay fresh.
 */
function sharedProgressQuery(ctx: ServiceContext, handle: ReturnType<ServiceContext['temporal']['workflow']['getHandle']>, runId: string): Promise<Record<string, unknown> | null> {
  let inFlight = progressInFlight.get(ctx);
  if (!inFlight) progressInFlight.set(ctx, (inFlight = new Map()));
  const key = `${handle.workflowId}\u0000${runId}`;
  const existing = inFlight.get(key);
  if (existing) return existing;
  const pending = queryProgress(handle).finally(() => inFlight.delete(key));
  inFlight.set(key, pending);
  return pending;
}

/** The progress query, bounded in time; a worker that cannot answer yields null, not an error. */
async function queryProgress(handle: ReturnType<ServiceContext['temporal']['workflow']['getHandle']>): Promise<Record<string, unknown> | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PROGRESS_QUERY_TIMEOUT_MS);
  });
  try {
    const answer = await Promise.race([handle.query(progressQuery).then((value) => value as unknown as Record<string, unknown>), timeout]);
    return answer && typeof answer === 'object' ? answer : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Requests cancellation of a running workflow of the actor's company. */
export async function cancelWorkflow(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<z.infer<typeof cancelWorkflowView>> {
  requireScope(actor, Scope.Sync);
  const input = parseInput(workflowRefInput, raw);
  const { description } = await describeOwned(ctx, actor, input.workflowId);
  if (description.status.name !== 'RUNNING') {
    throw new ConflictError(`Workflow ${input.workflowId} is not running (it is ${STATUS_BY_TEMPORAL[description.status.name] ?? description.status.name}); nothing to cancel`);
  }
  await withTemporal({ kind: 'Workflow', id: input.workflowId }, () => ctx.temporal.workflow.getHandle(input.workflowId, description.runId).cancel());
  await recordAudit(ctx, actor, { action: 'workflow.cancel', targetType: 'workflow', targetId: input.workflowId, requestId: meta.requestId });
  return { workflowId: input.workflowId, runId: description.runId, status: 'CANCEL_REQUESTED' };
}

const VISIBILITY_STATUS: Record<WorkflowStatusName, string> = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
  TERMINATED: 'Terminated',
  TIMED_OUT: 'TimedOut',
};
const STATUS_BY_CODE: Record<number, string> = { 1: 'RUNNING', 2: 'COMPLETED', 3: 'FAILED', 4: 'CANCELED', 5: 'TERMINATED', 6: 'RUNNING', 7: 'TIMED_OUT', 8: 'RUNNING' };

/**
 * Workflows of the company through Temporal visibility (custom search attributes), newest first;
 * the cursor is Temporal's next page token. Every value in the query passed a strict pattern.
 */
export async function listWorkflows(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<WorkflowSummaryView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listWorkflowsInput, raw);
  if (input.adAccountId) await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  return listWorkflowsByQuery(ctx, actor, { adAccountId: input.adAccountId, kind: input.kind, status: input.status, cursor: input.cursor, limit: input.limit });
}

/** Shared by list_workflows and the rollup list: the query is always scoped to the actor's company. */
export async function listWorkflowsByQuery(
  ctx: ServiceContext,
  actor: Actor,
  filter: { adAccountId?: string; kind?: string; status?: WorkflowStatusName; cursor?: string; limit: number },
): Promise<Page<WorkflowSummaryView>> {
  const clauses = [`CompanyId = '${actor.companyId}'`];
  if (filter.adAccountId) clauses.push(`AdAccountId = '${filter.adAccountId}'`);
  if (filter.kind) clauses.push(`WorkflowKind = '${filter.kind}'`);
  if (filter.status) clauses.push(`ExecutionStatus = '${VISIBILITY_STATUS[filter.status]}'`);
  let nextPageToken: Uint8Array | undefined;
  if (filter.cursor) {
    nextPageToken = Buffer.from(filter.cursor, 'base64url');
    if (nextPageToken.length === 0) throw new ValidationError('The cursor is not valid: pass back the nextCursor of the previous page unchanged', { field: 'cursor' });
  }
  let response: Awaited<ReturnType<ServiceContext['temporal']['workflowService']['listWorkflowExecutions']>>;
  try {
    response = await ctx.temporal.workflowService.listWorkflowExecutions({
      namespace: ctx.config.temporal.namespace,
      pageSize: filter.limit,
      nextPageToken,
      query: clauses.join(' AND '),
    });
  } catch (error) {
    // A forged page token is the caller's mistake (INVALID_ARGUMENT), not ours.
    if (filter.cursor && (error as { code?: number }).code === 3) {
      throw new ValidationError('The cursor is not valid: pass back the nextCursor of the previous page unchanged', { field: 'cursor' });
    }
    throw mapTemporalError(error, { kind: 'Workflow list', id: 'page' });
  }
  const data = (response.executions ?? []).map((execution): WorkflowSummaryView => {
    const fields = execution.searchAttributes?.indexedFields ?? {};
    return {
      workflowId: execution.execution?.workflowId ?? '',
      runId: execution.execution?.runId ?? '',
      kind: keywordOf(fields.WorkflowKind),
      workflowType: execution.type?.name ?? '',
      adAccountId: keywordOf(fields.AdAccountId),
      status: STATUS_BY_CODE[Number(execution.status ?? 0)] ?? 'UNKNOWN',
      startedAt: timestampOf(execution.startTime),
      closedAt: timestampOf(execution.closeTime),
    };
  });
  const token = response.nextPageToken && response.nextPageToken.length > 0 ? Buffer.from(response.nextPageToken).toString('base64url') : null;
  return { data, nextCursor: token };
}

/** Keyword search attributes are JSON strings (or a one-element list) in the payload. */
function keywordOf(payload: { data?: Uint8Array | null } | undefined): string | null {
  if (!payload?.data) return null;
  try {
    const value = JSON.parse(Buffer.from(payload.data).toString('utf8')) as unknown;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  } catch {
    // not JSON: ignore
  }
  return null;
}

function timestampOf(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const seconds = Number(ts.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}
