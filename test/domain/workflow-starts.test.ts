import { SearchAttributes } from '../../domain/search-attributes';
import { companySyncChildStart, companySyncStart } from '../../domain/starts/company-sync';
import { fullSyncStart } from '../../domain/starts/full-sync';
import { incrementalSyncStart } from '../../domain/starts/incremental-sync';
import { metricsSyncStart } from '../../domain/starts/metrics-sync';
import { rollupBackfillStart, scheduledRollupStart } from '../../domain/starts/rollup';
import { scheduledRetentionStart } from '../../domain/starts/retention';
import type { WorkflowStartSpec } from '../../domain/starts/workflow-start';
import { configuredCompanySyncStart, configuredMetricsSyncStart, scheduleStartAction, workflowStartOptions } from '../../src/temporal/workflow-starts';
import { testConfig } from '../support/test-env';

const companyId = '00000000-0000-4000-8000-0000000000aa';
const ref = { companyId, adAccountId: 'act_42', accountName: 'Sim Account 1' };
const settings = { lookbackDays: 5, attributionWindows: ['1d_click', '28d_click'] };

function attributes(spec: WorkflowStartSpec<unknown>): Record<string, unknown> {
  return Object.fromEntries(spec.searchAttributes.map((pair) => [pair.key.name, pair.value]));
}

test('account starts keep their deterministic ids and name the account for the operator', () => {
  expect(fullSyncStart(ref)).toMatchObject({ workflowType: 'fullSyncWorkflow', workflowId: 'meta-full-sync:act_42', args: [{ companyId, adAccountId: 'act_42' }], staticSummary: 'Full sync of Sim Account 1 (act_42)' });
  expect(fullSyncStart({ companyId, adAccountId: 'act_42' }).staticSummary).toBe('Full sync of act_42');
  expect(incrementalSyncStart({ ...ref, overlapSeconds: 60 })).toMatchObject({ workflowId: 'meta-incremental-sync:act_42', args: [{ companyId, adAccountId: 'act_42', overlapSeconds: 60 }] });
  expect(incrementalSyncStart(ref).args[0]).not.toHaveProperty('overlapSeconds');
  expect(attributes(fullSyncStart(ref))).toEqual({ [SearchAttributes.CompanyId.name]: companyId, [SearchAttributes.AdAccountId.name]: 'act_42', [SearchAttributes.WorkflowKind.name]: 'full-sync' });
  // Ids only in attributes; the memo adds the names an operator reads (Meta data and the company's own, never a token).
  expect(fullSyncStart(ref).memo).toEqual({ companyId, adAccountId: 'act_42', kind: 'full-sync', accountName: 'Sim Account 1' });
  expect(fullSyncStart({ ...ref, companyName: 'Shop *GmbH*' }).memo).toEqual({ companyId, adAccountId: 'act_42', kind: 'full-sync', accountName: 'Sim Account 1', companyName: 'Shop GmbH' });
  expect(fullSyncStart({ companyId, adAccountId: 'act_42' }).memo).toEqual({ companyId, adAccountId: 'act_42', kind: 'full-sync' });
  // The workflow page's details name both, by name and id.
  expect(fullSyncStart({ ...ref, companyName: 'Shop GmbH' }).staticDetails).toContain(`Company: **Shop GmbH (${companyId})**`);
  expect(fullSyncStart({ ...ref, companyName: 'Shop GmbH' }).staticDetails).toContain('Ad account: **Sim Account 1 (act_42)**');
});

