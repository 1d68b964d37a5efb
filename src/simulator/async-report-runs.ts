/**
 * Async insights (AdReportRun): `POST …/insights` validates the query and returns a run id;
 * each `GET /<run>` advances the job one step: "Job Not Started" → "Job Started" →
 * "Job Running" (percent rising) → "Job Completed". Fault rates decide at creation whether
 * the run ends "Job Failed" or "Job Skipped" instead (both terminal).
 */
import { invalidParameter } from './graph-errors';
import { parseInsightsQuery, queryDates } from './insights-engine';
import { readInsights, type ListResponse } from './node-reader';
import type { RequestOrigin } from './paging';
import type { ReportRun, SimNode, SimulatorState } from './simulator-state';

const NON_QUERY_PARAMS = new Set(['access_token', 'appsecret_proof', 'limit', 'after', 'before', 'method', 'summary']);

/** Create a run for a validated query; returns `{report_run_id}`. */
export function createReportRun(state: SimulatorState, scope: SimNode, params: Record<string, string>): { report_run_id: string } {
  const query = parseInsightsQuery(state, scope, params);
  const stored: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (!NON_QUERY_PARAMS.has(k)) stored[k] = v;
  const f = state.faults.config;
  const outcome = state.faults.draw(f.asyncJobFailureRate) ? 'fail' : state.faults.draw(f.asyncJobSkipRate) ? 'skip' : 'complete';
  const id = state.allocateId('report_run');
  const run: ReportRun = {
    id, account: query.account, params: stored, scopeId: scope.id, polls: 0, outcome, createdMs: state.now(),
    ...queryDates(query),
  };
  state.reportRuns.set(id, run);
  return { report_run_id: id };
}

type Status = 'Job Not Started' | 'Job Started' | 'Job Running' | 'Job Completed' | 'Job Failed' | 'Job Skipped';

function statusAt(state: SimulatorState, run: ReportRun): { status: Status; percent: number } {
  const n = Math.max(0, state.limits.asyncPollsToComplete);
  const k = run.polls;
  if (k > n) {
    if (run.outcome === 'fail') return { status: 'Job Failed', percent: n > 2 ? Math.floor((100 * (n - 2)) / Math.max(1, n - 1)) : 0 };
    if (run.outcome === 'skip') return { status: 'Job Skipped', percent: 0 };
    return { status: 'Job Completed', percent: 100 };
  }
  if (k <= 1) return { status: 'Job Not Started', percent: 0 };
  if (k === 2) return { status: 'Job Started', percent: 0 };
  return { status: 'Job Running', percent: Math.min(99, Math.floor((100 * (k - 2)) / Math.max(1, n - 1))) };
}

/** `GET /<run>`: one poll. */
export function pollReportRun(state: SimulatorState, run: ReportRun, fields: string[]): Record<string, unknown> {
  run.polls++;
  const { status, percent } = statusAt(state, run);
  const out: Record<string, unknown> = {
    id: run.id,
    account_id: run.account.accountId,
    async_status: status,
    async_percent_completion: percent,
    date_start: run.dateStart,
    date_stop: run.dateStop,
    time_ref: Math.floor(run.createdMs / 1000),
    is_running: status === 'Job Not Started' || status === 'Job Started' || status === 'Job Running',
  };
  if (status === 'Job Completed') out.time_completed = Math.floor(state.now() / 1000);
  if (status === 'Job Failed') {
    Object.assign(out, {
      error_code: -2, error_subcode: 2490547, error_message: 'Report Failed',
      error_user_title: 'Report failed', error_user_msg: 'The report could not be generated. Try a smaller date range or fewer objects.',
    });
  }
  if (!fields.length) return out;
  const picked: Record<string, unknown> = { id: run.id };
  for (const f of fields) if (f in out) picked[f] = out[f];
  return picked;
}

/** `GET /<run>/insights`: rows of a completed run. */
export function readReportRunInsights(state: SimulatorState, run: ReportRun, params: Record<string, string>, origin: RequestOrigin): ListResponse {
  const { status } = statusAt(state, run);
  if (status !== 'Job Completed') {
    throw invalidParameter(`(#100) Report ${run.id} is not available: async_status is "${status}". Poll the report run until it is "Job Completed".`);
  }
  const scope = state.nodes.get(run.scopeId);
  if (!scope) throw invalidParameter(`(#100) The scope of report ${run.id} no longer exists`);
  const merged: Record<string, string> = { ...run.params };
  for (const k of ['limit', 'after', 'before', 'summary']) if (params[k] !== undefined) merged[k] = params[k] as string;
  return readInsights(state, scope, merged, { ...origin, params });
}
