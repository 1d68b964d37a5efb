/**
 * Sync benchmark: the simulator's `large` profile (4 ad accounts × 5,000 ads) with a realistic
 * per-request latency, a full entity sync of every account, then daily and hourly ad-level
 * metrics syncs, all through a real Temporal dev server and worker into a fresh PostgreSQL
 * database. In the same run, the floor: a raw `COPY ... FROM STDIN` of the very rows the metrics
 * syncs wrote into empty tables shaped like them (same columns, same indexes).
 *
 * Prints `sync.*` lines: Graph API calls vs the paging lower bound (sum over entity edges of
 * ceil(objects / max page size), at least one call per edge read), wall times, rows written per
 * second vs COPY, peak RSS of the worker (this process) and, apart, of the simulator, which runs
 * in a process of its own like Meta does for production, and Temporal history events per page.
 *
 *   npm run bench:sync
 * Env: BENCH_DATABASE_URL (server URL; a database is created and dropped), BENCH_PROFILE (large),
 *      BENCH_LATENCY_MS (100), BENCH_ACCOUNTS (all), BENCH_DAILY_DAYS (30), BENCH_HOURLY_DAYS (7),
 *      BENCH_LEVELS (ad), BENCH_ASYNC_MIN_DAYS (14; 0 = synchronous reads only), BENCH_POLL_MS (500),
 *      BENCH_PARALLEL_CHUNKS (2), BENCH_PAGE_SIZE (1000), BENCH_SKIP_FULL_SYNC (unset).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { createTokenCipher, largestWorkingPageSize } from '../src/meta';
import { syncEdgeFields } from '../activities/entity-sync.activities';
import { startSimulatorProcess } from './simulator-process';
import type { BuiltInProfileName } from '../src/simulator/profiles';
import { startBenchStack } from './bench-stack';
import type { MetricLevel } from '../domain/vocabulary';
import { addDays } from '../domain/calendar';
import { workflowIds } from '../domain/workflow-ids';
import type { SyncResult } from '../domain/contracts/account-sync';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const PROFILE = env('BENCH_PROFILE', 'large') as BuiltInProfileName;
const LATENCY_MS = Number(env('BENCH_LATENCY_MS', '100'));
const DAILY_DAYS = Number(env('BENCH_DAILY_DAYS', '30'));
const HOURLY_DAYS = Number(env('BENCH_HOURLY_DAYS', '7'));
const LEVELS = env('BENCH_LEVELS', 'ad').split(',') as MetricLevel[];
const ASYNC_MIN_DAYS = Number(env('BENCH_ASYNC_MIN_DAYS', '14'));
const POLL_MS = Number(env('BENCH_POLL_MS', '500'));
const PARALLEL_CHUNKS = Number(env('BENCH_PARALLEL_CHUNKS', '2'));
const PAGE_SIZE = Number(env('BENCH_PAGE_SIZE', '1000'));
const SKIP_FULL_SYNC = Boolean(process.env.BENCH_SKIP_FULL_SYNC);
const TOKEN = 'bench-token';
const METRIC_TABLES = ['metrics_daily', 'metrics_daily_actions', 'metrics_hourly', 'metrics_hourly_actions'] as const;

type Stats = { totalCalls: number; byEndpoint: Record<string, number> };

async function main(): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  let overall = peakRss;
  const overallPeak = (): number => Math.max(overall, peakRss);
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    overall = Math.max(overall, peakRss);
  }, 100);
  const t0 = performance.now();
  const sim = await startSimulatorProcess({ profile: PROFILE, seed: 42, tokens: [TOKEN], latencyMs: LATENCY_MS });
  const key = randomBytes(32);
  const stack = await startBenchStack('sync', { META_MODE: 'demo', META_GRAPH_URL: sim.url, TOKEN_ENCRYPTION_KEY: `bench:${key.toString('base64')}` });
  console.log(`sync.setup_ms ${Math.round(performance.now() - t0)}`);
  console.log(`sync.profile ${PROFILE} latency_ms ${LATENCY_MS} daily_days ${DAILY_DAYS} hourly_days ${HOURLY_DAYS} levels ${LEVELS.join(',')} async_min_days ${ASYNC_MIN_DAYS} page_size ${PAGE_SIZE} parallel_chunks ${PARALLEL_CHUNKS}`);

  const { db, client, taskQueue } = stack;
  const sql = new pg.Client({ connectionString: stack.url });
  await sql.connect();
  const tokenCipher = createTokenCipher({ keys: { bench: key }, activeKeyId: 'bench' });
  await stack.startWorker({ tokenCipher });

  const simGet = async <T>(p: string): Promise<T> => (await (await fetch(`${sim.url}${p}`)).json()) as T;
  const simPost = async (p: string): Promise<void> => void (await fetch(`${sim.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
  const historyEvents = async (workflowId: string): Promise<number> => {
    let events = 0;
    // Continue-as-new runs share the workflow id: count every run of it.
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
      events += history.events?.length ?? 0;
    }
    return events;
  };

  try {
    const companyId = randomUUID();
    await db.company.create({ data: { id: companyId, name: 'bench' } });
    const allAccounts = [...sim.state.accounts.values()];
    const accounts = allAccounts.slice(0, Number(env('BENCH_ACCOUNTS', String(allAccounts.length))));
    for (const account of accounts) {
      const encrypted = tokenCipher.encrypt(TOKEN);
      await db.adAccount.create({
        data: {
          id: account.id, companyId, accountId: account.accountId, name: account.name, currency: account.currency, timezoneName: account.timezone,
          encryptedAccessToken: encrypted.ciphertext, tokenKeyId: encrypted.keyId,
        },
      });
    }
    const maxLimit = sim.state.limits.maxLimit;

    // ── full entity sync ──
    if (!SKIP_FULL_SYNC) {
      await simPost('/__sim/stats/reset');
      const t = performance.now();
      const results = await Promise.all(
        accounts.map((a) =>
          client.workflow.execute('fullSyncWorkflow', {
            taskQueue, workflowId: workflowIds.fullSync(a.id), workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            args: [{ companyId, adAccountId: a.id }],
          }) as Promise<SyncResult>,
        ),
      );
      const ms = performance.now() - t;
      const stats = await simGet<Stats>('/__sim/stats');
      // Lower bounds per edge endpoint: every parent of that type needs ceil(objects / page) calls, at
      // least one; `max limit` pages by the simulator's maxLimit, `working` by the largest page that
      // can work for the fields the sync asks (min(maxLimit, floor(dataBudget / fields))).
      const dataBudget = sim.state.limits.dataBudget;
      const workingLimit = new Map(syncEdgeFields().map((e) => [e.edge, largestWorkingPageSize({ fields: e.fields, maxLimit, dataBudget })]));
      let edgeCalls = 0;
      let lowerBound = 0;
      let workingBound = 0;
      const perEdge: string[] = [];
      for (const [endpoint, calls] of Object.entries(stats.byEndpoint)) {
        const m = /^GET (act_x|\{(\w+)\})\/(\w+)$/.exec(endpoint);
        if (!m || m[3] === 'insights') continue;
        const type = m[1] === 'act_x' ? 'adaccount' : (m[2] as string);
        const edge = m[3] as string;
        const working = workingLimit.get(edge) ?? maxLimit;
        let bound = 0;
        let boundWorking = 0;
        for (const node of sim.state.nodes.values()) {
          if (node.type !== type) continue;
          if (type === 'adaccount' && !accounts.some((a) => a.id === node.id)) continue;
          const objects = sim.state.edgeIds(node.id, edge).length;
          bound += Math.max(1, Math.ceil(objects / maxLimit));
          boundWorking += Math.max(1, Math.ceil(objects / working));
        }
        edgeCalls += calls;
        lowerBound += bound;
        workingBound += boundWorking;
        perEdge.push(`${endpoint}=${calls}/${bound}/${boundWorking}`);
      }
      const rows = results.reduce((n, r) => n + Object.entries(r.counts).filter(([k]) => !/^(apiPages|changes|softDeleted)$/.test(k)).reduce((s, [, v]) => s + v, 0), 0);
      const pages = results.reduce((n, r) => n + (r.counts.apiPages ?? 0), 0);
      let events = 0;
      for (const a of accounts) events += await historyEvents(workflowIds.fullSync(a.id));
      console.log(`sync.full.wall_ms ${Math.round(ms)}`);
      console.log(`sync.full.api_calls_total ${stats.totalCalls}`);
      console.log(`sync.full.edge_calls ${edgeCalls}`);
      console.log(`sync.entity.lower_bound_max_limit ${lowerBound} (ceil(objects / ${maxLimit}) per edge read)`);
      console.log(`sync.entity.lower_bound_working ${workingBound} (ceil(objects / min(${maxLimit}, floor(${dataBudget} / fields))) per edge read)`);
      console.log(`sync.entity.calls_vs_max_limit_bound ${(edgeCalls / Math.max(1, lowerBound)).toFixed(3)}`);
      console.log(`sync.entity.calls_vs_working_bound ${(edgeCalls / Math.max(1, workingBound)).toFixed(3)} (target <= 1.05)`);
      console.log(`sync.full.per_edge ${perEdge.join(' ')} (calls/max-limit bound/working bound)`);
      console.log(`sync.full.rows ${rows}`);
      console.log(`sync.full.history_events ${events} pages ${pages} events_per_page ${(events / Math.max(1, pages)).toFixed(2)} (target <= 3)`);
    }

    // ── metrics: daily then hourly, every account in parallel ──
    const metricsRun = async (grain: 'daily' | 'hourly', days: number) => {
      if (days <= 0) return undefined;
      await simPost('/__sim/stats/reset');
      const rssBefore = process.memoryUsage().rss;
      peakRss = rssBefore;
      const t = performance.now();
      const results = await Promise.all(
        accounts.map(async (a) => {
          const today = (await simGet<{ adAccounts: Array<{ today: string }> }>(`/__sim/truth?adAccountId=${a.id}`)).adAccounts[0]!.today;
          return (await client.workflow.execute('metricsSyncWorkflow', {
            taskQueue, workflowId: workflowIds.metricsSync(a.id, grain), workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            args: [{
              companyId, adAccountId: a.id, grain, from: addDays(today, -(days - 1)), to: today, levels: LEVELS, asyncMinDays: ASYNC_MIN_DAYS,
              reportPollInitialMs: POLL_MS, reportPollMaxMs: POLL_MS * 8, maxParallelChunks: PARALLEL_CHUNKS, pageSize: PAGE_SIZE,
            }],
          })) as SyncResult;
        }),
      );
      const ms = performance.now() - t;
      const stats = await simGet<Stats>('/__sim/stats');
      const sum = (k: string) => results.reduce((n, r) => n + (r.counts[k] ?? 0), 0);
      const rows = sum('rows') + sum('actionRows');
      let events = 0;
      for (const a of accounts) events += await historyEvents(workflowIds.metricsSync(a.id, grain));
      console.log(`sync.metrics.${grain}.wall_ms ${Math.round(ms)}`);
      console.log(`sync.metrics.${grain}.api_calls ${stats.totalCalls} (pages ${sum('pages')}, report runs ${sum('reportRuns')})`);
      console.log(`sync.metrics.${grain}.rows_written ${rows} (metric rows ${sum('rows')}, action rows ${sum('actionRows')})`);
      console.log(`sync.metrics.${grain}.rows_per_s ${Math.round(rows / (ms / 1000))}`);
      console.log(`sync.metrics.${grain}.rss_mb before ${Math.round(rssBefore / 1048576)} peak ${Math.round(peakRss / 1048576)} (worker process)`);
      console.log(`sync.metrics.${grain}.history_events ${events} pages ${sum('pages')} events_per_page ${(events / Math.max(1, sum('pages'))).toFixed(2)} (target <= 3)`);
      return { ms, rows, events, pages: sum('pages') };
    };
    const daily = await metricsRun('daily', DAILY_DAYS);
    const hourly = await metricsRun('hourly', HOURLY_DAYS);
    const totalMs = (daily?.ms ?? 0) + (hourly?.ms ?? 0);
    const totalRows = (daily?.rows ?? 0) + (hourly?.rows ?? 0);
    const syncRowsPerSec = totalRows / (totalMs / 1000);
    console.log(`sync.metrics.rows_per_s ${Math.round(syncRowsPerSec)}`);
    console.log(`sync.metrics.events_per_page ${(((daily?.events ?? 0) + (hourly?.events ?? 0)) / Math.max(1, (daily?.pages ?? 0) + (hourly?.pages ?? 0))).toFixed(2)}`);

    // ── the floor: COPY of the same rows into empty tables with the same indexes ──
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sync-'));
    let copied = 0;
    let copyMs = 0;
    for (const table of METRIC_TABLES) {
      const file = path.join(dir, `${table}.copy`);
      await pipeline(sql.query(copyTo(`COPY ${table} TO STDOUT`)), fs.createWriteStream(file));
      await sql.query(`CREATE TABLE floor_${table} (LIKE ${table} INCLUDING ALL)`);
      await sql.query('CHECKPOINT');
      const t = performance.now();
      const stream = sql.query(copyFrom(`COPY floor_${table} FROM STDIN`));
      await pipeline(fs.createReadStream(file), stream);
      copyMs += performance.now() - t;
      copied += Number(stream.rowCount ?? 0);
      fs.rmSync(file);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const copyRowsPerSec = copied / (copyMs / 1000);
    console.log(`sync.copy_floor.rows ${copied} ms ${Math.round(copyMs)} rows_per_s ${Math.round(copyRowsPerSec)}`);
    console.log(`sync.metrics_vs_copy ${(syncRowsPerSec / copyRowsPerSec).toFixed(3)} (target >= 0.5)`);
    console.log(`sync.peak_rss_mb ${Math.round(overallPeak() / 1048576)} (worker process: worker, Temporal client, benchmark driver)`);
    console.log(`sync.simulator_peak_rss_mb ${Math.round(sim.peakRssBytes() / 1048576)} (simulator process tree, apart from the worker)`);
  } finally {
    clearInterval(rssTimer);
    await sql.end();
    await stack.close();
    await sim.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
