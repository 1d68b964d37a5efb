import {
  allHandlersFinished, ApplicationFailure, CancellationScope, condition, ContinueAsNew, continueAsNew, isCancellation, proxyActivities,
  setCurrentDetails, setHandler, sleep, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { InsightsReadCounts, ReportJobSpec, ReportState } from '../activities/metrics-sync.activities';
import { METRIC_LEVELS, WorkflowKind, type MetricLevel } from '../domain/vocabulary';
import { ErrorType } from '../domain/error-types';
import { progressQuery, WorkUnit, type EntityProgress, type WorkflowProgress } from '../domain/progress';
import type { SyncResult } from '../domain/contracts/account-sync';
import { METRICS_SYNC_DEFAULTS, type MetricsSyncInput, type MetricsSyncPlan } from '../domain/contracts/metrics-sync';
import { addDays, daysBetween, isCalendarDay } from '../domain/calendar';
import {
  mergeDayRanges, missingDayRanges, startedByRequest, StartRequestRejection, startRequestUpdate, type DayRange, type StartRequest, type StartRequestAnswer,
} from '../domain/contracts/start-request';
import { activitySummaries, timerSummaries } from '../domain/workflow-summaries';
import { INSIGHTS_CONTROL_ACTIVITY, INSIGHTS_READ_ACTIVITY } from './activity-policies';
import { describeFailure, ensureSearchAttributes, workflowFailure } from './sync-progress';

/** Short calls: plan, report start/poll, campaign list, checkpoint, finish. */
const control = proxyActivities<Activities>(INSIGHTS_CONTROL_ACTIVITY);
/** Page-by-page reads that resume at the last written page. */
const readers = proxyActivities<Activities>(INSIGHTS_READ_ACTIVITY);

/** A single campaign's report is retried this many times before it is read synchronously. */
const SINGLE_CAMPAIGN_REPORT_ATTEMPTS = 2;

interface Unit {
  kind: 'sync' | 'async';
  since: string;
  until: string;
}

interface Job extends ReportJobSpec {
  attempts: number;
  /** Times the job's report run was gone (Meta forgot it) and the job started again. */
  restarts?: number;
}

/** A job whose report run keeps vanishing is read synchronously after this many new starts. */
const GONE_REPORT_RESTARTS = 3;

/**
 * Metrics sync of one ad account at one grain (`meta-metrics-sync:<adAccountId>:<grain>`): reads
 * insights at account, campaign, ad set and ad level with explicit attribution windows into the
 * metrics tables (source `meta`), checkpointing each finished local day so a failed run resumes
 * at the first unfinished one; the last `lookbackDays` are re-read every run. Long daily ranges
 * go through async report runs polled with durable timers; a report that fails or is skipped is
 * split into per-campaign id-list reports (bisected when they fail again), always keeping the
 * status filter that includes archived and deleted ads.
 */
export async function metricsSyncWorkflow(input: MetricsSyncInput): Promise<SyncResult> {
  const o = { ...METRICS_SYNC_DEFAULTS, ...stripUndefined(input) };
  validateInput(input, o);
  const levels: MetricLevel[] = input.levels?.length ? [...input.levels] : [...METRIC_LEVELS];
  const windows = [...o.attributionWindows];
  const cont = input.continuation;
  const counts: Record<string, number> = { ...(cont?.counts ?? {}) };
  const levelProgress: Record<string, EntityProgress> = cont?.levels ?? Object.fromEntries(levels.map((l) => [l, { pages: 0, rows: 0, days: 0, done: false }]));
  const progress: WorkflowProgress = { kind: WorkflowKind.MetricsSync, phase: 'planning', entities: levelProgress, counters: counts, updatedAt: now() };
  setHandler(progressQuery, () => progress);
  ensureSearchAttributes({ companyId: input.companyId, adAccountId: input.adAccountId, kind: WorkflowKind.MetricsSync });

  // Start requests (Update-With-Start) may add days to the run at any time before it closes; the
  // handler is set before planning, so the request that starts the run is answered by it too.
  let planned: MetricsSyncPlan | undefined = cont?.plan;
  let covers: DayRange[] = cont ? (cont.covers ?? [{ from: cont.plan.from, to: cont.plan.to }]) : [];
  let remaining: Unit[] = [];
  let closing = false;
  setHandler(
    startRequestUpdate,
    async (request: StartRequest): Promise<StartRequestAnswer> => {
      await condition(() => planned !== undefined);
      const p = planned as MetricsSyncPlan;
      const ask: { from?: string; to?: string } = request.ask.kind === 'metrics' ? request.ask : {};
      const to = ask.to ?? p.today;
      const from = ask.from ?? addDays(to, -(o.lookbackDays - 1));
      if (from > to) throw ApplicationFailure.create({ type: StartRequestRejection.Invalid, message: `from (${from}) must be on or before to (${to})`, nonRetryable: true });
      const missing = missingDayRanges({ from, to }, covers);
      if (missing.length > 0) {
        // Covered from now on, so a second request for the same days does not plan them twice.
        covers = mergeDayRanges([...covers, ...missing]);
        const more = await control.planMetricsSyncDays({ adAccountId: input.adAccountId, grain: input.grain, ranges: missing.map((r) => [r.from, r.to]), lookbackFrom: p.lookbackFrom });
        add(counts, 'daysPlanned', more.pendingDays);
        add(counts, 'daysSkipped', more.skippedDays);
        add(counts, 'daysRequested', more.pendingDays + more.skippedDays);
        remaining.push(...buildUnits(more.ranges, input.grain, o));
        report(`a start request added ${more.pendingDays} day(s) to read (${missing.map((r) => `${r.from} → ${r.to}`).join(', ')})`);
      }
      return {
        attached: !startedByRequest(workflowInfo().memo, request.requestId),
        covers: { kind: 'metrics', grain: input.grain, days: covers.map((r) => ({ ...r })), summary: coverageSummary(input.grain, covers) },
      };
    },
    {
      validator: (request: StartRequest): void => {
        if (closing) throw ApplicationFailure.create({ type: StartRequestRejection.Closing, message: 'This metrics sync is finishing and takes no more days', nonRetryable: true });
        const problems: string[] = [];
        if (request.ask?.kind !== 'metrics') problems.push(`a ${String(request.ask?.kind)} request cannot reach a metrics sync`);
        else {
          for (const [name, day] of [['from', request.ask.from], ['to', request.ask.to]] as const) {
            if (day !== undefined && !isCalendarDay(day)) problems.push(`${name} must be a day formatted YYYY-MM-DD, got "${day}"`);
          }
          if (request.ask.from && request.ask.to && request.ask.from > request.ask.to) problems.push(`from (${request.ask.from}) must be on or before to (${request.ask.to})`);
        }
        if (problems.length > 0) throw ApplicationFailure.create({ type: StartRequestRejection.Invalid, message: problems.join('; '), nonRetryable: true });
      },
    },
  );

  const plan: MetricsSyncPlan =
    cont?.plan ??
    (await control.planMetricsSync.executeWithOptions({ summary: activitySummaries.planMetrics(input.grain) }, [{
      companyId: input.companyId,
      adAccountId: input.adAccountId,
      grain: input.grain,
      from: input.from,
      to: input.to,
      lookbackDays: o.lookbackDays,
    }]));
  if (!cont) {
    add(counts, 'daysPlanned', plan.pendingDays);
    add(counts, 'daysSkipped', plan.skippedDays);
  }
  remaining = buildUnits(cont?.remaining ?? plan.ranges, input.grain, o);
  if (!cont) covers = [{ from: plan.from, to: plan.to }];
  planned = plan;
  /** Async units waiting for Meta's reports: how many runs are still running and their mean completion. */
  const reportRuns = new Map<Unit, { running: number; percent: number }>();
  /**
   * Days done of days planned, counting the days of units whose reports run by Meta's completion
   * percentage; kept from going back when a failed report is split and starts again at 0 %.
   */
  const worked = (): void => {
    let share = 0;
    let running = 0;
    let weighted = 0;
    for (const [unit, r] of reportRuns) {
      share += ((daysBetween(unit.since, unit.until) + 1) * r.percent) / 100;
      running += r.running;
      weighted += r.percent * r.running;
    }
    const done = Math.max(progress.work?.done ?? 0, Math.round(((counts.daysDone ?? 0) + share) * 100) / 100);
    progress.work = { done, total: Math.max(counts.daysPlanned ?? 0, done), unit: WorkUnit.Days };
    if (running > 0) progress.reports = { running, percent: Math.round(weighted / running) };
    else delete progress.reports;
  };
  function report(phase: string): void {
    progress.phase = phase;
    progress.updatedAt = now();
    worked();
    setCurrentDetails(
      `**${input.grain} metrics** ${coverageSummary(input.grain, covers)} (${plan.timezone}), lookback from ${plan.lookbackFrom}\n\n` +
        `${phase}\n\ndays done ${counts.daysDone ?? 0} / ${counts.daysPlanned ?? 0}, skipped ${counts.daysSkipped ?? 0}, rows ${counts.rows ?? 0}, pages ${counts.pages ?? 0}` +
        (counts.reportRuns ? `, reports ${counts.reportRuns} (split jobs ${counts.splitJobs ?? 0})` : ''),
    );
  }

  const addRead = (r: InsightsReadCounts): void => {
    add(counts, 'pages', r.pages);
    add(counts, 'apiCalls', r.apiCalls);
    add(counts, 'actionRows', r.actionRows);
    for (const [level, rows] of Object.entries(r.rows)) {
      add(counts, 'rows', rows ?? 0);
      const p = (levelProgress[level] ??= { pages: 0, rows: 0, days: 0, done: false });
      p.rows += rows ?? 0;
    }
    // Pages are attributed to the read's levels evenly enough for a progress view.
    const ls = Object.keys(r.rows);
    for (const level of ls) (levelProgress[level] as EntityProgress).pages += Math.ceil(r.pages / Math.max(1, ls.length));
  };

  const unitDone = (unit: Unit): void => {
    const days = daysBetween(unit.since, unit.until) + 1;
    reportRuns.delete(unit);
    add(counts, 'daysDone', days);
    for (const level of levels) {
      const p = levelProgress[level] as EntityProgress;
      p.days = (p.days ?? 0) + days;
      if (!p.cursor || unit.until > p.cursor) p.cursor = unit.until;
    }
  };

  let campaignIds: string[] | undefined;
  const splitCampaignIds = async (): Promise<string[]> => {
    if (!campaignIds) {
      const listed = await control.listCampaignIdsForSplit.executeWithOptions({ summary: activitySummaries.listCampaignsForSplit() }, [{ adAccountId: input.adAccountId }]);
      add(counts, 'apiCalls', listed.apiCalls);
      campaignIds = listed.campaignIds;
    }
    return campaignIds;
  };

  const syncUnit = async (unit: Unit, unitLevels: MetricLevel[], extra: { campaignIds?: string[]; checkpoint: boolean }): Promise<void> => {
    const r = await readers.syncInsightsChunk.executeWithOptions({ summary: activitySummaries.insightsChunk(input.grain, unit.since, unit.until, unitLevels) }, [{
      adAccountId: input.adAccountId,
      grain: input.grain,
      since: unit.since,
      until: unit.until,
      levels: unitLevels,
      attributionWindows: windows,
      pageSize: o.pageSize,
      campaignIds: extra.campaignIds,
      checkpoint: extra.checkpoint,
    }]);
    addRead(r);
  };

  /** Polls report runs with durable timers (backoff) until each is Completed, Failed or Skipped. */
  const waitForReports = async (unit: Unit, runIds: string[]): Promise<ReportState[]> => {
    const states: ReportState[] = runIds.map(() => 'running');
    const percents = runIds.map(() => 0);
    let pending = runIds.map((_, i) => i);
    let delay = o.reportPollInitialMs;
    while (pending.length > 0) {
      await sleep(delay, { summary: timerSummaries.reportPoll(pending.length, delay) });
      const polled = await control.getInsightsReportStatuses.executeWithOptions({ summary: activitySummaries.pollReports(pending.length) }, [
        { adAccountId: input.adAccountId, runIds: pending.map((i) => runIds[i] as string) },
      ]);
      add(counts, 'apiCalls', pending.length);
      pending = pending.filter((index, k) => {
        const state = polled.states[k] as ReportState;
        states[index] = state;
        // Results recorded before percentages were read carry none.
        percents[index] = state === 'running' ? Math.min(100, Math.max(0, polled.percents?.[k] ?? 0)) : 100;
        return state === 'running';
      });
      reportRuns.set(unit, { running: pending.length, percent: percents.reduce((a, b) => a + b, 0) / percents.length });
      worked();
      delay = Math.min(delay * 2, o.reportPollMaxMs);
    }
    return states;
  };

  const asyncUnit = async (unit: Unit): Promise<void> => {
    let jobs: Job[] = levels.map((level) => ({ level, attempts: 0 }));
    while (jobs.length > 0) {
      const { runIds } = await control.startInsightsReports.executeWithOptions({ summary: activitySummaries.startReports(unit.since, unit.until, jobs.length) }, [{
        adAccountId: input.adAccountId,
        since: unit.since,
        until: unit.until,
        attributionWindows: windows,
        jobs: jobs.map(({ level, campaignIds: ids }) => (ids ? { level, campaignIds: ids } : { level })),
      }]);
      add(counts, 'reportRuns', runIds.length);
      add(counts, 'apiCalls', runIds.length);
      const states = await waitForReports(unit, runIds);
      const completed: Array<{ runId: string; level: MetricLevel }> = [];
      const next: Job[] = [];
      const fallbacks: Array<{ level: MetricLevel; campaignIds?: string[] }> = [];
      // A run Meta no longer knows is the same job started again (it neither failed nor was
      // skipped); one that keeps vanishing is read synchronously.
      const restart = (job: Job): void => {
        add(counts, 'reportsGone', 1);
        const restarts = (job.restarts ?? 0) + 1;
        if (restarts > GONE_REPORT_RESTARTS) fallbacks.push(job.campaignIds ? { level: job.level, campaignIds: job.campaignIds } : { level: job.level });
        else next.push({ ...job, restarts });
      };
      for (let i = 0; i < jobs.length; i++) {
        const job = jobs[i] as Job;
        if (states[i] === 'completed') {
          completed.push({ runId: runIds[i] as string, level: job.level });
          continue;
        }
        if (states[i] === 'gone') {
          restart(job);
          continue;
        }
        add(counts, states[i] === 'skipped' ? 'reportsSkipped' : 'reportsFailed', 1);
        const split = await splitJob(job);
        next.push(...split.jobs);
        fallbacks.push(...split.fallbacks);
      }
      if (completed.length > 0) {
        const read = await readers.readInsightsReports.executeWithOptions({ summary: activitySummaries.readReports(completed.length) }, [
          { adAccountId: input.adAccountId, grain: input.grain, runs: completed, pageSize: o.pageSize },
        ]);
        addRead(read);
        for (const runId of read.goneRunIds ?? []) restart(jobs[runIds.indexOf(runId)] as Job);
      }
      for (const f of fallbacks) {
        add(counts, 'syncFallbacks', 1);
        await syncUnit(unit, [f.level], { campaignIds: f.campaignIds, checkpoint: false });
      }
      add(counts, 'splitJobs', next.length);
      jobs = next;
      if (jobs.length > 0) report(`${unit.since} → ${unit.until}: ${jobs.length} split report(s)`);
    }
    await control.checkpointMetricsDays.executeWithOptions({ summary: activitySummaries.checkpointDays(unit.since, unit.until) }, [
      { adAccountId: input.adAccountId, grain: input.grain, since: unit.since, until: unit.until },
    ]);
  };

  /**
   * A failed or skipped report becomes smaller reports, never smaller filters: an account-wide
   * report of a level is split into campaign id lists, a list is bisected, a single campaign is
   * retried, then read synchronously. Account-level rows cannot be split by campaign without
   * summing (which would lose Meta's own reach), so they are read synchronously (one row a day).
   */
  const splitJob = async (job: Job): Promise<{ jobs: Job[]; fallbacks: Array<{ level: MetricLevel; campaignIds?: string[] }> }> => {
    if (job.level === 'account') return { jobs: [], fallbacks: [{ level: 'account' }] };
    if (!job.campaignIds) {
      const ids = await splitCampaignIds();
      const jobs: Job[] = [];
      for (let i = 0; i < ids.length; i += o.campaignsPerSplitJob) jobs.push({ level: job.level, campaignIds: ids.slice(i, i + o.campaignsPerSplitJob), attempts: 0 });
      return { jobs, fallbacks: [] };
    }
    if (job.campaignIds.length > 1) {
      const half = Math.ceil(job.campaignIds.length / 2);
      return {
        jobs: [
          { level: job.level, campaignIds: job.campaignIds.slice(0, half), attempts: 0 },
          { level: job.level, campaignIds: job.campaignIds.slice(half), attempts: 0 },
        ],
        fallbacks: [],
      };
    }
    if (job.attempts + 1 < SINGLE_CAMPAIGN_REPORT_ATTEMPTS) return { jobs: [{ ...job, attempts: job.attempts + 1 }], fallbacks: [] };
    return { jobs: [], fallbacks: [{ level: job.level, campaignIds: job.campaignIds }] };
  };

  const runUnit = async (unit: Unit): Promise<void> => {
    if (unit.kind === 'async') await asyncUnit(unit);
    else await syncUnit(unit, levels, { checkpoint: true });
    unitDone(unit);
    report(`read ${unit.since} → ${unit.until}`);
  };

  let continueWith: Array<[string, string]> | undefined;
  try {
    report(`reading ${plan.pendingDays} day(s) in ${remaining.length} chunk(s)`);
    // A sliding window of chunks; when Temporal suggests a new run, stop starting chunks,
    // let the running ones finish, and carry the rest over.
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    let monthlyRead = false;
    for (;;) {
      while (remaining.length > 0 && failure === undefined) {
        if (workflowInfo().continueAsNewSuggested) break;
        const unit = remaining.shift() as Unit;
        const p: Promise<void> = runUnit(unit).then(
          () => void inFlight.delete(p),
          (error: unknown) => {
            inFlight.delete(p);
            failure ??= error;
          },
        );
        inFlight.add(p);
        if (inFlight.size >= o.maxParallelChunks) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure;
      if (remaining.length === 0 && o.monthlyReach && input.grain === 'daily' && !monthlyRead) {
        report('reading monthly reach');
        await readMonthly(coverageSpan(covers), input, windows, o.pageSize, addRead);
        monthlyRead = true;
      }
      // A start request may be adding days: let it finish and read them too. Once nothing is
      // left, the run refuses further requests (they start a new run after this one closes).
      await condition(allHandlersFinished);
      if (remaining.length > 0 && !workflowInfo().continueAsNewSuggested) {
        monthlyRead = false;
        continue;
      }
      closing = true;
      break;
    }
    if (remaining.length > 0) {
      continueWith = remaining.map((u) => [u.since, u.until]);
    } else {
      for (const level of levels) (levelProgress[level] as EntityProgress).done = true;
      report('done');
      const span = coverageSpan(covers);
      await control.finishMetricsSync({ adAccountId: input.adAccountId, runId: plan.runId, status: 'completed', counts, cursors: { from: span.from, to: span.to } });
    }
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    const status = isCancellation(error) ? 'canceled' : 'failed';
    report(status);
    await CancellationScope.nonCancellable(() =>
      control.finishMetricsSync({
        adAccountId: input.adAccountId,
        runId: plan.runId,
        status,
        counts,
        error: describeFailure(error),
      }),
    );
    throw workflowFailure(error);
  }
  if (continueWith) {
    return continueAsNew<typeof metricsSyncWorkflow>({ ...input, continuation: { plan, remaining: continueWith, counts, levels: levelProgress, covers } });
  }
  return { adAccountId: input.adAccountId, kind: WorkflowKind.MetricsSync, counts, apiCalls: counts.apiCalls ?? 0 };
}

/** A bad knob would loop forever or read nothing: refuse it before any work (non-retryable). */
function validateInput(input: MetricsSyncInput, o: Record<string, unknown>): void {
  const problems: string[] = [];
  if (input.grain !== 'daily' && input.grain !== 'hourly') problems.push(`grain must be daily or hourly, got "${String(input.grain)}"`);
  for (const key of ['daysPerChunk', 'asyncDaysPerReport', 'campaignsPerSplitJob', 'pageSize', 'maxParallelChunks', 'reportPollInitialMs', 'reportPollMaxMs', 'lookbackDays'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) problems.push(`${key} must be a positive integer`);
  }
  if (typeof o.asyncMinDays !== 'number' || !Number.isInteger(o.asyncMinDays) || o.asyncMinDays < 0) problems.push('asyncMinDays must be 0 (never) or a positive integer');
  if (typeof o.asyncDaysPerReport === 'number' && o.asyncDaysPerReport > 90) problems.push('asyncDaysPerReport must be at most 90');
  for (const level of input.levels ?? []) if (!METRIC_LEVELS.includes(level)) problems.push(`unknown level "${level}"`);
  if (problems.length > 0) {
    throw ApplicationFailure.create({ type: ErrorType.Validation, message: `Invalid metrics sync input: ${problems.join('; ')}`, nonRetryable: true });
  }
}

/** Monthly rows (reach and frequency at month grain, never summable from days) for the months the run touched. */
async function readMonthly(
  plan: DayRange,
  input: MetricsSyncInput,
  windows: string[],
  pageSize: number,
  addRead: (r: InsightsReadCounts) => void,
): Promise<void> {
  const since = `${plan.from.slice(0, 7)}-01`;
  const levels = input.levels?.length ? [...input.levels] : [...METRIC_LEVELS];
  const r = await readers.syncInsightsChunk.executeWithOptions({ summary: activitySummaries.insightsChunk('monthly', since, plan.to, levels) }, [{
    adAccountId: input.adAccountId,
    grain: 'monthly',
    since: since,
    until: plan.to,
    levels,
    attributionWindows: windows,
    pageSize,
    checkpoint: false,
  }]);
  addRead(r);
}

/** Cuts day ranges into work units: hourly one day each; daily long runs async, the rest sync chunks. */
function buildUnits(
  ranges: ReadonlyArray<readonly [string, string]>,
  grain: MetricsSyncInput['grain'],
  o: { daysPerChunk: number; asyncMinDays: number; asyncDaysPerReport: number },
): Unit[] {
  const units: Unit[] = [];
  for (const [since, until] of ranges) {
    const days = daysBetween(since, until) + 1;
    const async = grain === 'daily' && o.asyncMinDays > 0 && days >= o.asyncMinDays;
    const step = grain === 'hourly' ? 1 : async ? o.asyncDaysPerReport : o.daysPerChunk;
    for (let start = since; start <= until; start = addDays(start, step)) {
      const end = addDays(start, step - 1);
      units.push({ kind: async ? 'async' : 'sync', since: start, until: end < until ? end : until });
    }
  }
  return units;
}

/** First and last day the run covers (its plan and the days start requests added). */
function coverageSpan(covers: readonly DayRange[]): DayRange {
  return { from: covers[0]?.from ?? '', to: covers[covers.length - 1]?.to ?? '' };
}

/** "2026-01-01 → 2026-01-30" (or several ranges, comma-separated). */
function coverageSummary(grain: MetricsSyncInput['grain'], covers: readonly DayRange[]): string {
  return `${grain} metrics of ${covers.map((r) => (r.from === r.to ? r.from : `${r.from} → ${r.to}`)).join(', ')}`;
}

function add(counts: Record<string, number>, key: string, n: number): void {
  counts[key] = (counts[key] ?? 0) + n;
}

function now(): string {
  return new Date(Date.now()).toISOString();
}


function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
