/**
 * The rule aggregate: `ad_rules` rows (ours and the ones mirrored from Meta's adrules_library).
 * The tenancy rule lives here once: a rule of another company reads exactly like a missing one.
 */
import { createHash } from 'node:crypto';
import { NotFoundError } from '../errors';
import type { Db, Prisma } from './prisma-client';

export const RULE_SELECT = {
  id: true,
  companyId: true,
  adAccountId: true,
  origin: true,
  metaRuleId: true,
  name: true,
  status: true,
  evaluationSpec: true,
  executionSpec: true,
  scheduleSpec: true,
  specHash: true,
  raisesSpend: true,
  webhookUrl: true,
  enabledBy: true,
  enabledAt: true,
  confirmedBy: true,
  confirmedAt: true,
  confirmedSpecHash: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
} as const satisfies Prisma.AdRuleSelect;

/** A rule as operations and activities read it (the webhook secret is never selected). */
export type RuleRow = Prisma.AdRuleGetPayload<{ select: typeof RULE_SELECT }>;

export interface NewRule {
  companyId: string;
  adAccountId: string;
  name: string;
  evaluationSpec: Prisma.InputJsonValue;
  executionSpec: Prisma.InputJsonValue;
  scheduleSpec: Prisma.InputJsonValue;
  specHash: string;
  raisesSpend: boolean;
  webhookUrl: string | null;
  webhookSecret: { cipher: string; keyId: string } | null;
  createdBy: string;
}

/** Stores a new rule of ours, DISABLED until someone enables it. */
export async function insertRule(db: Db, rule: NewRule): Promise<RuleRow> {
  return db.adRule.create({
    data: {
      companyId: rule.companyId,
      adAccountId: rule.adAccountId,
      origin: 'service',
      name: rule.name,
      status: 'DISABLED',
      evaluationSpec: rule.evaluationSpec,
      executionSpec: rule.executionSpec,
      scheduleSpec: rule.scheduleSpec,
      specHash: rule.specHash,
      raisesSpend: rule.raisesSpend,
      webhookUrl: rule.webhookUrl,
      webhookSecretCipher: rule.webhookSecret?.cipher ?? null,
      webhookSecretKeyId: rule.webhookSecret?.keyId ?? null,
      createdBy: rule.createdBy,
    },
    select: RULE_SELECT,
  });
}

/** The rule if it belongs to the company; NotFoundError otherwise (missing, or another company's). */
export async function loadOwnedRule(db: Db, ref: { companyId: string; ruleId: string }): Promise<RuleRow> {
  const row = await db.adRule.findUnique({ where: { id: ref.ruleId }, select: RULE_SELECT });
  if (!row || row.companyId !== ref.companyId) throw new NotFoundError('Rule', ref.ruleId);
  return row;
}

/** The rule by id (activities: the workflow carries the id of a rule it was started for). */
export async function findRule(db: Db, ruleId: string): Promise<RuleRow | null> {
  return db.adRule.findUnique({ where: { id: ruleId }, select: RULE_SELECT });
}

/** The rule's webhook signing secret, encrypted, for the delivery activity only. */
export async function loadRuleWebhookSecret(db: Db, ruleId: string): Promise<{ url: string; cipher: string; keyId: string } | null> {
  const row = await db.adRule.findUnique({ where: { id: ruleId }, select: { webhookUrl: true, webhookSecretCipher: true, webhookSecretKeyId: true } });
  if (!row?.webhookUrl || !row.webhookSecretCipher || !row.webhookSecretKeyId) return null;
  return { url: row.webhookUrl, cipher: row.webhookSecretCipher, keyId: row.webhookSecretKeyId };
}

