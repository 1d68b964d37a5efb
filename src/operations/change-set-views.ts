/**
 * How change sets look to both fronts: money in major units of the account currency (items keep
 * minor units inside), times ISO, violations as written by the planner. Views never carry a
 * token or anything Meta sent beyond its error codes and message.
 */
import type { z } from 'zod';
import { MONEY_FIELDS, type ChangeField, type ItemChanges, type Violation } from '../../domain/change-set-vocabulary';
import { formatMinor, type MinorOffset } from '../../domain/minor-units';
import type { ChangeSetItemRow, ChangeSetRow } from '../db/change-set-repository';
import type { changeSetItemView, changeSetSummaryView, changeSetTotalsView } from './schemas/change-sets';

export type ChangeSetItemView = z.infer<typeof changeSetItemView>;
export type ChangeSetSummaryView = z.infer<typeof changeSetSummaryView>;

/** Field changes with money in major units. */
export function changesView(changes: ItemChanges, offset: MinorOffset): Record<string, { before: string | null; after: string | null }> {
  const out: Record<string, { before: string | null; after: string | null }> = {};
  for (const [field, change] of Object.entries(changes) as Array<[ChangeField, { before: string | null; after: string | null }]>) {
    const show = (v: string | null): string | null => (v !== null && MONEY_FIELDS.has(field) && /^-?\d+$/.test(v) ? formatMinor(v, offset) : v);
    out[field] = { before: show(change.before), after: show(change.after) };
  }
  return out;
}

/** Live values (drift) with money in major units. */
function liveView(live: unknown, offset: MinorOffset): Record<string, string | null> | null {
  if (!live || typeof live !== 'object') return null;
  const out: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(live as Record<string, string | null>)) {
    out[field] = value !== null && MONEY_FIELDS.has(field as ChangeField) && /^-?\d+$/.test(value) ? formatMinor(value, offset) : value;
  }
  return out;
}

/** A stored item as both fronts show it. */
export function itemView(row: ChangeSetItemRow, offset: MinorOffset): ChangeSetItemView {
  const failed = row.errorCode !== null || row.errorMessage !== null || row.metaCode !== null;
  return {
    position: row.position,
    action: row.action as ChangeSetItemView['action'],
    level: row.entityType as ChangeSetItemView['level'],
    objectId: row.entityId,
    changes: changesView(row.changes as ItemChanges, offset),
    violations: row.violations as unknown as Violation[],
    status: row.status,
    attempts: row.attempts,
    notBefore: row.notBefore?.toISOString() ?? null,
    live: liveView(row.live, offset),
    error: failed ? { code: row.errorCode, message: row.errorMessage, metaCode: row.metaCode, metaSubcode: row.metaSubcode } : null,
    appliedAt: row.appliedAt?.toISOString() ?? null,
  };
}

/** A stored set's summary line. */
export function summaryView(row: ChangeSetRow): ChangeSetSummaryView {
  const totals = row.totals as z.infer<typeof changeSetTotalsView> | null;
  return {
    changeSetId: row.id,
    adAccountId: row.adAccountId,
    kind: row.kind,
    source: row.source,
    status: row.status,
    itemCount: row.itemCount,
    violationCount: row.violationCount,
    requiresConfirmation: row.requiresConfirmation,
    planHash: row.planHash,
    expiresAt: row.expiresAt.toISOString(),
    requestedBy: row.requestedBy,
    confirmedBy: row.confirmedBy,
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    workflowId: row.workflowId,
    totals: totals && typeof totals === 'object' && 'items' in totals ? totals : null,
  };
}
