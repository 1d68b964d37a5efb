import { LEAD_FIELDS, parseLead, parseLeadForm } from '../src/meta';
import { upsertEntityPage } from '../src/db/entity-upsert';
import type { LeadWorkflowInput, LeadWorkflowResult } from '../domain/contracts/lead';
import type { ActivityDeps } from './activity-deps';
import { SYNCED_LEAD_FORM_FIELDS } from './entity-sync.activities';
import { openAdAccount } from './meta-access';
import { runMetaActivity } from './meta-failures';

/** Activities of the lead workflow: one lead read from Meta with a connected account's token. */
export function createLeadActivities(deps: ActivityDeps) {
  /**
   * Reads `GET /<leadgen_id>` with the fields the sync reads and upserts it into `leads` exactly
   * as the sync does (so a later sync of the form changes nothing). A form no sync stored yet (a
   * form made after the account's last full sync) is read and stored first: a lead belongs to a
   * stored form. Idempotent: a retried attempt writes the same row again.
   */
  async function readAndStoreLead(input: LeadWorkflowInput): Promise<LeadWorkflowResult> {
    return runMetaActivity(deps, input.adAccountId, async () => {
      const { client } = await openAdAccount(deps, input.adAccountId);
      const lead = parseLead(await client.getObject(input.leadgenId, LEAD_FIELDS), { formId: input.formId });
      let formRead = false;
      const stored = await deps.db.leadForm.findUnique({ where: { id: lead.formId }, select: { id: true } });
      if (!stored) {
        const form = parseLeadForm(await client.getObject(lead.formId, SYNCED_LEAD_FORM_FIELDS), { pageId: input.pageId });
        await upsertEntityPage(deps.db, 'lead_forms', [form]);
        formRead = true;
      }
      await upsertEntityPage(deps.db, 'leads', [lead]);
      return { leadId: lead.id, formId: lead.formId, formRead };
    });
  }

  return { readAndStoreLead };
}
