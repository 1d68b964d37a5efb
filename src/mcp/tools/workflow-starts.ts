import { z } from 'zod';
import { describeWork, workOf } from '../../../domain/progress';
import type { Actor } from '../../operations/actor';
import { WORKFLOW_STATUSES, workflowStartView } from '../../operations/schemas/workflows';
import type { ServiceContext } from '../../operations/service-context';
import { getWorkflowStatus, type WorkflowStart, type WorkflowStatusView } from '../../operations/workflows';
import type { ToolAnnotations, ToolExtra, ToolSpec } from './tool-spec';

/** Starts attach to the running job with the same id, so repeating one is harmless. */
export const starts: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };

export const waitSchema = z
  .number()
  .int()
  .min(0)
  .max(120)
  .optional()
  .describe(
    'Wait up to this many seconds for the workflow to finish, then answer its current status (default 0: answer at once). ' +
      'With a progress token, notifications/progress carry its work done of total meanwhile. Keep it under your client\'s request timeout (often 60 s).',
  );

/** A start tool's output: the operation's answer, plus the status and progress when the tool waited. */
export function startOutputOf<Shape extends z.ZodRawShape>(view: z.ZodObject<Shape>) {
  return view.extend({
    status: z.enum(WORKFLOW_STATUSES).optional().describe('Present when the tool waited'),
    progress: z.record(z.string(), z.unknown()).nullable().optional().describe('Present when the tool waited: the workflow\'s progress query (work: done of total)'),
  });
}

export const startOutput = startOutputOf(workflowStartView);

/** A start tool's run: the operation gets the arguments without `waitSeconds`; the tool may then wait for the workflow. */
export function startedRun(ctx: ServiceContext, actor: Actor, start: (args: Record<string, unknown>) => Promise<WorkflowStart>): ToolSpec['run'] {
  return async (args, extra) => {
    const started = await start(withoutWait(args));
    const waitSeconds = args.waitSeconds as number | undefined;
    if (!waitSeconds) return { ...started };
    const status = await waitForWorkflow(ctx, actor, { workflowId: started.workflowId, waitSeconds }, extra);
    return { ...started, status: status.status, progress: status.progress };
  };
}

/** Strips tool-only fields before the operation sees the arguments. */
export function withoutWait(args: Record<string, unknown>): Record<string, unknown> {
  const { waitSeconds: _ignored, ...rest } = args;
  return rest;
}

const POLL_MS = 1000;

/**
 * Polls a workflow's status until it is no longer running or `waitSeconds` have passed (or the
 * client gave up), and answers the last status. When the client sent a progress token, each
 * poll whose work figure moved becomes a notifications/progress with `progress` (done) and
 * `total`: MCP requires `progress` to increase, so a poll that did not move sends nothing, and
 * neither does one before the workflow has counted its work (never a made-up counter).
 */
export async function waitForWorkflow(
  ctx: ServiceContext,
  actor: Actor,
  input: { workflowId: string; waitSeconds: number },
  extra: ToolExtra,
): Promise<WorkflowStatusView> {
  const progressToken = extra._meta?.progressToken;
  const deadline = Date.now() + input.waitSeconds * 1000;
  let sent = -1;
  for (;;) {
    const status = await getWorkflowStatus(ctx, actor, { workflowId: input.workflowId });
    const note = progressToken === undefined ? undefined : progressNote(status);
    if (progressToken !== undefined && note?.work && note.work.done > sent) {
      sent = note.work.done;
      await extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: note.work.done, total: note.work.total, message: note.message } })
        .catch(() => undefined);
    }
    if (status.status !== 'RUNNING' || Date.now() + POLL_MS > deadline || extra.signal.aborted) return status;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The work figure, phase and one-line message of a status: "RUNNING: reading ads (stage 3 of 4), 4 of 15 reads". */
function progressNote(status: WorkflowStatusView): { work: ReturnType<typeof workOf>; message: string } {
  const progress = status.progress as Parameters<typeof workOf>[0] & { phase?: unknown; reports?: { running?: number; percent?: number } };
  const work = workOf(progress);
  const phase = typeof progress?.phase === 'string' ? progress.phase : status.status.toLowerCase();
  const parts = [`${status.status}: ${phase}`];
  if (work) parts.push(describeWork(work));
  if (progress?.reports?.running) parts.push(`Meta's reports ${progress.reports.percent ?? 0}% complete (${progress.reports.running} running)`);
  return { work, message: parts.join(', ') };
}
