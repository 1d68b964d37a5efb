import { ScheduleNotFoundError, ScheduleOverlapPolicy, type CalendarSpec, type Client } from '@temporalio/client';
import { scheduleCalendars } from '../../domain/rule-schedule';
import type { CompiledRule } from '../../domain/rule-spec';
import { scheduledRuleEvaluationStart, type RuleStartRef } from '../../domain/starts/rule-evaluation';
import { scheduleIds } from '../../domain/workflow-ids';
import { loadAdAccountFacts } from '../db/ad-account-repository';
import { listDeactivatedCompanyIds, loadStartNames } from '../db/company-repository';
import type { Db } from '../db/prisma-client';
import { compileStoredRule } from '../db/rule-evaluation';
import { listEnabledServiceRules } from '../db/rule-repository';
import { ensureSchedule, type EnsureScheduleResult, type ScheduleDefinition } from './schedules';
import { scheduleStartAction } from './workflow-starts';

/** A missed tick (cluster down) still runs within this window; older ones are skipped. */
export const RULE_CATCHUP_WINDOW = '10 minutes';

const DAY_NAMES = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

/** The domain's tick calendars in the client's CalendarSpec shape (days by name). */
function calendarSpecs(compiled: CompiledRule): CalendarSpec[] {
  return scheduleCalendars(compiled.schedule).map((c) => ({
    hour: c.hour,
    minute: c.minute,
    dayOfWeek: c.dayOfWeek.map((r) => ({ start: DAY_NAMES[r.start]!, end: DAY_NAMES[r.end]! })),
    comment: c.comment,
  }));
}

/**
 * The Schedule of one enabled rule (`meta-rule-schedule:<ruleId>`): its schedule_spec's ticks as
 * calendars in the ad account's time zone (Temporal fires at exactly the instants the backtest's
 * `ruleTicks` walks, DST included), 10 minutes past each tick so the hourly metrics pull (+5) is
 * in; overlap SKIP (a tick never piles onto a running evaluation); visible and pausable in the UI.
 */
export function ruleScheduleDefinition(input: { rule: RuleStartRef; compiled: CompiledRule; timeZone: string; taskQueue: string }): ScheduleDefinition {
  const start = scheduledRuleEvaluationStart(input.rule);
  return {
    scheduleId: scheduleIds.rule(input.rule.ruleId),
    spec: { calendars: calendarSpecs(input.compiled), timezone: input.timeZone },
    action: scheduleStartAction(start, input.taskQueue, { workflowId: start.workflowId }),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: RULE_CATCHUP_WINDOW, pauseOnFailure: false },
    state: { note: `Rule "${input.rule.ruleName}" (${input.compiled.schedule.type}) on ${input.rule.adAccountId}, in ${input.timeZone}` },
    memo: start.memo,
    typedSearchAttributes: start.searchAttributes,
  };
}

/** Creates or updates a rule's Schedule (an operator's pause is kept). */
export async function ensureRuleSchedule(client: Client, input: { rule: RuleStartRef; compiled: CompiledRule; timeZone: string; taskQueue: string }): Promise<EnsureScheduleResult> {
  return ensureSchedule(client, ruleScheduleDefinition(input));
}

/** Deletes a rule's Schedule; false when it did not exist. */
export async function removeRuleSchedule(client: Client, ruleId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(scheduleIds.rule(ruleId)).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

/**
 * Worker start-up: ensures the Schedule of every enabled rule of ours on a connected account, or of
 * one company's (its reactivation). A deactivated company's rules are skipped, as in
 * ensureAllAccountSchedules.
 */
export async function ensureAllRuleSchedules(client: Client, db: Db, taskQueue: string, filter: { companyId?: string } = {}): Promise<number> {
  let count = 0;
  const deactivated = await listDeactivatedCompanyIds(db);
  for (const rule of await listEnabledServiceRules(db)) {
    if (deactivated.has(rule.companyId) || (filter.companyId !== undefined && rule.companyId !== filter.companyId)) continue;
    const facts = await loadAdAccountFacts(db, rule.adAccountId);
    const names = await loadStartNames(db, { companyId: rule.companyId, adAccountId: rule.adAccountId });
    await ensureRuleSchedule(client, {
      rule: { ruleId: rule.id, ruleName: rule.name, companyId: rule.companyId, adAccountId: rule.adAccountId, ...names },
      compiled: compileStoredRule(rule),
      timeZone: facts.timezoneName ?? 'UTC',
      taskQueue,
    });
    count++;
  }
  return count;
}
