/**
 * A one-line progress bar from the API's workflow status (`GET /v1/workflows/{id}`): the share of
 * the workflow's entities (or, for a metrics sync, days) that are done, its phase, and the pages
 * and rows read so far. A workflow reports what it knows, not a total in advance, so the bar
 * moves in steps as entities finish and reaches 100% when the run completes.
 */

export interface WorkflowStatusBody {
  workflowId: string;
  status: string;
  progress: null | {
    phase?: string;
    entities?: Record<string, { pages?: number; rows?: number; days?: number; done?: boolean }>;
    counters?: Record<string, number>;
    throttledUntil?: string;
  };
  failure: null | { code: string; message: string };
}

const WIDTH = 24;

/** The share done, 0 to 1, or null when the run has reported nothing countable yet. */
export function fractionDone(body: WorkflowStatusBody): number | null {
  if (body.status === 'COMPLETED') return 1;
  const entities = Object.values(body.progress?.entities ?? {});
  if (entities.length === 0) return null;
  return entities.filter((entity) => entity.done).length / entities.length;
}

/** The bar's text for one status. */
export function renderProgress(body: WorkflowStatusBody): string {
  const fraction = fractionDone(body);
  const filled = fraction === null ? 0 : Math.round(fraction * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
  const percent = fraction === null ? '  ?%' : `${String(Math.round(fraction * 100)).padStart(3)}%`;
  const entities = Object.values(body.progress?.entities ?? {});
  const pages = entities.reduce((sum, entity) => sum + (entity.pages ?? 0), 0);
  const rows = entities.reduce((sum, entity) => sum + (entity.rows ?? 0), 0);
  const parts = [body.status === 'RUNNING' ? body.progress?.phase ?? 'starting' : body.status];
  if (entities.length > 0) parts.push(`${entities.filter((entity) => entity.done).length}/${entities.length} done`, `${pages} pages`, `${rows} rows`);
  if (body.progress?.throttledUntil && body.status === 'RUNNING') parts.push(`waiting out Meta's rate limit until ${body.progress.throttledUntil}`);
  return `${bar} ${percent} ${parts.join(' · ')}`;
}
