/**
 * Helpers shared by the entity sync workflows: search attributes, progress bookkeeping and
 * failure shaping. Workflow code: deterministic, no Node or src/ imports.
 */
import { ActivityFailure, ApplicationFailure, isCancellation, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { WorkflowKind } from '../domain/vocabulary';
import { SearchAttributes } from '../domain/search-attributes';
import type { EntityProgress, WorkflowProgress, WorkUnit } from '../domain/progress';

/** Sets CompanyId / AdAccountId / WorkflowKind when the starter did not (ids and kinds only). */
export function ensureSearchAttributes(values: { companyId: string; adAccountId?: string; kind: WorkflowKind }): void {
  const current = workflowInfo().typedSearchAttributes;
  const updates = [];
  if (!current.get(SearchAttributes.CompanyId)) updates.push({ key: SearchAttributes.CompanyId, value: values.companyId });
  if (values.adAccountId && !current.get(SearchAttributes.AdAccountId)) updates.push({ key: SearchAttributes.AdAccountId, value: values.adAccountId });
  if (!current.get(SearchAttributes.WorkflowKind)) updates.push({ key: SearchAttributes.WorkflowKind, value: values.kind });
  if (updates.length > 0) upsertSearchAttributes(updates);
}

/** Mutable progress of one workflow run, answered by the `progress` query and mirrored in current details. */
export class ProgressTracker {
  readonly state: WorkflowProgress;

  constructor(kind: WorkflowKind, entities: Record<string, EntityProgress> = {}, counters: Record<string, number> = {}) {
    this.state = { kind, phase: 'starting', entities: { ...entities }, counters: { ...counters }, updatedAt: now() };
  }

  phase(text: string): void {
    this.state.phase = text;
    this.touch();
  }

  entity(name: string, update: Partial<EntityProgress>): void {
    const prev = this.state.entities[name] ?? { pages: 0, rows: 0, done: false };
    this.state.entities[name] = { ...prev, ...update };
    this.touch();
  }

  /** Done of total (the figure progress notifications carry); `done` is kept from going back. */
  work(done: number, total: number, unit: WorkUnit): void {
    const before = this.state.work?.unit === unit ? this.state.work.done : 0;
    this.state.work = { done: Math.max(before, done), total: Math.max(total, done), unit };
    this.touch();
  }

  count(name: string, by: number): void {
    const counters = (this.state.counters ??= {});
    counters[name] = (counters[name] ?? 0) + by;
  }

  private touch(): void {
    this.state.updatedAt = now();
    const done = Object.entries(this.state.entities).filter(([, e]) => e.done).length;
    const total = Object.keys(this.state.entities).length;
    const rows = Object.values(this.state.entities).reduce((sum, e) => sum + e.rows, 0);
    const work = this.state.work ? `${this.state.work.done} of ${this.state.work.total} ${this.state.work.unit} done, ` : '';
    setCurrentDetails(`**${this.state.phase}**\n\n${work}${done}/${total} entities done, ${rows} rows written`);
  }
}

function now(): string {
  return new Date(Date.now()).toISOString();
}

/** Short, safe description of a failure for sync_runs.error (never a token: activities redact Meta's text). */
export function describeFailure(error: unknown): { type?: string; message: string } {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? undefined, message: cause.message };
  if (isCancellation(error)) return { type: 'Cancelled', message: 'The sync was cancelled' };
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * The workflow's own failure for an activity failure: the activity's type and message (e.g.
 * "MetaAuthError: ... ad account act_1 needs re-authorisation"), non-retryable, so the caller
 * sees the reason without digging through causes.
 */
export function workflowFailure(error: unknown): unknown {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    const cause = error.cause;
    return ApplicationFailure.create({ type: cause.type ?? 'ActivityFailure', message: cause.message, nonRetryable: true, cause: error });
  }
  return error;
}
