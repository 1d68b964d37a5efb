/** Sync starts: one ad account (full, incremental, metrics) or a whole company. */
import { z } from 'zod';
import { METRICS_SYNC_MAX_DAYS } from '../../../domain/metrics-range';
import { COMPANY_SYNC_KINDS } from '../../../domain/contracts/company-sync';
import { adAccountIdSchema, checkRange, checkRangeToToday, companyIdSchema, dateSchema } from './common';
import { workflowStartView } from './workflows';

const fullSyncBody = z.strictObject({ kind: z.literal('full') });
const incrementalSyncBody = z.strictObject({ kind: z.literal('incremental'), overlapSeconds: z.number().int().min(0).max(86_400).optional() });
const metricsSyncBody = z
  .strictObject({
    kind: z.literal('metrics'),
    grain: z.enum(['daily', 'hourly']),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
  })
  .superRefine((value, ctx) => {
    // A missing "to" means today: the cap applies to that range too.
    if (value.to === undefined) checkRangeToToday(value.from, ctx, METRICS_SYNC_MAX_DAYS[value.grain]);
    else checkRange(value, ctx, METRICS_SYNC_MAX_DAYS[value.grain]);
  });
export const startSyncBody = z.discriminatedUnion('kind', [fullSyncBody, incrementalSyncBody, metricsSyncBody]);
export const startSyncInput = z.discriminatedUnion('kind', [
  fullSyncBody.extend({ adAccountId: adAccountIdSchema }),
  incrementalSyncBody.extend({ adAccountId: adAccountIdSchema }),
  metricsSyncBody.extend({ adAccountId: adAccountIdSchema }),
]);

const companySyncKindSchema = z.enum(COMPANY_SYNC_KINDS);
export const startCompanySyncInput = z.strictObject({
  companyId: companyIdSchema.optional().describe('Defaults to the token\'s company'),
  kinds: z.array(companySyncKindSchema).min(1).max(4).default(['incremental', 'metrics-daily']),
  maxParallel: z.number().int().min(1).max(16).optional(),
});

const dayRangeView = z.object({ from: z.string(), to: z.string() });
/** What the run a sync start reached will cover (its own work plus what the request added). */
export const syncCoverageView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('full'), summary: z.string() }),
  z.object({
    kind: z.literal('incremental'),
    summary: z.string(),
    overlapSeconds: z.number().int().describe('The longest overlap the run (or its follow-up) re-reads before the stored cursors'),
    followUp: z.boolean().describe('True when a follow-up run with the longer overlap asked for is queued after the running one'),
  }),
  z.object({
    kind: z.literal('metrics'),
    summary: z.string(),
    grain: z.enum(['daily', 'hourly']),
    days: z.array(dayRangeView).describe('Account-local day ranges the run reads or has read, the requested ones included'),
  }),
]);
export const syncStartView = workflowStartView.extend({
  attached: z.boolean().describe('True when a sync with this id was already running and the request joined it (adding what it asked for)'),
  covers: syncCoverageView,
});

/** What the company sync a start reached covers: its kinds for every one of its accounts. */
export const companySyncCoverageView = z.object({
  kind: z.literal('company'),
  summary: z.string(),
  kinds: z.array(companySyncKindSchema).describe('Every kind the run syncs for each account, in order (the ones the request added included)'),
  accounts: z.array(z.string()).describe('The connected ad accounts that get every kind (accounts connected since the run started included; one stopped by a failed sync is left out)'),
  maxParallel: z.number().int().describe('Accounts the run syncs at once'),
});
export const companySyncStartView = workflowStartView.extend({
  attached: z.boolean().describe('True when the company sync was already running and the request joined it (adding the kinds and accounts it did not cover)'),
  covers: companySyncCoverageView,
});
