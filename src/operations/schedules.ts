/**
 * Schedule operations for the fronts, on `ctx.temporal.schedule` (src/temporal/schedule-admin.ts
 * was not there yet when this was written; swap in its helpers when it lands).
 * Per-account schedules belong to the account's company; the global ones (rollups, retention, token check)
 * act on every tenant, so they are an operator's: only a token with the `operator` scope (which
 * only `npm run token:create` grants) sees them; to any company token, admin included, they do
 * not exist (404).
 */
import type { z } from 'zod';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { NotFoundError, ValidationError } from '../errors';
import { countScheduleMatchingTimes } from '../temporal/schedule-admin';
import { scheduleIds } from '../../domain/workflow-ids';
import { listAdAccountIdsOfCompany, loadOwnedAdAccount } from '../db/ad-account-repository';
import { hasScope, requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import type { Page } from './paging';
import { backfillScheduleInput, backfillScheduleView, listSchedulesInput, pauseScheduleInput, scheduleActionView, scheduleRefInput, scheduleView } from './schemas/schedules';
import type { ServiceContext } from './service-context';
import { mapTemporalError, withTemporal } from './temporal-errors';
import { parseInput } from './validation';
import { decodeCursor, encodeCursor } from './paging';

export type ScheduleView = z.infer<typeof scheduleView>;
export type ScheduleActionView = z.infer<typeof scheduleActionView>;
export type BackfillScheduleView = z.infer<typeof backfillScheduleView>;

const PER_ACCOUNT: Array<{ kind: string; id: (adAccountId: string) => string }> = [
  { kind: 'incremental-sync', id: scheduleIds.incrementalSync },
  { kind: 'hourly-metrics', id: scheduleIds.hourlyMetrics },
  { kind: 'daily-metrics', id: scheduleIds.dailyMetrics },
];
const GLOBAL: Array<{ kind: string; id: string }> = [
  { kind: 'rollup-daily', id: scheduleIds.dailyRollup },
  { kind: 'rollup-monthly', id: scheduleIds.monthlyRollup },
  { kind: 'retention', id: scheduleIds.retention },
  { kind: 'token-check', id: scheduleIds.tokenCheck },
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
    if (!hasScope(actor, Scope.Operator)) throw new NotFoundError('Schedule', scheduleId);
    return { scheduleId, kind: global.kind, adAccountId: null };
  }
  requireScope(actor, scope);
  const match = /:(act_\d{1,25})$/.exec(scheduleId);
  const entry = match ? PER_ACCOUNT.find((candidate) => candidate.id(match[1]) === scheduleId) : undefined;
  if (!match || !entry) throw new NotFoundError('Schedule', scheduleId);
  await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: match[1], notFoundAs: { what: 'Schedule', id: scheduleId } });
  return { scheduleId, kind: entry.kind, adAccountId: match[1] };
}

