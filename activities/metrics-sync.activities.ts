import { activityInfo, heartbeat } from '@temporalio/activity';
import { saveAdAccountTimezone, stampAdAccountSynced } from '../src/db/ad-account-repository';
import { checkpointDays, listCheckpointedDays } from '../src/db/metrics-checkpoints';
import {
  upsertDailyActions, upsertDailyMetrics, upsertHourlyActions, upsertHourlyMetrics, upsertMonthlyActions, upsertMonthlyMetrics,
  type DailyActionRow, type DailyMetricRow, type HourlyActionRow, type HourlyMetricRow, type MonthlyActionRow, type MonthlyMetricRow,
} from '../src/db/metrics-upsert';
import { writeMetricsPageByCopy, type MetricsPageRows } from '../src/db/metrics-page-copy';
import { pruneStaleMetaActions } from '../src/db/metrics-stale-actions';
import type { Db } from '../src/db/prisma-client';
import { finishSyncRun, startSyncRun } from '../src/db/sync-runs';
import { MetaInvalidRequestError, ValidationError } from '../src/errors';
import {
  AsyncReportStatus, effectiveStatusFilter, FilterOperator, HOURLY_BREAKDOWN, HOURLY_INSIGHTS_FIELDS, INSIGHTS_FIELDS, parseInsightsWireRow,
  type EdgePage, type InsightsWireRow, type MetaClient, type MetaFilter,
} from '../src/meta';
import { addDays, daysBetween, hourStartInstant, isCalendarDay, localDate } from '../domain/calendar';
import type { MetricsSyncPlan } from '../domain/contracts/metrics-sync';
import { metricsRangeProblem, resolveMetricsRange } from '../domain/metrics-range';
import type { MetricLevel, MetricsGrain } from '../domain/vocabulary';
import type { ActivityDeps } from './activity-deps';
import { openAdAccount } from './meta-access';
import { assertUsageBelowThreshold, runMetaActivity } from './meta-failures';

/**
 * Activities of the metrics sync (workflows/metrics-sync.workflow.ts). Each reads insights page
 * by page, writes every page with one set-based upsert per table, heartbeats its position AFTER
 * the write (a retry resumes there; a replayed page changes nothing) and returns counts only.
 */

/** Grain of one read: the workflow's grains plus the optional monthly reach read. */
export type ReadGrain = MetricsGrain | 'monthly';

/** Counts an insights read returns (never rows). */
export interface InsightsReadCounts {
  rows: Partial<Record<MetricLevel, number>>;
  actionRows: number;
  pages: number;
  apiCalls: number;
}

export interface SyncInsightsChunkInput {
  adAccountId: string;
  grain: ReadGrain;
  /** Inclusive account-local days; hourly reads must be one day. */
  since: string;
  until: string;
  levels: MetricLevel[];
  attributionWindows: string[];
  pageSize: number;
  /** Only ads of these campaigns (a split report's fallback); the status filter is always kept. */
  campaignIds?: string[];
  /** Checkpoint [since, until] when every level was read. */
  checkpoint: boolean;
}

export interface StartReportsInput {
  adAccountId: string;
  since: string;
  until: string;
  attributionWindows: string[];
  jobs: ReportJobSpec[];
}

/** One async report: a level, over the whole account or a list of campaigns. */
export interface ReportJobSpec {
  level: MetricLevel;
  campaignIds?: string[];
}

/**
 * `gone`: Meta no longer knows the report run (it expired, or the Meta side forgot it, as the demo
 * simulator does when it restarts with the service): the job is started again, not split.
 */
export type ReportState = 'running' | 'completed' | 'failed' | 'skipped' | 'gone';

/** What reading completed report runs returns: counts, and the runs Meta no longer knows (to start again). */
export interface ReadReportsResult extends InsightsReadCounts {
  goneRunIds?: string[];
}

/** Meta's "object does not exist" (100/33) on a report run's own id: the run is gone. */
function isGoneReportRun(error: unknown): boolean {
  return error instanceof MetaInvalidRequestError && error.meta.metaCode === 100 && error.meta.metaSubcode === 33;
}

export interface ReadReportsInput {
  adAccountId: string;
  grain: ReadGrain;
  runs: Array<{ runId: string; level: MetricLevel }>;
  pageSize: number;
}

