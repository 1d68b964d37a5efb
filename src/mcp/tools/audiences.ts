import { getAudienceUpload, startAudienceUpload } from '../../operations/audience-uploads';
import { audienceUploadRefInput, audienceUploadStartView, audienceUploadView, startAudienceUploadInput } from '../../operations/schemas/audience-uploads';
import { readOnly, type ToolAnnotations, type ToolArea } from './tool-spec';

/** An upload adds people to (or replaces) a Meta audience; each call is a new upload. */
const uploads: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/** Customer-list uploads: the same operations and schemas as /v1/audiences/{id}/users and /v1/audience-uploads/{id}. */
export const audienceTools: ToolArea = (ctx, actor) => [
  {
    name: 'upload_customer_list',
    title: 'Upload a customer list to a custom audience',
    description:
      'Uploads customer rows (write) to a CUSTOM audience: `rows` with a `schema` (EMAIL, PHONE with country code, FN, LN, EXTERN_ID) or `csv` with a header row; mode add or replace. Values are normalised and SHA-256 hashed as Meta requires before anything is stored; invalid rows are reported by number and reason. Starts a workflow; follow it with get_audience_upload.',
    input: startAudienceUploadInput,
    output: audienceUploadStartView,
    annotations: uploads,
    run: (args) => startAudienceUpload(ctx, actor, args),
  },
  {
    name: 'get_audience_upload',
    title: 'Get an audience upload',
    description: "An upload's status, rows received, every invalid row (number and reason, never the value), batches sent and Meta's num_received / num_invalid_entries.",
    input: audienceUploadRefInput,
    output: audienceUploadView,
    annotations: readOnly,
    run: (args) => getAudienceUpload(ctx, actor, args),
  },
];
