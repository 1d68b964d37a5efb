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

export interface WorkflowProgress {
  kind: WorkflowKind;
  /** Short human phase, also shown in the Temporal UI's current details. */
  phase: string;
  entities: Record<string, EntityProgress>;
  /** Set while waiting out Meta's rate limit. */
  throttledUntil?: string;
  /** Workflow-specific counters (children done, windows rolled up, items applied...). */
  counters?: Record<string, number>;
  updatedAt: string;
}

export const progressQuery = defineQuery<WorkflowProgress>('progress');
