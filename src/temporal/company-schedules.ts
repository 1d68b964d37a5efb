import { ScheduleNotFoundError, type Client } from '@temporalio/client';

/** Schedules described and changed at once: a company with many accounts is not paused one round trip at a time. */
const PARALLEL = 8;

async function eachInBatches<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(run));
}

/**
 * Pauses each of the schedules that exists and is not paused yet, with the note `noteFor` makes
 * from its current one; schedules already paused (by an operator, for another reason) are left
 * as they are. Returns the ids it paused.
 */
export async function pauseActiveSchedules(client: Client, input: { scheduleIds: readonly string[]; noteFor: (current: string | undefined) => string }): Promise<string[]> {
  const paused: string[] = [];
  await eachInBatches(input.scheduleIds, async (scheduleId) => {
    const handle = client.schedule.getHandle(scheduleId);
    try {
      const { state } = await handle.describe();
      if (state.paused) return;
      await handle.pause(input.noteFor(state.note));
      paused.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  });
  return paused.sort();
}

/**
 * Unpauses each of the schedules that is paused with a note `pausedBy` recognises (what
 * {@link pauseActiveSchedules} wrote), so a schedule someone paused for another reason stays
 * paused. Returns the ids it unpaused.
 */
export async function unpauseSchedulesPausedBy(
  client: Client,
  input: { scheduleIds: readonly string[]; pausedBy: (note: string | undefined) => boolean; noteFor: (current: string | undefined) => string },
): Promise<string[]> {
  const resumed: string[] = [];
  await eachInBatches(input.scheduleIds, async (scheduleId) => {
    const handle = client.schedule.getHandle(scheduleId);
    try {
      const { state } = await handle.describe();
      if (!state.paused || !input.pausedBy(state.note)) return;
      await handle.unpause(input.noteFor(state.note));
      resumed.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  });
  return resumed.sort();
}