interface ChunkHeartbeat {
  levelIndex: number;
  after?: string;
  limit?: number;
  counts: InsightsReadCounts;
}

interface ReportsHeartbeat {
  runIndex: number;
  after?: string;
  limit?: number;
  counts: InsightsReadCounts;
}

export function createMetricsSyncActivities(deps: ActivityDeps) {
  return {
    /**
     * Decides what the run reads: `to` defaults to today in the account's time zone, `from` to
     * `to − lookbackDays + 1`; days already checkpointed are skipped unless they fall in the
     * lookback window (Meta keeps revising those). A range longer than the grain's cap
     * (domain/metrics-range.ts) is refused before anything is opened. Opens the run's sync_runs row.
     */
    async planMetricsSync(input: {
      companyId: string;
      adAccountId: string;
      grain: MetricsGrain;
      from?: string;
      to?: string;
      lookbackDays: number;
    }): Promise<MetricsSyncPlan> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        if (!Number.isInteger(input.lookbackDays) || input.lookbackDays < 1) throw new ValidationError('lookbackDays must be a positive integer');
        for (const [name, day] of [['from', input.from], ['to', input.to]] as const) {
          if (day !== undefined && !isCalendarDay(day)) throw new ValidationError(`${name} must be a day formatted YYYY-MM-DD, got "${day}"`);
        }
        const { account, client } = await openAdAccount(deps, input.adAccountId);
        const timezone = account.timezoneName ?? (await loadTimezone(deps, client, input.adAccountId));
        const today = localDate(Date.now(), timezone);
        const { from, to } = resolveMetricsRange({ from: input.from, to: input.to, today, lookbackDays: input.lookbackDays });
        // The fronts check this too; here no start (a schedule, a company sync's child, a client) can plan past the cap.
        const problem = metricsRangeProblem({ from, to, grain: input.grain, fromGiven: input.from !== undefined, toGiven: input.to !== undefined });
        if (problem) throw new ValidationError(problem);
        const lookbackFrom = addDays(today, -(input.lookbackDays - 1));
        const done = await listCheckpointedDays(deps.db, { adAccountId: input.adAccountId, grain: input.grain, from, to });
        const ranges: Array<[string, string]> = [];
        let pendingDays = 0;
        for (let day = from; day <= to; day = addDays(day, 1)) {
          if (done.has(day) && day < lookbackFrom) continue;
          pendingDays++;
          const last = ranges[ranges.length - 1];
          if (last && addDays(last[1], 1) === day) last[1] = day;
          else ranges.push([day, day]);
        }
        const execution = callerExecution();
        const run = await startSyncRun(deps.db, {
          companyId: account.companyId,
          adAccountId: input.adAccountId,
          kind: 'metrics',
          grain: input.grain,
          workflowId: execution.workflowId,
          runId: execution.runId,
        });
        return {
          syncRunId: run.syncRunId,
          runId: execution.runId,
          timezone,
          today,
          from,
          to,
          lookbackFrom,
          ranges,
          pendingDays,
          skippedDays: daysBetween(from, to) + 1 - pendingDays,
        };
      });
    },

    /**
     * The days a running sync takes on for a start request (the `startRequest` update): of the
     * given ranges, every day not checkpointed yet or inside the lookback window, as the plan
     * decides them. Opens no run: the days join the running one.
     */
    async planMetricsSyncDays(input: {
      adAccountId: string;
      grain: ReadGrain;
      ranges: Array<[string, string]>;
      lookbackFrom: string;
    }): Promise<{ ranges: Array<[string, string]>; pendingDays: number; skippedDays: number }> {
      const ranges: Array<[string, string]> = [];
      let pendingDays = 0;
      let skippedDays = 0;
      for (const [from, to] of input.ranges) {
        if (!isCalendarDay(from) || !isCalendarDay(to) || from > to) throw new ValidationError(`Not a day range: ${from} → ${to}`);
        const done = await listCheckpointedDays(deps.db, { adAccountId: input.adAccountId, grain: input.grain, from, to });
        for (let day = from; day <= to; day = addDays(day, 1)) {
          if (done.has(day) && day < input.lookbackFrom) {
            skippedDays++;
            continue;
          }
          pendingDays++;
          const last = ranges[ranges.length - 1];
          if (last && addDays(last[1], 1) === day) last[1] = day;
          else ranges.push([day, day]);
        }
      }
      return { ranges, pendingDays, skippedDays };
    },

    /**
     * Reads insights synchronously for [since, until] at each level (daily: `time_increment=1`;
     * hourly: the advertiser-time-zone hourly breakdown, one day), page by page, and checkpoints
     * the days when every level is written. Resumes from the heartbeated level and cursor.
     */
    async syncInsightsChunk(input: SyncInsightsChunkInput): Promise<InsightsReadCounts> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        if (input.grain === 'hourly' && input.since !== input.until) throw new ValidationError('hourly insights are read one day per request');
        const { client, timezone } = await openWithTimezone(deps, input.adAccountId);
        const resume = activityInfo().heartbeatDetails as ChunkHeartbeat | undefined;
        const counts = resume?.counts ?? emptyCounts();
        const hourly = input.grain === 'hourly';
        const filtering = insightsFilters(input.campaignIds);
        for (let li = resume?.levelIndex ?? 0; li < input.levels.length; li++) {
          const level = input.levels[li] as MetricLevel;
          const after = li === resume?.levelIndex ? resume.after : undefined;
          const limit = (li === resume?.levelIndex ? resume.limit : undefined) ?? input.pageSize;
          await readAllPages({
            after,
            limit,
            fetch: (pageAfter, pageLimit) =>
              client.getInsightsPage({
                objectId: input.adAccountId,
                level,
                fields: hourly ? HOURLY_INSIGHTS_FIELDS : INSIGHTS_FIELDS,
                timeRange: { since: input.since, until: input.until },
                timeIncrement: input.grain === 'monthly' ? 'monthly' : 1,
                breakdowns: hourly ? [HOURLY_BREAKDOWN] : undefined,
                actionBreakdowns: ['action_type'],
                actionAttributionWindows: input.attributionWindows,
                filtering,
                limit: pageLimit,
                after: pageAfter,
              }),
            write: (data) => writeInsightsPage(deps, { grain: input.grain, level, adAccountId: input.adAccountId, timezone }, data, counts),
            written: (nextAfter, nextLimit) => {
              counts.apiCalls++;
              heartbeat({ levelIndex: nextAfter ? li : li + 1, after: nextAfter, limit: nextLimit, counts } satisfies ChunkHeartbeat);
            },
            beforeNext: () => assertUsageBelowThreshold(client, input.adAccountId),
          });
        }
        if (input.checkpoint) {
          await checkpointDays(deps.db, {
            adAccountId: input.adAccountId,
            grain: input.grain,
            since: input.since,
            until: input.until,
            workflowId: callerExecution().workflowId,
          });
        }
        return counts;
      });
    },

    /** Lists the account's campaign ids, every status included (ARCHIVED, DELETED), to split failed reports. */
    async listCampaignIdsForSplit(input: { adAccountId: string }): Promise<{ campaignIds: string[]; apiCalls: number }> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { client } = await openAdAccount(deps, input.adAccountId);
        const ids: string[] = [];
        let apiCalls = 0;
        for await (const page of client.walkEdge<{ id: string }>({
          path: [input.adAccountId, 'campaigns'],
          fields: ['id'],
          params: { filtering: [effectiveStatusFilter('campaign')] },
          limit: 500,
        })) {
          apiCalls++;
          for (const row of page.data) ids.push(String(row.id));
          heartbeat({ ids: ids.length });
        }
        return { campaignIds: [...new Set(ids)].sort(), apiCalls };
      });
    },

    /** Starts one async report per job; a retry starts only the jobs not started yet. */
    async startInsightsReports(input: StartReportsInput): Promise<{ runIds: string[] }> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { client } = await openAdAccount(deps, input.adAccountId);
        const runIds = [...(((activityInfo().heartbeatDetails as { runIds?: string[] } | undefined)?.runIds) ?? [])];
        for (let i = runIds.length; i < input.jobs.length; i++) {
          const job = input.jobs[i] as ReportJobSpec;
          runIds.push(
            await client.startInsightsReport({
              objectId: input.adAccountId,
              level: job.level,
              fields: INSIGHTS_FIELDS,
              timeRange: { since: input.since, until: input.until },
              timeIncrement: 1,
              actionBreakdowns: ['action_type'],
              actionAttributionWindows: input.attributionWindows,
              filtering: insightsFilters(job.campaignIds),
            }),
          );
          heartbeat({ runIds });
        }
        return { runIds };
      });
    },

    /** One poll of each report run. Failed and Skipped are answers, not errors: the workflow splits them. */
    async getInsightsReportStatuses(input: { adAccountId: string; runIds: string[] }): Promise<{ states: ReportState[]; percents: number[] }> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { client } = await openAdAccount(deps, input.adAccountId);
        const states: ReportState[] = [];
        const percents: number[] = [];
        for (const runId of input.runIds) {
          let run: Awaited<ReturnType<typeof client.getReportRun>>;
          try {
            run = await client.getReportRun(runId);
          } catch (error) {
            if (!isGoneReportRun(error)) throw error;
            states.push('gone');
            percents.push(0);
            heartbeat({ polled: percents.length });
            continue;
          }
          states.push(
            run.status === AsyncReportStatus.Completed ? 'completed'
              : run.status === AsyncReportStatus.Failed ? 'failed'
                : run.status === AsyncReportStatus.Skipped ? 'skipped'
                  : 'running',
          );
          percents.push(run.percent);
          heartbeat({ polled: percents.length });
        }
        return { states, percents };
      });
    },

    /** Reads every page of completed report runs into the metrics tables; resumes at the heartbeated run and cursor. */
    async readInsightsReports(input: ReadReportsInput): Promise<ReadReportsResult> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { client, timezone } = await openWithTimezone(deps, input.adAccountId);
        const resume = activityInfo().heartbeatDetails as ReportsHeartbeat | undefined;
        const counts: ReadReportsResult = resume?.counts ?? emptyCounts();
        for (let ri = resume?.runIndex ?? 0; ri < input.runs.length; ri++) {
          const run = input.runs[ri] as { runId: string; level: MetricLevel };
          const gone = (error: unknown): void => {
            if (!isGoneReportRun(error)) throw error;
            // Its rows are upserts: the run started again rewrites whatever this one wrote.
            counts.goneRunIds = [...(counts.goneRunIds ?? []), run.runId];
            heartbeat({ runIndex: ri + 1, counts } satisfies ReportsHeartbeat);
          };
          await readAllPages({
            after: ri === resume?.runIndex ? resume.after : undefined,
            limit: (ri === resume?.runIndex ? resume.limit : undefined) ?? input.pageSize,
            fetch: (pageAfter, pageLimit) => client.getReportRunPage(run.runId, { limit: pageLimit, after: pageAfter }),
            write: (data) => writeInsightsPage(deps, { grain: input.grain, level: run.level, adAccountId: input.adAccountId, timezone }, data, counts),
            written: (nextAfter, nextLimit) => {
              counts.apiCalls++;
              heartbeat({ runIndex: nextAfter ? ri : ri + 1, after: nextAfter, limit: nextLimit, counts } satisfies ReportsHeartbeat);
            },
            beforeNext: () => assertUsageBelowThreshold(client, input.adAccountId),
          }).catch(gone);
        }
        return counts;
      });
    },

    /** Checkpoints [since, until] once every level of those days is written (the async path). */
    async checkpointMetricsDays(input: { adAccountId: string; grain: ReadGrain; since: string; until: string }): Promise<number> {
      return checkpointDays(deps.db, { ...input, workflowId: callerExecution().workflowId });
    },

    /** Closes the run's sync_runs row; on success stamps `ad_accounts.last_metrics_sync_at`. */
    async finishMetricsSync(input: {
      adAccountId: string;
      runId: string;
      status: 'completed' | 'failed' | 'canceled';
      counts: Record<string, number>;
      cursors?: Record<string, unknown>;
      error?: { type?: string; message: string };
    }): Promise<void> {
      const { workflowId } = callerExecution();
      await finishSyncRun(deps.db, { workflowId, runId: input.runId, status: input.status, counts: input.counts, cursors: input.cursors, error: input.error });
      if (input.status === 'completed') {
        await stampAdAccountSynced(deps.db, { adAccountId: input.adAccountId, kind: 'metrics' });
      }
    },
  };
}

