import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

export type ScheduleDefinition = ScheduleOptions;

export interface EnsureScheduleResult {
  scheduleId: string;
  /** created: new; updated: existed and its spec/action/policies were replaced. */
  outcome: 'created' | 'updated';
}

/**
 * Creates a schedule, or brings an existing one up to date (spec, action, policies) without
 * touching its paused state or note: an operator who paused a schedule in the UI keeps it paused
 * across worker restarts. Idempotent, so every worker start-up can call it.
 */
export async function ensureSchedule(client: Client, definition: ScheduleDefinition): Promise<EnsureScheduleResult> {
  try {
    await client.schedule.create(definition);
    return { scheduleId: definition.scheduleId, outcome: 'created' };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(definition.scheduleId);
  await handle.update((previous) => ({
    ...previous,
    spec: definition.spec,
    action: definition.action,
    policies: { ...previous.policies, ...definition.policies },
    state: previous.state,
  }));
  return { scheduleId: definition.scheduleId, outcome: 'updated' };
}

/** Ensures several schedules; one failure does not stop the others, and is reported. */
export async function ensureSchedules(client: Client, definitions: ScheduleDefinition[]): Promise<EnsureScheduleResult[]> {
  const results: EnsureScheduleResult[] = [];
  for (const definition of definitions) results.push(await ensureSchedule(client, definition));
  return results;
}
