import { createHmac } from 'node:crypto';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { RuleBacktestInput, RuleBacktestSummary, RuleEvaluationStep } from '../domain/contracts/rule-evaluation';
import type { EvaluationMode, ExecutionStatus } from '../domain/rule-spec';
import { loadAdAccountFacts } from '../src/db/ad-account-repository';
import type { Prisma } from '../src/db/prisma-client';
import { runBacktest } from '../src/db/rule-backtest';
import { compileStoredRule, countOutcomes, evaluateRule, evaluationAccount } from '../src/db/rule-evaluation';
import {
  findExecution, findNotificationIdOfExecution, finishExecution, listActedMatches, loadNotification, openExecution, recomputeObjectState, recordExecution, recordWebhookAttempt, type ExecutionRow,
} from '../src/db/rule-execution-repository';
import { findRule, loadRuleWebhookSecret } from '../src/db/rule-repository';
import type { ActivityDeps } from './activity-deps';
import { planUpdates, type PlanObject } from '../domain/change-set-plan';
import type { ChangeLevel } from '../domain/change-set-vocabulary';
import { ChangeSetSource, type ChangeSetWorkflowInput } from '../domain/contracts/change-set';
import type { FieldChanges } from '../domain/rule-actions';
import { ruleChangeRequests } from '../domain/rule-change-requests';
import { LEVEL_OF_ENTITY } from '../domain/rule-spec';
import type { MinorOffset } from '../domain/minor-units';
import { getAccountLimits } from '../src/db/ad-account-limits-repository';
import { confirmedDailyIncreaseToday, findChangeSet, markChangeSetConfirmed, outstandingChanges } from '../src/db/change-set-repository';
import { loadPlanObjects } from '../src/db/change-set-objects';
import { setExecutionChangeSet } from '../src/db/rule-execution-repository';
import { currencyOffset } from '../src/meta/money';
import { limitsInMinor } from '../src/operations/change-set-context';
import { changeSetHeadline, insertPlan, workflowInputOf, type StorableItem } from '../src/operations/change-set-store';
import { loadStartNames } from '../src/db/company-repository';
import type { ChangeSetHeadline } from '../domain/starts/change-set';

/** Most objects listed in one notice (the count says how many matched). */
const NOTICE_OBJECTS = 500;

/** The step an execution row already answers (a repeated tick, or a retry after the write). */
function stepOf(row: ExecutionRow, extra: { notificationId?: string; webhookPending?: boolean; changes?: number } = {}): RuleEvaluationStep {
  const detail = (row.detail ?? {}) as { reason?: string; changes?: number; webhookPending?: boolean };
  return {
    executionId: row.id,
    status: row.status as ExecutionStatus,
    matched: row.matchedCount,
    acted: row.actedCount,
    skippedCooldown: row.skippedCooldownCount,
    skippedOther: row.skippedOtherCount,
    notificationId: extra.notificationId,
    webhookPending: extra.webhookPending ?? detail.webhookPending ?? false,
    changes: extra.changes ?? detail.changes ?? 0,
    reason: detail.reason,
  };
}

/** The change set an acting evaluation made: the child's input, or why it cannot run. */
export interface RuleChangeSet {
  changeSetId: string;
  blocked: boolean;
  violations: number;
  /** Confirmed by the rule; absent when blocked. */
  input?: ChangeSetWorkflowInput;
  /** What the set's workflow start shows in the Temporal UI (absent in results recorded before). */
  label?: { ruleName: string; accountName: string | null; companyName: string | null; headline: ChangeSetHeadline };
}

