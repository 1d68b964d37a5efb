/**
 * History of rule evaluations: `ad_rule_executions` (one per rule, instant and mode), their
 * `ad_rule_matches`, the notices of NOTIFICATION rules, and the per-object cooldown state
 * (`ad_rule_object_state`), which is always recomputed from the history so a retried step can
 * never count an action twice.
 */
import type { Db, Prisma } from './prisma-client';
import type { EvaluationMode, ExecutionStatus, MatchOutcome, RuleEntityType } from '../../domain/rule-spec';
import type { ActionHistory } from '../../domain/rule-actions';

export type ExecutionRow = Prisma.AdRuleExecutionGetPayload<object>;
export type MatchRow = Prisma.AdRuleMatchGetPayload<object>;

/**
 * Opens the execution of (rule, asOf, mode), or finds the one a previous attempt or run opened:
 * `created` false means it existed (a repeated tick), and the caller answers from it.
 */
export async function openExecution(
  db: Db,
  input: { ruleId: string; asOf: Date; mode: EvaluationMode; specHash: string; workflowId?: string; backtestId?: string },
): Promise<{ execution: ExecutionRow; created: boolean }> {
  const inserted = await db.$queryRaw<Array<{ id: string }>>`
    INSERT INTO ad_rule_executions (id, rule_id, workflow_id, as_of, mode, status, spec_hash, backtest_id)
    VALUES (gen_random_uuid(), ${input.ruleId}::uuid, ${input.workflowId ?? null}, ${input.asOf}, ${input.mode}, 'running', ${input.specHash}, ${input.backtestId ?? null}::uuid)
    ON CONFLICT (rule_id, as_of, mode) DO NOTHING
    RETURNING id`;
  const execution = await db.adRuleExecution.findUniqueOrThrow({ where: { ruleId_asOf_mode: { ruleId: input.ruleId, asOf: input.asOf, mode: input.mode } } });
  return { execution, created: inserted.length > 0 };
}

export interface RecordedMatch {
  entityType: RuleEntityType;
  entityId: string;
  values: Record<string, string | null>;
  outcome: MatchOutcome;
  change?: Prisma.InputJsonValue;
  spendAfter?: string;
}

export interface ExecutionRecord {
  executionId: string;
  ruleId: string;
  asOf: Date;
  status: ExecutionStatus;
  counts: { matched: number; acted: number; skippedCooldown: number; skippedOther: number };
  metricsReadAt?: Date | null;
  detail?: Prisma.InputJsonValue;
  matches: readonly RecordedMatch[];
  /** A notice for NOTIFICATION rules, stored in the same transaction. */
  notification?: { companyId: string; adAccountId: string; payload: Prisma.InputJsonValue; webhookStatus: 'none' | 'pending' };
  /** Also used by backtests, which re-run the same ticks: their matches are replaced. */
  backtestId?: string;
}

/** Writes an evaluation's outcome, matches (replacing any of an earlier attempt) and notice, in one transaction. */
export async function recordExecution(db: Db, record: ExecutionRecord): Promise<{ notificationId?: string }> {
  return db.$transaction(async (tx) => {
    await tx.adRuleMatch.deleteMany({ where: { executionId: record.executionId } });
    if (record.matches.length) {
      await tx.adRuleMatch.createMany({
        data: record.matches.map((m) => ({
          executionId: record.executionId,
          ruleId: record.ruleId,
          entityType: m.entityType,
          entityId: m.entityId,
          values: m.values,
          outcome: m.outcome,
          change: m.change,
          spendAfter: m.spendAfter,
          asOf: record.asOf,
        })),
      });
    }
    await tx.adRuleExecution.update({
      where: { id: record.executionId },
      data: {
        status: record.status,
        matchedCount: record.counts.matched,
        actedCount: record.counts.acted,
        skippedCooldownCount: record.counts.skippedCooldown,
        skippedOtherCount: record.counts.skippedOther,
        metricsReadAt: record.metricsReadAt ?? null,
        detail: record.detail,
        ...(record.backtestId ? { backtestId: record.backtestId } : {}),
        ...(record.status === 'acting' || record.status === 'running' ? {} : { finishedAt: new Date() }),
      },
    });
    if (!record.notification) return {};
    const notice = await tx.adRuleNotification.upsert({
      where: { executionId: record.executionId },
      create: { ruleId: record.ruleId, executionId: record.executionId, ...record.notification },
      update: { payload: record.notification.payload, webhookStatus: record.notification.webhookStatus },
      select: { id: true },
    });
    return { notificationId: notice.id };
  });
}

