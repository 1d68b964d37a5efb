// The worker's workflow barrel: every workflow type the task queue serves.
export { retentionWorkflow } from './retention.workflow';
export { rollupWorkflow } from './rollup.workflow';
export { metricsSyncWorkflow } from './metrics-sync.workflow';
export { fullSyncWorkflow } from './full-sync.workflow';
export { incrementalSyncWorkflow } from './incremental-sync.workflow';
export { companySyncWorkflow } from './company-sync.workflow';
export { ruleEvaluationWorkflow } from './rule-evaluation.workflow';
export { ruleBacktestWorkflow } from './rule-backtest.workflow';
export { changeSetWorkflow } from './change-set.workflow';
export { leadWorkflow } from './lead.workflow';
export { audienceUploadWorkflow } from './audience-upload.workflow';
export { tokenCheckWorkflow } from './token-check.workflow';
