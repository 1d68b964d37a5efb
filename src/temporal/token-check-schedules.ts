import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { scheduleIds } from '../../domain/workflow-ids';
import { scheduledTokenCheckStart } from '../../domain/starts/token-check';
import { ensureSchedule, type EnsureScheduleResult, type ScheduleDefinition } from './schedules';
import { scheduleStartAction } from './workflow-starts';

/**
 * The one global token-check schedule: every day at TOKEN_CHECK_AT (UTC), Meta's debug_token for
 * every stored token. A missed day is caught up within a day; a run never overlaps the previous one.
 */
export function tokenCheckScheduleDefinition(config: Pick<Config, 'oauth'>, taskQueue: string, options: { id?: string } = {}): ScheduleDefinition {
  const [hour, minute] = config.oauth.tokenCheckAt.split(':').map(Number);
  const start = scheduledTokenCheckStart();
  return {
    scheduleId: options.id ?? scheduleIds.tokenCheck,
    spec: { calendars: [{ hour, minute, comment: 'daily token check' }], timezone: 'UTC' },
    action: scheduleStartAction(start, taskQueue, { workflowId: start.workflowId }),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day', pauseOnFailure: false },
    state: { note: 'Checks every stored Meta token with debug_token: expiry, scopes; marks rejected ones needs_reauth and reports those expiring within 14 days.' },
  };
}

/** Creates the schedule, or updates it when its spec changed; keeps a paused one paused. */
export function ensureTokenCheckSchedule(client: Client, config: Pick<Config, 'oauth'>, taskQueue: string, options: { id?: string } = {}): Promise<EnsureScheduleResult> {
  return ensureSchedule(client, tokenCheckScheduleDefinition(config, taskQueue, options));
}
