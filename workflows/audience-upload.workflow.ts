import { ApplicationFailure, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AudienceUploadInput, AudienceUploadResult } from '../domain/contracts/audience-upload';
import { progressQuery, WorkUnit, type WorkflowProgress } from '../domain/progress';
import { SearchAttributes } from '../domain/search-attributes';
import { WorkflowKind } from '../domain/vocabulary';
import { activitySummaries } from '../domain/workflow-summaries';
import { AUDIENCE_UPLOAD_ACTIVITY, DATABASE_ACTIVITY } from './activity-policies';

const { uploadAudienceBatches } = proxyActivities<Activities>(AUDIENCE_UPLOAD_ACTIVITY);
const { finishAudienceUpload } = proxyActivities<Activities>(DATABASE_ACTIVITY);

/**
 * Sends a staged customer list to a custom audience in batches (one Meta upload session), then
 * records the outcome and deletes the staged rows, whether the batches succeeded or not. Only
 * ids and counts pass through: the hashed rows stay in PostgreSQL.
 */
export async function audienceUploadWorkflow(input: AudienceUploadInput): Promise<AudienceUploadResult> {
  const now = () => new Date(Date.now()).toISOString();
  let progress: WorkflowProgress = {
    kind: WorkflowKind.AudienceUpload, phase: `sending ${input.batches} batch(es)`, entities: {},
    work: { done: 0, total: input.batches, unit: WorkUnit.Batches }, updatedAt: workflowInfo().runStartTime.toISOString(),
  };
  setHandler(progressQuery, () => progress);
  upsertSearchAttributes([{ key: SearchAttributes.WorkflowKind, value: WorkflowKind.AudienceUpload }]);
  setCurrentDetails(progress.phase);
  try {
    const sent = await uploadAudienceBatches.executeWithOptions({ summary: activitySummaries.uploadAudienceBatches(0, input.batches) }, [{ uploadId: input.uploadId, adAccountId: input.adAccountId, audienceId: input.audienceId }]);
    progress = {
      ...progress, phase: 'recording the outcome', work: { done: sent.batchesSent, total: input.batches, unit: WorkUnit.Batches },
      counters: { batchesSent: sent.batchesSent, numReceived: sent.numReceived, numInvalidEntries: sent.numInvalidEntries }, updatedAt: now(),
    };
    await finishAudienceUpload.executeWithOptions({ summary: activitySummaries.finishAudienceUpload('completed') }, [{ uploadId: input.uploadId, status: 'completed' }]);
    progress = { ...progress, phase: 'done', updatedAt: now() };
    setCurrentDetails(`sent ${sent.batchesSent} batch(es): Meta received ${sent.numReceived} rows, ${sent.numInvalidEntries} invalid`);
    return { uploadId: input.uploadId, status: 'completed', ...sent };
  } catch (err) {
    // The staged hashes must not outlive a failed upload either.
    const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    await finishAudienceUpload.executeWithOptions({ summary: activitySummaries.finishAudienceUpload('failed') }, [{ uploadId: input.uploadId, status: 'failed', error: message }]);
    progress = { ...progress, phase: 'failed', updatedAt: now() };
    throw err instanceof ApplicationFailure ? err : ApplicationFailure.fromError(err);
  }
}