// ───────────────────────────── reading and writing pages ─────────────────────────────

/**
 * Reads every page from a cursor, asking for page N+1 while page N is written (Meta's latency and
 * the database overlap). `written` runs after each page's write (heartbeat the NEXT cursor
 * there); `beforeNext` may throw to stop before Meta blocks the account.
 */
async function readAllPages(o: {
  after?: string;
  limit: number;
  fetch: (after: string | undefined, limit: number) => Promise<EdgePage<unknown>>;
  write: (data: unknown[]) => Promise<void>;
  written: (nextAfter: string | undefined, nextLimit: number) => void;
  beforeNext: () => void;
}): Promise<void> {
  let pending = o.fetch(o.after, o.limit);
  for (;;) {
    const page = await pending;
    let next: Promise<EdgePage<unknown>> | undefined;
    if (page.after !== undefined) {
      next = o.fetch(page.after, page.limit);
      // Awaited on the next turn; a failure while this page is written must not go unhandled.
      next.catch(() => undefined);
    }
    await o.write(page.data);
    o.written(page.after, page.limit);
    if (!next) return;
    o.beforeNext();
    pending = next;
  }
}

interface PageContext {
  grain: ReadGrain;
  level: MetricLevel;
  adAccountId: string;
  timezone: string;
}

