/** Customer-list uploads to custom audiences: inputs and views for both fronts. Views never hold a listed value. */
import { z } from 'zod';
import { AUDIENCE_FIELDS } from '../../../domain/audience-fields';

/** Rows one upload may hold (Meta takes any number, in batches; this bounds one request). */
export const MAX_UPLOAD_ROWS = 500_000;

export const audienceIdSchema = z.string().regex(/^\d{1,20}$/, 'expected a custom audience id (digits)').describe("Meta's custom audience id");
const fieldSchema = z.enum(AUDIENCE_FIELDS).describe('EMAIL, PHONE (with country code), FN, LN or EXTERN_ID');

const listFields = {
  mode: z.enum(['add', 'replace']).default('add').describe('add: add the rows to the audience; replace: the rows become its members when the last batch arrives'),
  schema: z.array(fieldSchema).min(1).max(AUDIENCE_FIELDS.length).optional().describe('The column of each value in `rows` (with `rows`); for `csv` the header row names them'),
  rows: z.array(z.array(z.string().max(1024).nullable()).max(AUDIENCE_FIELDS.length)).min(1).max(MAX_UPLOAD_ROWS).optional().describe('Rows of raw values in `schema` order; normalised and hashed before anything is stored'),
  csv: z.string().min(1).max(64 * 1024 * 1024).optional().describe('CSV text whose header row names the columns (EMAIL, PHONE, FN, LN, EXTERN_ID)'),
};

type ListShape = { rows?: unknown[]; csv?: string; schema?: string[] };

/** The list's own rules: rows with a schema, or CSV, not both; no column twice. */
function withListChecks<T extends z.ZodType<ListShape>>(schema: T) {
  return schema
    .refine((v) => (v.rows === undefined) !== (v.csv === undefined), { message: 'give exactly one of rows (with schema) or csv', path: ['rows'] })
    .refine((v) => v.rows === undefined || v.schema !== undefined, { message: 'rows need a schema naming their columns', path: ['schema'] })
    .refine((v) => !v.schema || new Set(v.schema).size === v.schema.length, { message: 'a column is listed twice', path: ['schema'] });
}

/** The HTTP body of `POST /v1/audiences/{id}/users` (the audience id is in the path). */
export const audienceUsersBody = withListChecks(z.strictObject(listFields));

export const startAudienceUploadInput = withListChecks(z.strictObject({ audienceId: audienceIdSchema, ...listFields }));

export const audienceUploadRefInput = z.strictObject({ uploadId: z.uuid('expected an upload id (UUID)').describe('Upload id (UUID)') });

const invalidRowView = z.object({
  row: z.number().int().describe('1-based row number in the list (the CSV header is not counted)'),
  field: fieldSchema.nullable(),
  reason: z.string().describe('Why the row was not uploaded; never the value'),
});

export const audienceUploadStartView = z.object({
  uploadId: z.string(),
  workflowId: z.string(),
  audienceId: z.string(),
  mode: z.enum(['add', 'replace']),
  rowsReceived: z.number().int(),
  rowsValid: z.number().int(),
  invalidRowCount: z.number().int(),
  batches: z.number().int(),
});

export const audienceUploadView = z.object({
  uploadId: z.string(),
  workflowId: z.string(),
  adAccountId: z.string(),
  audienceId: z.string(),
  mode: z.enum(['add', 'replace']),
  status: z.enum(['staged', 'running', 'completed', 'failed']),
  schema: z.array(z.string()),
  rowsReceived: z.number().int().describe('Rows in the list as sent'),
  rowsValid: z.number().int().describe('Rows normalised and sent to Meta'),
  invalidRowCount: z.number().int(),
  invalidRows: z.array(invalidRowView).describe('Every row not sent, with its number and reason'),
  batchesTotal: z.number().int(),
  batchesSent: z.number().int(),
  numReceived: z.number().int().describe("Meta's num_received over the batches sent"),
  numInvalidEntries: z.number().int().describe("Meta's num_invalid_entries over the batches sent"),
  work: z.object({ done: z.number(), total: z.number(), unit: z.literal('batches') }),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
