import { pageOf } from '../../operations/schemas/common';
import { cancelWorkflowView, listWorkflowsInput, workflowRefInput, workflowStatusView, workflowSummaryView } from '../../operations/schemas/workflows';
import { cancelWorkflow, getWorkflowStatus, listWorkflows } from '../../operations/workflows';
import { pageNote, readOnly, type ToolArea } from './tool-spec';
import { waitForWorkflow, waitSchema } from './workflow-starts';

/** Status, listing and cancellation of the company's workflows. */
export const workflowTools: ToolArea = (ctx, actor) => [
  {
    name: 'get_workflow_status',
    title: 'Get workflow status',
    description:
      'Status (RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT), live progress (progress.work: done of total, in days, reads, syncs, items or levels), start and close times and failure of a workflow. With waitSeconds, waits for it to finish first (up to that long).',
    input: workflowRefInput.extend({ waitSeconds: waitSchema }),
    output: workflowStatusView,
    annotations: readOnly,
    run: ({ waitSeconds, ...ref }, extra) =>
      waitSeconds ? waitForWorkflow(ctx, actor, { workflowId: ref.workflowId as string, waitSeconds: waitSeconds as number }, extra) : getWorkflowStatus(ctx, actor, ref),
  },
  {
    name: 'list_workflows',
    title: 'List workflows',
    description: `Workflows of your company by ad account, kind and status, newest first. ${pageNote}`,
    input: listWorkflowsInput,
    output: pageOf(workflowSummaryView),
    annotations: readOnly,
    run: (args) => listWorkflows(ctx, actor, args),
  },
  {
    name: 'cancel_workflow',
    title: 'Cancel a workflow',
    description: 'Requests cancellation of a running workflow; work done so far stays.',
    input: workflowRefInput,
    output: cancelWorkflowView,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    run: (args) => cancelWorkflow(ctx, actor, args),
  },
];
