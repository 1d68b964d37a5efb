import { z } from 'zod';
import type { Actor } from '../../operations/actor';
import { WORKFLOW_STATUSES, workflowStartView } from '../../operations/schemas/workflows';
import type { ServiceContext } from '../../operations/service-context';
import { getWorkflowStatus, type WorkflowStart } from '../../operations/workflows';
import type { ToolAnnotations, ToolExtra, ToolSpec } from './tool-spec';

/** Starts attach to the running job with the same id, so repeating one is harmless. */
export const starts: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };

export const waitSchema = z
  .number()
  .int()
  .min(0)
  .max(120)
  .optional()
  .describe('With a progress token: wait up to this many seconds, sending notifications/progress, before returning (default 0: return at once)');

/** A start tool's output: the operation's answer, plus the status and progress when the tool waited. */
export function startOutputOf<Shape extends z.ZodRawShape>(view: z.ZodObject<Shape>) {
  return view.extend({
    status: z.enum(WORKFLOW_STATUSES).optional().describe('Present when the tool waited'),
    progress: z.record(z.string(), z.unknown()).nullable().optional(),
  });
}

export const startOutput = startOutputOf(workflowStartView);

/** A start tool's run: the operation gets the arguments without `waitSeconds`, the caller may follow progress. */
export function startedRun(ctx: ServiceContext, actor: Actor, start: (args: Record<string, unknown>) => Promise<WorkflowStart>): ToolSpec['run'] {
  return async (args, extra) => followProgress(ctx, actor, await start(withoutWait(args)), args.waitSeconds as number | undefined, extra);
}

/** Strips tool-only fields before the operation sees the arguments. */
function withoutWait(args: Record<string, unknown>): Record<string, unknown> {
  const { waitSeconds: _ignored, ...rest } = args;
  return rest;
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
