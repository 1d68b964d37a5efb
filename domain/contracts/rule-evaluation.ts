/**
 * Contracts of the rule workflows: `ruleEvaluationWorkflow` (scheduled id `meta-rule:<ruleId>-<tick>`
 * from Schedule `meta-rule-schedule:<ruleId>`, by hand `meta-rule:<ruleId>:<asOf>`) and
 * `ruleBacktestWorkflow` (`meta-rule-backtest:<ruleId>:<backtestId>`). Ids, instants and counts
 * only: matches and notices live in PostgreSQL.
 */
import type { ExecutionStatus } from '../rule-spec';

export interface RuleEvaluationInput {
  ruleId: string;
  companyId: string;
  adAccountId: string;
  /** scheduled (by the rule's Schedule) or manual (run now). */
  mode: 'scheduled' | 'manual';
  /**
   * The instant evaluated (ISO). @default the schedule's TemporalScheduledStartTime, else the
   * workflow start time
   */
  asOf?: string;
}

/** What the evaluation step decided (an activity result: small by construction). */
export interface RuleEvaluationStep {
  executionId: string;
  status: ExecutionStatus;
  matched: number;
  acted: number;
  skippedCooldown: number;
  skippedOther: number;
  /** Set when the rule notifies: the notice recorded for this evaluation. */
  notificationId?: string;
  /** The notice still has to be POSTed to the rule's webhook. */
  webhookPending: boolean;
  /** Objects whose change goes into a change set. */
  changes: number;
  /** Why nothing was evaluated (stale metrics, a disabled rule). */
  reason?: string;
}

export interface RuleEvaluationResult extends RuleEvaluationStep {
  ruleId: string;
  asOf: string;
  /** The change set that carried the actions, when there were any. */
  changeSetId?: string;
  /** Outcome of the webhook delivery, when the rule has one. */
  webhook?: 'delivered' | 'failed';
}

export interface RuleBacktestInput {
  ruleId: string;
  companyId: string;
  adAccountId: string;
  backtestId: string;
  /** [from, to) as ISO instants. */
  from: string;
  to: string;
}

/** Totals of a backtest (its ticks and matches are rows of ad_rule_executions / ad_rule_matches). */
export interface RuleBacktestSummary {
  backtestId: string;
  ruleId: string;
  from: string;
  to: string;
  ticks: number;
  /** Ticks at which the rule would have acted on at least one object. */
  firedTicks: number;
  /** Ticks whose metrics were not stored (no hourly rows of that day, say). */
  unevaluatedTicks: number;
  /** (tick, object) pairs the rule would have acted on. */
  actions: number;
  /** Distinct objects it would have acted on. */
  objects: number;
  /** Their spend after each action until `to`, in the stored data (minor units, text). */
  spendAfterMinor: string;
}
