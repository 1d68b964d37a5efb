/**
 * Rules benchmark: the simulator's `large` profile (4 ad accounts × 5,000 ads, 20,000 ads) synced
 * by the real full-sync workflow, then 60 days of daily and 7 days of hourly metrics per ad, ad set
 * and campaign written set-based in SQL (the rollup benchmark's path: a metrics sync of that size
 * would take the run's whole budget and measure the sync, not the rules), with the metrics sync's
 * checkpoints. In the same run:
 * - 200 random valid rules (AD / ADSET / CAMPAIGN; presets from TODAY to LAST_30D; 1–3 insights
 *   filters over spent, impressions, clicks, cpc, cpm, ctr; some with a name filter), each
 *   evaluated as the evaluation activity does (`evaluateRule`: freshness verdict, the one
 *   compiled statement, the per-object verdicts) and, as the floor, the same filter written by
 *   hand in SQL (literal values, a UNION of the daily and today's hourly rows, GROUP BY, WHERE).
 *   Both must return the same objects. Each is timed REPEATS times, alternating which goes first;
 *   the per-rule medians are compared (`rules.ratio`: median over rules of engine / hand).
 * - a 30-day backtest of one HOURLY rule (720 ticks) over the stored history: time and ticks.
 *
 *   npm run bench:rules            (BENCH_DATABASE_URL to use another PostgreSQL server)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { compileRule } from '../domain/rule-validation';
import { presetWindow } from '../domain/rule-windows';
import type { CompiledRule, TimePreset } from '../domain/rule-spec';
import { workflowIds } from '../domain/workflow-ids';
import { createTokenCipher } from '../src/meta';
import { currencyOffset } from '../src/meta/money';
import { evaluateRule, type EvaluationAccount } from '../src/db/rule-evaluation';
import { runBacktest } from '../src/db/rule-backtest';
import { median, startBenchStack } from './bench-stack';
import { startSimulatorProcess } from './simulator-process';

const RULES = 200;
const REPEATS = 3;
const DAILY_DAYS = 60;
const HOURLY_DAYS = 7;
const TOKEN = 'bench-rules-token-0123456789';
const PRESETS: TimePreset[] = ['TODAY', 'YESTERDAY', 'LAST_3D', 'LAST_7D', 'LAST_14D', 'LAST_30D', 'LAST_3_DAYS', 'LAST_7_DAYS', 'LAST_14_DAYS', 'LAST_30_DAYS'];
const TABLE = { AD: 'ads', ADSET: 'ad_sets', CAMPAIGN: 'campaigns' } as const;
const LEVEL = { AD: 'ad', ADSET: 'adset', CAMPAIGN: 'campaign' } as const;
type Entity = keyof typeof TABLE;
type Metric = 'spent' | 'impressions' | 'clicks' | 'cpc' | 'cpm' | 'ctr';

interface BenchRule {
  entity: Entity;
  preset: TimePreset;
  filters: Array<{ field: Metric; operator: 'GREATER_THAN' | 'LESS_THAN' | 'IN_RANGE'; value: number | [number, number] }>;
  nameContains?: string;
  account: EvaluationAccount;
}

/** A seeded generator, so every run benchmarks the same rules. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Typical per-day size of each metric per object of a level (the generator's scale below), for thresholds that split. */
function threshold(metric: Metric, entity: Entity, days: number, r: () => number): number {
  const perDay = { AD: 1, ADSET: 10, CAMPAIGN: 100 }[entity];
  switch (metric) {
    case 'spent':
      return Math.round(r() * 1000 * days * perDay); // minor units; ~10.00 a day per ad
    case 'impressions':
      return Math.round(r() * 2500 * days * perDay);
    case 'clicks':
      return Math.round(r() * 50 * days * perDay);
    case 'cpc':
      return Math.round(10 + r() * 60); // minor units per click
    case 'cpm':
      return Math.round(100 + r() * 800);
    case 'ctr':
      return Math.round((0.5 + r() * 2) * 100) / 100; // percent
  }
}

