/**
 * Report benchmark: a LAST_30D ad-level performance report over the simulator `large` profile's
 * 20,000 ads (200 campaigns × 10 ad sets × 10 ads, here in one ad account so one report covers
 * them all), against, in the same run, the floor: a hand-written SQL of the same aggregation
 * (sums per ad over the days, results by each ad set's optimization goal, purchases and their
 * value, ratios from the sums, top 100 by spend, and a totals row), sent straight over `pg`.
 *
 * The rows are inserted directly, shaped like what the metrics sync writes: one daily row per ad
 * per local day (31 days, the month before today in the account's zone), and per ad-day the
 * action rows Meta's answer flattens into (5 action types × the `value` total and the two synced
 * windows, purchases with values). Each side is timed REPEATS times, alternating which goes
 * first; medians are compared (`reports.ratio`, the operation including its account check and
 * formatting, over the floor). Then C concurrent clients call GET /v1/reports/performance over
 * HTTP for N seconds, first all asking the same report (`reports.http_same.*`: concurrent identical
 * requests share one statement), then each its own (`reports.http_distinct.*`: a different sort
 * and top N per client, REPORTS_MAX_CONCURRENT statements at a time): rps, p50, p99, errors.
 *
 *   npm run bench:reports
 * Env: BENCH_DATABASE_URL (server URL; a database is created and dropped), BENCH_ADS (20000),
 *      BENCH_REPEATS (7), BENCH_SECONDS (10), BENCH_CONCURRENCY (50), BENCH_EXPLAIN (unset).
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/api/app';
import { issueApiToken } from '../src/operations/api-tokens';
import { getPerformanceReport } from '../src/operations/reports';
import type { Prisma } from '../src/db/prisma-client';
import type { ServiceContext } from '../src/operations/service-context';
import { addDays, localDate } from '../domain/calendar';
import { presetRange } from '../domain/report-periods';
import { freePort } from '../test/support/infra';
import { median, startBenchStack } from './bench-stack';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const ADS = Number(env('BENCH_ADS', '20000'));
const REPEATS = Number(env('BENCH_REPEATS', '7'));
const SECONDS = Number(env('BENCH_SECONDS', '10'));
const CONCURRENCY = Number(env('BENCH_CONCURRENCY', '50'));
const ACCOUNT = 'act_9000001';
const TIME_ZONE = 'America/Los_Angeles';
const DAYS = 31;

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The same aggregation written by hand: what the report's statement must not be much slower than. */
function floorSql(from: string, to: string): string {
  return `
    WITH m AS (
      SELECT d.entity_id, sum(d.spend) AS spend, sum(d.impressions) AS impressions, sum(d.clicks) AS clicks
        FROM metrics_daily d WHERE d.ad_account_id = '${ACCOUNT}' AND d.level = 'ad' AND d.date BETWEEN '${from}' AND '${to}'
       GROUP BY d.entity_id),
    a AS (
      SELECT d.entity_id,
             sum(d.count) FILTER (WHERE d.action_type = r.action_type) AS results,
             sum(d.count) FILTER (WHERE d.action_type = 'offsite_conversion.fb_pixel_purchase') AS purchases,
             sum(d.value) FILTER (WHERE d.action_type = 'offsite_conversion.fb_pixel_purchase') AS purchase_value
        FROM metrics_daily_actions d
        JOIN ads x ON x.id = d.entity_id JOIN ad_sets s ON s.id = x.adset_id
        LEFT JOIN result_action_types r ON r.optimization_goal = s.optimization_goal AND r.custom_event_type = ''
       WHERE d.ad_account_id = '${ACCOUNT}' AND d.level = 'ad' AND d.attribution_window = 'value' AND d.date BETWEEN '${from}' AND '${to}'
       GROUP BY d.entity_id),
    per AS (
      SELECT x.id, x.name, x.status, x.effective_status, m.spend, m.impressions, m.clicks,
             CASE WHEN r.metric = 'impressions' THEN m.impressions WHEN r.action_type IS NOT NULL THEN coalesce(a.results, 0) END AS results,
             coalesce(a.purchases, 0) AS purchases, coalesce(a.purchase_value, 0) AS purchase_value
        FROM m JOIN ads x ON x.id = m.entity_id JOIN ad_sets s ON s.id = x.adset_id
        LEFT JOIN result_action_types r ON r.optimization_goal = s.optimization_goal AND r.custom_event_type = ''
        LEFT JOIN a ON a.entity_id = m.entity_id)
    (SELECT per.id, per.name, per.status, per.effective_status, per.spend, per.impressions, per.clicks,
            round(per.clicks::numeric * 100 / nullif(per.impressions, 0), 6) AS ctr, round(per.spend / nullif(per.clicks, 0), 6) AS cpc,
            round(per.spend * 1000 / nullif(per.impressions, 0), 6) AS cpm, per.results, round(per.spend / nullif(per.results, 0), 6) AS cost_per_result,
            per.purchases, per.purchase_value, round(per.purchase_value / nullif(per.spend, 0), 6) AS roas
       FROM per ORDER BY per.spend DESC, per.id LIMIT 100)
    UNION ALL
    (SELECT NULL, NULL, NULL, NULL, sum(spend), sum(impressions), sum(clicks),
            round(sum(clicks)::numeric * 100 / nullif(sum(impressions), 0), 6), round(sum(spend) / nullif(sum(clicks), 0), 6),
            round(sum(spend) * 1000 / nullif(sum(impressions), 0), 6), NULL, NULL, sum(purchases), sum(purchase_value),
            round(sum(purchase_value) / nullif(sum(spend), 0), 6)
       FROM per)`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const stack = await startBenchStack('reports', { API_RATE_LIMIT_PER_MINUTE: '100000000' });
  const { db, config } = stack;
  const sql = new pg.Client({ connectionString: stack.url });
  await sql.connect();
  const ctx: ServiceContext = { config, db, temporal: stack.client, runtime: { databaseMode: 'external', temporalAddress: stack.server.address, startedAt: new Date() } };
  const app = await buildApp({ ctx, logger: pino({ level: 'silent' }) });
  const base = await app.listen({ host: '127.0.0.1', port: await freePort() });
  console.log(`reports.setup_ms ${Math.round(performance.now() - t0)}`);
  console.log(`reports.config ads ${ADS} days ${DAYS} repeats ${REPEATS} concurrency ${CONCURRENCY} seconds ${SECONDS} cpus ${os.cpus().length}`);

  try {
    const companyId = randomUUID();
    const today = localDate(Date.now(), TIME_ZONE);
    const first = addDays(today, -DAYS);
    const last = addDays(today, -1);
    const adsets = Math.ceil(ADS / 10);
    const campaigns = Math.ceil(adsets / 10);
    let t = performance.now();
    // Objects and rows shaped like a sync of the `large` profile writes them (ids as Meta's digits).
    await sql.query(`
      INSERT INTO companies (id, name, updated_at) VALUES ('${companyId}', 'bench', now());
      INSERT INTO ad_accounts (id, company_id, account_id, name, currency, timezone_name, encrypted_access_token, token_key_id, updated_at)
      VALUES ('${ACCOUNT}', '${companyId}', '9000001', 'Bench Account', 'USD', '${TIME_ZONE}', 'x', 'k', now());
      INSERT INTO campaigns (id, ad_account_id, name, status, effective_status)
      SELECT (1000000 + c)::text, '${ACCOUNT}', 'Campaign ' || c, 'ACTIVE', 'ACTIVE' FROM generate_series(1, ${campaigns}) c;
      INSERT INTO ad_sets (id, ad_account_id, campaign_id, name, status, effective_status, optimization_goal)
      SELECT (2000000 + s)::text, '${ACCOUNT}', (1000000 + 1 + (s - 1) / 10)::text, 'Ad set ' || s, 'ACTIVE', 'ACTIVE',
             (ARRAY['OFFSITE_CONVERSIONS', 'LINK_CLICKS', 'LEAD_GENERATION', 'REACH', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS'])[1 + s % 6]
        FROM generate_series(1, ${adsets}) s;
      INSERT INTO ads (id, ad_account_id, campaign_id, adset_id, name, status, effective_status)
      SELECT (3000000 + a)::text, '${ACCOUNT}', (1000000 + 1 + (a - 1) / 100)::text, (2000000 + 1 + (a - 1) / 10)::text, 'Ad ' || a,
             CASE WHEN a % 7 = 0 THEN 'PAUSED' ELSE 'ACTIVE' END, CASE WHEN a % 7 = 0 THEN 'PAUSED' ELSE 'ACTIVE' END
        FROM generate_series(1, ${ADS}) a;
      INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, campaign_id, adset_id, spend, impressions, clicks, inline_link_clicks,
                                 unique_clicks, reach, frequency, ctr, cpc, cpm, source)
      SELECT 'ad', (3000000 + a)::text, '${first}'::date + d, '${ACCOUNT}', (1000000 + 1 + (a - 1) / 100)::text, (2000000 + 1 + (a - 1) / 10)::text,
             round(((a * 7919 + d * 104729) % 5000) / 100.0, 2), 200 + (a * 31 + d) % 4000, (a + d) % 60, (a + d) % 40,
             (a + d) % 50, 150 + (a * 31 + d) % 3000, 1.25, 1.1, 0.5, 8.0, 'meta'
        FROM generate_series(1, ${ADS}) a CROSS JOIN generate_series(0, ${DAYS - 1}) d;
      INSERT INTO metrics_daily_actions (level, entity_id, date, action_type, attribution_window, ad_account_id, count, value, source)
      SELECT 'ad', (3000000 + a)::text, '${first}'::date + d, t.type, w.win, '${ACCOUNT}',
             CASE w.win WHEN 'value' THEN t.n ELSE ceil(t.n / 2.0) END,
             CASE WHEN t.type = 'offsite_conversion.fb_pixel_purchase' THEN round(t.n * 37.5, 2) END, 'meta'
        FROM generate_series(1, ${ADS}) a CROSS JOIN generate_series(0, ${DAYS - 1}) d
        CROSS JOIN LATERAL (VALUES ('link_click', (a + d) % 40 + 1), ('landing_page_view', (a + d) % 30 + 1), ('lead', (a * d) % 4 + 1),
                                   ('offsite_conversion.fb_pixel_purchase', (a + 3 * d) % 5 + 1), ('post_engagement', (a + d) % 70 + 1)) t(type, n)
        CROSS JOIN (VALUES ('value'), ('7d_click'), ('1d_view')) w(win);`);
    await sql.query('VACUUM ANALYZE');
    const { rows: [counts] } = await sql.query<{ daily: string; actions: string }>(
      `SELECT (SELECT count(*) FROM metrics_daily)::text AS daily, (SELECT count(*) FROM metrics_daily_actions)::text AS actions`,
    );
    console.log(`reports.daily_rows ${counts!.daily} action_rows ${counts!.actions}`);
    console.log(`reports.generate_ms ${Math.round(performance.now() - t)}`);

    const actor = { tokenId: 'bench', companyId, scopes: ['read'] as ['read'] };
    const input = { adAccountId: ACCOUNT, level: 'ad', preset: 'LAST_30D', limit: 100 };
    const period = presetRange('LAST_30D', today);
    const floor = floorSql(period.from, period.to);
    let n = 0;
    if (process.env.BENCH_EXPLAIN) {
      const plan = await sql.query(`EXPLAIN (ANALYZE, BUFFERS) ${floor}`);
      console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
      // The report's own statement, as the operation compiles it.
      let compiled: Prisma.Sql | undefined;
      await getPerformanceReport({ ...ctx, db: new Proxy(db, { get: (target, key) => (key === '$queryRaw' ? async (...args: [Prisma.Sql]) => ((compiled = args[0]), target.$queryRaw(...args)) : Reflect.get(target, key)) }) }, actor, input);
      const mine = await sql.query(`EXPLAIN (ANALYZE, BUFFERS) ${compiled!.sql.replace(/\?/g, () => '$' + (++n))}`, compiled!.values as unknown[]);
      console.log(mine.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
    }

    // Same answer: the top 100 ads and their spend, and the total spend.
    const report = await getPerformanceReport(ctx, actor, input);
    const floorRows = (await sql.query<{ id: string | null; spend: string }>(floor)).rows;
    const same =
      report.data.length === 100 &&
      report.data.every((row, i) => row.id === floorRows[i]!.id && row.metrics.spend === String(Number(floorRows[i]!.spend))) &&
      report.totals.metrics.spend === String(Number(floorRows[100]!.spend));
    console.log(`reports.same_answer_as_floor ${same}`);
    if (!same) process.exitCode = 1;

    const reportMs: number[] = [];
    const floorMs: number[] = [];
    const timeReport = async () => {
      const start = performance.now();
      await getPerformanceReport(ctx, actor, input);
      reportMs.push(performance.now() - start);
    };
    const timeFloor = async () => {
      const start = performance.now();
      await sql.query(floor);
      floorMs.push(performance.now() - start);
    };
    // Warm both (page cache, plans), then alternate which goes first.
    await timeReport();
    await timeFloor();
    reportMs.length = 0;
    floorMs.length = 0;
    for (let i = 0; i < REPEATS; i++) {
      if (i % 2 === 0) {
        await timeReport();
        await timeFloor();
      } else {
        await timeFloor();
        await timeReport();
      }
    }
    const r = median(reportMs);
    const f = median(floorMs);
    console.log(`reports.report_runs_ms ${reportMs.map(Math.round).join(',')}`);
    console.log(`reports.floor_runs_ms ${floorMs.map(Math.round).join(',')}`);
    console.log(`reports.report_ms ${Math.round(r)}`);
    console.log(`reports.floor_ms ${Math.round(f)}`);
    console.log(`reports.ratio ${(r / f).toFixed(2)}`);
    console.log(`reports.best_ratio ${(Math.min(...reportMs) / Math.min(...floorMs)).toFixed(2)}`);

    // ── concurrent clients over HTTP ──
    const token = (await issueApiToken(db, { companyId, name: 'bench', scopes: ['read'] })).token;
    const load = async (name: string, urlOf: (client: number) => string) => {
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const start = performance.now();
      const deadline = start + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, client) => {
          while (performance.now() < deadline) {
            const t1 = performance.now();
            const response = await fetch(urlOf(client), { headers: { authorization: `Bearer ${token}` } });
            await response.arrayBuffer();
            latencies.push(performance.now() - t1);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }),
      );
      const elapsed = (performance.now() - start) / 1000;
      const sorted = Float64Array.from(latencies).sort();
      const errors = latencies.length - (statuses.get(200) ?? 0);
      console.log(`reports.${name}.requests ${latencies.length} errors ${errors} statuses ${[...statuses].map(([k, v]) => `${k}:${v}`).join(',')}`);
      console.log(`reports.${name}.rps ${(latencies.length / elapsed).toFixed(2)}`);
      console.log(`reports.${name}.p50_ms ${percentile(sorted, 50).toFixed(0)}`);
      console.log(`reports.${name}.p99_ms ${percentile(sorted, 99).toFixed(0)}`);
      return errors;
    };
    const path = `/v1/reports/performance?adAccountId=${ACCOUNT}&level=ad&preset=LAST_30D`;
    // Every client the same report: concurrent identical requests share one statement.
    const sameErrors = await load('http_same', () => `${base}${path}&limit=100`);
    // Every client its own report (its own top N): REPORTS_MAX_CONCURRENT statements at a time, the rest queued.
    const SORTS = ['-spend', '-clicks', '-impressions', '-ctr', 'cpc', '-results', 'costPerResult', '-roas', '-purchases', 'cpm'];
    const distinct = await load('http_distinct', (client) => `${base}${path}&sort=${SORTS[client % SORTS.length]}&limit=${10 + client}`);
    if (sameErrors > 0) process.exitCode = 1;
    void distinct;
  } finally {
    await sql.end();
    await app.close();
    await stack.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