/** Schedules of the company's ad accounts (read scope) and the global ones (operator scope), by id. */
export async function listSchedules(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ScheduleView>> {
  const operator = hasScope(actor, Scope.Operator);
  if (!operator) requireScope(actor, Scope.Read);
  const input = parseInput(listSchedulesInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const adAccountIds = hasScope(actor, Scope.Read) ? await listAdAccountIdsOfCompany(ctx.db, actor.companyId) : [];
  const candidates: ScheduleRef[] = [
    ...adAccountIds.flatMap((adAccountId) => PER_ACCOUNT.map((entry) => ({ scheduleId: entry.id(adAccountId), kind: entry.kind, adAccountId }))),
    ...(operator ? GLOBAL.map((entry) => ({ scheduleId: entry.id, kind: entry.kind, adAccountId: null })) : []),
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
      description: scheduleDescriptionOf(description.state.note),
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

/**
 * A schedule's note is its description (set when it was created) and, after a pause or resume,
 * why: `<description> — paused: <reason>`. Temporal keeps one note, so a pause that replaced it
 * would lose the description; this keeps it in front and drops only the previous reason.
 */
const REASON_MARK = / — (paused|resumed): /;

/** The description part of a schedule's note. */
export function scheduleDescriptionOf(note: string | undefined): string | null {
  const description = note?.split(REASON_MARK)[0]?.trim();
  return description ? description : null;
}

/** The note a pause or resume leaves: the description kept in front, then why (the previous reason dropped). */
export function noteWithReason(note: string | undefined, action: 'paused' | 'resumed', reason: string | undefined): string {
  const description = scheduleDescriptionOf(note);
  if (!reason) return description ?? '';
  return description ? `${description} — ${action}: ${reason}` : `${action}: ${reason}`;
}

export async function pauseSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(pauseScheduleInput, raw);
  return act(ctx, actor, input.scheduleId, 'paused', Scope.Sync, async () => {
    const handle = ctx.temporal.schedule.getHandle(input.scheduleId);
    const { state } = await handle.describe();
    await handle.pause(noteWithReason(state.note, 'paused', input.note ?? `through the API by token ${actor.tokenId}`));
  }, meta.requestId);
}

export async function unpauseSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(pauseScheduleInput, raw);
  return act(ctx, actor, input.scheduleId, 'unpaused', Scope.Sync, async () => {
    const handle = ctx.temporal.schedule.getHandle(input.scheduleId);
    const { state } = await handle.describe();
    // Resumed without a reason: the note is the description again.
    await handle.unpause(noteWithReason(state.note, 'resumed', input.note));
  }, meta.requestId);
}

export async function triggerSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<ScheduleActionView> {
  const input = parseInput(scheduleRefInput, raw);
  return act(ctx, actor, input.scheduleId, 'triggered', Scope.Sync, () => ctx.temporal.schedule.getHandle(input.scheduleId).trigger(), meta.requestId);
}

/** Most scheduled times one backfill may cover: a bound on what one call can make the worker and Meta's quota do. */
export const MAX_BACKFILL_TIMES = 100;

/**
 * Runs the schedule's action for the times it would have fired in [from, to] (UTC days), never
 * several at once. An ad account schedule's runs do not depend on their scheduled time (an
 * incremental sync reads what changed since its cursor, a metrics sync its lookback window up to
 * today), so one run covers the range and the other times are skipped (SKIP). A rollup
 * schedule's run recomputes the window of its own time, so every time runs, one after another
 * (BUFFER_ALL). A range covering more than {@link MAX_BACKFILL_TIMES} times is refused; the
 * answer says how many times matched and how many runs start.
 */
export async function backfillSchedule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<BackfillScheduleView> {
  const input = parseInput(backfillScheduleInput, raw);
  const ref = await resolveSchedule(ctx, actor, input.scheduleId, Scope.Sync);
  const start = new Date(`${input.from}T00:00:00Z`);
  const end = new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000 - 1);
  const target = { kind: 'Schedule', id: input.scheduleId };
  const handle = ctx.temporal.schedule.getHandle(input.scheduleId);
  const scheduledTimes = await withTemporal(target, () => countScheduleMatchingTimes(ctx.temporal, { namespace: ctx.config.temporal.namespace, scheduleId: input.scheduleId, start, end }));
  if (scheduledTimes > MAX_BACKFILL_TIMES) {
    throw new ValidationError(`The range covers ${scheduledTimes} scheduled times of ${input.scheduleId}; a backfill may cover at most ${MAX_BACKFILL_TIMES}: ask for a shorter range`, { scheduledTimes, max: MAX_BACKFILL_TIMES });
  }
  const perAccount = ref.adAccountId !== null;
  let willStart = scheduledTimes;
  if (perAccount) {
    const running = (await withTemporal(target, () => handle.describe())).info.runningActions.length > 0;
    willStart = scheduledTimes > 0 && !running ? 1 : 0;
  }
  await withTemporal(target, () => handle.backfill({ start, end, overlap: perAccount ? ScheduleOverlapPolicy.SKIP : ScheduleOverlapPolicy.BUFFER_ALL }));
  const view: BackfillScheduleView = { scheduleId: input.scheduleId, action: 'backfilled', scheduledTimes, willStart, overlap: perAccount ? 'skip' : 'buffer_all' };
  await recordAudit(ctx, actor, { action: 'schedule.backfilled', targetType: 'schedule', targetId: input.scheduleId, details: { from: input.from, to: input.to, scheduledTimes, willStart }, requestId: meta.requestId });
  return view;
}
