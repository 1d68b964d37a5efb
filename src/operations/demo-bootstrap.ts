import fs from 'node:fs';
import path from 'node:path';
import { issueApiToken } from './api-tokens';
import { connectAdAccount } from './ad-accounts';
import { COMPANY_SCOPES, type Actor } from './actor';
import type { ServiceContext } from './service-context';

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

export interface DemoBootstrapResult {
  companyId: string;
  /** The demo admin token: print it once; it is also in {@link tokenFile} (mode 600). */
  token: string;
  tokenFile: string;
  connectedAdAccountIds: string[];
  failedAdAccountIds: string[];
  /** The demo admin token as an actor, for what start-up does on the demo's behalf. */
  actor: Actor;
}

/**
 * Demo mode start-up: the demo company (idempotent), a fresh admin token (only hashes are stored,
 * so a new one each start; the previous demo tokens are revoked) written to
 * `<DATA_DIR>/demo-admin-token` with mode 600, and the simulator's ad accounts connected through
 * the same connect operation the API uses (validation, encryption, schedules).
 */
export async function bootstrapDemo(ctx: ServiceContext, options: DemoBootstrapOptions): Promise<DemoBootstrapResult> {
  await ctx.db.company.upsert({ where: { id: DEMO_COMPANY_ID }, create: { id: DEMO_COMPANY_ID, name: 'Demo company' }, update: {} });
  await ctx.db.apiToken.updateMany({ where: { companyId: DEMO_COMPANY_ID, name: DEMO_TOKEN_NAME, revokedAt: null }, data: { revokedAt: new Date() } });
  const created = await issueApiToken(ctx.db, { companyId: DEMO_COMPANY_ID, name: DEMO_TOKEN_NAME, scopes: COMPANY_SCOPES });

  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  const tokenFile = path.join(ctx.config.dataDir, DEMO_TOKEN_FILE);
  // Replace rather than rewrite in place, so the file never exists with looser permissions.
  fs.rmSync(tokenFile, { force: true });
  fs.writeFileSync(tokenFile, `${created.token}\n`, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(tokenFile, 0o600);

  const actor: Actor = { tokenId: created.id, companyId: DEMO_COMPANY_ID, scopes: COMPANY_SCOPES };
  const ids = await simulatorAdAccountIds(options.simulatorUrl);
  const connectedAdAccountIds: string[] = [];
  const failedAdAccountIds: string[] = [];
  for (const adAccountId of ids) {
    try {
      await connectAdAccount(ctx, actor, { adAccountId, accessToken: options.simulatorToken });
      connectedAdAccountIds.push(adAccountId);
    } catch {
      failedAdAccountIds.push(adAccountId);
    }
  }
  return { companyId: DEMO_COMPANY_ID, token: created.token, tokenFile, connectedAdAccountIds, failedAdAccountIds, actor };
}

async function simulatorAdAccountIds(simulatorUrl: string): Promise<string[]> {
  const response = await fetch(`${simulatorUrl.replace(/\/+$/, '')}/__sim/truth`);
  if (!response.ok) throw new Error(`the simulator's /__sim/truth answered ${response.status}`);
  const truth = (await response.json()) as { adAccounts?: Array<{ id?: unknown }> };
  return (truth.adAccounts ?? [])
    .map((account) => (typeof account.id === 'string' ? (account.id.startsWith('act_') ? account.id : `act_${account.id}`) : null))
    .filter((id): id is string => id !== null);
}
