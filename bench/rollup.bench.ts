/**
 * Rollup benchmark: 1,000,000 hourly rows across levels (10 accounts in 4 time zones, 30 days),
 * then, in the same run, (a) the rollup workflow end to end through a real Temporal dev server
 * and worker (daily grain over the whole window) and (b) the floor: one hand-written
 * `INSERT ... SELECT ... GROUP BY` of the same data into a scratch table shaped like
 * metrics_daily (same columns, same indexes). Each is timed REPEATS times, alternating which goes
 * first; medians are compared (`rollup.ratio`). Prints `rollup.*` lines; cleans up after itself.
 *
 *   npm run bench:rollup            (BENCH_DATABASE_URL to use another PostgreSQL server)
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { median, startBenchStack } from './bench-stack';

const ROWS_TARGET = 1_000_000;
const DAYS = 30;
const FROM = '2026-10-01';
const TO = '2026-10-31'; // one local day more than the UTC range: zones west of UTC start the day before
const REPEATS = 7;

async function main(): Promise<void> {
  const stack = await startBenchStack('rollup');
  const { client, taskQueue } = stack;
  const sql = new pg.Client({ connectionString: stack.url });
  await sql.connect();
  await stack.startWorker();

  try {
    // ── data: entities across levels, one hourly row per entity per hour ──
    const hours = DAYS * 24;
    const entities = Math.ceil(ROWS_TARGET / hours);
    let t = performance.now();
    await sql.query(`
      INSERT INTO companies (id, name, updated_at) VALUES ('00000000-0000-4000-8000-00000000beef', 'bench', now());
      INSERT INTO ad_accounts (id, company_id, account_id, encrypted_access_token, token_key_id, timezone_name, updated_at)
      SELECT 'act_' || i, '00000000-0000-4000-8000-00000000beef', i::text, 'x', 'k',
             (ARRAY['America/Los_Angeles', 'Europe/Berlin', 'UTC', 'Asia/Tokyo'])[1 + i % 4], now()
        FROM generate_series(1, 10) i;
      CREATE TEMP TABLE bench_entities AS
      SELECT e, CASE WHEN e <= 10 THEN 'account' WHEN e <= 50 THEN 'campaign' WHEN e <= 230 THEN 'adset' ELSE 'ad' END AS level,
             'act_' || (1 + e % 10) AS ad_account_id
        FROM generate_series(1, ${entities}) e;
      INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, campaign_id, adset_id,
                                  spend, impressions, clicks, inline_link_clicks)
      SELECT be.level, CASE WHEN be.level = 'account' THEN be.ad_account_id ELSE (100000 + be.e)::text END, ts, be.ad_account_id,
             (ts AT TIME ZONE a.timezone_name)::date, extract(hour FROM ts AT TIME ZONE a.timezone_name)::int,
             CASE WHEN be.level IN ('adset', 'ad') THEN (200000 + be.e % 40)::text END,
             CASE WHEN be.level = 'ad' THEN (300000 + be.e % 180)::text END,
             round((((be.e * 7919 + h) % 1000) / 100.0)::numeric, 6), (be.e * 31 + h) % 5000, (be.e + h) % 40, (be.e + h) % 25
        FROM bench_entities be
        JOIN ad_accounts a ON a.id = be.ad_account_id
        CROSS JOIN generate_series(0, ${hours - 1}) h
        CROSS JOIN LATERAL (SELECT '${FROM}T00:00:00Z'::timestamptz + h * interval '1 hour' AS ts) x;`);
    await sql.query('VACUUM ANALYZE metrics_hourly');
    const { rows: [{ n }] } = await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM metrics_hourly');
    console.log(`rollup.hourly_rows ${n}`);
    console.log(`rollup.generate_ms ${Math.round(performance.now() - t)}`);

    // The floor: the same rows, one statement, no Temporal, no upsert, no stale-row check.
    await sql.query('CREATE TABLE rollup_floor (LIKE metrics_daily INCLUDING ALL)');
    const floorSql = `
      INSERT INTO rollup_floor (level, entity_id, date, ad_account_id, campaign_id, adset_id, spend, impressions, clicks,
                                inline_link_clicks, ctr, cpc, cpm, source, synced_at)
      SELECT level, entity_id, local_date, ad_account_id, campaign_id, adset_id, sum(spend), sum(impressions), sum(clicks), sum(inline_link_clicks),
             CASE WHEN sum(impressions) > 0 THEN round(sum(clicks)::numeric * 100 / sum(impressions), 6) END,
             CASE WHEN sum(clicks) > 0 THEN round(sum(spend) / sum(clicks), 6) END,
             CASE WHEN sum(impressions) > 0 THEN round(sum(spend) * 1000 / sum(impressions), 6) END,
             'rollup', now()
        FROM metrics_hourly
       WHERE local_date BETWEEN '${FROM}'::date - 1 AND '${TO}'::date
       GROUP BY level, entity_id, local_date, ad_account_id, campaign_id, adset_id`;
    if (process.env.BENCH_EXPLAIN) {
      const plan = await sql.query(`EXPLAIN (ANALYZE, BUFFERS) ${floorSql}`);
      console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
      await sql.query('TRUNCATE rollup_floor');
    }
    // Warm both paths once (page cache, plans, worker bundle), then time alternately.
    await sql.query('SELECT count(*) FROM metrics_hourly');
    const runWorkflow = async (id: string) =>
      client.workflow.execute('rollupWorkflow', { taskQueue, workflowId: id, args: [{ grain: 'daily', from: '2026-09-30', to: TO }] });
    await runWorkflow(`meta-rollup:daily:warmup-${process.pid}`);

    const workflowMs: number[] = [];
    const floorMs: number[] = [];
    const floorDefaultMs: number[] = [];
    let dailyRows = 0;
    const timeWorkflow = async (i: number) => {
      await sql.query('TRUNCATE metrics_daily, metrics_daily_actions');
      await sql.query('CHECKPOINT');
      const start = performance.now();
      const result = (await runWorkflow(`meta-rollup:daily:2026-09-30-bench-${process.pid}-${i}`)) as { totals: { upserted: number } };
      workflowMs.push(performance.now() - start);
      dailyRows = result.totals.upserted;
    };
    const timeFloor = async () => {
      await sql.query('TRUNCATE rollup_floor');
      await sql.query('CHECKPOINT');
      let start = performance.now();
      const floor = await sql.query(floorSql);
      floorDefaultMs.push(performance.now() - start);
      // The same statement with the work_mem the rollup activity sets: the strict floor.
      await sql.query('TRUNCATE rollup_floor');
      await sql.query('CHECKPOINT');
      start = performance.now();
      await sql.query(`BEGIN; SET LOCAL work_mem = '128MB'`);
      await sql.query(floorSql);
      await sql.query('COMMIT');
      floorMs.push(performance.now() - start);
      return floor.rowCount;
    };
    // Alternate which goes first, so neither always runs on a cache the other just warmed.
    for (let i = 0; i < REPEATS; i++) {
      let floorRows: number | null;
      if (i % 2 === 0) {
        await timeWorkflow(i);
        floorRows = await timeFloor();
      } else {
        floorRows = await timeFloor();
        await timeWorkflow(i);
      }
      if (floorRows !== dailyRows) throw new Error(`floor wrote ${floorRows} rows, the workflow ${dailyRows}`);
    }
    const { rows: [{ diff }] } = await sql.query<{ diff: string }>(`
      SELECT count(*)::text AS diff FROM (
        (SELECT level, entity_id, date, spend, impressions, clicks, ctr, cpc, cpm FROM metrics_daily
         EXCEPT SELECT level, entity_id, date, spend, impressions, clicks, ctr, cpc, cpm FROM rollup_floor)
        UNION ALL
        (SELECT level, entity_id, date, spend, impressions, clicks, ctr, cpc, cpm FROM rollup_floor
         EXCEPT SELECT level, entity_id, date, spend, impressions, clicks, ctr, cpc, cpm FROM metrics_daily)) d`);
    t = performance.now();
    await runWorkflow(`meta-rollup:daily:2026-09-30-bench-${process.pid}-rerun`);
    const rerunMs = performance.now() - t;

    const w = median(workflowMs);
    const f = median(floorMs);
    console.log(`rollup.daily_rows ${dailyRows}`);
    console.log(`rollup.rows_differing_from_floor ${diff}`);
    console.log(`rollup.workflow_runs_ms ${workflowMs.map(Math.round).join(',')}`);
    console.log(`rollup.floor_runs_ms ${floorMs.map(Math.round).join(',')}`);
    console.log(`rollup.floor_default_work_mem_runs_ms ${floorDefaultMs.map(Math.round).join(',')}`);
    console.log(`rollup.floor_default_work_mem_ms ${Math.round(median(floorDefaultMs))}`);
    console.log(`rollup.workflow_ms ${Math.round(w)}`);
    console.log(`rollup.floor_ms ${Math.round(f)}`);
    console.log(`rollup.ratio ${(w / f).toFixed(2)}`);
    console.log(`rollup.best_ratio ${(Math.min(...workflowMs) / Math.min(...floorMs)).toFixed(2)}`);
    console.log(`rollup.rerun_noop_ms ${Math.round(rerunMs)}`);
  } finally {
    await sql.end();
    await stack.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
