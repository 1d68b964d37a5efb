/** The `progress` query every long workflow answers, and the shape of its answer. */
import { defineQuery } from '@temporalio/workflow';
import type { WorkflowKind } from './vocabulary';

export interface EntityProgress {
  pages: number;
  rows: number;
  /** Days finished (metrics syncs). */
  days?: number;
  /** Opaque position within the current edge, or a day for metrics. */
  cursor?: string;
  done: boolean;
}

/** What a workflow counts its work in. */
export const WorkUnit = {
  /** Local days of metrics read (a metrics sync). */
  Days: 'days',
  /** The account read and each object type's edge read (an entity sync). */
  Reads: 'reads',
  /** Child syncs (a company sync: each account × kind). */
  Syncs: 'syncs',
  /** Change-set items settled (applied, already applied, failed, skipped or canceled). */
  Items: 'items',
  /** Metric levels rolled up. */
  Levels: 'levels',
  /** Steps of a one-activity job. */
  Steps: 'steps',
} as const;
export type WorkUnit = (typeof WorkUnit)[keyof typeof WorkUnit];

/**
 * How much of the job is done, in one unit: what MCP progress notifications carry (`progress`,
 * `total`) and what the workflow status shows. `total` may grow while the job runs (a start
 * request adds days or kinds); `done` never goes back. A metrics sync counts days of running
 * async reports by Meta's completion percentage, so `done` may be fractional.
 */
export interface WorkDone {
  done: number;
  total: number;
  unit: WorkUnit;
}

/** Meta's async insights reports a metrics sync is waiting for. */
export interface ReportsProgress {
  running: number;
  /** Mean of Meta's `async_percent_completion` over the running reports, 0–100. */
  percent: number;
}

export interface WorkflowProgress {
  kind: WorkflowKind;
  /** Short human phase, also shown in the Temporal UI's current details. */
  phase: string;
  entities: Record<string, EntityProgress>;
  /** Done of total; absent in runs started before workflows counted it (see `workOf`). */
  work?: WorkDone;
  /** Set while a metrics sync waits for Meta's async reports. */
  reports?: ReportsProgress;
  /** Set while waiting out Meta's rate limit. */
  throttledUntil?: string;
  /** Workflow-specific counters (children done, windows rolled up, items applied...). */
  counters?: Record<string, number>;
  updatedAt: string;
}

export const progressQuery = defineQuery<WorkflowProgress>('progress');

/**
 * The work figure of a progress answer: the workflow's own, or, for runs started before
 * workflows counted it, the entities done of the entities listed (null when it lists none).
 */
export function workOf(progress: Pick<WorkflowProgress, 'work' | 'entities'> | null | undefined): WorkDone | null {
  if (!progress) return null;
  if (progress.work && Number.isFinite(progress.work.done) && Number.isFinite(progress.work.total)) return progress.work;
  const entities = Object.values(progress.entities ?? {});
  if (entities.length === 0) return null;
  return { done: entities.filter((e) => e.done).length, total: entities.length, unit: WorkUnit.Steps };
}

/** "12 of 30 days", "3.5 of 15 reads". */
export function describeWork(work: WorkDone): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  return `${round(work.done)} of ${round(work.total)} ${work.unit}`;
}
