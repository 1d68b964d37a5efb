/**
 * The short text beside a tool's `structuredContent`: a client that shows text to its model gets
 * the gist (how many rows and whether more remain, a workflow's status line, an object's id and
 * status), and the full result is not sent twice in every answer.
 */
import { describeWork, workOf, type WorkflowProgress } from '../../domain/progress';

const MAX_LABELS = 3;
const MAX_FIELDS = 8;
/** Fields an agent acts on next, shown first when present (a preview's hash and whether it needs a confirm). */
const FIRST_FIELDS = ['id', 'name', 'changeSetId', 'ruleId', 'status', 'planHash', 'requiresConfirmation', 'violationCount', 'itemCount', 'expiresAt', 'workflowId'];
const MAX_VALUE_CHARS = 80;
const FULL_RESULT = 'The full result is in structuredContent.';

/** One or two sentences about `result`, the answer of tool `toolName`. */
export function summarizeResult(toolName: string, result: Record<string, unknown>): string {
  if (Array.isArray(result.data) && 'nextCursor' in result) return `${pageLine(toolName, result.data, result.nextCursor)} ${FULL_RESULT}`;
  if (Array.isArray(result.data) && result.totals && typeof result.totals === 'object') return `${reportLine(toolName, result)} ${FULL_RESULT}`;
  if (typeof result.workflowId === 'string' && typeof result.workflowType === 'string') return `${statusLine(result)}. ${FULL_RESULT}`;
  if (typeof result.workflowId === 'string' && typeof result.runId === 'string') return `${startLine(result)}. ${FULL_RESULT}`;
  return `${fieldsLine(result)}. ${FULL_RESULT}`;
}

/** "12 campaigns (e.g. Summer sale 120001, …); more remain: call again with cursor …". */
function pageLine(toolName: string, data: unknown[], nextCursor: unknown): string {
  const noun = toolName.replace(/^(list|get)_/, '').replace(/_/g, ' ');
  const labels = data.slice(0, MAX_LABELS).map(labelOf).filter((label): label is string => label !== undefined);
  const examples = labels.length > 0 ? ` (${labels.join(', ')}${data.length > labels.length ? ', …' : ''})` : '';
  const more = typeof nextCursor === 'string' && nextCursor.length > 0 ? `; more remain: call again with cursor "${nextCursor}"` : '; no more pages';
  return `${data.length} ${noun}${examples}${more}.`;
}

/** "Performance report: 20 rows of 48 objects, 2026-11-24 → 2026-11-30; totals spend 1234.50 EUR, impressions 90210, …". */
function reportLine(toolName: string, result: Record<string, unknown>): string {
  const totals = result.totals as { objects?: unknown; currency?: unknown; metrics?: Record<string, unknown> };
  const period = result.period as { from?: unknown; to?: unknown } | undefined;
  const of = typeof totals.objects === 'number' ? ` of ${totals.objects} objects` : '';
  const when = period && typeof period.from === 'string' ? `, ${period.from} → ${String(period.to)}` : '';
  const currency = typeof totals.currency === 'string' ? ` ${totals.currency}` : '';
  const figures = Object.entries(totals.metrics ?? {})
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .slice(0, MAX_FIELDS)
    .map(([k, v]) => `${k} ${String(v)}${k === 'spend' ? currency : ''}`);
  const title = toolName.replace(/^get_/, '').replace(/_/g, ' ');
  return `${title[0]!.toUpperCase()}${title.slice(1)}: ${(result.data as unknown[]).length} rows${of}${when}${figures.length ? `; totals ${figures.join(', ')}` : ''}.`;
}

function labelOf(row: unknown): string | undefined {
  if (!row || typeof row !== 'object') return undefined;
  const r = row as Record<string, unknown>;
  const id = [r.id, r.workflowId, r.changeSetId, r.ruleId, r.scheduleId].find((v) => typeof v === 'string');
  const name = typeof r.name === 'string' ? clip(r.name) : undefined;
  if (name && typeof id === 'string') return `${name} ${id}`;
  return name ?? (typeof id === 'string' ? id : undefined);
}

/** "Workflow meta-full-sync:act_1 (full-sync) is RUNNING: reading ads (stage 3 of 4), 4 of 15 reads". */
function statusLine(result: Record<string, unknown>): string {
  const kind = typeof result.kind === 'string' ? ` (${result.kind})` : '';
  const failure = result.failure as { code?: string; message?: string } | null | undefined;
  return `Workflow ${String(result.workflowId)}${kind} is ${String(result.status)}${progressPart(result.progress)}${failure?.message ? `; failure ${failure.code ?? ''}: ${clip(failure.message)}` : ''}`;
}

/** "Workflow … started (run …): every object of act_1; now COMPLETED: done, 15 of 15 reads". */
function startLine(result: Record<string, unknown>): string {
  const covers = (result.covers as { summary?: unknown } | undefined)?.summary;
  const started = result.attached === true ? 'was already running; this request joined it' : `started (run ${String(result.runId)})`;
  const what = typeof covers === 'string' ? `: ${covers}` : '';
  const now = typeof result.status === 'string' ? `; now ${result.status}${progressPart(result.progress)}` : '; follow it with get_workflow_status (waitSeconds waits for it)';
  return `Workflow ${String(result.workflowId)} ${started}${what}${now}`;
}

function progressPart(progress: unknown): string {
  if (!progress || typeof progress !== 'object') return '';
  const p = progress as Partial<WorkflowProgress>;
  const work = workOf({ work: p.work, entities: p.entities ?? {} });
  return `${typeof p.phase === 'string' ? `: ${p.phase}` : ''}${work ? `, ${describeWork(work)}` : ''}`;
}

/** "id=120001, name=Summer sale, status=ACTIVE, …": the scalar fields an agent acts on, then the first others. */
function fieldsLine(result: Record<string, unknown>): string {
  const rank = (key: string) => (FIRST_FIELDS.includes(key) ? FIRST_FIELDS.indexOf(key) : FIRST_FIELDS.length);
  const scalars = Object.entries(result)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .sort(([a], [b]) => rank(a) - rank(b));
  const shown = scalars.slice(0, MAX_FIELDS).map(([k, v]) => `${k}=${typeof v === 'string' ? clip(v) : String(v)}`);
  const others = Object.keys(result).length - shown.length;
  if (shown.length === 0) return `A result with ${others} field(s)`;
  return `${shown.join(', ')}${others > 0 ? ` (and ${others} more field(s))` : ''}`;
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
