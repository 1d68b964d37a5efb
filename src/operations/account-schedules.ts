import { ensureAdAccountSyncSchedules, removeAdAccountSyncSchedules, type AdAccountScheduleRef } from '../temporal/sync-schedules';
import { loadStartNames } from '../db/company-repository';
import type { ServiceContext } from './service-context';
import { withTemporal } from './temporal-errors';

/** Creates or updates the ad account's sync schedules; false when schedules are disabled by config. */
export async function scheduleAdAccountSyncs(ctx: ServiceContext, ref: AdAccountScheduleRef): Promise<boolean> {
  if (!ctx.config.schedulesEnabled) return false;
  // The company's name labels the scheduled runs in the Temporal UI.
  const named = ref.companyName === undefined ? { ...ref, companyName: (await loadStartNames(ctx.db, { companyId: ref.companyId })).companyName } : ref;
  await withTemporal({ kind: 'Ad account schedules', id: ref.adAccountId }, () => ensureAdAccountSyncSchedules(ctx.temporal, ctx.config, named));
  return true;
}

/** Deletes the ad account's sync schedules (always attempted: they may predate a config change). */
export async function unscheduleAdAccountSyncs(ctx: ServiceContext, adAccountId: string): Promise<string[]> {
  return withTemporal({ kind: 'Ad account schedules', id: adAccountId }, () => removeAdAccountSyncSchedules(ctx.temporal, adAccountId));
}
