/** Contract of the lead workflow (`leadWorkflow`): one lead Meta notified us of, read and stored. */

export interface LeadWorkflowInput {
  companyId: string;
  /** The connected ad account whose token reads the lead (one that promotes the lead's page). */
  adAccountId: string;
  /** Meta's `leadgen_id`. */
  leadgenId: string;
  pageId: string;
  /** From the notification; the lead's own `form_id` wins when Meta answers one. */
  formId?: string;
}

/** Ids only: the lead's answers are personal data and stay in PostgreSQL, never in history. */
export interface LeadWorkflowResult {
  leadId: string;
  formId: string;
  /** Whether the form had to be read first (a form no sync had stored yet). */
  formRead: boolean;
}