function generateRules(accounts: EvaluationAccount[]): BenchRule[] {
  const r = random(20_261_202);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
  const rules: BenchRule[] = [];
  for (let i = 0; i < RULES; i++) {
    const entity: Entity = r() < 0.6 ? 'AD' : r() < 0.6 ? 'ADSET' : 'CAMPAIGN';
    const preset = pick(PRESETS);
    const days = Number(/(\d+)/.exec(preset)?.[1] ?? 1);
    const count = 1 + Math.floor(r() * 3);
    const metrics = [...new Set(Array.from({ length: count }, () => pick<Metric>(['spent', 'impressions', 'clicks', 'cpc', 'cpm', 'ctr'])))];
    const filters = metrics.map((field) => {
      const operator = pick(['GREATER_THAN', 'LESS_THAN', 'IN_RANGE'] as const);
      const a = threshold(field, entity, days, r);
      const b = threshold(field, entity, days, r);
      return { field, operator, value: operator === 'IN_RANGE' ? ([Math.min(a, b), Math.max(a, b)] as [number, number]) : a };
    });
    rules.push({ entity, preset, filters, nameContains: r() < 0.2 ? String(Math.floor(r() * 10)) : undefined, account: accounts[i % accounts.length]! });
  }
  return rules;
}

function specsOf(rule: BenchRule) {
  return {
    evaluation_spec: {
      evaluation_type: 'SCHEDULE',
      filters: [
        { field: 'entity_type', operator: 'EQUAL', value: rule.entity },
        { field: 'time_preset', operator: 'EQUAL', value: rule.preset },
        ...rule.filters,
        ...(rule.nameContains ? [{ field: 'name', operator: 'CONTAIN', value: rule.nameContains }] : []),
      ],
    },
    execution_spec: { execution_type: 'NOTIFICATION' },
    schedule_spec: { schedule_type: 'HOURLY' },
  };
}

function compiled(rule: BenchRule): CompiledRule {
  const result = compileRule(specsOf(rule));
  if (!result.ok) throw new Error(`generated an invalid rule: ${JSON.stringify(result.issues)}`);
  return result.rule;
}

