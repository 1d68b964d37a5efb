/**
 * Property test of the rule compiler: for a few hundred random valid rules over the simulator's
 * data (synced for real: full sync, daily and hourly metrics), the objects the one SQL statement
 * matches equal those an independent TypeScript evaluator finds over `/__sim/truth` rows. Ad, ad
 * set and campaign level; presets from daily rows and from today's hourly rows; four time zones
 * on the day Los Angeles falls back (a 25-hour today), with Berlin's and Sydney's DST changes
 * inside the longer windows, and a zero-decimal currency.
 */
import Decimal from 'decimal.js';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { fullSyncWorkflow, metricsSyncWorkflow } from '../../workflows';
import { workflowIds } from '../../domain/workflow-ids';
import { addDays } from '../../domain/calendar';
import { compileRule } from '../../domain/rule-validation';
import { INSIGHTS_METRICS, PRESET_ALIASES } from '../../domain/rule-fields';
import { TIME_PRESETS, type CompiledRule, type RuleEntityType, type RuleFilter, type TimePreset } from '../../domain/rule-spec';
import { evaluateRuleMatches } from '../../src/db/rule-evaluation-sql';
import type { TruthAccount } from '../../src/simulator/truth';
import { createSyncHarness, type SyncHarness } from '../support/sync-harness';
import { loadOracleData, oracleMatches, oracleMetricValues, type OracleData } from '../support/rule-oracle';

const NOW = '2026-11-01T20:20:00Z';
const RULES_PER_ACCOUNT = 90;

let h: SyncHarness;
let accounts: TruthAccount[];
const oracle = new Map<string, OracleData>();
let asOfMs: number;

beforeAll(async () => {
  h = await createSyncHarness({
    now: NOW,
    seed: 424_242,
    profile: {
      name: 'rules-property',
      adAccounts: [
        { timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 4, adsetsPerCampaign: 3, adsPerAdset: 4 },
        { timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 4, adsetsPerCampaign: 3, adsPerAdset: 4 },
        { timezone: 'Asia/Tokyo', currency: 'JPY', campaigns: 4, adsetsPerCampaign: 3, adsPerAdset: 4 },
        { timezone: 'Australia/Sydney', currency: 'AUD', campaigns: 4, adsetsPerCampaign: 3, adsPerAdset: 4 },
      ],
      insightsDays: 30,
      hourlyDays: 7,
    },
  });
  const worker = await h.startWorker();
  accounts = await Promise.all(h.adAccountIds.map((id) => h.truth(id)));
  const run = (workflow: typeof fullSyncWorkflow | typeof metricsSyncWorkflow, workflowId: string, args: unknown) =>
    h.temporal.client.workflow.execute(workflow as typeof metricsSyncWorkflow, {
      taskQueue: h.temporal.taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [args as never],
    });
  await Promise.all(accounts.map((a) => run(fullSyncWorkflow, workflowIds.fullSync(a.id), { companyId: h.companyId, adAccountId: a.id })));
  await Promise.all(
    accounts.map((a) =>
      run(metricsSyncWorkflow, workflowIds.metricsSync(a.id, 'daily'), { companyId: h.companyId, adAccountId: a.id, grain: 'daily', from: a.historyStart, to: a.today, reportPollInitialMs: 50, reportPollMaxMs: 200 }),
    ),
  );
  // Every hour begun before asOf is in the hourly pull that starts after it.
  const clock = (await (await fetch(`${h.sim.url}/__sim/clock`)).json()) as { now: string };
  asOfMs = Date.parse(clock.now);
  await Promise.all(
    accounts.map((a) => run(metricsSyncWorkflow, workflowIds.metricsSync(a.id, 'hourly'), { companyId: h.companyId, adAccountId: a.id, grain: 'hourly', from: addDays(a.today, -6), to: a.today })),
  );
  await worker.stop();
  for (const a of accounts) oracle.set(a.id, await loadOracleData({ simUrl: h.sim.url, state: h.sim.state, adAccountId: a.id }));
});

afterAll(async () => {
  await h?.close();
});

