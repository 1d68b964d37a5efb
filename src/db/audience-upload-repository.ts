/** Customer-list uploads and their staged (hashed) rows. */
import type { Db, Prisma } from './prisma-client';

export type AudienceUploadRow = Prisma.AudienceUploadGetPayload<object>;

/** Meta's answer to one batch, kept per batch index so a resent batch overwrites, never adds. */
export interface AudienceBatchResult {
  numReceived: number;
  numInvalidEntries: number;
}

/** Rows inserted per statement while staging. */
const STAGE_CHUNK = 5_000;

/** The upload and its staged rows, in one transaction: an upload is never half staged. */
export async function insertAudienceUpload(
  db: Db,
  upload: Omit<Prisma.AudienceUploadUncheckedCreateInput, 'rows' | 'batchResults'>,
  rows: ReadonlyArray<{ rowNumber: number; batchIndex: number; hashedValues: string[] }>,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.audienceUpload.create({ data: upload });
    for (let i = 0; i < rows.length; i += STAGE_CHUNK) {
      await tx.audienceUploadRow.createMany({ data: rows.slice(i, i + STAGE_CHUNK).map((r) => ({ uploadId: upload.id, ...r })) });
    }
  }, { timeout: 60_000 });
}

/** An upload by id (the worker's read: the workflow carries only ids). */
export async function loadAudienceUpload(db: Db, id: string): Promise<AudienceUploadRow | null> {
  return db.audienceUpload.findUnique({ where: { id } });
}

/** An upload of the company, or null (another company's id reads as missing). */
export async function loadOwnedAudienceUpload(db: Db, filter: { companyId: string; id: string }): Promise<AudienceUploadRow | null> {
  return db.audienceUpload.findFirst({ where: { id: filter.id, companyId: filter.companyId } });
}

/** One batch's staged values, in row order. */
export async function loadAudienceBatch(db: Db, uploadId: string, batchIndex: number): Promise<string[][]> {
  const rows = await db.audienceUploadRow.findMany({ where: { uploadId, batchIndex }, orderBy: { rowNumber: 'asc' }, select: { hashedValues: true } });
  return rows.map((r) => r.hashedValues);
}

/** Records Meta's answer to a batch under its index (set, not added: a resent batch counts once). */
export async function saveAudienceBatchResult(db: Db, uploadId: string, batchIndex: number, result: AudienceBatchResult): Promise<void> {
  await db.$executeRaw`
    UPDATE audience_uploads
       SET batch_results = batch_results || jsonb_build_object(${String(batchIndex)}::text, ${JSON.stringify(result)}::jsonb),
           status = 'running'
     WHERE id = ${uploadId}::uuid`;
}

/** Ends an upload: its status, and its staged rows deleted (hashes are not kept once sent). */
export async function finishAudienceUploadRow(db: Db, uploadId: string, outcome: { status: 'completed' | 'failed'; error?: string }): Promise<void> {
  await db.$transaction([
    db.audienceUploadRow.deleteMany({ where: { uploadId } }),
    db.audienceUpload.update({ where: { id: uploadId }, data: { status: outcome.status, error: outcome.error ?? null, finishedAt: new Date() } }),
  ]);
}

/** Staged rows left for an upload (zero once it ended). */
export async function countStagedAudienceRows(db: Db, uploadId: string): Promise<number> {
  return db.audienceUploadRow.count({ where: { uploadId } });
}

/** A customer-file custom audience of the company, with its ad account, or null. */
export async function loadOwnedCustomAudience(db: Db, filter: { companyId: string; audienceId: string }) {
  return db.customAudience.findFirst({
    where: { id: filter.audienceId, deletedAt: null, adAccount: { companyId: filter.companyId } },
    select: { id: true, adAccountId: true, name: true, subtype: true },
  });
}
