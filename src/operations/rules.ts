/**
 * Automated rules: create (disabled), list, read, update, delete (= disable and keep history),
 * enable and disable. A rule that can raise spend or turn delivery on is enabled only by a
 * `write` token that names the rule's specHash (the confirmation, as for change sets); its
 * actions then run as change sets confirmed by the rule. Tenancy is checked once, in the
 * repository: another company's rule reads like a missing one.
 */
import { randomBytes } from 'node:crypto';
import { compileRule } from '../../domain/rule-validation';
import type { RuleSpecs } from '../../domain/rule-spec';
import { loadAdAccountFacts, loadOwnedAdAccount } from '../db/ad-account-repository';
import type { Prisma } from '../db/prisma-client';
import { insertRule, listRulesOfCompany, loadOwnedRule, updateRuleRow, type RuleChanges, type RuleRow } from '../db/rule-repository';
import { loadStartNames } from '../db/company-repository';
import { compileStoredRule } from '../db/rule-evaluation';
import { ConflictError, ValidationError } from '../errors';
import { ensureRuleSchedule, removeRuleSchedule } from '../temporal/rule-schedules';
import { actorLabel, requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { decodeCursor, encodeCursor, type Page } from './paging';
import { specHashOf, toRuleView, type RuleView } from './rule-views';
import { createRuleInput, enableRuleInput, listRulesInput, ruleRefInput, updateRuleInput, type confirmationView } from './schemas/rules';
import type { ServiceContext } from './service-context';
import { tokenCipherOf } from './service-deps';
import { withTemporal } from './temporal-errors';
import { parseInput } from './validation';
import type { z } from 'zod';

type Confirmation = z.infer<typeof confirmationView>;
type Meta = { requestId?: string };

/** Compiles specs, or a ValidationError listing every issue (field and what is allowed). */
function compileOrThrow(specs: RuleSpecs) {
  const result = compileRule(specs);
  if (!result.ok) {
    const text = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new ValidationError(`The rule is not valid: ${text}`, { issues: result.issues });
  }
  return result.rule;
}

async function timeZoneOf(ctx: ServiceContext, adAccountId: string): Promise<string> {
  return (await loadAdAccountFacts(ctx.db, adAccountId)).timezoneName ?? 'UTC';
}

function requireOurs(rule: RuleRow): void {
  if (rule.origin !== 'service') throw new ConflictError(`Rule ${rule.id} runs on Meta (from its adrules_library); change it in Ads Manager`, { ruleId: rule.id, runsOn: 'meta' });
  if (rule.status === 'DELETED') throw new ConflictError(`Rule ${rule.id} is deleted; create a new one`, { ruleId: rule.id, status: 'DELETED' });
}

function confirmationFor(rule: { raisesSpend: boolean; specHash: string }, confirmed: boolean): Confirmation {
  if (!rule.raisesSpend) return { state: 'not_needed', specHash: rule.specHash, message: 'The rule cannot raise spend or turn delivery on.' };
  if (confirmed) return { state: 'confirmed', specHash: rule.specHash, message: 'Confirmed: the rule may raise spend or turn delivery on, within the account caps.' };
  return {
    state: 'required',
    specHash: rule.specHash,
    message: `This rule can raise spend or turn delivery on. Review its specs, then call again with confirmSpecHash "${rule.specHash}" (a token with the write scope).`,
  };
}

/** Keeps the rule's Schedule in step with its state: present while enabled, gone otherwise. */
async function syncSchedule(ctx: ServiceContext, rule: RuleRow): Promise<void> {
  if (!ctx.config.schedulesEnabled) return;
  await withTemporal({ kind: 'Rule schedule', id: rule.id }, async () => {
    if (rule.origin === 'service' && rule.status === 'ENABLED') {
      const names = await loadStartNames(ctx.db, { companyId: rule.companyId, adAccountId: rule.adAccountId });
      await ensureRuleSchedule(ctx.temporal, {
        rule: { ruleId: rule.id, ruleName: rule.name, companyId: rule.companyId, adAccountId: rule.adAccountId, ...names },
        compiled: compileStoredRule(rule),
        timeZone: await timeZoneOf(ctx, rule.adAccountId),
        taskQueue: ctx.config.temporal.taskQueue,
      });
    } else await removeRuleSchedule(ctx.temporal, rule.id);
  });
}

/** Creates a rule (DISABLED) in Meta's shape; answers the rule and, once, its webhook secret. */
export async function createRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<RuleView & { webhookSecret: string | null }> {
  requireScope(actor, Scope.Write);
  const input = parseInput(createRuleInput, raw);
  await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const specs: RuleSpecs = { evaluation_spec: input.evaluation_spec, execution_spec: input.execution_spec, schedule_spec: input.schedule_spec } as RuleSpecs;
  const compiled = compileOrThrow(specs);
  if (input.webhookUrl && compiled.action.type !== 'NOTIFICATION') throw new ValidationError('webhookUrl belongs to NOTIFICATION rules', { field: 'webhookUrl' });
  const secret = input.webhookUrl ? randomBytes(32).toString('base64url') : null;
  const encrypted = secret ? tokenCipherOf(ctx).encrypt(secret) : null;
  const row = await insertRule(ctx.db, {
    companyId: actor.companyId,
    adAccountId: input.adAccountId,
    name: input.name,
    evaluationSpec: specs.evaluation_spec as unknown as Prisma.InputJsonValue,
    executionSpec: specs.execution_spec as unknown as Prisma.InputJsonValue,
    scheduleSpec: specs.schedule_spec as unknown as Prisma.InputJsonValue,
    specHash: specHashOf({ ...specs, webhookUrl: input.webhookUrl ?? null }),
    raisesSpend: compiled.raisesSpend,
    webhookUrl: input.webhookUrl ?? null,
    webhookSecret: encrypted ? { cipher: encrypted.ciphertext, keyId: encrypted.keyId } : null,
    createdBy: actorLabel(actor),
  });
  await recordAudit(ctx, actor, { action: 'rule.create', targetType: 'rule', targetId: row.id, details: { adAccountId: row.adAccountId, executionType: compiled.action.type }, requestId: meta.requestId });
  return { ...toRuleView(row, null), webhookSecret: secret };
}

/** The company's rules, ours and Meta's own (runsOn meta), newest first. */
export async function listRules(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<RuleView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listRulesInput, raw);
  if (input.adAccountId) await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const cursor = decodeCursor(input.cursor, ['createdAt', 'id'] as const);
  const rows = await listRulesOfCompany(ctx.db, {
    companyId: actor.companyId,
    adAccountId: input.adAccountId,
    includeDeleted: input.includeDeleted ?? false,
    before: cursor ? { createdAt: new Date(cursor.createdAt), id: cursor.id } : undefined,
    take: input.limit + 1,
  });
  const zones = new Map<string, string>();
  for (const row of rows) if (!zones.has(row.adAccountId)) zones.set(row.adAccountId, await timeZoneOf(ctx, row.adAccountId));
  const more = rows.length > input.limit;
  const kept = more ? rows.slice(0, input.limit) : rows;
  const last = kept[kept.length - 1];
  return {
    data: kept.map((row) => toRuleView(row, zones.get(row.adAccountId) ?? null)),
    nextCursor: more && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

/** One rule of the company. */
export async function getRule(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<RuleView> {
  requireScope(actor, Scope.Read);
  const input = parseInput(ruleRefInput, raw);
  const row = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  return toRuleView(row, await timeZoneOf(ctx, row.adAccountId));
}

/**
 * Changes a rule's name, specs or webhook. An enabled rule whose new specs can raise spend or
 * turn delivery on changes only with `confirmSpecHash` equal to the new specHash; without it the
 * answer says so (state `required`, the new hash) and nothing changes.
 */
export async function updateRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<{ rule: RuleView; confirmation: Confirmation }> {
  requireScope(actor, Scope.Write);
  const input = parseInput(updateRuleInput, raw);
  const row = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  requireOurs(row);
  const specs = {
    evaluation_spec: input.evaluation_spec ?? row.evaluationSpec,
    execution_spec: input.execution_spec ?? row.executionSpec,
    schedule_spec: input.schedule_spec ?? row.scheduleSpec,
  } as RuleSpecs;
  const compiled = compileOrThrow(specs);
  const webhookUrl = input.webhookUrl === undefined ? row.webhookUrl : input.webhookUrl;
  if (webhookUrl && compiled.action.type !== 'NOTIFICATION') throw new ValidationError('webhookUrl belongs to NOTIFICATION rules', { field: 'webhookUrl' });
  const specHash = specHashOf({ ...specs, webhookUrl });
  const changes: RuleChanges = { name: input.name, evaluationSpec: specs.evaluation_spec as never, executionSpec: specs.execution_spec as never, scheduleSpec: specs.schedule_spec as never, specHash, raisesSpend: compiled.raisesSpend, webhookUrl };
  if (input.webhookUrl && input.webhookUrl !== row.webhookUrl && !row.webhookUrl) {
    throw new ValidationError('A webhook added after creation has no secret yet: create the rule with its webhookUrl', { field: 'webhookUrl' });
  }
  if (input.webhookUrl === null) changes.webhookSecret = null;
  const enabled = row.status === 'ENABLED';
  const stillConfirmed = row.confirmedSpecHash === specHash;
  if (enabled && compiled.raisesSpend && !stillConfirmed) {
    if (input.confirmSpecHash !== specHash) return { rule: toRuleView(row, await timeZoneOf(ctx, row.adAccountId)), confirmation: confirmationFor({ raisesSpend: true, specHash }, false) };
    Object.assign(changes, { confirmedBy: actorLabel(actor), confirmedAt: new Date(), confirmedSpecHash: specHash });
  }
  const updated = await updateRuleRow(ctx.db, row.id, changes);
  await syncSchedule(ctx, updated);
  await recordAudit(ctx, actor, { action: 'rule.update', targetType: 'rule', targetId: row.id, details: { specHash, fields: Object.keys(input).filter((k) => k !== 'ruleId') }, requestId: meta.requestId });
  return { rule: toRuleView(updated, await timeZoneOf(ctx, row.adAccountId)), confirmation: confirmationFor(updated, updated.confirmedSpecHash === specHash) };
}

/** Enables a rule: its Schedule starts ticking in the account's time zone. */
export async function enableRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<{ rule: RuleView; confirmation: Confirmation }> {
  requireScope(actor, Scope.Write);
  const input = parseInput(enableRuleInput, raw);
  const row = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  requireOurs(row);
  compileStoredRule(row);
  const changes: RuleChanges = { status: 'ENABLED', enabledBy: actorLabel(actor), enabledAt: new Date() };
  if (row.raisesSpend) {
    if (input.confirmSpecHash === undefined) {
      return { rule: toRuleView(row, await timeZoneOf(ctx, row.adAccountId)), confirmation: confirmationFor(row, row.status === 'ENABLED' && row.confirmedSpecHash === row.specHash) };
    }
    if (input.confirmSpecHash !== row.specHash) {
      throw new ConflictError('confirmSpecHash does not match the rule as it is now: read it again and confirm what you reviewed', { reason: 'spec_hash_mismatch', specHash: row.specHash });
    }
    Object.assign(changes, { confirmedBy: actorLabel(actor), confirmedAt: new Date(), confirmedSpecHash: row.specHash });
  }
  const updated = row.status === 'ENABLED' && (!row.raisesSpend || row.confirmedSpecHash === row.specHash) ? row : await updateRuleRow(ctx.db, row.id, changes);
  await syncSchedule(ctx, updated);
  await recordAudit(ctx, actor, { action: 'rule.enable', targetType: 'rule', targetId: row.id, details: { specHash: row.specHash, confirmed: row.raisesSpend }, requestId: meta.requestId });
  return { rule: toRuleView(updated, await timeZoneOf(ctx, row.adAccountId)), confirmation: confirmationFor(updated, true) };
}

/** Disables a rule: its Schedule is deleted; history stays. */
export async function disableRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<RuleView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(ruleRefInput, raw);
  const row = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  requireOurs(row);
  const updated = row.status === 'DISABLED' ? row : await updateRuleRow(ctx.db, row.id, { status: 'DISABLED' });
  await syncSchedule(ctx, updated);
  await recordAudit(ctx, actor, { action: 'rule.disable', targetType: 'rule', targetId: row.id, requestId: meta.requestId });
  return toRuleView(updated, null);
}

/** Deletes a rule: DELETED, its Schedule gone, its executions and matches kept. Idempotent. */
export async function deleteRule(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<RuleView> {
  requireScope(actor, Scope.Write);
  const input = parseInput(ruleRefInput, raw);
  const row = await loadOwnedRule(ctx.db, { companyId: actor.companyId, ruleId: input.ruleId });
  if (row.origin !== 'service') requireOurs(row);
  const updated = row.status === 'DELETED' ? row : await updateRuleRow(ctx.db, row.id, { status: 'DELETED', deletedAt: new Date() });
  await syncSchedule(ctx, updated);
  await recordAudit(ctx, actor, { action: 'rule.delete', targetType: 'rule', targetId: row.id, requestId: meta.requestId });
  return toRuleView(updated, null);
}