/** Activities of the rule workflows: the evaluation step, the webhook delivery, settling, and backtests. */
export function createRuleEvaluationActivities(deps: ActivityDeps) {
  return {
    /**
     * Evaluates a rule at an instant and records the outcome (execution, matches, notice) in one
     * transaction. A repeated tick (same rule, instant and mode) answers from the row already
     * written instead of evaluating again; a retry after a crash mid-way redoes the evaluation.
     */
    async evaluateRuleAt(input: { ruleId: string; asOf: string; mode: Extract<EvaluationMode, 'scheduled' | 'manual'>; workflowId: string }): Promise<RuleEvaluationStep> {
      const rule = await findRule(deps.db, input.ruleId);
      if (!rule) throw ApplicationFailure.nonRetryable(`Rule ${input.ruleId} no longer exists`, 'NotFoundError');
      const asOf = new Date(input.asOf);
      const { execution, created } = await openExecution(deps.db, { ruleId: rule.id, asOf, mode: input.mode, specHash: rule.specHash, workflowId: input.workflowId });
      if (!created && execution.status !== 'running') {
        return stepOf(execution, { notificationId: await findNotificationIdOfExecution(deps.db, execution.id) });
      }
      const empty = { matched: 0, acted: 0, skippedCooldown: 0, skippedOther: 0 };
      // A tick of a rule that was disabled, deleted or changed without a new confirmation acts on nothing.
      const unconfirmed = rule.raisesSpend && rule.confirmedSpecHash !== rule.specHash;
      const facts = await loadAdAccountFacts(deps.db, rule.adAccountId);
      // A disconnected account another company has since connected is theirs: this company's rule must not act with their token.
      const foreign = facts.companyId !== rule.companyId;
      if ((input.mode === 'scheduled' && rule.status !== 'ENABLED') || unconfirmed || foreign) {
        const reason = foreign
          ? 'the ad account is now connected by another company'
          : rule.status !== 'ENABLED' ? `the rule is ${rule.status}` : 'the rule changed since its spending was confirmed';
        await recordExecution(deps.db, { executionId: execution.id, ruleId: rule.id, asOf, status: 'skipped', counts: empty, detail: { reason }, matches: [] });
        return { executionId: execution.id, status: 'skipped', ...empty, webhookPending: false, changes: 0, reason };
      }
      const compiled = compileStoredRule(rule);
      const account = evaluationAccount(facts);
      const evaluation = await evaluateRule(deps.db, {
        ruleId: rule.id, rule: compiled, account, asOfMs: asOf.getTime(), freshness: 'live', maxMetricsAgeMinutes: deps.config.rules.maxMetricsAgeMinutes,
      });
      if (!evaluation.fresh) {
        await recordExecution(deps.db, { executionId: execution.id, ruleId: rule.id, asOf, status: 'stale_metrics', counts: empty, detail: { reason: evaluation.reason }, matches: [] });
        return { executionId: execution.id, status: 'stale_metrics', ...empty, webhookPending: false, changes: 0, reason: evaluation.reason };
      }
      const counts = countOutcomes(evaluation.objects);
      const acted = evaluation.objects.filter((o) => o.outcome === 'acted');
      const notifies = compiled.action.type === 'NOTIFICATION' && acted.length > 0;
      const changes = acted.filter((o) => o.change).length;
      const webhookPending = notifies && rule.webhookUrl !== null;
      const status: ExecutionStatus = acted.length > 0 ? 'acting' : 'completed';
      const { notificationId } = await recordExecution(deps.db, {
        executionId: execution.id,
        ruleId: rule.id,
        asOf,
        status,
        counts,
        metricsReadAt: evaluation.metricsReadAt ?? null,
        detail: { changes, webhookPending },
        matches: evaluation.objects.map((o) => ({ entityType: compiled.entityType, entityId: o.entityId, values: o.values, outcome: o.outcome, change: o.change as Prisma.InputJsonValue | undefined })),
        notification: notifies
          ? {
              companyId: rule.companyId,
              adAccountId: rule.adAccountId,
              webhookStatus: webhookPending ? 'pending' : 'none',
              payload: {
                ruleId: rule.id,
                ruleName: rule.name,
                adAccountId: rule.adAccountId,
                executionId: execution.id,
                asOf: asOf.toISOString(),
                entityType: compiled.entityType,
                matched: acted.length,
                objects: acted.slice(0, NOTICE_OBJECTS).map((o) => ({ id: o.entityId, name: o.name, values: o.values })),
                truncated: acted.length > NOTICE_OBJECTS,
              },
            }
          : undefined,
      });
      return { executionId: execution.id, status, ...counts, notificationId, webhookPending, changes };
    },

    /**
     * POSTs a notice to its rule's webhook, signed: `X-Rule-Signature: sha256=<hex HMAC-SHA256 of
     * "<timestamp>.<body>">` with the rule's secret, `X-Rule-Timestamp` (unix seconds) and
     * `X-Rule-Delivery` (the notice id, the same on every retry, so a receiver can drop
     * repeats). A 2xx delivers; 4xx other than 408/429 is final; anything else is retried.
     */
    async deliverRuleWebhook(input: { notificationId: string }): Promise<{ status: 'delivered' | 'none' }> {
      const notice = await loadNotification(deps.db, input.notificationId);
      if (!notice || notice.webhookStatus === 'delivered' || notice.webhookStatus === 'none') return { status: notice?.webhookStatus === 'delivered' ? 'delivered' : 'none' };
      const target = await loadRuleWebhookSecret(deps.db, notice.ruleId);
      if (!target) {
        await recordWebhookAttempt(deps.db, { notificationId: notice.id, status: 'failed', error: 'the rule no longer has a webhook' });
        return { status: 'none' };
      }
      const secret = deps.tokenCipher.decrypt({ ciphertext: target.cipher, keyId: target.keyId });
      const body = JSON.stringify({ type: 'rule.notification', id: notice.id, createdAt: notice.createdAt.toISOString(), ...(notice.payload as object) });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      let response: Response;
      try {
        response = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-rule-signature': `sha256=${signature}`, 'x-rule-timestamp': timestamp, 'x-rule-delivery': notice.id },
          body,
          signal: AbortSignal.timeout(deps.config.rules.webhookTimeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        const message = `webhook not reached: ${(error as Error).name}`;
        await recordWebhookAttempt(deps.db, { notificationId: notice.id, status: 'pending', error: message });
        throw ApplicationFailure.retryable(message, 'WebhookUnreachable');
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) {
        await recordWebhookAttempt(deps.db, { notificationId: notice.id, status: 'delivered' });
        return { status: 'delivered' };
      }
      const message = `webhook answered HTTP ${response.status}`;
      await recordWebhookAttempt(deps.db, { notificationId: notice.id, status: 'pending', error: message });
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw ApplicationFailure.nonRetryable(message, 'WebhookRejected');
      throw ApplicationFailure.retryable(message, 'WebhookFailed');
    },

    /**
     * Stores ONE change set for the objects an evaluation acted on (source rule, requested by the
     * rule), planned from the before→after values the evaluation recorded and checked against the
     * account's caps like any change set. Without violations it is confirmed by the rule at once
     * (enabling a spend-raising rule already required a confirmation); with violations it stays
     * blocked and the count is recorded on the execution. Idempotent: a retry answers the set the
     * execution already links.
     */
    async storeRuleChangeSet(input: { executionId: string }): Promise<RuleChangeSet> {
      const execution = await findExecution(deps.db, input.executionId);
      if (!execution) throw ApplicationFailure.nonRetryable(`Execution ${input.executionId} is missing`, 'NotFoundError');
      const rule = await findRule(deps.db, execution.ruleId);
      if (!rule) throw ApplicationFailure.nonRetryable(`Rule ${execution.ruleId} no longer exists`, 'NotFoundError');
      const confirmedBy = `rule:${rule.id}`;
      const answer = async (changeSetId: string): Promise<RuleChangeSet> => {
        const row = (await findChangeSet(deps.db, changeSetId))!;
        if (row.violationCount > 0) return { changeSetId, blocked: true, violations: row.violationCount };
        const confirmed = await markChangeSetConfirmed(deps.db, { changeSetId, confirmedBy });
        const base = workflowInputOf({ config: deps.config } as Parameters<typeof workflowInputOf>[0], row);
        const names = await loadStartNames(deps.db, { companyId: rule.companyId, adAccountId: rule.adAccountId });
        return {
          changeSetId,
          blocked: false,
          violations: 0,
          input: { ...base, continuation: { confirmedBy: confirmed.confirmedBy, confirmedAt: confirmed.confirmedAt.toISOString(), canceled: false } },
          label: { ruleName: rule.name, ...names, headline: changeSetHeadline(row) },
        };
      };
      if (execution.changeSetId) return answer(execution.changeSetId);
      const compiled = compileStoredRule(rule);
      const facts = await loadAdAccountFacts(deps.db, rule.adAccountId);
      if (!facts.currency) throw ApplicationFailure.nonRetryable(`Ad account ${rule.adAccountId} has no currency yet`, 'ConflictError');
      const offset = currencyOffset(facts.currency) as MinorOffset;
      const acted = (await listActedMatches(deps.db, execution.id)).filter((m) => m.change !== null).map((m) => ({ entityId: m.entityId, change: m.change as unknown as FieldChanges }));
      const requests = ruleChangeRequests(compiled.entityType, acted, offset);
      const level: ChangeLevel = LEVEL_OF_ENTITY[compiled.entityType];
      const objects = new Map<string, PlanObject>(
        (await loadPlanObjects(deps.db, { adAccountId: rule.adAccountId, level, ids: requests.map((r) => r.id), offset })).map((o) => [o.id, o]),
      );
      const timezone = facts.timezoneName ?? 'UTC';
      const [stored, dailyIncreaseSoFar, outstanding] = await Promise.all([
        getAccountLimits(deps.db, rule.adAccountId),
        confirmedDailyIncreaseToday(deps.db, rule.adAccountId, timezone),
        outstandingChanges(deps.db, requests.map((r) => r.id)),
      ]);
      const plan = planUpdates(requests, objects, {
        currency: facts.currency, offset, nowMs: Date.now(), outstanding, limits: limitsInMinor(stored, offset), minimumBudgets: stored.minimumBudgets, dailyIncreaseSoFar,
      });
      const { row } = await insertPlan({ db: deps.db, config: deps.config }, {
        account: { id: rule.adAccountId, companyId: rule.companyId, name: null, currency: facts.currency, offset, timezoneName: timezone },
        actor: { rule: confirmedBy, companyId: rule.companyId },
        kind: 'update',
        source: ChangeSetSource.Rule,
        params: { ruleId: rule.id, executionId: execution.id, asOf: execution.asOf.toISOString() },
        items: plan.items.map((i): StorableItem => ({ ...i, action: 'update' })),
        plan,
      });
      await setExecutionChangeSet(deps.db, { executionId: execution.id, changeSetId: row.id });
      return answer(row.id);
    },

    /** Marks a notice undeliverable once its retries are spent or the receiver refused it. */
    async markRuleWebhookFailed(input: { notificationId: string; error: string }): Promise<void> {
      await recordWebhookAttempt(deps.db, { notificationId: input.notificationId, status: 'failed', error: input.error.slice(0, 500) });
    },

    /**
     * Ends an acting execution: the cooldown state of the objects it acted on is recomputed from
     * the history (notified objects, and change-set items that applied), then it is completed.
     */
    async settleRuleExecution(input: { executionId: string; status?: ExecutionStatus; detail?: Record<string, unknown> }): Promise<{ objects: number }> {
      const execution = await findExecution(deps.db, input.executionId);
      if (!execution) throw ApplicationFailure.nonRetryable(`Execution ${input.executionId} is missing`, 'NotFoundError');
      const acted = await listActedMatches(deps.db, execution.id);
      await recomputeObjectState(deps.db, { ruleId: execution.ruleId, entityIds: acted.map((m) => m.entityId) });
      if (execution.status === 'acting' || execution.status === 'running') {
        const detail = input.detail ? ({ ...((execution.detail ?? {}) as object), ...input.detail } as Prisma.InputJsonValue) : undefined;
        await finishExecution(deps.db, { executionId: execution.id, status: input.status ?? 'completed', detail });
      }
      return { objects: acted.length };
    },

    /** Runs a backtest over stored history (heartbeating per tick); a retry runs it again from the start, replacing its rows. */
    async runRuleBacktest(input: RuleBacktestInput & { workflowId: string }): Promise<RuleBacktestSummary> {
      const rule = await findRule(deps.db, input.ruleId);
      if (!rule) throw ApplicationFailure.nonRetryable(`Rule ${input.ruleId} no longer exists`, 'NotFoundError');
      const account = evaluationAccount(await loadAdAccountFacts(deps.db, rule.adAccountId));
      const result = await runBacktest(deps.db, {
        ruleId: rule.id,
        specHash: rule.specHash,
        rule: compileStoredRule(rule),
        account,
        backtestId: input.backtestId,
        fromMs: Date.parse(input.from),
        toMs: Date.parse(input.to),
        workflowId: input.workflowId,
        onTick: (done, total) => heartbeat({ done, total }),
      });
      const { fires: _fires, truncated: _truncated, ...summary } = result;
      return summary;
    },
  };
}
