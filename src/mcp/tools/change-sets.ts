import { cancelChangeSet, confirmChangeSet } from '../../operations/change-set-apply';
import { previewChangeSet } from '../../operations/change-set-preview';
import { getChangeSet, listChangeSets } from '../../operations/change-sets';
import {
  cancelChangeSetView, changeSetPreviewView, changeSetRefInput, changeSetSummaryView, changeSetView, confirmChangeSetInput, confirmChangeSetView, getChangeSetInput, listChangeSetsInput,
  previewChangeSetInput,
} from '../../operations/schemas/change-sets';
import { pageOf } from '../../operations/schemas/common';
import { pageNote, readOnly, type ToolAnnotations, type ToolArea } from './tool-spec';

/** Stores a plan and sends nothing to Meta unless asked to confirm a set that only lowers spend. */
export const previews: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

export const confirmHow =
  'Nothing is sent to Meta by a preview. A set that only lowers spend (pauses, budget decreases) is applied at once with confirm: true; anything that turns delivery on, raises spend or archives answers confirmation.state "required" with the planHash: call confirm_changes with changeSetId and planHash before expiresAt.';

/** The change-set path every write takes: preview, confirm, cancel, read. */
export const changeSetTools: ToolArea = (ctx, actor) => [
  {
    name: 'preview_changes',
    title: 'Preview changes',
    description: `Previews a change set on one ad account: items [{id, level, set}] or a selection with set (name, status, dailyBudget, lifetimeBudget, bidAmount, spendCap, bidStrategy, startTime, endTime; money in major units, or {percent, floor?, ceiling?}). Answers before → after per item, totals, violations (caps, Meta minimums, campaign-budget conflicts...) and planHash. ${confirmHow}`,
    input: previewChangeSetInput,
    output: changeSetPreviewView,
    annotations: previews,
    run: (args) => previewChangeSet(ctx, actor, args, { source: 'mcp' }),
  },
  {
    name: 'confirm_changes',
    title: 'Confirm changes',
    description: 'Confirms a previewed change set with the planHash its preview answered, before it expires; a durable workflow applies it (read before every write, so nothing applies twice). Confirming again answers the same workflow. Follow it with get_change_set.',
    input: confirmChangeSetInput,
    output: confirmChangeSetView,
    // Applies what the preview showed: possibly raised budgets, delivery turned on, archives.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    run: (args) => confirmChangeSet(ctx, actor, args),
  },
  {
    name: 'cancel_changes',
    title: 'Cancel changes',
    description: 'Cancels a change set: an unconfirmed one ends canceled; one being applied stops before its next batch (items not sent yet are canceled, changes already applied stay).',
    input: changeSetRefInput,
    output: cancelChangeSetView,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    run: (args) => cancelChangeSet(ctx, actor, args),
  },
  {
    name: 'get_change_set',
    title: 'Get a change set',
    description: 'A change set: status, counts per outcome (applied, already applied, deferred, failed, skipped...), a page of items with before → after and outcome, and its workflow status and progress. Items are paged: pass itemsNextCursor back as itemsCursor.',
    input: getChangeSetInput,
    output: changeSetView,
    annotations: readOnly,
    run: (args) => getChangeSet(ctx, actor, args),
  },
  {
    name: 'list_change_sets',
    title: 'List change sets',
    description: `Change sets of your company, newest first, optionally of one ad account or status. ${pageNote}`,
    input: listChangeSetsInput,
    output: pageOf(changeSetSummaryView),
    annotations: readOnly,
    run: (args) => listChangeSets(ctx, actor, args),
  },
];
