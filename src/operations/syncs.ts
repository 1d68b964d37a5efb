import type { z } from 'zod';
import { fullSyncStart } from '../../domain/starts/full-sync';
import { incrementalSyncStart } from '../../domain/starts/incremental-sync';
import type { AccountSyncAsk, CompanySyncAsk, CoverageOf } from '../../domain/contracts/start-request';
import type { WorkflowStartSpec } from '../../domain/starts/workflow-start';
import { localDate } from '../../domain/calendar';
import { metricsRangeProblem, resolveMetricsRange } from '../../domain/metrics-range';
import { ValidationError } from '../errors';
import type { AdAccountRow } from '../db/ad-account-repository';
import { loadStartNames } from '../db/company-repository';
import type { Config } from '../config';
import { configuredCompanySyncStart, configuredMetricsSyncStart } from '../temporal/workflow-starts';
import { requireConnected, resolveCompany } from './ad-accounts';
import { requireScope, Scope, type Actor } from './actor';
import { recordAudit } from './audit';
import { startCompanySyncInput, startSyncInput } from './schemas/syncs';
import type { ServiceContext } from './service-context';
import { requestSyncStart, type SyncStart } from './start-requests';
import { parseInput } from './validation';

/**
 * Starts a full, incremental or metrics sync of one ad account, or hands the request to the
 * running one of the same account (and grain), which takes on what it asks beyond its own work
 * (start-requests.ts): the answer says whether it attached and what the run covers. The workflow
 * gets ids only, never the token.
 */
export async function startSync(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<SyncStart<CoverageOf<AccountSyncAsk>>> {
  requireScope(actor, Scope.Sync);
  const input = parseInput(startSyncInput, raw);
  // The names are for the Temporal UI's summary, details and memo.
  const [account, names] = await Promise.all([requireConnected(ctx, actor, input.adAccountId), loadStartNames(ctx.db, { companyId: actor.companyId })]);
  const ref = { companyId: actor.companyId, adAccountId: input.adAccountId, accountName: account.name, companyName: names.companyName };
  let spec: WorkflowStartSpec<unknown>;
  let ask: AccountSyncAsk;
  switch (input.kind) {
    case 'full':
      spec = fullSyncStart(ref);
      ask = { kind: 'full' };
      break;
    case 'incremental':
      spec = incrementalSyncStart({ ...ref, overlapSeconds: input.overlapSeconds });
      ask = { kind: 'incremental', ...(input.overlapSeconds !== undefined ? { overlapSeconds: input.overlapSeconds } : {}) };
      break;
    case 'metrics': {
      const days = checkMetricsRange(ctx.config, account, input);
      // The summary shows the days only when they are the run's: its "today" is in the account's zone, known after its first read.
      spec = configuredMetricsSyncStart(ctx.config, { ...ref, grain: input.grain, from: input.from, to: input.to, ...(account.timezoneName ? { days } : {}) });
      ask = { kind: 'metrics', ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}) };
      break;
    }
  }
  const started = await requestSyncStart(ctx, spec, ask);
  await recordAudit(ctx, actor, {
    action: `sync.start.${input.kind}`,
    targetType: 'workflow',
    targetId: started.workflowId,
    details: { adAccountId: input.adAccountId, attached: started.attached },
    requestId: meta.requestId,
  });
  return started;
}

/**
 * The range the metrics sync will plan, with its missing bounds filled as the run fills them
 * (`to` = today in the account's time zone, `from` = `to − METRICS_LOOKBACK_DAYS + 1`), must fit
 * the grain's cap. The schema already refused what is too long in every time zone; this is the
 * exact check. An account whose zone is not known yet is checked against the latest today anywhere.
 * Answers the days checked, which the start's summary shows.
 */
function checkMetricsRange(config: Pick<Config, 'sync'>, account: AdAccountRow, input: { grain: 'daily' | 'hourly'; from?: string; to?: string }): { from: string; to: string } {
  const today = localDate(Date.now(), account.timezoneName ?? 'Etc/GMT-14');
  const range = resolveMetricsRange({ from: input.from, to: input.to, today, lookbackDays: config.sync.lookbackDays });
  const problem = metricsRangeProblem({ ...range, grain: input.grain, fromGiven: input.from !== undefined, toGiven: input.to !== undefined });
  if (problem) throw new ValidationError(`Invalid input: ${problem}`, { issues: [{ path: input.to === undefined ? 'from' : 'to', message: problem }] });
  return { from: range.from, to: range.to };
}

/**
 * Starts the company-wide sync over all its connected ad accounts, or hands the request to the
 * running one, which adds the kinds it does not run yet (to every account), the accounts
 * connected since it listed them, and a higher `maxParallel`: the answer says whether it
 * attached and which kinds and accounts the run covers.
 */
export async function startCompanySync(ctx: ServiceContext, actor: Actor, raw: unknown, meta: { requestId?: string } = {}): Promise<SyncStart<CoverageOf<CompanySyncAsk>>> {
  requireScope(actor, Scope.Sync);
  const input: z.infer<typeof startCompanySyncInput> = parseInput(startCompanySyncInput, raw);
  const companyId = resolveCompany(actor, input.companyId);
  const { companyName } = await loadStartNames(ctx.db, { companyId });
  const spec = configuredCompanySyncStart(ctx.config, { companyId, companyName, kinds: input.kinds, maxParallel: input.maxParallel });
  const ask: CompanySyncAsk = { kind: 'company', kinds: spec.args[0].kinds, ...(input.maxParallel !== undefined ? { maxParallel: input.maxParallel } : {}) };
  const started = await requestSyncStart(ctx, spec, ask);
  await recordAudit(ctx, actor, {
    action: 'sync.start.company',
    targetType: 'workflow',
    targetId: started.workflowId,
    details: { kinds: spec.args[0].kinds, attached: started.attached },
    requestId: meta.requestId,
  });
  return started;
}
