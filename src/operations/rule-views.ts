import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ruleTicks } from '../../domain/rule-schedule';
import { scheduleIds } from '../../domain/workflow-ids';
import type { RuleRow } from '../db/rule-repository';
import { compileStoredRule } from '../db/rule-evaluation';
import type { MatchRow } from '../db/rule-execution-repository';
import type { ruleMatchView, ruleView } from './schemas/rules';

export type RuleView = z.infer<typeof ruleView>;
export type RuleMatchView = z.infer<typeof ruleMatchView>;

/** JSON with object keys sorted at every depth: the same specs always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of what a rule does: its three specs and its webhook (what a confirmation confirms). */
export function specHashOf(specs: { evaluation_spec: unknown; execution_spec: unknown; schedule_spec: unknown; webhookUrl: string | null }): string {
  return createHash('sha256').update(canonicalJson(specs)).digest('hex');
}

/** A rule as both fronts show it; `timeZone` gives the next ticks of an enabled rule of ours. */
export function toRuleView(row: RuleRow, timeZone: string | null, now: Date = new Date()): RuleView {
  const ours = row.origin === 'service';
  const enabled = ours && row.status === 'ENABLED';
  let nextTicks: string[] = [];
  if (enabled && timeZone) {
    try {
      const schedule = compileStoredRule(row).schedule;
      nextTicks = ruleTicks({ schedule, timeZone, fromMs: now.getTime(), toMs: now.getTime() + 8 * 86_400_000 }).slice(0, 3).map((t) => new Date(t).toISOString());
    } catch {
      // A stored rule that no longer compiles shows no ticks; its evaluations record why.
    }
  }
  return {
    ruleId: row.id,
    adAccountId: row.adAccountId,
    name: row.name,
    runsOn: ours ? 'service' : 'meta',
    metaRuleId: row.metaRuleId,
    status: row.status,
    evaluation_spec: row.evaluationSpec,
    execution_spec: row.executionSpec,
    schedule_spec: row.scheduleSpec,
    specHash: row.specHash,
    raisesSpend: row.raisesSpend,
    confirmedSpecHash: row.confirmedSpecHash,
    webhookUrl: row.webhookUrl,
    scheduleId: enabled ? scheduleIds.rule(row.id) : null,
    nextTicks,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    enabledAt: row.enabledAt?.toISOString() ?? null,
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

/** A stored match as the fronts show it. */
export function toMatchView(row: MatchRow): RuleMatchView {
  return {
    entityId: row.entityId,
    name: null,
    values: row.values as Record<string, string | null>,
    outcome: row.outcome,
    change: (row.change as RuleMatchView['change']) ?? null,
    spendAfterMinor: row.spendAfter?.toString() ?? null,
  };
}