/**
 * Writes one page: metric rows and action rows (one upsert each), then removes Meta action rows
 * of the page's (entity, bucket) keys that the page no longer carries (an action Meta revised
 * to zero disappears from its list). Large pages go through COPY into staging tables in one
 * transaction (src/db/metrics-page-copy.ts); small ones, or without a pg pool, as JSON upserts.
 * Counts are added to `counts`.
 */
async function writeInsightsPage(deps: ActivityDeps, ctx: PageContext, rawRows: readonly unknown[], counts: InsightsReadCounts): Promise<void> {
  counts.pages++;
  if (rawRows.length === 0) return;
  const hourly = ctx.grain === 'hourly';
  const parseCtx = { level: ctx.level, breakdowns: hourly ? [HOURLY_BREAKDOWN] : [] };
  const parsed = rawRows.map((raw) => parseInsightsWireRow(raw, parseCtx));
  const page = pageRows(ctx, parsed);
  const pool = deps.pgPool;
  if (pool && parsed.length >= (deps.copyMinRows ?? DEFAULT_COPY_MIN_ROWS)) {
    await writeMetricsPageByCopy(pool, page);
  } else {
    await writeMetricsPageByJson(deps.db, page);
  }
  counts.rows[ctx.level] = (counts.rows[ctx.level] ?? 0) + parsed.length;
  counts.actionRows += page.actions.length;
}

