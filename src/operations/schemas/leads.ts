/** Lead forms (with lead counts) and their leads; leads are personal data, read with the `leads` scope. */
import { z } from 'zod';
import { cursorSchema, limitSchema, metaObjectIdSchema, statusFilterSchema } from './common';
import { checkInstantRange, instantSchema, optionalTimestamp, syncedListBase, timestamp } from './synced-assets';

export const listLeadFormsInput = z.strictObject({
  ...syncedListBase(),
  pageId: metaObjectIdSchema.optional().describe('Only the forms of this page'),
  status: statusFilterSchema.optional().describe('ACTIVE, ARCHIVED...'),
});
export const listLeadsInput = z
  .strictObject({
    formId: metaObjectIdSchema.describe('The lead form'),
    from: instantSchema.optional().describe('Leads created at or after this (a day: from its start, UTC)'),
    to: instantSchema.optional().describe('Leads created before this (a day: through its end, UTC)'),
    cursor: cursorSchema.optional(),
    limit: limitSchema(500, 100),
  })
  .superRefine(checkInstantRange);

export const leadFormView = z.object({
  id: z.string(),
  pageId: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  leadsCount: z.number().int().nullable().describe("Meta's count of the form's leads at the last sync"),
  storedLeads: z.number().int().describe('Leads of the form in the synced copy'),
  questions: z.unknown().describe("The form's questions as Meta lists them"),
  createdTime: optionalTimestamp,
  syncedAt: timestamp,
  deletedAt: optionalTimestamp,
});
export const leadView = z.object({
  id: z.string(),
  formId: z.string(),
  adId: z.string().nullable(),
  adsetId: z.string().nullable(),
  campaignId: z.string().nullable(),
  isOrganic: z.boolean().nullable(),
  platform: z.string().nullable(),
  fieldData: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).describe("The person's answers (personal data)"),
  createdTime: optionalTimestamp,
  syncedAt: timestamp,
});