test('a summary stays one plain line whatever the account is called', () => {
  const odd = fullSyncStart({ ...ref, accountName: '  Shop **A**\n[x](http://evil) `b`  ' + 'z'.repeat(200) });
  expect(odd.staticSummary).not.toMatch(/[\n*`[\]]/);
  expect(odd.staticSummary.startsWith('Full sync of Shop A x(http://evil) b z')).toBe(true);
  expect(odd.staticSummary.endsWith('… (act_42)')).toBe(true);
  expect(fullSyncStart({ ...ref, accountName: ' \n ' }).staticSummary).toBe('Full sync of act_42');
});

test('a metrics start carries the settings it was given, copied, and says so in its summary', () => {
  const windows = [...settings.attributionWindows];
  const spec = metricsSyncStart({ ...ref, grain: 'daily', settings: { lookbackDays: 5, attributionWindows: windows } });
  windows.push('7d_view');
  expect(spec).toMatchObject({ workflowId: 'meta-metrics-sync:act_42:daily', args: [{ grain: 'daily', lookbackDays: 5, attributionWindows: ['1d_click', '28d_click'] }] });
  expect(spec.staticSummary).toBe('Daily metrics of Sim Account 1 (act_42), last 5 days, windows 1d_click, 28d_click');
  expect(metricsSyncStart({ ...ref, grain: 'hourly', from: '2026-01-01', to: '2026-01-03', settings }).staticSummary).toContain('Hourly metrics of Sim Account 1 (act_42), 2026-01-01 → 2026-01-03');
  // The days a front resolved (the account's today) are shown as days; the run's input keeps its open bounds.
  const resolved = metricsSyncStart({ ...ref, grain: 'daily', settings, days: { from: '2026-11-02', to: '2026-12-01' } });
  expect(resolved.staticSummary).toBe('Daily metrics of Sim Account 1 (act_42), 2026-11-02 → 2026-12-01, windows 1d_click, 28d_click');
  expect(resolved.args[0]).not.toHaveProperty('from');
  expect(metricsSyncStart({ ...ref, grain: 'daily', to: '2026-01-03', settings }).staticSummary).toContain('5 days up to 2026-01-03');
});

test("a company sync's children are started exactly like the fronts start them", () => {
  expect(companySyncChildStart('full', ref, settings)).toEqual(fullSyncStart(ref));
  expect(companySyncChildStart('incremental', ref, settings)).toEqual(incrementalSyncStart(ref));
  expect(companySyncChildStart('metrics-daily', ref, settings)).toEqual(metricsSyncStart({ ...ref, grain: 'daily', settings }));
  expect(companySyncChildStart('metrics-hourly', ref, settings)).toEqual(metricsSyncStart({ ...ref, grain: 'hourly', settings }));
  const company = companySyncStart({ companyId, kinds: ['full', 'full', 'metrics-daily'], maxParallel: 3, metrics: settings });
  expect(company).toMatchObject({ workflowId: `meta-company-sync:${companyId}`, args: [{ companyId, kinds: ['full', 'metrics-daily'], maxParallel: 3, metrics: settings }] });
  expect(attributes(company)).not.toHaveProperty(SearchAttributes.AdAccountId.name);
});

test('the config-filled builders read METRICS_LOOKBACK_DAYS, METRICS_ATTRIBUTION_WINDOWS and SYNC_MAX_PARALLEL_ACCOUNTS', () => {
  const config = testConfig({ METRICS_LOOKBACK_DAYS: '9', METRICS_ATTRIBUTION_WINDOWS: '7d_view', SYNC_MAX_PARALLEL_ACCOUNTS: '6' });
  expect(configuredMetricsSyncStart(config, { ...ref, grain: 'hourly' }).args[0]).toMatchObject({ lookbackDays: 9, attributionWindows: ['7d_view'] });
  expect(configuredCompanySyncStart(config, { companyId, kinds: ['metrics-hourly'] }).args[0]).toEqual({ companyId, kinds: ['metrics-hourly'], maxParallel: 6, metrics: { lookbackDays: 9, attributionWindows: ['7d_view'] } });
  expect(configuredCompanySyncStart(config, { companyId, kinds: ['full'], maxParallel: 2 }).args[0].maxParallel).toBe(2);
});

test('rollup and retention starts keep the ids the fronts and schedules always used', () => {
  const backfill = rollupBackfillStart({ companyId, grain: 'daily', from: '2026-01-01', to: '2026-01-31', adAccountIds: ['act_1', 'act_2'] });
  expect(backfill.workflowId).toBe(`meta-rollup:daily:2026-01-01..2026-01-31:company:${companyId}`);
  expect(rollupBackfillStart({ companyId, grain: 'monthly', from: '2026-01-01', to: '2026-01-31', adAccountIds: ['act_1'], adAccountId: 'act_1' }).workflowId).toBe('meta-rollup:monthly:2026-01-01..2026-01-31:act_1');
  expect(scheduledRollupStart({ grain: 'daily' })).toMatchObject({ workflowId: 'meta-rollup:daily', args: [{ grain: 'daily' }] });
  expect(scheduledRetentionStart({ hourlyRetentionDays: 7 })).toMatchObject({ workflowId: 'meta-retention', args: [{ hourlyRetentionDays: 7 }] });
});

test('a start becomes client options (attach to the running job) or a schedule action with the same metadata', () => {
  const spec = fullSyncStart(ref);
  expect(workflowStartOptions(spec, 'q')).toMatchObject({ taskQueue: 'q', workflowId: spec.workflowId, args: spec.args, workflowIdConflictPolicy: 'USE_EXISTING', memo: spec.memo, staticSummary: spec.staticSummary });
  const action = scheduleStartAction(spec, 'q');
  expect(action).toMatchObject({ type: 'startWorkflow', workflowType: 'fullSyncWorkflow', taskQueue: 'q', args: spec.args, staticSummary: spec.staticSummary });
  expect(action).not.toHaveProperty('workflowId');
  expect(scheduleStartAction(spec, 'q', { workflowId: 'prefix' }).workflowId).toBe('prefix');
});
