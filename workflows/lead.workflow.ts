import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { LeadWorkflowInput, LeadWorkflowResult } from '../domain/contracts/lead';
import { activitySummaries } from '../domain/workflow-summaries';
import { LEAD_READ_ACTIVITY } from './activity-policies';

const { readAndStoreLead } = proxyActivities<Activities>(LEAD_READ_ACTIVITY);

/**
 * One lead Meta's webhook announced (`meta-lead:<leadgenId>`): read from the Graph API with a
 * connected account's token and stored as the sync stores leads. The id makes Meta's redelivery
 * of the same notification start nothing new; history holds ids only, never the answers.
 */
export async function leadWorkflow(input: LeadWorkflowInput): Promise<LeadWorkflowResult> {
  setCurrentDetails(`reading lead ${input.leadgenId}`);
  const result = await readAndStoreLead.executeWithOptions({ summary: activitySummaries.readLead(input.leadgenId) }, [input]);
  setCurrentDetails(`stored lead ${result.leadId} of form ${result.formId}${result.formRead ? ' (form read first)' : ''}`);
  return result;
}