/** The same filter written by hand: literal values, no parameters, the obvious SQL. */
function handSql(rule: BenchRule, asOfMs: number): string {
  const w = presetWindow(rule.preset, asOfMs, rule.account.timeZone);
  const acct = rule.account.adAccountId;
  const level = LEVEL[rule.entity];
  const offset = currencyOffset(rule.account.currency);
  const parts: string[] = [];
  if (w.daily) {
    parts.push(`SELECT entity_id, spend, impressions, clicks FROM metrics_daily
       WHERE ad_account_id = '${acct}' AND level = '${level}' AND date BETWEEN '${w.daily.from}' AND '${w.daily.to}'`);
  }
  if (w.includesToday) {
    parts.push(`SELECT entity_id, spend, impressions, clicks FROM metrics_hourly
       WHERE ad_account_id = '${acct}' AND level = '${level}' AND local_date = '${w.today}' AND bucket_start < '${new Date(asOfMs).toISOString()}'`);
  }
  const s = `coalesce(m.s, 0) * ${offset}`;
  const i = 'coalesce(m.i, 0)';
  const c = 'coalesce(m.c, 0)';
  const expr: Record<Metric, { value: string; guard?: string }> = {
    spent: { value: s },
    impressions: { value: i },
    clicks: { value: c },
    cpc: { value: `${s} / ${c}`, guard: `${c} > 0` },
    cpm: { value: `${s} * 1000 / ${i}`, guard: `${i} > 0` },
    ctr: { value: `${c} * 100.0 / ${i}`, guard: `${i} > 0` },
  };
  const where = [`e.ad_account_id = '${acct}'`, 'e.deleted_at IS NULL', `e.effective_status IN ('ACTIVE', 'PENDING_REVIEW')`];
  if (rule.nameContains) where.push(`e.name ILIKE '%${rule.nameContains}%'`);
  for (const f of rule.filters) {
    const { value, guard } = expr[f.field];
    if (guard) where.push(guard);
    if (f.operator === 'IN_RANGE') {
      const [lo, hi] = f.value as [number, number];
      where.push(`${value} BETWEEN ${lo} AND ${hi}`);
    } else where.push(`${value} ${f.operator === 'GREATER_THAN' ? '>' : '<'} ${f.value as number}`);
  }
  return `SELECT e.id FROM ${TABLE[rule.entity]} e
    LEFT JOIN (SELECT entity_id, sum(spend) AS s, sum(impressions) AS i, sum(clicks) AS c FROM (${parts.join(' UNION ALL ')}) u GROUP BY entity_id) m ON m.entity_id = e.id
    WHERE ${where.join(' AND ')}`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sim = await startSimulatorProcess({ profile: 'large', seed: 42, tokens: [TOKEN], latencyMs: 0 });
  const key = randomBytes(32);
  const stack = await startBenchStack('rules', { META_MODE: 'demo', META_GRAPH_URL: sim.url, TOKEN_ENCRYPTION_KEY: `bench:${key.toString('base64')}` });
  const { db, client, taskQueue } = stack;
  const sql = new pg.Client({ connectionString: stack.url });
  await sql.connect();
  const tokenCipher = createTokenCipher({ keys: { bench: key }, activeKeyId: 'bench' });
  await stack.startWorker({ tokenCipher });
  try {
    const companyId = randomUUID();
    await db.company.create({ data: { id: companyId, name: 'bench' } });
    const accounts = [...sim.state.accounts.values()];
    for (const a of accounts) {
      const encrypted = tokenCipher.encrypt(TOKEN);
      await db.adAccount.create({ data: { id: a.id, companyId, accountId: a.accountId, name: a.name, currency: a.currency, timezoneName: a.timezone, encryptedAccessToken: encrypted.ciphertext, tokenKeyId: encrypted.keyId } });
    }
    let t = performance.now();
    await Promise.all(
      accounts.map((a) =>
        client.workflow.execute('fullSyncWorkflow', { taskQueue, workflowId: workflowIds.fullSync(a.id), workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING, args: [{ companyId, adAccountId: a.id }] }),
      ),
    );
    console.log(`rules.full_sync_ms ${Math.round(performance.now() - t)}`);

    // ── metrics: every ad, ad set and campaign; 60 local days daily, the last 7 local days hourly (to the current hour) ──
    t = performance.now();
    await sql.query(`
      CREATE TEMP TABLE bench_objects AS
        SELECT 'ad' AS level, id, ad_account_id, campaign_id, adset_id, 1 AS scale FROM ads
        UNION ALL SELECT 'adset', id, ad_account_id, campaign_id, NULL, 10 FROM ad_sets
        UNION ALL SELECT 'campaign', id, ad_account_id, NULL, NULL, 100 FROM campaigns;
      CREATE TEMP TABLE bench_days AS
        SELECT a.id AS ad_account_id, a.timezone_name AS tz, ((now() AT TIME ZONE a.timezone_name)::date - d) AS day, d
          FROM ad_accounts a CROSS JOIN generate_series(0, ${DAILY_DAYS}) d;
      INSERT INTO metrics_daily (level, entity_id, date, ad_account_id, campaign_id, adset_id, spend, impressions, clicks, inline_link_clicks, source, synced_at)
      SELECT o.level, o.id, bd.day, o.ad_account_id, o.campaign_id, o.adset_id,
             round((((hashtext(o.id || bd.day::text) & 2047) / 100.0) * o.scale)::numeric, 2),
             ((hashtext(bd.day::text || o.id) & 4095) + 100) * o.scale,
             ((hashtext(o.id || 'c' || bd.day::text) & 127)) * o.scale,
             ((hashtext(o.id || 'l' || bd.day::text) & 63)) * o.scale, 'meta', now()
        FROM bench_objects o JOIN bench_days bd ON bd.ad_account_id = o.ad_account_id
       WHERE bd.d BETWEEN 1 AND ${DAILY_DAYS};
      INSERT INTO metrics_hourly (level, entity_id, bucket_start, ad_account_id, local_date, local_hour, campaign_id, adset_id, spend, impressions, clicks, inline_link_clicks, source, synced_at)
      SELECT o.level, o.id, ts, o.ad_account_id, bd.day, h, o.campaign_id, o.adset_id,
             round((((hashtext(o.id || ts::text) & 127) / 100.0) * o.scale)::numeric, 2),
             ((hashtext(ts::text || o.id) & 255) + 5) * o.scale,
             (hashtext(o.id || 'c' || ts::text) & 7) * o.scale,
             (hashtext(o.id || 'l' || ts::text) & 3) * o.scale, 'meta', now()
        FROM bench_objects o JOIN bench_days bd ON bd.ad_account_id = o.ad_account_id AND bd.d < ${HOURLY_DAYS}
        CROSS JOIN generate_series(0, 23) h
        CROSS JOIN LATERAL (SELECT ((bd.day + make_interval(hours => h)) AT TIME ZONE bd.tz) AS ts) x
       WHERE ts <= now();
      INSERT INTO metrics_sync_checkpoints (ad_account_id, grain, day, rows, completed_at)
      SELECT ad_account_id, 'daily', day, 1, now() FROM bench_days WHERE d BETWEEN 1 AND ${DAILY_DAYS}
      UNION ALL SELECT ad_account_id, 'hourly', day, 1, now() FROM bench_days WHERE d < ${HOURLY_DAYS};`);
    await sql.query('VACUUM ANALYZE metrics_daily');
    await sql.query('VACUUM ANALYZE metrics_hourly');
    const counts = (await sql.query<{ ads: string; daily: string; hourly: string }>(
      `SELECT (SELECT count(*) FROM ads)::text AS ads, (SELECT count(*) FROM metrics_daily)::text AS daily, (SELECT count(*) FROM metrics_hourly)::text AS hourly`,
    )).rows[0]!;
    console.log(`rules.ads ${counts.ads}`);
    console.log(`rules.daily_rows ${counts.daily}`);
    console.log(`rules.hourly_rows ${counts.hourly}`);
    console.log(`rules.seed_metrics_ms ${Math.round(performance.now() - t)}`);
    console.log(`rules.setup_ms ${Math.round(performance.now() - t0)}`);

    // ── 200 rules: the engine vs the same filter by hand ──
    const evaluationAccounts: EvaluationAccount[] = accounts.map((a) => ({ adAccountId: a.id, timeZone: a.timezone, currency: a.currency }));
    const rules = generateRules(evaluationAccounts).map((rule) => ({ rule, compiled: compiled(rule), ruleId: randomUUID() }));
    const asOfMs = Date.now();
    const engine = async (r: (typeof rules)[number]) => {
      const evaluation = await evaluateRule(db, { ruleId: r.ruleId, rule: r.compiled, account: r.rule.account, asOfMs, freshness: 'live', maxMetricsAgeMinutes: 24 * 60 });
      if (!evaluation.fresh) throw new Error(`stale: ${evaluation.reason}`);
      return evaluation.objects.map((o) => o.entityId);
    };
    const hand = async (r: (typeof rules)[number]) => (await sql.query<{ id: string }>(handSql(r.rule, asOfMs))).rows.map((row) => row.id);
    // Warm both once (plans, caches) and check they agree.
    let differing = 0;
    let matched = 0;
    for (const r of rules) {
      const [a, b] = [(await engine(r)).sort(), (await hand(r)).sort()];
      if (a.join() !== b.join()) differing++;
      matched += a.length;
    }
    const engineMs: number[][] = rules.map(() => []);
    const handMs: number[][] = rules.map(() => []);
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const [i, r] of rules.entries()) {
        const timeEngine = async () => {
          const s = performance.now();
          await engine(r);
          engineMs[i]!.push(performance.now() - s);
        };
        const timeHand = async () => {
          const s = performance.now();
          await hand(r);
          handMs[i]!.push(performance.now() - s);
        };
        if ((rep + i) % 2 === 0) {
          await timeEngine();
          await timeHand();
        } else {
          await timeHand();
          await timeEngine();
        }
      }
    }
    const perRuleEngine = engineMs.map(median);
    const perRuleHand = handMs.map(median);
    const ratios = perRuleEngine.map((e, i) => e / perRuleHand[i]!);
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    console.log(`rules.rules ${rules.length} (AD ${rules.filter((r) => r.rule.entity === 'AD').length}, ADSET ${rules.filter((r) => r.rule.entity === 'ADSET').length}, CAMPAIGN ${rules.filter((r) => r.rule.entity === 'CAMPAIGN').length})`);
    console.log(`rules.matched_objects_total ${matched}`);
    console.log(`rules.rules_differing_from_hand_sql ${differing}`);
    console.log(`rules.engine_median_ms ${median(perRuleEngine).toFixed(1)}`);
    console.log(`rules.hand_sql_median_ms ${median(perRuleHand).toFixed(1)}`);
    console.log(`rules.ratio ${(median(perRuleEngine) / median(perRuleHand)).toFixed(2)}`);
    console.log(`rules.median_of_per_rule_ratios ${median(ratios).toFixed(2)}`);
    console.log(`rules.total_ratio ${(sum(perRuleEngine) / sum(perRuleHand)).toFixed(2)}`);
    console.log(`rules.engine_p90_ms ${[...perRuleEngine].sort((a, b) => a - b)[Math.floor(perRuleEngine.length * 0.9)]!.toFixed(1)}`);

    // ── a 30-day backtest of one hourly rule ──
    const account = evaluationAccounts[0]!;
    const btSpecs = {
      evaluation_spec: {
        evaluation_type: 'SCHEDULE',
        filters: [
          { field: 'entity_type', operator: 'EQUAL', value: 'AD' },
          { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' },
          { field: 'spent', operator: 'GREATER_THAN', value: 2500 },
          { field: 'cpc', operator: 'GREATER_THAN', value: 40 },
        ],
      },
      execution_spec: { execution_type: 'PAUSE', execution_options: [{ field: 'action_frequency', operator: 'EQUAL', value: 1440 }] },
      schedule_spec: { schedule_type: 'HOURLY' },
    };
    const btRule = compileRule(btSpecs);
    if (!btRule.ok) throw new Error(JSON.stringify(btRule.issues));
    const row = await db.adRule.create({
      data: { companyId, adAccountId: account.adAccountId, origin: 'service', name: 'bench backtest', evaluationSpec: btSpecs.evaluation_spec, executionSpec: btSpecs.execution_spec, scheduleSpec: btSpecs.schedule_spec, specHash: 'bench', raisesSpend: false, createdBy: 'bench' },
    });
    const toMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    t = performance.now();
    const bt = await runBacktest(db, { ruleId: row.id, specHash: 'bench', rule: btRule.rule, account, backtestId: randomUUID(), fromMs: toMs - 30 * 86_400_000, toMs });
    const btMs = performance.now() - t;
    console.log(`rules.backtest_ticks ${bt.ticks}`);
    console.log(`rules.backtest_ms ${Math.round(btMs)}`);
    console.log(`rules.backtest_ms_per_tick ${(btMs / bt.ticks).toFixed(1)}`);
    console.log(`rules.backtest_fired_ticks ${bt.firedTicks} unevaluated_ticks ${bt.unevaluatedTicks} actions ${bt.actions} objects ${bt.objects}`);
  } finally {
    await sql.end();
    await stack.close();
    await sim.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