/** Pages of at least this many rows are written by COPY when a pg pool is available. */
const DEFAULT_COPY_MIN_ROWS = 100;

/** The page's rows for its grain's tables. */
function pageRows(ctx: PageContext, parsed: readonly InsightsWireRow[]): MetricsPageRows {
  const { level, adAccountId } = ctx;
  if (ctx.grain === 'hourly') {
    const metrics: HourlyMetricRow[] = [];
    const actions: HourlyActionRow[] = [];
    for (const row of parsed) {
      if (row.localHour === undefined) throw new ValidationError(`Meta returned an hourly insights row without its hour (${row.entityId} ${row.dateStart})`);
      const bucketStart = hourStartInstant(row.dateStart, row.localHour, ctx.timezone);
      const entityId = row.entityId;
      metrics.push({
        level, entityId, adAccountId, campaignId: row.campaignId, adsetId: row.adsetId, spend: row.spend, impressions: row.impressions,
        clicks: row.clicks, inlineLinkClicks: row.inlineLinkClicks, bucketStart, localDate: row.dateStart, localHour: row.localHour,
      });
      for (const a of row.actions) {
        actions.push({ level, entityId, adAccountId, actionType: a.actionType, attributionWindow: a.attributionWindow, count: a.count, value: a.value, bucketStart, localDate: row.dateStart });
      }
    }
    return { grain: 'hourly', metrics, actions };
  }
  if (ctx.grain === 'daily') {
    const metrics: DailyMetricRow[] = [];
    const actions: DailyActionRow[] = [];
    for (const row of parsed) {
      const date = row.dateStart;
      metrics.push({ level, entityId: row.entityId, adAccountId, ...metricValues(row), date });
      for (const a of row.actions) {
        actions.push({ level, entityId: row.entityId, adAccountId, actionType: a.actionType, attributionWindow: a.attributionWindow, count: a.count, value: a.value, date });
      }
    }
    return { grain: 'daily', metrics, actions };
  }
  const metrics: MonthlyMetricRow[] = [];
  const actions: MonthlyActionRow[] = [];
  for (const row of parsed) {
    const month = `${row.dateStart.slice(0, 7)}-01`;
    metrics.push({ level, entityId: row.entityId, adAccountId, ...metricValues(row), month });
    for (const a of row.actions) {
      actions.push({ level, entityId: row.entityId, adAccountId, actionType: a.actionType, attributionWindow: a.attributionWindow, count: a.count, value: a.value, month });
    }
  }
  return { grain: 'monthly', metrics, actions };
}

