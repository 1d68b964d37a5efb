import { pageOf } from '../../operations/schemas/common';
import { listSchedulesInput, pauseScheduleInput, scheduleActionView, scheduleView } from '../../operations/schemas/schedules';
import { listSchedules, pauseSchedule, unpauseSchedule } from '../../operations/schedules';
import { pageNote, readOnly, type ToolAnnotations, type ToolArea } from './tool-spec';

/** Pausing and resuming changes only the schedule, never a running workflow. */
const scheduleChange: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** Temporal schedules of the company's ad accounts (and the global ones for admin tokens). */
export const scheduleTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_schedules',
    title: 'List schedules',
    description: `Temporal schedules of your ad accounts (and the global ones for admin tokens): paused or not, next run times. ${pageNote}`,
    input: listSchedulesInput,
    output: pageOf(scheduleView),
    annotations: readOnly,
    run: (args) => listSchedules(ctx, actor, args),
  },
  {
    name: 'pause_schedule',
    title: 'Pause a schedule',
    description: 'Pauses a schedule (no new runs until resumed); running workflows continue.',
    input: pauseScheduleInput,
    output: scheduleActionView,
    annotations: scheduleChange,
    run: (args) => pauseSchedule(ctx, actor, args),
  },
  {
    name: 'resume_schedule',
    title: 'Resume a schedule',
    description: 'Resumes a paused schedule.',
    input: pauseScheduleInput,
    output: scheduleActionView,
    annotations: scheduleChange,
    run: (args) => unpauseSchedule(ctx, actor, args),
  },
];
