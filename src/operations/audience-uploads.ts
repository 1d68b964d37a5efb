/**
 * Customer-list uploads: the list is normalised and SHA-256 hashed here, before anything is
 * stored (EXTERN_ID is kept as is, as Meta allows); only hashes are staged, and the upload
 * workflow sends them to Meta in batches of at most 10,000 and deletes them when it ends.
 * Invalid rows are kept by number and reason only. Raw values are never stored, logged or put
 * in workflow inputs.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  AUDIENCE_BATCH_ROWS, AUDIENCE_FIELDS, HASHED_AUDIENCE_FIELDS, normaliseAudienceRow, type AudienceField, type InvalidAudienceRow,
} from '../../domain/audience-fields';
import { audienceUploadStart } from '../../domain/starts/audience-upload';
import { workflowIds } from '../../domain/workflow-ids';
import { insertAudienceUpload, loadOwnedAudienceUpload, loadOwnedCustomAudience, type AudienceBatchResult } from '../db/audience-upload-repository';
import { loadStartNames } from '../db/company-repository';
import { NotFoundError, ValidationError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { audienceUploadRefInput, audienceUploadStartView, audienceUploadView, startAudienceUploadInput } from './schemas/audience-uploads';
import type { ServiceContext } from './service-context';
import { parseInput } from './validation';
import { startWorkflow } from './workflows';
import { parseCsv } from './csv-rows';

export type AudienceUploadView = z.infer<typeof audienceUploadView>;

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** The list's columns and rows, from `rows` + `schema` or from CSV with a header row. */
function listOf(input: z.infer<typeof startAudienceUploadInput>): { schema: AudienceField[]; rows: Array<ReadonlyArray<string | null>> } {
  if (input.rows && input.schema) return { schema: input.schema, rows: input.rows };
  const [header, ...rows] = parseCsv(input.csv ?? '');
  if (!header || rows.length === 0) throw new ValidationError('csv needs a header row and at least one row', { field: 'csv' });
  const schema = header.map((name) => name.trim().toUpperCase());
  const unknown = schema.filter((name) => !(AUDIENCE_FIELDS as readonly string[]).includes(name));
  if (unknown.length) throw new ValidationError(`csv header names unknown column(s) ${unknown.slice(0, 5).map((n) => JSON.stringify(n.slice(0, 40))).join(', ')}: expected ${AUDIENCE_FIELDS.join(', ')}`, { field: 'csv' });
  if (new Set(schema).size !== schema.length) throw new ValidationError('csv header names a column twice', { field: 'csv' });
  return { schema: schema as AudienceField[], rows };
}

/** Meta's session id for an upload: a positive integer below 2^53, fixed by the upload id. */
function sessionIdOf(uploadId: string): string {
  return String(Number.parseInt(uploadId.replace(/-/g, '').slice(0, 13), 16) + 1);
}

/**
 * Normalises, hashes and stages a customer list for a custom audience of the company (`write`),
 * then starts `meta-audience-upload:<uploadId>`. Answers the counts; invalid rows are listed by
 * the upload's read.
 */
export async function startAudienceUpload(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<z.infer<typeof audienceUploadStartView>> {
  requireScope(actor, Scope.Write);
  const input = parseInput(startAudienceUploadInput, raw);
  const audience = await loadOwnedCustomAudience(ctx.db, { companyId: actor.companyId, audienceId: input.audienceId });
  if (!audience) throw new NotFoundError('Custom audience', input.audienceId);
  if (audience.subtype !== 'CUSTOM') throw new ValidationError(`Custom audience ${audience.id} is a ${audience.subtype ?? 'non-customer-list'} audience: customer lists go to CUSTOM audiences only`, { field: 'audienceId' });
  const { schema, rows } = listOf(input);
  const invalid: InvalidAudienceRow[] = [];
  const staged: Array<{ rowNumber: number; batchIndex: number; hashedValues: string[] }> = [];
  rows.forEach((values, index) => {
    const rowNumber = index + 1;
    if (values.length > schema.length) {
      invalid.push({ row: rowNumber, field: null, reason: `${values.length} values for ${schema.length} columns` });
      return;
    }
    const result = normaliseAudienceRow(schema, values);
    if (!result.ok) {
      invalid.push({ row: rowNumber, field: result.field, reason: result.reason });
      return;
    }
    const hashedValues = result.values.map((value, i) => (value !== '' && HASHED_AUDIENCE_FIELDS.has(schema[i] as AudienceField) ? sha256(value) : value));
    staged.push({ rowNumber, batchIndex: Math.floor(staged.length / AUDIENCE_BATCH_ROWS), hashedValues });
  });
  if (staged.length === 0) throw new ValidationError(`No valid row to upload: all ${rows.length} row(s) are invalid (first: row ${invalid[0]?.row}, ${invalid[0]?.reason})`, { field: 'rows' });
  const uploadId = randomUUID();
  const batches = Math.ceil(staged.length / AUDIENCE_BATCH_ROWS);
  await insertAudienceUpload(ctx.db, {
    id: uploadId, companyId: actor.companyId, adAccountId: audience.adAccountId, audienceId: audience.id, mode: input.mode, schema,
    status: 'staged', sessionId: sessionIdOf(uploadId), rowsReceived: rows.length, rowsValid: staged.length,
    invalidRows: invalid as unknown as object, batchesTotal: batches, apiTokenId: actor.tokenId,
  }, staged);
  const names = await loadStartNames(ctx.db, { companyId: actor.companyId, adAccountId: audience.adAccountId });
  const started = await startWorkflow(ctx, audienceUploadStart({
    uploadId, companyId: actor.companyId, adAccountId: audience.adAccountId, audienceId: audience.id, batches, mode: input.mode, rows: rows.length, ...names,
  }));
  await recordAudit(ctx, actor, {
    action: 'audience.upload', targetType: 'custom_audience', targetId: audience.id,
    details: { uploadId, workflowId: started.workflowId, mode: input.mode, rowsReceived: rows.length, rowsValid: staged.length, invalidRows: invalid.length, batches },
    requestId: meta.requestId,
  });
  return { uploadId, workflowId: started.workflowId, audienceId: audience.id, mode: input.mode, rowsReceived: rows.length, rowsValid: staged.length, invalidRowCount: invalid.length, batches };
}

/** An upload of the company (`read`): counts, every invalid row by number and reason, Meta's counts so far. */
export async function getAudienceUpload(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<AudienceUploadView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(audienceUploadRefInput, raw);
  const row = await loadOwnedAudienceUpload(ctx.db, { companyId: actor.companyId, id: input.uploadId });
  if (!row) throw new NotFoundError('Audience upload', input.uploadId);
  const results = Object.values((row.batchResults ?? {}) as unknown as Record<string, AudienceBatchResult>);
  const invalidRows = row.invalidRows as unknown as InvalidAudienceRow[];
  return {
    uploadId: row.id,
    workflowId: workflowIds.audienceUpload(row.id),
    adAccountId: row.adAccountId,
    audienceId: row.audienceId,
    mode: row.mode as 'add' | 'replace',
    status: row.status as AudienceUploadView['status'],
    schema: row.schema,
    rowsReceived: row.rowsReceived,
    rowsValid: row.rowsValid,
    invalidRowCount: invalidRows.length,
    invalidRows,
    batchesTotal: row.batchesTotal,
    batchesSent: results.length,
    numReceived: results.reduce((sum, r) => sum + r.numReceived, 0),
    numInvalidEntries: results.reduce((sum, r) => sum + r.numInvalidEntries, 0),
    work: { done: results.length, total: row.batchesTotal, unit: 'batches' },
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