/** A small seeded generator, so a failing rule can be reproduced from its printed seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    subset: <T>(xs: readonly T[], n: number): T[] => [...xs].sort(() => next() - 0.5).slice(0, Math.max(1, n)),
  };
}
type Rng = ReturnType<typeof rng>;

const ADDITIVE = ['spent', 'impressions', 'clicks', 'results', 'offsite_conversion', 'link_click', 'leadgen', 'post_engagement', 'offsite_conversion.fb_pixel_purchase'];
const RATIOS = ['cpc', 'cpm', 'ctr', 'cost_per', 'result_rate', 'cpa', 'cost_per_link_click', 'link_ctr', 'website_purchase_roas', 'cost_per_purchase_fb'];
const UNIQUE = ['reach', 'frequency', 'cpp', 'unique_impressions'];
const ALIASES = Object.keys(PRESET_ALIASES);
const STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'PENDING_REVIEW'];
const GOALS = ['OFFSITE_CONVERSIONS', 'LINK_CLICKS', 'LEAD_GENERATION', 'REACH', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS'];
const OBJECTIVES = ['OUTCOME_SALES', 'OUTCOME_TRAFFIC', 'OUTCOME_LEADS', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'LINK_CLICKS', 'CONVERSIONS'];

/**
 * One insights filter. Three times in four its threshold is set so that the rule's anchor object
 * passes it (so many rules match something); otherwise around a random object's value.
 */
function insightFilter(r: Rng, data: OracleData, entityType: RuleEntityType, preset: TimePreset, anchor: string): RuleFilter {
  const unique = entityType === 'AD' && preset === 'YESTERDAY' && r.chance(0.3);
  const field = unique ? r.pick(UNIQUE) : r.chance(0.1) ? r.pick(ALIASES) : r.chance(0.5) ? r.pick(ADDITIVE) : r.pick(RATIOS);
  const alias = PRESET_ALIASES[field];
  const formula = INSIGHTS_METRICS[alias?.metric ?? field]!;
  const byId = oracleMetricValues(data, entityType, formula, alias?.preset ?? preset, asOfMs);
  const values = [...byId.values()].filter((v): v is Decimal => v !== null);
  const anchored = byId.get(anchor);
  const fitAnchor = anchored !== null && anchored !== undefined && r.chance(0.75);
  const pivot = fitAnchor ? anchored! : values.length ? r.pick(values) : new Decimal(r.int(0, 1000));
  const additive = !formula.denominator;
  const v = additive ? pivot.toNumber() : Number(pivot.toSignificantDigits(8).toString());
  const operator = r.pick(additive ? ['GREATER_THAN', 'LESS_THAN', 'EQUAL', 'IN_RANGE', 'NOT_IN_RANGE'] : ['GREATER_THAN', 'LESS_THAN', 'IN_RANGE', 'NOT_IN_RANGE']);
  if (!fitAnchor) {
    if (operator === 'IN_RANGE' || operator === 'NOT_IN_RANGE') return { field, operator, value: additive ? [Math.floor(v * 0.7), Math.ceil(v * 1.3)] : [v * 0.7, v * 1.3] };
    return { field, operator, value: v };
  }
  const below = additive ? Math.floor(v * 0.9) - 1 : v * 0.9 - 1e-6;
  const above = additive ? Math.ceil(v * 1.1) + 1 : v * 1.1 + 1e-6;
  switch (operator) {
    case 'GREATER_THAN':
      return { field, operator, value: below };
    case 'LESS_THAN':
      return { field, operator, value: above };
    case 'EQUAL':
      return { field, operator, value: v };
    case 'IN_RANGE':
      return { field, operator, value: [below, above] };
    default:
      return { field, operator, value: [above, above * 2 + 10] };
  }
}