/** An execution by id. */
export async function findExecution(db: Db, executionId: string): Promise<ExecutionRow | null> {
  return db.adRuleExecution.findUnique({ where: { id: executionId } });
}

/** Links the change set that carries an execution's actions. */
export async function setExecutionChangeSet(db: Db, input: { executionId: string; changeSetId: string }): Promise<void> {
  await db.adRuleExecution.update({ where: { id: input.executionId }, data: { changeSetId: input.changeSetId } });
}

/** Ends an execution that was acting. */
export async function finishExecution(db: Db, input: { executionId: string; status: ExecutionStatus; detail?: Prisma.InputJsonValue }): Promise<void> {
  await db.adRuleExecution.update({ where: { id: input.executionId }, data: { status: input.status, finishedAt: new Date(), ...(input.detail ? { detail: input.detail } : {}) } });
}

/** The acted matches of an execution (what goes into its change set or notice). */
export async function listActedMatches(db: Db, executionId: string): Promise<MatchRow[]> {
  return db.adRuleMatch.findMany({ where: { executionId, outcome: 'acted' }, orderBy: { entityId: 'asc' } });
}

/**
 * Recomputes the cooldown state of some objects from the history of the rule's live evaluations:
 * an action counts when it was notified, or when its change-set item applied (or Meta already had
 * it). Idempotent: the same history gives the same state however often it runs.
 */
export async function recomputeObjectState(db: Db, input: { ruleId: string; entityIds: readonly string[] }): Promise<number> {
  if (input.entityIds.length === 0) return 0;
  return db.$executeRaw`
    WITH acted AS (
      SELECT m.entity_id, max(m.as_of) AS last_action_at, count(*)::int AS action_count
        FROM ad_rule_matches m
        JOIN ad_rule_executions x ON x.id = m.execution_id
       WHERE m.rule_id = ${input.ruleId}::uuid AND m.entity_id = ANY(${input.entityIds as string[]}::text[])
         AND m.outcome = 'acted' AND x.mode IN ('scheduled', 'manual')
         AND (x.change_set_id IS NULL
              OR EXISTS (SELECT 1 FROM bulk_request_items i
                          WHERE i.bulk_request_id = x.change_set_id AND i.entity_id = m.entity_id
                            AND i.status IN ('succeeded', 'already_applied')))
       GROUP BY m.entity_id)
    INSERT INTO ad_rule_object_state (rule_id, entity_id, last_action_at, action_count, updated_at)
    SELECT ${input.ruleId}::uuid, a.entity_id, a.last_action_at, a.action_count, now() FROM acted a
    ON CONFLICT (rule_id, entity_id) DO UPDATE
       SET last_action_at = EXCLUDED.last_action_at, action_count = EXCLUDED.action_count, updated_at = now()
     WHERE (ad_rule_object_state.last_action_at, ad_rule_object_state.action_count) IS DISTINCT FROM (EXCLUDED.last_action_at, EXCLUDED.action_count)`;
}

/** The cooldown state of a rule's objects. */
export async function loadObjectState(db: Db, ruleId: string): Promise<Map<string, ActionHistory>> {
  const rows = await db.adRuleObjectState.findMany({ where: { ruleId } });
  return new Map(rows.map((r) => [r.entityId, { lastActionAtMs: r.lastActionAt.getTime(), actionCount: r.actionCount }]));
}

/** Executions of a rule, newest instant first, keyset-paged on (as_of, id); `take` is the page size plus one. */
export async function listExecutions(
  db: Db,
  input: { ruleId: string; mode?: string; backtestId?: string; before?: { asOf: Date; id: string }; take: number },
): Promise<ExecutionRow[]> {
  return db.adRuleExecution.findMany({
    where: {
      ruleId: input.ruleId,
      ...(input.mode ? { mode: input.mode } : {}),
      ...(input.backtestId ? { backtestId: input.backtestId } : {}),
      ...(input.before ? { OR: [{ asOf: { lt: input.before.asOf } }, { asOf: input.before.asOf, id: { lt: input.before.id } }] } : {}),
    },
    orderBy: [{ asOf: 'desc' }, { id: 'desc' }],
    take: input.take,
  });
}

