import { ensureAdAccountSyncSchedules, removeAdAccountSyncSchedules, type AdAccountScheduleRef } from '../temporal/sync-schedules';
import type { ServiceContext } from './service-context';
import { withTemporal } from './temporal-errors';

/** Creates or updates the ad account's sync schedules; false when schedules are disabled by config. */
export async function scheduleAdAccountSyncs(ctx: ServiceContext, ref: AdAccountScheduleRef): Promise<boolean> {
  if (!ctx.config.schedulesEnabled) return false;
  await withTemporal({ kind: 'Ad account schedules', id: ref.adAccountId }, () => ensureAdAccountSyncSchedules(ctx.temporal, ctx.config, ref));
  return true;
}

/** Deletes the ad account's sync schedules (always attempted: they may predate a config change). */
export async function unscheduleAdAccountSyncs(ctx: ServiceContext, adAccountId: string): Promise<string[]> {
  return withTemporal({ kind: 'Ad account schedules', id: adAccountId }, () => removeAdAccountSyncSchedules(ctx.temporal, adAccountId));
}