function metadataFilter(r: Rng, data: OracleData, entityType: RuleEntityType, anchor: string): RuleFilter | null {
  const nodes = data.nodes[entityType];
  // Half the time the filter is built from the anchor object, which then passes the name and id filters.
  const some = r.chance(0.5) ? nodes.find((n) => n.id === anchor)! : r.pick(nodes);
  const common: Array<() => RuleFilter | null> = [
    () => ({ field: 'name', operator: r.pick(['CONTAIN', 'NOT_CONTAIN']), value: (some.name ?? 'Ad').split(' ')[r.int(0, 1)]!.toLowerCase() }),
    () => ({ field: 'name', operator: 'EQUAL', value: some.name ?? 'x' }),
    () => ({ field: 'effective_status', operator: r.pick(['IN', 'NOT_IN']), value: r.subset(STATUSES, r.int(1, 3)) }),
    () => ({ field: 'id', operator: r.pick(['IN', 'NOT_IN']), value: [some.id, ...r.subset(nodes.map((n) => n.id), r.int(1, Math.ceil(nodes.length / 2)))] }),
    () => ({ field: 'created_time', operator: r.pick(['GREATER_THAN', 'LESS_THAN']), value: Math.floor(some.createdMs / 1000) }),
    () => ({ field: 'hours_since_creation', operator: r.pick(['GREATER_THAN', 'IN_RANGE']), value: r.chance(0.5) ? r.int(24, 2000) : [r.int(0, 500), r.int(500, 5000)] }),
    () => ({ field: 'updated_time', operator: 'LESS_THAN', value: Math.floor(some.updatedMs / 1000) }),
  ];
  const budgetOf = (n: { fields: Record<string, unknown> }) => Number(n.fields.daily_budget ?? 0);
  const byType: Record<RuleEntityType, Array<() => RuleFilter | null>> = {
    ADSET: [
      () => ({ field: 'optimization_goal', operator: r.pick(['IN', 'NOT_IN']), value: r.subset(GOALS, r.int(1, 3)) }),
      () => ({ field: 'daily_budget', operator: r.pick(['GREATER_THAN', 'LESS_THAN', 'NOT_EQUAL']), value: budgetOf(some) }),
      () => ({ field: 'bid_amount', operator: r.pick(['GREATER_THAN', 'IN_RANGE']), value: r.chance(0.5) ? 200 : [100, 300] }),
      () => ({ field: 'billing_event', operator: 'EQUAL', value: 'IMPRESSIONS' }),
      () => ({ field: 'campaign.objective', operator: r.pick(['IN', 'NOT_IN']), value: r.subset(OBJECTIVES, 3) }),
      () => ({ field: 'campaign.daily_budget', operator: 'GREATER_THAN', value: r.int(0, 40_000) }),
      () => ({ field: 'start_time', operator: 'GREATER_THAN', value: Math.floor(some.createdMs / 1000) }),
    ],
    CAMPAIGN: [
      () => ({ field: 'objective', operator: r.pick(['EQUAL', 'IN', 'NOT_EQUAL']), value: r.chance(0.5) ? r.pick(OBJECTIVES) : r.subset(OBJECTIVES, 3) }),
      () => ({ field: 'daily_budget', operator: r.pick(['GREATER_THAN', 'LESS_THAN']), value: budgetOf(some) || 20_000 }),
      () => ({ field: 'buying_type', operator: 'EQUAL', value: 'AUCTION' }),
      () => ({ field: 'lifetime_budget', operator: 'GREATER_THAN', value: 0 }),
    ],
    AD: [
      () => ({ field: 'adset.optimization_goal', operator: r.pick(['IN', 'NOT_IN']), value: r.subset(GOALS, r.int(1, 3)) }),
      () => ({ field: 'adset.daily_budget', operator: 'LESS_THAN', value: r.int(5_000, 200_000) }),
      () => ({ field: 'campaign.objective', operator: 'NOT_IN', value: r.subset(OBJECTIVES, 2) }),
      () => ({ field: 'adset.name', operator: 'CONTAIN', value: 'ad set 2' }),
    ],
  };
  const pool = [...common, ...byType[entityType]];
  const make = r.pick(pool);
  const f = make();
  // Operators must fit the value shape.
  if (f && f.operator === 'IN_RANGE' && !Array.isArray(f.value)) f.value = [0, f.value as number];
  if (f && (f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.value)) f.value = [f.value as string];
  if (f && ['EQUAL', 'NOT_EQUAL', 'GREATER_THAN', 'LESS_THAN'].includes(f.operator) && Array.isArray(f.value)) f.value = f.value[0];
  return f;
}

