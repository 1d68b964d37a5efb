/**
 * The service's words: workflow kinds and type names, metric levels and grains, sync run kinds
 * and statuses. Plain string unions (`as const` objects where code needs the values), so workflow
 * code can use them without pulling anything non-deterministic into its bundle.
 */

/** What a workflow does; also the `WorkflowKind` search attribute's values. */
export const WorkflowKind = {
  FullSync: 'full-sync',
  IncrementalSync: 'incremental-sync',
  MetricsSync: 'metrics-sync',
  CompanySync: 'company-sync',
  Rollup: 'rollup',
  Retention: 'retention',
  RuleEvaluation: 'rule-evaluation',
  RuleBacktest: 'rule-backtest',
  ChangeSet: 'change-set',
  Lead: 'lead',
  AudienceUpload: 'audience-upload',
  TokenCheck: 'token-check',
} as const;
export type WorkflowKind = (typeof WorkflowKind)[keyof typeof WorkflowKind];

/** Workflow type names, for starting a workflow by name (fronts) and listing by type. */
export const WorkflowType = {
  FullSync: 'fullSyncWorkflow',
  IncrementalSync: 'incrementalSyncWorkflow',
  MetricsSync: 'metricsSyncWorkflow',
  CompanySync: 'companySyncWorkflow',
  Rollup: 'rollupWorkflow',
  Retention: 'retentionWorkflow',
  RuleEvaluation: 'ruleEvaluationWorkflow',
  RuleBacktest: 'ruleBacktestWorkflow',
  ChangeSet: 'changeSetWorkflow',
  Lead: 'leadWorkflow',
  AudienceUpload: 'audienceUploadWorkflow',
  TokenCheck: 'tokenCheckWorkflow',
} as const;
export type WorkflowType = (typeof WorkflowType)[keyof typeof WorkflowType];

/** Levels of the Meta hierarchy that metrics are read and stored at (Meta's insights `level`). */
export type MetricLevel = 'account' | 'campaign' | 'adset' | 'ad';
/** Every metric level, top down. */
export const METRIC_LEVELS: readonly MetricLevel[] = ['account', 'campaign', 'adset', 'ad'];

/** Grains a metrics sync reads from Meta. */
export type MetricsGrain = 'hourly' | 'daily';
/** Grains a rollup computes from the finer one. */
export type RollupGrain = 'daily' | 'monthly';

/** What a sync_runs row records. */
export type SyncRunKind = 'full' | 'incremental' | 'metrics' | 'company';
/** Lifecycle of a sync_runs row. */
export type SyncRunStatus = 'running' | 'completed' | 'failed' | 'canceled';