/** The JSON path: three statements at once (they touch different rows, see pruneStaleMetaActions; each is idempotent). */
async function writeMetricsPageByJson(db: Db, page: MetricsPageRows): Promise<void> {
  if (page.grain === 'hourly') {
    await Promise.all([
      upsertHourlyMetrics(db, page.metrics),
      upsertHourlyActions(db, page.actions),
      pruneStaleMetaActions(db, 'hourly', page.metrics.map((m) => ({ level: m.level, entityId: m.entityId, bucket: m.bucketStart })), page.actions.map((a) => ({ level: a.level, entityId: a.entityId, bucket: a.bucketStart, actionType: a.actionType, attributionWindow: a.attributionWindow }))),
    ]);
  } else if (page.grain === 'daily') {
    await Promise.all([
      upsertDailyMetrics(db, page.metrics),
      upsertDailyActions(db, page.actions),
      pruneStaleMetaActions(db, 'daily', page.metrics.map((m) => ({ level: m.level, entityId: m.entityId, bucket: m.date })), page.actions.map((a) => ({ level: a.level, entityId: a.entityId, bucket: a.date, actionType: a.actionType, attributionWindow: a.attributionWindow }))),
    ]);
  } else {
    await Promise.all([upsertMonthlyMetrics(db, page.metrics), upsertMonthlyActions(db, page.actions)]);
  }
}

/** Daily and monthly rows carry Meta's ratios and deduplicated counts. */
function metricValues(row: InsightsWireRow) {
  return {
    campaignId: row.campaignId, adsetId: row.adsetId, spend: row.spend, impressions: row.impressions, clicks: row.clicks, inlineLinkClicks: row.inlineLinkClicks,
    uniqueClicks: row.uniqueClicks, reach: row.reach, frequency: row.frequency, ctr: row.ctr, cpc: row.cpc, cpm: row.cpm,
  };
}

/** `ad.effective_status IN [every status]` always (deleted and archived ads keep their spend), plus the split's campaign list. */
function insightsFilters(campaignIds?: readonly string[]): MetaFilter[] {
  const filters: MetaFilter[] = [effectiveStatusFilter('ad')];
  if (campaignIds) filters.push({ field: 'campaign.id', operator: FilterOperator.In, value: [...campaignIds] });
  return filters;
}

/** The workflow run that scheduled the current activity. */
function callerExecution(): { workflowId: string; runId: string } {
  const execution = activityInfo().workflowExecution;
  if (!execution) throw new ValidationError('metrics sync activities run only inside a workflow');
  return execution;
}

function emptyCounts(): InsightsReadCounts {
  return { rows: {}, actionRows: 0, pages: 0, apiCalls: 0 };
}

async function openWithTimezone(deps: ActivityDeps, adAccountId: string): Promise<{ client: MetaClient; timezone: string }> {
  const { account, client } = await openAdAccount(deps, adAccountId);
  return { client, timezone: account.timezoneName ?? (await loadTimezone(deps, client, adAccountId)) };
}

/** Reads the account's time zone (and currency) from Meta when no entity sync stored it yet. */
async function loadTimezone(deps: ActivityDeps, client: MetaClient, adAccountId: string): Promise<string> {
  const raw = await client.getAdAccount(adAccountId, ['id', 'timezone_name', 'currency']);
  const timezone = typeof raw.timezone_name === 'string' ? raw.timezone_name : undefined;
  if (!timezone) throw new ValidationError(`Meta returned no timezone_name for ad account ${adAccountId}`);
  await saveAdAccountTimezone(deps.db, { adAccountId, timezoneName: timezone, ...(typeof raw.currency === 'string' ? { currency: raw.currency } : {}) });
  return timezone;
}