/** Rules of a company (optionally one account), newest first, keyset-paged on (created_at, id); `take` is the page size plus one. */
export async function listRulesOfCompany(
  db: Db,
  input: { companyId: string; adAccountId?: string; origin?: 'service' | 'meta'; includeDeleted: boolean; before?: { createdAt: Date; id: string }; take: number },
): Promise<RuleRow[]> {
  return db.adRule.findMany({
    where: {
      companyId: input.companyId,
      ...(input.adAccountId ? { adAccountId: input.adAccountId } : {}),
      ...(input.origin ? { origin: input.origin } : {}),
      ...(input.includeDeleted ? {} : { status: { not: 'DELETED' } }),
      ...(input.before
        ? { OR: [{ createdAt: { lt: input.before.createdAt } }, { createdAt: input.before.createdAt, id: { lt: input.before.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.take,
    select: RULE_SELECT,
  });
}

/** Fields an update may change. */
export interface RuleChanges {
  name?: string;
  status?: string;
  evaluationSpec?: Prisma.InputJsonValue;
  executionSpec?: Prisma.InputJsonValue;
  scheduleSpec?: Prisma.InputJsonValue;
  specHash?: string;
  raisesSpend?: boolean;
  webhookUrl?: string | null;
  webhookSecret?: { cipher: string; keyId: string } | null;
  enabledBy?: string | null;
  enabledAt?: Date | null;
  confirmedBy?: string | null;
  confirmedAt?: Date | null;
  confirmedSpecHash?: string | null;
  deletedAt?: Date | null;
}

/** Applies changes to a rule; returns the rule as stored. */
export async function updateRuleRow(db: Db, ruleId: string, changes: RuleChanges): Promise<RuleRow> {
  const { webhookSecret, ...rest } = changes;
  return db.adRule.update({
    where: { id: ruleId },
    data: {
      ...rest,
      ...(webhookSecret !== undefined ? { webhookSecretCipher: webhookSecret?.cipher ?? null, webhookSecretKeyId: webhookSecret?.keyId ?? null } : {}),
    },
    select: RULE_SELECT,
  });
}

/** Enabled rules of ours on connected accounts (the worker ensures their schedules at start-up). */
export async function listEnabledServiceRules(db: Db): Promise<RuleRow[]> {
  return db.adRule.findMany({
    where: { origin: 'service', status: 'ENABLED', adAccount: { disconnectedAt: null, deletedAt: null } },
    orderBy: { id: 'asc' },
    select: RULE_SELECT,
  });
}

/** One of Meta's own rules as read from `act_x/adrules_library` (see src/meta/objects/ad-rule.ts). */
export interface MetaRuleInput {
  metaRuleId: string;
  name: string | null;
  status: string | null;
  evaluationSpec: unknown;
  executionSpec: unknown;
  scheduleSpec: unknown;
  createdBy: string | null;
  createdTime: Date | null;
}

/** Execution types that can raise spend or turn delivery on (Meta's rules are shown, never run here: this only labels them). */
const SPEND_RAISING_EXECUTIONS = new Set(['CHANGE_BUDGET', 'CHANGE_BID', 'UNPAUSE', 'REBALANCE_BUDGET', 'ROTATE']);

/**
 * Mirrors an account's `adrules_library` into `ad_rules` (origin `meta`) in one statement:
 * upserts every rule read (on `meta_rule_id`), and marks DELETED the account's Meta rules the
 * complete read no longer returned. A repeated call with the same rules changes nothing but
 * `updated_at` of the rows whose specs changed. Returns how many rules were read and deleted.
 */
export async function syncMetaRules(db: Db, input: { companyId: string; adAccountId: string; rules: readonly MetaRuleInput[] }): Promise<{ rules: number; deleted: number }> {
  const rows = input.rules.map((rule) => {
    const specs = { evaluation_spec: rule.evaluationSpec ?? {}, execution_spec: rule.executionSpec ?? {}, schedule_spec: rule.scheduleSpec ?? null };
    const executionType = (rule.executionSpec as { execution_type?: unknown } | null)?.execution_type;
    return {
      meta_rule_id: rule.metaRuleId,
      name: rule.name ?? `Meta rule ${rule.metaRuleId}`,
      status: rule.status ?? 'ENABLED',
      ...specs,
      spec_hash: createHash('sha256').update(JSON.stringify(specs)).digest('hex'),
      raises_spend: typeof executionType === 'string' && SPEND_RAISING_EXECUTIONS.has(executionType),
      created_by: rule.createdBy,
      created_at: (rule.createdTime ?? new Date()).toISOString(),
    };
  });
  const result = await db.$queryRawUnsafe<Array<{ upserted: number; deleted: number }>>(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(meta_rule_id text, name text, status text, evaluation_spec jsonb, execution_spec jsonb, schedule_spec jsonb,
                                                        spec_hash text, raises_spend boolean, created_by text, created_at timestamptz)
     ),
     upserted AS (
       INSERT INTO ad_rules (id, company_id, ad_account_id, origin, meta_rule_id, name, status, evaluation_spec, execution_spec, schedule_spec, spec_hash, raises_spend, created_by, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, $2, 'meta', i.meta_rule_id, i.name, i.status, i.evaluation_spec, i.execution_spec, i.schedule_spec, i.spec_hash, i.raises_spend, i.created_by, i.created_at, now()
       FROM incoming i
       ON CONFLICT (meta_rule_id) DO UPDATE SET
         company_id = EXCLUDED.company_id, ad_account_id = EXCLUDED.ad_account_id, name = EXCLUDED.name, status = EXCLUDED.status,
         evaluation_spec = EXCLUDED.evaluation_spec, execution_spec = EXCLUDED.execution_spec, schedule_spec = EXCLUDED.schedule_spec,
         spec_hash = EXCLUDED.spec_hash, raises_spend = EXCLUDED.raises_spend, deleted_at = NULL,
         updated_at = CASE WHEN ad_rules.spec_hash = EXCLUDED.spec_hash AND ad_rules.name = EXCLUDED.name AND ad_rules.status = EXCLUDED.status AND ad_rules.deleted_at IS NULL
                           THEN ad_rules.updated_at ELSE now() END
       WHERE ad_rules.origin = 'meta'
       RETURNING 1
     ),
     deleted AS (
       UPDATE ad_rules SET status = 'DELETED', deleted_at = now(), updated_at = now()
       WHERE ad_account_id = $2 AND origin = 'meta' AND deleted_at IS NULL AND meta_rule_id NOT IN (SELECT meta_rule_id FROM incoming)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM upserted)::int AS upserted, (SELECT count(*) FROM deleted)::int AS deleted`,
    input.companyId,
    input.adAccountId,
    JSON.stringify(rows),
  );
  return { rules: result[0]?.upserted ?? 0, deleted: result[0]?.deleted ?? 0 };
}
