/** Contract of the customer-list upload workflow (`audienceUploadWorkflow`). Ids and counts only: no row ever passes through it. */

export interface AudienceUploadInput {
  uploadId: string;
  companyId: string;
  adAccountId: string;
  audienceId: string;
  batches: number;
}

/** One call of the batch activity: the batches it sent and what Meta counted over the whole upload. */
export interface AudienceBatchesResult {
  batchesSent: number;
  numReceived: number;
  numInvalidEntries: number;
}

export interface AudienceUploadResult extends AudienceBatchesResult {
  uploadId: string;
  status: 'completed' | 'failed';
}

/** What the batch activity heartbeats: the next batch to send, so a retried attempt resumes there. */
export interface AudienceUploadCheckpoint {
  nextBatch: number;
}
