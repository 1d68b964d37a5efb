import { exportLeadsPage } from '../../operations/lead-exports';
import { listLeadForms, listLeads } from '../../operations/leads';
import { pageOf } from '../../operations/schemas/common';
import { exportLeadsPageInput, leadExportPageView, leadFormView, leadView, listLeadFormsInput, listLeadsInput } from '../../operations/schemas/leads';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** Lead forms and their leads (leads need the `leads` scope: personal data). */
export const leadTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_lead_forms',
    title: 'List lead forms',
    description: `Lead forms of the pages your ad accounts promote, with Meta's lead count and the leads stored here. ${pageNote}`,
    input: listLeadFormsInput,
    output: pageOf(leadFormView),
    annotations: readOnly,
    run: (args) => listLeadForms(ctx, actor, args),
  },
  {
    name: 'list_leads',
    title: 'List leads of a form',
    description: `A lead form's leads, newest first, optionally created in [from, to). Needs a token with the leads scope: the answers are personal data. ${pageNote}`,
    input: listLeadsInput,
    output: pageOf(leadView),
    annotations: readOnly,
    run: (args) => listLeads(ctx, actor, args),
  },
  {
    name: 'export_leads',
    title: "Export a form's leads as rows",
    description: `A form's leads created in [from, to), newest first, as rows aligned with \`columns\` (id, created_time, form_id, ad_id, then one per question of the form in its order), a page at a time. Needs the leads scope; every page is audited with its row count. ${pageNote}`,
    input: exportLeadsPageInput,
    output: leadExportPageView,
    annotations: readOnly,
    run: (args) => exportLeadsPage(ctx, actor, args),
  },
];
