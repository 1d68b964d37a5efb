/**
 * Companies (tenants), an operator's business: only a token with the `operator` scope (granted by
 * `npm run token:create` alone) reaches these. To a company token, even an admin's, a named
 * company does not exist here (404, as another company's objects answer everywhere), and the
 * id-less routes (list, create) answer 403 naming the scope.
 *
 * Deactivation refuses the company's tokens at once (authentication reads `deactivatedAt`) and
 * pauses each of its schedules that is running, marking the pause in the schedule's note;
 * reactivation resumes exactly the schedules carrying that mark, so a schedule someone had paused
 * for another reason stays paused. The mark lives with the schedule, so a deactivation interrupted
 * half-way is finished by calling it again, and nothing has to be remembered elsewhere.
 */
import type { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { scheduleIds } from '../../domain/workflow-ids';
import { findCompany, insertCompany, listCompanyRows, listScheduleOwnersOfCompany, renameCompanyRow, setCompanyDeactivated, type CompanyRow } from '../db/company-repository';
import { pauseActiveSchedules, unpauseSchedulesPausedBy } from '../temporal/company-schedules';
import { ensureAllRuleSchedules } from '../temporal/rule-schedules';
import { ensureAllAccountSchedules } from '../temporal/sync-schedules';
import { COMPANY_SCOPES, hasScope, requireScope, Scope, type Actor } from './actor';
import { issueApiToken, tokenExpiryOf, type CreatedApiToken } from './api-tokens';
import { recordAudit } from './audit';
import { decodeCursor, toPage, type Page } from './paging';
import { noteWithReason } from './schedules';
import { companyRefInput, companyView, createCompanyInput, createCompanyTokenInput, deactivatedCompanyView, listCompaniesInput, reactivatedCompanyView, renameCompanyInput } from './schemas/companies';
import type { ServiceContext } from './service-context';
import { withTemporal } from './temporal-errors';
import { parseInput } from './validation';

export type CompanyView = z.infer<typeof companyView>;
export type DeactivatedCompanyView = z.infer<typeof deactivatedCompanyView>;
export type ReactivatedCompanyView = z.infer<typeof reactivatedCompanyView>;
type Meta = { requestId?: string };

/** The reason a deactivation writes into each schedule note it pauses; reactivation looks for it. */
const DEACTIVATION_REASON = 'company deactivated';
const PAUSED_BY_DEACTIVATION = new RegExp(`(^| — )paused: ${DEACTIVATION_REASON}\\b`);

/** Operator: creates a company (then `POST /v1/companies/{id}/tokens` gives it its first admin token). */
export async function createCompany(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<CompanyView> {
  requireScope(actor, Scope.Operator);
  const input = parseInput(createCompanyInput, raw);
  const row = await insertCompany(ctx.db, { name: input.name });
  await recordAudit(ctx, actor, { action: 'company.create', targetType: 'company', targetId: row.id, details: { name: row.name }, requestId: meta.requestId });
  return toView(row);
}

/** Operator: every company, active and deactivated, by id. */
export async function listCompanies(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<CompanyView>> {
  requireScope(actor, Scope.Operator);
  const input = parseInput(listCompaniesInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  const rows = await listCompanyRows(ctx.db, { afterId: after?.id, take: input.limit + 1, status: input.status });
  return toPage(rows, input.limit, toView, (row) => ({ id: row.id }));
}

/** Operator: one company. */
export async function getCompany(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<CompanyView> {
  const input = parseInput(companyRefInput, raw);
  return toView(await loadCompany(ctx, actor, input.companyId));
}

/** Operator: renames a company. */
export async function renameCompany(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<CompanyView> {
  const input = parseInput(renameCompanyInput, raw);
  const before = await loadCompany(ctx, actor, input.companyId);
  const row = await renameCompanyRow(ctx.db, { id: before.id, name: input.name });
  await recordAudit(ctx, actor, { action: 'company.rename', targetType: 'company', targetId: row.id, details: { from: before.name, to: row.name }, requestId: meta.requestId });
  return toView(row);
}

/** Operator: a token for the company (company scopes only, never `operator`); shown once. */
export async function createCompanyToken(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<CreatedApiToken> {
  const input = parseInput(createCompanyTokenInput, raw);
  const company = await loadCompany(ctx, actor, input.companyId);
  if (input.scopes.some((scope) => !(COMPANY_SCOPES as readonly string[]).includes(scope))) throw new ValidationError(`Scopes must be a subset of ${COMPANY_SCOPES.join(', ')}`, { field: 'scopes' });
  const created = await issueApiToken(ctx.db, { companyId: company.id, name: input.name, scopes: input.scopes, expiresAt: tokenExpiryOf(input.expiresAt) });
  await recordAudit(ctx, actor, { action: 'api_token.create', targetType: 'api_token', targetId: created.id, details: { companyId: company.id, scopes: created.scopes, expiresAt: created.expiresAt }, requestId: meta.requestId });
  return created;
}

/**
 * Operator: deactivates a company: its tokens answer 401 from now on, and each of its schedules
 * (ad account syncs, rules) that is running is paused. Idempotent: calling again pauses what an
 * interrupted call left running. The operator's own company is refused (it would lock out the
 * token asking).
 */
export async function deactivateCompany(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<DeactivatedCompanyView> {
  const input = parseInput(companyRefInput, raw);
  const company = await loadCompany(ctx, actor, input.companyId);
  if (company.id === actor.companyId) {
    throw new ConflictError(`Company ${company.id} is the company of the token asking: deactivating it would lock that token out; use an operator token of another company`, { companyId: company.id });
  }
  // Tokens first: from here on nothing of the company's can start or re-enable a schedule.
  const row = await setCompanyDeactivated(ctx.db, { id: company.id, deactivated: true });
  const ids = await companyScheduleIds(ctx, company.id);
  const pausedSchedules = await withTemporal({ kind: 'Company schedules', id: company.id }, () =>
    pauseActiveSchedules(ctx.temporal, { scheduleIds: ids, noteFor: (note) => noteWithReason(note, 'paused', `${DEACTIVATION_REASON} by token ${actor.tokenId}`) }),
  );
  await recordAudit(ctx, actor, { action: 'company.deactivate', targetType: 'company', targetId: company.id, details: { pausedSchedules }, requestId: meta.requestId });
  return { ...toView(row), pausedSchedules };
}

/**
 * Operator: reactivates a company: the schedules its deactivation paused resume (only those), its
 * tokens work again, and any schedule of its that went missing meanwhile (worker start-ups skip a
 * deactivated company's) is created. Idempotent.
 */
export async function reactivateCompany(ctx: ServiceContext, actor: Actor, raw: unknown, meta: Meta = {}): Promise<ReactivatedCompanyView> {
  const input = parseInput(companyRefInput, raw);
  const company = await loadCompany(ctx, actor, input.companyId);
  const ids = await companyScheduleIds(ctx, company.id);
  const target = { kind: 'Company schedules', id: company.id };
  // Schedules first: a failure leaves the company deactivated, and calling again finishes the job.
  const resumedSchedules = await withTemporal(target, () =>
    unpauseSchedulesPausedBy(ctx.temporal, { scheduleIds: ids, pausedBy: (note) => note !== undefined && PAUSED_BY_DEACTIVATION.test(note), noteFor: (note) => noteWithReason(note, 'resumed', undefined) }),
  );
  const row = await setCompanyDeactivated(ctx.db, { id: company.id, deactivated: false });
  if (ctx.config.schedulesEnabled) {
    // Existing schedules keep their state; only missing ones are created (running, as on connect).
    await withTemporal(target, async () => {
      await ensureAllAccountSchedules(ctx.temporal, ctx.config, ctx.db, { companyId: company.id });
      await ensureAllRuleSchedules(ctx.temporal, ctx.db, ctx.config.temporal.taskQueue, { companyId: company.id });
    });
  }
  await recordAudit(ctx, actor, { action: 'company.reactivate', targetType: 'company', targetId: company.id, details: { resumedSchedules }, requestId: meta.requestId });
  return { ...toView(row), resumedSchedules };
}

/** The company, for an operator; to anyone else (and when missing) 404. */
async function loadCompany(ctx: ServiceContext, actor: Actor, companyId: string): Promise<CompanyRow> {
  if (!hasScope(actor, Scope.Operator)) throw new NotFoundError('Company', companyId);
  const row = await findCompany(ctx.db, companyId);
  if (!row) throw new NotFoundError('Company', companyId);
  return row;
}

/** Every schedule the company may have: three per ad account, one per rule (missing ones are skipped). */
async function companyScheduleIds(ctx: ServiceContext, companyId: string): Promise<string[]> {
  const owners = await listScheduleOwnersOfCompany(ctx.db, companyId);
  return [
    ...owners.adAccountIds.flatMap((id) => [scheduleIds.incrementalSync(id), scheduleIds.hourlyMetrics(id), scheduleIds.dailyMetrics(id)]),
    ...owners.ruleIds.map((id) => scheduleIds.rule(id)),
  ];
}

function toView(row: CompanyRow): CompanyView {
  return {
    id: row.id,
    name: row.name,
    status: row.deactivatedAt ? 'deactivated' : 'active',
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
  };
}
