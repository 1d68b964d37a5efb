/**
 * The rule aggregate: `ad_rules` rows (ours and the ones mirrored from Meta's adrules_library).
 * The tenancy rule lives here once: a rule of another company reads exactly like a missing one.
 */
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
