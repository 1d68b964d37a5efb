/** Workflows: starts, status, listing, cancellation. */
import { z } from 'zod';
import { WorkflowKind } from '../../../domain/vocabulary';
import { adAccountIdSchema, cursorSchema, limitSchema, workflowIdSchema } from './common';

export const workflowStartView = z.object({ workflowId: z.string(), runId: z.string() });

export const WORKFLOW_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT'] as const;
export type WorkflowStatusName = (typeof WORKFLOW_STATUSES)[number];
const workflowKindSchema = z.enum(Object.values(WorkflowKind) as [string, ...string[]]);

export const workflowRefInput = z.strictObject({ workflowId: workflowIdSchema });
export const workflowStatusView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  kind: z.string().nullable(),
  workflowType: z.string(),
  adAccountId: z.string().nullable(),
  status: z.enum(WORKFLOW_STATUSES),
  progress: z.record(z.string(), z.unknown()).nullable(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export const listWorkflowsInput = z.strictObject({
  adAccountId: adAccountIdSchema.optional(),
  kind: workflowKindSchema.optional(),
  status: z.enum(WORKFLOW_STATUSES).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(100, 20),
});
export const workflowSummaryView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  kind: z.string().nullable(),
  workflowType: z.string(),
  adAccountId: z.string().nullable(),
  status: z.string(),
  startedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export const cancelWorkflowView = z.object({ workflowId: z.string(), runId: z.string(), status: z.literal('CANCEL_REQUESTED') });
