import { activityInfo, heartbeat } from '@temporalio/activity';
import type { AudienceBatchesResult, AudienceUploadCheckpoint } from '../domain/contracts/audience-upload';
import {
  finishAudienceUploadRow, loadAudienceBatch, loadAudienceUpload, saveAudienceBatchResult, type AudienceBatchResult,
} from '../src/db/audience-upload-repository';
import { NotFoundError } from '../src/errors';
import type { ActivityDeps } from './activity-deps';
import { openAdAccount } from './meta-access';
import { runMetaActivity } from './meta-failures';

/** Meta's answer to `/<audience>/users` (the fields this service reads). */
interface UsersAnswer {
  num_received?: number;
  num_invalid_entries?: number;
}

function resumeFrom(details: unknown): number {
  const next = (details as Partial<AudienceUploadCheckpoint> | undefined)?.nextBatch;
  return typeof next === 'number' && Number.isInteger(next) && next >= 0 ? next : 0;
}

function totals(results: unknown): Omit<AudienceBatchesResult, 'batchesSent'> & { batches: number } {
  const values = Object.values((results ?? {}) as Record<string, AudienceBatchResult>);
  return {
    batches: values.length,
    numReceived: values.reduce((sum, r) => sum + r.numReceived, 0),
    numInvalidEntries: values.reduce((sum, r) => sum + r.numInvalidEntries, 0),
  };
}

/** Activities of the customer-list upload workflow. */
export function createAudienceUploadActivities(deps: ActivityDeps) {
  return {
    /**
     * Sends the upload's batches from the heartbeated one on, each with Meta's `session` fields
     * (`batch_seq` is the batch's index + 1, fixed per batch): a batch resent after a lost
     * answer or a dead worker is counted once by Meta, and its answer is stored under its index.
     */
    async uploadAudienceBatches(input: { uploadId: string; adAccountId: string; audienceId: string }): Promise<AudienceBatchesResult> {
      const upload = await loadAudienceUpload(deps.db, input.uploadId);
      if (!upload) throw new NotFoundError('Audience upload', input.uploadId);
      const { client } = await openAdAccount(deps, input.adAccountId);
      const edge = upload.mode === 'replace' ? 'usersreplace' : 'users';
      for (let batch = resumeFrom(activityInfo().heartbeatDetails); batch < upload.batchesTotal; batch++) {
        const data = await loadAudienceBatch(deps.db, upload.id, batch);
        const answer = await runMetaActivity(deps, input.adAccountId, () =>
          client.createObject<UsersAnswer>([input.audienceId, edge], {
            payload: { schema: upload.schema, data },
            session: { session_id: Number(upload.sessionId), batch_seq: batch + 1, last_batch_flag: batch === upload.batchesTotal - 1, estimated_num_total: upload.rowsValid },
          }),
        );
        await saveAudienceBatchResult(deps.db, upload.id, batch, { numReceived: answer.num_received ?? 0, numInvalidEntries: answer.num_invalid_entries ?? 0 });
        heartbeat({ nextBatch: batch + 1 } satisfies AudienceUploadCheckpoint);
      }
      const after = await loadAudienceUpload(deps.db, upload.id);
      const sum = totals(after?.batchResults);
      return { batchesSent: sum.batches, numReceived: sum.numReceived, numInvalidEntries: sum.numInvalidEntries };
    },

    /** Records the outcome and deletes the staged rows (they are hashes, but not kept once sent). */
    async finishAudienceUpload(input: { uploadId: string; status: 'completed' | 'failed'; error?: string }): Promise<void> {
      await finishAudienceUploadRow(deps.db, input.uploadId, { status: input.status, error: input.error });
    },
  };
}
