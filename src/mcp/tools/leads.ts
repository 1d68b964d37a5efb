import { listLeadForms, listLeads } from '../../operations/leads';
import { pageOf } from '../../operations/schemas/common';
import { leadFormView, leadView, listLeadFormsInput, listLeadsInput } from '../../operations/schemas/leads';
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
];