function randomRule(r: Rng, data: OracleData): { filters: RuleFilter[]; rule: CompiledRule; executionType: string } {
  const entityType = r.pick(['AD', 'ADSET', 'CAMPAIGN'] as const);
  const preset = r.pick(TIME_PRESETS);
  // An anchor object Meta's implied filter lets through, which most filters are then built around.
  const active = data.nodes[entityType].filter((n) => data.state.effectiveStatus(n) === 'ACTIVE');
  const anchor = r.pick(active.length ? active : data.nodes[entityType]).id;
  const filters: RuleFilter[] = [{ field: 'entity_type', operator: 'EQUAL', value: entityType }, { field: 'time_preset', operator: 'EQUAL', value: preset }];
  for (let i = r.int(1, 3); i > 0; i--) filters.push(insightFilter(r, data, entityType, preset, anchor));
  const seen = new Set<string>();
  for (let i = r.int(0, 2); i > 0; i--) {
    const f = metadataFilter(r, data, entityType, anchor);
    if (f && !seen.has(f.field)) {
      seen.add(f.field);
      filters.push(f);
    }
  }
  const executionType = r.pick(entityType === 'ADSET' ? ['PAUSE', 'UNPAUSE', 'NOTIFICATION', 'CHANGE_BUDGET'] : ['PAUSE', 'UNPAUSE', 'NOTIFICATION']);
  const execution_spec =
    executionType === 'CHANGE_BUDGET'
      ? { execution_type: executionType, execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: -10, unit: 'PERCENTAGE' } }] }
      : { execution_type: executionType };
  const compiled = compileRule({ evaluation_spec: { evaluation_type: 'SCHEDULE', filters }, execution_spec, schedule_spec: { schedule_type: 'HOURLY' } });
  if (!compiled.ok) throw new Error(`generated an invalid rule: ${JSON.stringify(compiled.issues)}\n${JSON.stringify(filters)}`);
  return { filters, rule: compiled.rule, executionType };
}

test('the SQL matches of random valid rules equal an independent evaluator over the simulator truth', async () => {
  // The hourly rows of today: Los Angeles is on its 25-hour fall-back day.
  const la = accounts.find((a) => a.timezone === 'America/Los_Angeles')!;
  expect(la.today).toBe('2026-11-01');
  const dbAds = await h.database.db.ad.count();
  expect(dbAds).toBe(accounts.reduce((n, a) => n + a.counts.ads, 0));

  let evaluated = 0;
  let nonEmpty = 0;
  let partial = 0;
  const levels = new Set<string>();
  const presets = new Set<string>();
  for (const [index, account] of accounts.entries()) {
    const data = oracle.get(account.id)!;
    for (let i = 0; i < RULES_PER_ACCOUNT; i++) {
      const seed = 1_000 * index + i;
      const { filters, rule } = randomRule(rng(seed), data);
      const sqlIds = (
        await evaluateRuleMatches(h.database.db, { adAccountId: account.id, rule, asOfMs, timeZone: account.timezone, currencyOffset: data.offset })
      ).map((m) => m.entityId).sort();
      const expected = oracleMatches(data, rule, asOfMs);
      if (JSON.stringify(sqlIds) !== JSON.stringify(expected)) {
        throw new Error(`rule seed ${seed} (${account.timezone}) differs:\n${JSON.stringify(filters)}\nSQL:    ${sqlIds.join(',')}\noracle: ${expected.join(',')}`);
      }
      evaluated++;
      if (expected.length > 0) nonEmpty++;
      if (expected.length > 0 && expected.length < data.nodes[rule.entityType].length) partial++;
      levels.add(rule.entityType);
      for (const c of rule.insights) presets.add(c.preset);
    }
  }
  expect(evaluated).toBe(RULES_PER_ACCOUNT * accounts.length);
  // The comparison is not vacuous: many rules match some objects, and most of those not all.
  expect(nonEmpty).toBeGreaterThan(evaluated * 0.3);
  expect(partial).toBeGreaterThan(evaluated * 0.2);
  expect([...levels].sort()).toEqual(['AD', 'ADSET', 'CAMPAIGN']);
  expect(presets.size).toBe(TIME_PRESETS.length);
});