/** The matches of some executions (a page of them), by execution. */
export async function listMatchesOf(db: Db, executionIds: readonly string[], perExecution: number): Promise<Map<string, MatchRow[]>> {
  const rows = executionIds.length ? await db.adRuleMatch.findMany({ where: { executionId: { in: [...executionIds] } }, orderBy: [{ executionId: 'asc' }, { entityId: 'asc' }] }) : [];
  const out = new Map<string, MatchRow[]>();
  for (const row of rows) {
    const list = out.get(row.executionId) ?? [];
    if (list.length < perExecution) list.push(row);
    out.set(row.executionId, list);
  }
  return out;
}

/** Matches of one object by a company's rules (or one rule), newest first: its history under rules. */
export async function listObjectMatches(db: Db, input: { companyId: string; entityId: string; ruleId?: string; take: number }): Promise<Array<MatchRow & { mode: string }>> {
  const rows = await db.adRuleMatch.findMany({
    where: { entityId: input.entityId, ...(input.ruleId ? { ruleId: input.ruleId } : {}), execution: { rule: { companyId: input.companyId } } },
    orderBy: { asOf: 'desc' },
    take: input.take,
    include: { execution: { select: { mode: true } } },
  });
  return rows.map(({ execution, ...row }) => ({ ...row, mode: execution.mode }));
}

/** A notice and its rule, for the webhook delivery. */
/** The id of the notice an execution wrote, if it wrote one. */
export async function findNotificationIdOfExecution(db: Db, executionId: string): Promise<string | undefined> {
  const notice = await db.adRuleNotification.findUnique({ where: { executionId }, select: { id: true } });
  return notice?.id;
}

export async function loadNotification(db: Db, notificationId: string) {
  return db.adRuleNotification.findUnique({ where: { id: notificationId } });
}

/** Records one delivery attempt of a notice. */
export async function recordWebhookAttempt(db: Db, input: { notificationId: string; status: 'pending' | 'delivered' | 'failed'; error?: string }): Promise<void> {
  await db.adRuleNotification.update({
    where: { id: input.notificationId },
    data: {
      webhookStatus: input.status,
      attempts: { increment: input.status === 'failed' ? 0 : 1 },
      lastError: input.error ?? null,
      ...(input.status === 'delivered' ? { deliveredAt: new Date() } : {}),
    },
  });
}

/** Spend (minor units) of objects after instants, up to an end, in the stored data: the tick's own local day from hourly rows, later days from daily rows. */
export async function spendAfter(
  db: Db,
  input: { adAccountId: string; level: string; timeZone: string; offset: number; until: Date; pairs: ReadonlyArray<{ entityId: string; asOf: Date }> },
): Promise<Map<string, string>> {
  if (input.pairs.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ key: string; spend: string }>>`
    WITH p AS (
      SELECT e.entity_id, e.as_of, (e.as_of AT TIME ZONE ${input.timeZone})::date AS day, (${input.until}::timestamptz AT TIME ZONE ${input.timeZone})::date AS last_day
        FROM unnest(${input.pairs.map((p) => p.entityId)}::text[], ${input.pairs.map((p) => p.asOf.toISOString())}::timestamptz[]) AS e(entity_id, as_of))
    SELECT p.entity_id || '|' || to_char(p.as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS key,
           ((coalesce((SELECT sum(h.spend) FROM metrics_hourly h
                        WHERE h.ad_account_id = ${input.adAccountId} AND h.level = ${input.level} AND h.entity_id = p.entity_id
                          AND h.local_date = p.day AND h.bucket_start >= p.as_of AND h.bucket_start < ${input.until}), 0)
           + coalesce((SELECT sum(d.spend) FROM metrics_daily d
                        WHERE d.ad_account_id = ${input.adAccountId} AND d.level = ${input.level} AND d.entity_id = p.entity_id
                          AND d.date > p.day AND d.date <= p.last_day), 0)) * ${String(input.offset)}::numeric)::text AS spend
      FROM p`;
  return new Map(rows.map((r) => [r.key, r.spend]));
}

/** Sets the spend-after of backtest matches, one statement for all of them. */
export async function setMatchesSpendAfter(db: Db, rows: ReadonlyArray<{ executionId: string; entityId: string; spendAfter: string }>): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRaw`
    UPDATE ad_rule_matches m SET spend_after = u.spend::numeric
      FROM unnest(${rows.map((r) => r.executionId)}::uuid[], ${rows.map((r) => r.entityId)}::text[], ${rows.map((r) => r.spendAfter)}::text[]) AS u(execution_id, entity_id, spend)
     WHERE m.execution_id = u.execution_id AND m.entity_id = u.entity_id`;
}
