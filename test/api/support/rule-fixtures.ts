/**
 * For the rule front tests (HTTP and MCP): an ad account connected and synced through the API
 * itself (full sync, daily metrics over the simulator's whole history, hourly metrics of today
 * and yesterday), rule specs in Meta's shapes, and what "nothing changed" is measured with: every
 * table hashed, and the simulator's write log.
 */
import { bearer, SIM_TOKEN, type Harness, type Tokens } from './harness';

/** Polls until `done`, or fails naming what it waited for. */
export async function waitFor<T>(what: string, load: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await load();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for a workflow to close, through the API, and answers its status body. */
export async function workflowClosed(h: Harness, token: string, workflowId: string): Promise<{ status: string; [key: string]: unknown }> {
  return waitFor(
    `workflow ${workflowId}`,
    async () => (await h.inject({ url: `/v1/workflows/${encodeURIComponent(workflowId)}`, headers: bearer(token) })).json(),
    (body) => typeof body.status === 'string' && body.status !== 'RUNNING',
  );
}

/** Connects the account with `tokens` and syncs it over HTTP: objects, daily and hourly metrics. */
export async function connectAndSync(h: Harness, tokens: Tokens, adAccountId: string): Promise<void> {
  const connected = await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(tokens.write), payload: { adAccountId, accessToken: SIM_TOKEN } });
  if (connected.statusCode !== 201) throw new Error(`connect ${adAccountId}: ${connected.statusCode} ${connected.body}`);
  const truth = (await (await fetch(`${h.simulator.url}/__sim/truth?adAccountId=${adAccountId}`)).json()) as { adAccounts: Array<{ historyStart: string; today: string }> };
  const { historyStart, today } = truth.adAccounts[0]!;
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  for (const body of [{ kind: 'full' }, { kind: 'metrics', grain: 'daily', from: historyStart, to: today }, { kind: 'metrics', grain: 'hourly', from: yesterday, to: today }]) {
    const started = await h.inject({ method: 'POST', url: `/v1/ad-accounts/${adAccountId}/syncs`, headers: bearer(tokens.sync), payload: body });
    if (started.statusCode !== 202) throw new Error(`sync ${JSON.stringify(body)}: ${started.statusCode} ${started.body}`);
    const closed = await workflowClosed(h, tokens.read, started.json().workflowId);
    if (closed.status !== 'COMPLETED') throw new Error(`sync ${JSON.stringify(body)} ended ${JSON.stringify(closed)}`);
  }
}

export const AD = { field: 'entity_type', operator: 'EQUAL', value: 'AD' } as const;
export const ADSET = { field: 'entity_type', operator: 'EQUAL', value: 'ADSET' } as const;
export const LAST_7D = { field: 'time_preset', operator: 'EQUAL', value: 'LAST_7D' } as const;

/** A rule body of POST /v1/rules (and create_rule): filters ANDed, an execution, a schedule. */
export function ruleBody(adAccountId: string, name: string, filters: unknown[], execution: unknown, schedule: unknown = { schedule_type: 'HOURLY' }) {
  return { adAccountId, name, evaluation_spec: { evaluation_type: 'SCHEDULE', filters }, execution_spec: execution, schedule_spec: schedule };
}

/** +20% a day on ad sets with impressions, up to 100,000.00: a rule that raises spend. */
export function budgetRaiseBody(adAccountId: string) {
  return ruleBody(
    adAccountId,
    'Scale ad sets with delivery',
    [ADSET, LAST_7D, { field: 'impressions', operator: 'GREATER_THAN', value: 0 }],
    { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 20, unit: 'PERCENTAGE', limit: 10_000_000 } }, { field: 'action_frequency', operator: 'EQUAL', value: 1440 }] },
    { schedule_type: 'DAILY' },
  );
}

/** Every table's rows, hashed, except `except` (an API token's last-use time moves with every request). */
export async function databaseSnapshot(h: Harness, except: string[] = []): Promise<Record<string, string>> {
  const tables = await h.database.db.$queryRawUnsafe<Array<{ tablename: string }>>(
    "SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename",
  );
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    if (except.includes(tablename)) continue;
    const [row] = await h.database.db.$queryRawUnsafe<Array<{ digest: string; n: number }>>(
      `SELECT md5(coalesce(string_agg(j, '|' ORDER BY j), '')) AS digest, count(*)::int AS n FROM (SELECT (to_jsonb(t) - 'last_used_at' - 'lastUsedAt')::text AS j FROM "${tablename}" t) s`,
    );
    out[tablename] = `${row!.n}:${row!.digest}`;
  }
  return out;
}

/** Writes the simulator has accepted so far (every Graph POST that changed an object). */
export async function simulatorWrites(h: Harness): Promise<number> {
  return ((await (await fetch(`${h.simulator.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
}

/** Counts of the rule history tables, by rule and mode, and the rule's audit events. */
export async function ruleRecords(h: Harness, ruleId: string): Promise<{ executions: Record<string, number>; matches: number; audits: string[] }> {
  const db = h.database.db;
  const executions = await db.adRuleExecution.groupBy({ by: ['mode'], where: { ruleId }, _count: { _all: true } });
  const matches = await db.adRuleMatch.count({ where: { ruleId } });
  const audits = await db.auditEvent.findMany({ where: { targetId: ruleId }, orderBy: { id: 'asc' }, select: { action: true } });
  return { executions: Object.fromEntries(executions.map((e) => [e.mode, e._count._all])), matches, audits: audits.map((a) => a.action) };
}

/** What a rule over the account can see: ads by effective status, and ad-level daily rows per date of the last days. */
export async function accountFacts(h: Harness, adAccountId: string): Promise<unknown> {
  const db = h.database.db;
  const ads = await db.ad.groupBy({ by: ['effectiveStatus'], where: { adAccountId }, _count: { _all: true } });
  const days = await db.$queryRawUnsafe<Array<{ date: string; rows: number; impressions: string }>>(
    `SELECT date::text AS date, count(*)::int AS rows, sum(impressions)::text AS impressions FROM metrics_daily WHERE ad_account_id = $1 AND level = 'ad' GROUP BY date ORDER BY date DESC LIMIT 9`,
    adAccountId,
  );
  const account = await db.adAccount.findUnique({ where: { id: adAccountId }, select: { timezoneName: true } });
  return { now: new Date().toISOString(), timeZone: account?.timezoneName, ads: ads.map((a) => [a.effectiveStatus, a._count._all]), days };
}
