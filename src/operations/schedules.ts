/**
 * Schedule operations for the fronts, on `ctx.temporal.schedule` (src/temporal/schedule-admin.ts
 * was not there yet when this was written; swap in its helpers when it lands).
 * Per-account schedules belong to the account's company; the global ones (rollups, retention)
 * are visible to and operable by admin tokens only.
 */
import type { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../errors';
import { scheduleIds } from '../../domain/workflow-ids';
import { listAdAccountIdsOfCompany, loadOwnedAdAccount } from '../db/ad-account-repository';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import type { Page } from './paging';
import { backfillScheduleInput, listSchedulesInput, pauseScheduleInput, scheduleActionView, scheduleRefInput, scheduleView } from './schemas/schedules';
import type { ServiceContext } from './service-context';
import { mapTemporalError, withTemporal } from './temporal-errors';
import { parseInput } from './validation';
import { decodeCursor, encodeCursor } from './paging';

export type ScheduleView = z.infer<typeof scheduleView>;
export type ScheduleActionView = z.infer<typeof scheduleActionView>;

const PER_ACCOUNT: Array<{ kind: string; id: (adAccountId: string) => string }> = [
  { kind: 'incremental-sync', id: scheduleIds.incrementalSync },
  { kind: 'hourly-metrics', id: scheduleIds.hourlyMetrics },
  { kind: 'daily-metrics', id: scheduleIds.dailyMetrics },
];
const GLOBAL: Array<{ kind: string; id: string }> = [
  { kind: 'rollup-daily', id: scheduleIds.dailyRollup },
  { kind: 'rollup-monthly', id: scheduleIds.monthlyRollup },
  { kind: 'retention', id: scheduleIds.retention },
];

interface ScheduleRef {
  scheduleId: string;
  kind: string;
  adAccountId: string | null;
}

/** Which schedule an id names, and whether the actor may touch it (404 when not theirs). */
async function resolveSchedule(ctx: ServiceContext, actor: Actor, scheduleId: string, scope: Scope): Promise<ScheduleRef> {
  const global = GLOBAL.find((entry) => entry.id === scheduleId);
  if (global) {
    if (!actor.scopes.includes(Scope.Admin)) throw new ForbiddenError(Scope.Admin);
    return { scheduleId, kind: global.kind, adAccountId: null };
  }
  requireScope(actor, scope);
  const match = /:(act_\d{1,25})$/.exec(scheduleId);
  const entry = match ? PER_ACCOUNT.find((candidate) => candidate.id(match[1]) === scheduleId) : undefined;
  if (!match || !entry) throw new NotFoundError('Schedule', scheduleId);
  await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: match[1], notFoundAs: { what: 'Schedule', id: scheduleId } });
  return { scheduleId, kind: entry.kind, adAccountId: match[1] };
}

/** Schedules of the company's ad accounts (and the global ones for admins), by id. */
export async function listSchedules(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ScheduleView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listSchedulesInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const adAccountIds = await listAdAccountIdsOfCompany(ctx.db, actor.companyId);
  const candidates: ScheduleRef[] = [
    ...adAccountIds.flatMap((adAccountId) => PER_ACCOUNT.map((entry) => ({ scheduleId: entry.id(adAccountId), kind: entry.kind, adAccountId }))),
    ...(actor.scopes.includes(Scope.Admin) ? GLOBAL.map((entry) => ({ scheduleId: entry.id, kind: entry.kind, adAccountId: null })) : []),
  ]
    .filter((ref) => !after || ref.scheduleId > after.id)
    .sort((a, b) => (a.scheduleId < b.scheduleId ? -1 : 1));
  const slice = candidates.slice(0, input.limit);
  const described = await Promise.all(slice.map((ref) => describeSchedule(ctx, ref)));
  const more = candidates.length > input.limit;
  return {
    data: described.filter((view): view is ScheduleView => view !== null),
    nextCursor: more ? encodeCursor({ id: slice[slice.length - 1].scheduleId }) : null,
  };
}

async function describeSchedule(ctx: ServiceContext, ref: ScheduleRef): Promise<ScheduleView | null> {
  try {
    const description = await ctx.temporal.schedule.getHandle(ref.scheduleId).describe();
    return {
      scheduleId: ref.scheduleId,
      kind: ref.kind,
      adAccountId: ref.adAccountId,
      scope: ref.adAccountId ? 'ad-account' : 'global',
      paused: description.state.paused,
      note: description.state.note ?? null,
      workflowType: description.action.workflowType ?? null,
      nextActionTimes: description.info.nextActionTimes.slice(0, 5).map((time) => time.toISOString()),
      recentActions: description.info.recentActions.length,
    };
  } catch (error) {
    if ((error as Error).name === 'ScheduleNotFoundError') return null;
    throw mapTemporalError(error, { kind: 'Schedule', id: ref.scheduleId });
  }
}

async function act(ctx: ServiceContext, actor: Actor, scheduleId: string, action: ScheduleActionView['action'], scope: Scope, run: () => Promise<void>, requestId?: string): Promise<ScheduleActionView> {
  await resolveSchedule(ctx, actor, scheduleId, scope);
  await withTemporal({ kind: 'Schedule', id: scheduleId }, run);
  await recordAudit(ctx, actor, { action: `schedule.${action}`, targetType: 'schedule', targetId: scheduleId, requestId });
  return { scheduleId, action };
}

export async function pauseSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(pauseScheduleInput, raw);
  return act(ctx, actor, input.scheduleId, 'paused', Scope.Sync, () => ctx.temporal.schedule.getHandle(input.scheduleId).pause(input.note ?? `paused through the API by ${actor.tokenId}`), meta.requestId);
}

export async function unpauseSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(pauseScheduleInput, raw);
  return act(ctx, actor, input.scheduleId, 'unpaused', Scope.Sync, () => ctx.temporal.schedule.getHandle(input.scheduleId).unpause(input.note ?? `resumed through the API by ${actor.tokenId}`), meta.requestId);
}

export async function triggerSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(scheduleRefInput, raw);
  return act(ctx, actor, input.scheduleId, 'triggered', Scope.Sync, () => ctx.temporal.schedule.getHandle(input.scheduleId).trigger(), meta.requestId);
}

/** Runs the schedule's action for every time it would have fired in [from, to] (UTC days). */
export async function backfillSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(backfillScheduleInput, raw);
  const start = new Date(`${input.from}T00:00:00Z`);
  const end = new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000 - 1);
  return act(ctx, actor, input.scheduleId, 'backfilled', Scope.Sync, () => ctx.temporal.schedule.getHandle(input.scheduleId).backfill({ start, end, overlap: 'ALLOW_ALL' }), meta.requestId);
}
