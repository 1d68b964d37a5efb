import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/** One schedule as the fronts show it. */
export interface ScheduleOverview {
  scheduleId: string;
  workflowType?: string;
  paused: boolean;
  note?: string;
  nextActionTimes: string[];
  recentActions: Array<{ scheduledAt: string; takenAt: string; workflowId?: string }>;
}

export interface ListSchedulesOptions {
  /** Only schedules whose id starts with this. @default all */
  prefix?: string;
}

/** Lists the namespace's schedules (paged through by the client). */
export async function listSchedules(client: Client, options: ListSchedulesOptions = {}): Promise<ScheduleOverview[]> {
  const out: ScheduleOverview[] = [];
  for await (const summary of client.schedule.list()) {
    if (options.prefix && !summary.scheduleId.startsWith(options.prefix)) continue;
    out.push(overviewOf(summary.scheduleId, summary.action?.workflowType, summary.state, summary.info));
  }
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** Describes one schedule; throws ScheduleNotFoundError when it does not exist. */
export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleOverview & { numActionsTaken: number; runningWorkflowIds: string[] }> {
  const d = await client.schedule.getHandle(scheduleId).describe();
  return {
    ...overviewOf(d.scheduleId, d.action.workflowType, d.state, d.info),
    numActionsTaken: d.info.numActionsTaken,
    runningWorkflowIds: d.info.runningActions.map((action) => action.workflow.workflowId),
  };
}

/** Pauses a schedule; `note` is shown in the Temporal UI (say who and why). */
export async function pauseSchedule(client: Client, input: { scheduleId: string; note?: string }): Promise<void> {
  await client.schedule.getHandle(input.scheduleId).pause(input.note);
}

/** Resumes a paused schedule. */
export async function unpauseSchedule(client: Client, input: { scheduleId: string; note?: string }): Promise<void> {
  await client.schedule.getHandle(input.scheduleId).unpause(input.note);
}

/** Runs a schedule's action now (its TemporalScheduledStartTime is now). */
export async function triggerSchedule(client: Client, input: { scheduleId: string; overlap?: ScheduleOverlapPolicy }): Promise<void> {
  await client.schedule.getHandle(input.scheduleId).trigger(input.overlap ?? ScheduleOverlapPolicy.ALLOW_ALL);
}

export interface BackfillScheduleInput {
  scheduleId: string;
  /** Start and end of the time range the schedule's spec is evaluated in. */
  start: Date;
  end: Date;
  /** @default ALLOW_ALL: backfilled runs are independent windows and must not be dropped. */
  overlap?: ScheduleOverlapPolicy;
}

/**
 * How many times the schedule's spec matches in [start, end] (each would be one backfilled action),
 * as the server evaluates the spec. Throws ScheduleNotFoundError's gRPC counterpart when missing.
 */
export async function countScheduleMatchingTimes(client: Client, input: { namespace: string; scheduleId: string; start: Date; end: Date }): Promise<number> {
  const response = await client.workflowService.listScheduleMatchingTimes({
    namespace: input.namespace,
    scheduleId: input.scheduleId,
    // The server lists times after startTime, while a backfill includes a time equal to its start.
    startTime: msToTs(input.start.getTime() - 1),
    endTime: msToTs(input.end.getTime()),
  });
  return response.startTime?.length ?? 0;
}

/** Runs every action the schedule's spec would have taken in [start, end], with those times. */
export async function backfillSchedule(client: Client, input: BackfillScheduleInput): Promise<void> {
  await client.schedule.getHandle(input.scheduleId).backfill({ start: input.start, end: input.end, overlap: input.overlap ?? ScheduleOverlapPolicy.ALLOW_ALL });
}

/** The parts of a schedule's list entry and description that an overview shows. */
function overviewOf(
  scheduleId: string,
  workflowType: string | undefined,
  state: { paused: boolean; note?: string },
  info: { nextActionTimes: Date[]; recentActions: Array<{ scheduledAt: Date; takenAt: Date; action: { workflow?: { workflowId: string } } }> },
): ScheduleOverview {
  return {
    scheduleId,
    workflowType,
    paused: state.paused,
    note: state.note,
    nextActionTimes: info.nextActionTimes.map((time) => time.toISOString()),
    recentActions: info.recentActions.map((action) => ({
      scheduledAt: action.scheduledAt.toISOString(),
      takenAt: action.takenAt.toISOString(),
      workflowId: action.action.workflow?.workflowId,
    })),
  };
}
