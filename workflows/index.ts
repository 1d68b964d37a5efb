// The worker's workflow barrel: every workflow type the task queue serves.
export { retentionWorkflow } from './retention.workflow';
