import fs from 'node:fs';
import path from 'node:path';
import { authenticateToken, issueApiToken } from '../operations/api-tokens';
import { connectAdAccount } from '../operations/ad-accounts';
import { COMPANY_SCOPES, type Actor } from '../operations/actor';
import type { ServiceContext } from '../operations/service-context';
import { getWorkflowStatus } from '../operations/workflows';
import { NotFoundError } from '../errors';
import { workflowIds } from '../../domain/workflow-ids';

/** The demo company's fixed id, so restarts find the same tenant. */
export const DEMO_COMPANY_ID = '00000000-0000-4000-8000-00000000d3e0';
export const DEMO_TOKEN_NAME = 'demo-admin';
export const DEMO_TOKEN_FILE = 'demo-admin-token';

export interface DemoBootstrapOptions {
  /** Base URL of the Graph simulator (its `/__sim/truth` lists the ad accounts). */
  simulatorUrl: string;
  /** An access token the simulator accepts. */
  simulatorToken: string;
}

/** Which first syncs a demo account still needs: none once each has completed (its schedules keep it current). */
export interface DemoAccountDue {
  adAccountId: string;
  full: boolean;
  metricsDaily: boolean;
  metricsHourly: boolean;
}

export interface DemoBootstrapResult {
  companyId: string;
  /** The demo admin token; {@link tokenIssued} says whether it is new (print it) or kept from an earlier start. */
  token: string;
  tokenIssued: boolean;
  /** Where the token is kept (mode 600); deleting the file (or revoking the token) rotates it at the next start. */
  tokenFile: string;
  /** Every demo ad account connected to the demo company (newly or at an earlier start). */
  connectedAdAccountIds: string[];
  failedAdAccountIds: string[];
  /** Accounts whose first syncs have not finished: the only syncs a restart starts. */
  due: DemoAccountDue[];
  /** The demo admin token as an actor, for what start-up does on the demo's behalf. */
  actor: Actor;
}

/**
 * Demo mode start-up, idempotent across restarts of the same DATA_DIR: the demo company; its
 * admin token, kept in `<DATA_DIR>/demo-admin-token` (mode 600) and reused while it is valid, so
 * MCP clients configured with it keep working (a new one, revoking the old, only when the file is
 * gone or its token was revoked); the simulator's ad accounts connected once through the same
 * connect operation the API uses; and which accounts still need their first syncs.
 */
export async function bootstrapDemo(ctx: ServiceContext, options: DemoBootstrapOptions): Promise<DemoBootstrapResult> {
  await ctx.db.company.upsert({ where: { id: DEMO_COMPANY_ID }, create: { id: DEMO_COMPANY_ID, name: 'Demo company' }, update: {} });
  const tokenFile = path.join(ctx.config.dataDir, DEMO_TOKEN_FILE);
  const kept = await keptToken(ctx, tokenFile);
  const { token, actor } = kept ?? (await issueDemoToken(ctx, tokenFile));

  const ids = await simulatorAdAccountIds(options.simulatorUrl);
  const existing = await ctx.db.adAccount.findMany({ where: { id: { in: ids } }, select: { id: true, companyId: true, disconnectedAt: true, lastFullSyncAt: true, lastMetricsSyncAt: true } });
  const byId = new Map(existing.map((row) => [row.id, row]));
  const connectedAdAccountIds: string[] = [];
  const failedAdAccountIds: string[] = [];
  for (const adAccountId of ids) {
    const row = byId.get(adAccountId);
    // Connected at an earlier start, or disconnected on purpose since: leave it as it is.
    if (row?.companyId === DEMO_COMPANY_ID) {
      if (!row.disconnectedAt) connectedAdAccountIds.push(adAccountId);
      continue;
    }
    try {
      await connectAdAccount(ctx, actor, { adAccountId, accessToken: options.simulatorToken });
      connectedAdAccountIds.push(adAccountId);
    } catch {
      failedAdAccountIds.push(adAccountId);
    }
  }
  const due: DemoAccountDue[] = [];
  for (const adAccountId of connectedAdAccountIds) {
    const row = byId.get(adAccountId);
    const account: DemoAccountDue = {
      adAccountId,
      full: await isDue(ctx, actor, workflowIds.fullSync(adAccountId), row?.lastFullSyncAt),
      metricsDaily: await isDue(ctx, actor, workflowIds.metricsSync(adAccountId, 'daily'), row?.lastMetricsSyncAt),
      metricsHourly: await isDue(ctx, actor, workflowIds.metricsSync(adAccountId, 'hourly'), row?.lastMetricsSyncAt),
    };
    if (account.full || account.metricsDaily || account.metricsHourly) due.push(account);
  }
  return { companyId: DEMO_COMPANY_ID, token, tokenIssued: !kept, tokenFile, connectedAdAccountIds, failedAdAccountIds, due, actor };
}

/**
 * A first sync is due when it never finished (the database has no time for it) or when its last
 * run ended without completing (a failed first metrics sync must not hide behind the other grain's
 * time). A running one is not due: it resumes by itself.
 */
async function isDue(ctx: ServiceContext, actor: Actor, workflowId: string, finishedAt: Date | null | undefined): Promise<boolean> {
  const latest = await getWorkflowStatus(ctx, actor, { workflowId }).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined; // never started, or past Temporal's retention
    throw error;
  });
  if (latest?.status === 'RUNNING') return false;
  if (latest) return latest.status !== 'COMPLETED';
  return !finishedAt;
}

/** The token in the file, when it is still a valid demo admin token (only hashes are stored, so the file is the only copy). */
async function keptToken(ctx: ServiceContext, tokenFile: string): Promise<{ token: string; actor: Actor } | undefined> {
  let token: string;
  try {
    token = fs.readFileSync(tokenFile, 'utf8').trim();
  } catch {
    return undefined;
  }
  try {
    const actor = await authenticateToken(ctx, token);
    return actor.companyId === DEMO_COMPANY_ID ? { token, actor } : undefined;
  } catch {
    return undefined; // revoked, expired, or not a token: issue a new one
  }
}

async function issueDemoToken(ctx: ServiceContext, tokenFile: string): Promise<{ token: string; actor: Actor }> {
  await ctx.db.apiToken.updateMany({ where: { companyId: DEMO_COMPANY_ID, name: DEMO_TOKEN_NAME, revokedAt: null }, data: { revokedAt: new Date() } });
  const created = await issueApiToken(ctx.db, { companyId: DEMO_COMPANY_ID, name: DEMO_TOKEN_NAME, scopes: COMPANY_SCOPES });
  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  // Replace rather than rewrite in place, so the file never exists with looser permissions.
  fs.rmSync(tokenFile, { force: true });
  fs.writeFileSync(tokenFile, `${created.token}\n`, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(tokenFile, 0o600);
  return { token: created.token, actor: { tokenId: created.id, companyId: DEMO_COMPANY_ID, scopes: COMPANY_SCOPES } };
}

async function simulatorAdAccountIds(simulatorUrl: string): Promise<string[]> {
  const response = await fetch(`${simulatorUrl.replace(/\/+$/, '')}/__sim/truth`);
  if (!response.ok) throw new Error(`the simulator's /__sim/truth answered ${response.status}`);
  const truth = (await response.json()) as { adAccounts?: Array<{ id?: unknown }> };
  return (truth.adAccounts ?? [])
    .map((account) => (typeof account.id === 'string' ? (account.id.startsWith('act_') ? account.id : `act_${account.id}`) : null))
    .filter((id): id is string => id !== null);
}
