/**
 * MetaClient against the Graph API simulator, started in-process: paging, filtering, field
 * expansion, batch, async insights, writes and every error class the simulator can produce,
 * with faults set through `/__sim/faults`. No Postgres or Temporal needed.
 */
import util from 'node:util';
import Decimal from 'decimal.js';
import {
  MetaApiError,
  MetaAsyncJobFailedError,
  MetaAuthError,
  MetaInvalidRequestError,
  MetaObjectChangeLimitError,
  MetaThrottleError,
  MetaTransientError,
} from '../../src/errors';
import {
  AD_FIELDS,
  ADSET_FIELDS,
  CAMPAIGN_FIELDS,
  INSIGHTS_FIELDS,
  HOURLY_BREAKDOWN,
  HOURLY_INSIGHTS_FIELDS,
  MetaClient,
  effectiveStatusFilter,
  majorToMinor,
  parseAd,
  parseCampaign,
  parseInsightsRow,
  updatedSinceFilter,
  type MetaUsage,
  type UsageContext,
} from '../../src/meta';
import { startSimulator } from '../../src/simulator/simulator-server';
import { AdAccount } from 'facebook-nodejs-business-sdk';

/** The part of the SDK's Cursor (an Array subclass) the test uses. */
interface SdkCursor extends Array<{ id?: unknown }> {
  hasNext(): boolean;
  next(): Promise<SdkCursor>;
}

const TOKEN_A = 'fake-meta-token-alpha-do-not-leak-7f3c9e1b';
const TOKEN_B = 'fake-meta-token-bravo-do-not-leak-0d2a6c44';
const APP_SECRET = 'app-secret-contract-test';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
interface TruthObject { id: string; status?: string; effective_status?: string; updated_time: string }
interface TruthAccount {
  id: string;
  currency: string;
  today: string;
  historyStart: string;
  counts: Record<string, number>;
  objects: Record<'campaigns' | 'adsets' | 'ads' | 'creatives', TruthObject[]>;
}

let sim: Sim;
let account: TruthAccount;
let otherAccountId: string;
const usageSeen: Array<{ usage: MetaUsage; context: UsageContext }> = [];

function client(token = TOKEN_A, extra: Partial<ConstructorParameters<typeof MetaClient>[0]> = {}): MetaClient {
  return new MetaClient({
    graphUrl: sim.url,
    apiVersion: 'v24.0',
    accessToken: token,
    appSecret: APP_SECRET,
    usageThrottlePct: 90,
    onUsage: (usage, context) => usageSeen.push({ usage, context }),
    ...extra,
  });
}

async function simPost(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
const setFaults = (faults: Record<string, unknown>) => simPost('/__sim/faults', faults);

async function truth(adAccountId: string, query = ''): Promise<{ adAccounts: TruthAccount[]; rows?: Array<Record<string, unknown>> }> {
  const res = await fetch(`${sim.url}/__sim/truth?adAccountId=${adAccountId}${query}`);
  return (await res.json()) as { adAccounts: TruthAccount[] };
}

/** Runs `fn`, expects a MetaApiError, and checks the token appears nowhere in it. */
async function metaError(fn: () => Promise<unknown>): Promise<MetaApiError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MetaApiError);
  assertNoSecrets(caught);
  return caught as MetaApiError;
}

function assertNoSecrets(error: unknown): void {
  const e = error as Error & Record<string, unknown>;
  const views = [
    e.message,
    String(e.stack),
    JSON.stringify(e),
    util.inspect(e, { depth: 20, showHidden: true }),
    JSON.stringify(Object.fromEntries(Object.getOwnPropertyNames(e).map((k) => [k, e[k]]))),
    String(e.cause ?? ''),
  ];
  for (const view of views) {
    for (const secret of [TOKEN_A, TOKEN_B, APP_SECRET]) expect(view).not.toContain(secret);
    expect(view).not.toMatch(/access_token=(?!\[redacted\])/);
    expect(view).not.toMatch(/appsecret_proof=(?!\[redacted\])/);
  }
}

const HIDDEN = new Set(['ARCHIVED', 'DELETED']);

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: 'small', seed: 7, tokens: [TOKEN_A, TOKEN_B] });
  const cfg = (await (await fetch(`${sim.url}/__sim/config`)).json()) as { adAccounts: string[] };
  const [first, second] = cfg.adAccounts;
  account = (await truth(first as string)).adAccounts[0] as TruthAccount;
  otherAccountId = second as string;
});

afterEach(async () => {
  await setFaults({});
});

afterAll(async () => {
  await sim?.close();
});

describe('paging and filtering', () => {
  it('walks every page of ads, ARCHIVED/DELETED included via filtering, matching the truth', async () => {
    const meta = client();
    const ids: string[] = [];
    let pages = 0;
    for await (const page of meta.walkEdge({
      path: `${account.id}/ads`,
      fields: AD_FIELDS,
      limit: 7,
      params: { filtering: [effectiveStatusFilter('ad')] },
    })) {
      pages++;
      expect(page.data.length).toBeLessThanOrEqual(7);
      for (const raw of page.data) ids.push(parseAd(raw, { currency: account.currency }).id);
    }
    expect(account.counts.ads).toBeGreaterThan(14);
    expect(pages).toBe(Math.ceil(account.counts.ads / 7));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(account.objects.ads.map((a) => a.id).sort());
  });

  it('without a status filter Meta hides ARCHIVED and DELETED objects', async () => {
    const meta = client();
    const all = account.objects.campaigns;
    const visible = all.filter((c) => !HIDDEN.has(c.effective_status ?? c.status ?? ''));
    expect(visible.length).toBeLessThan(all.length); // the fixture has hidden campaigns to find
    const page = await meta.getEdgePage({ path: `${account.id}/campaigns`, fields: ['id', 'effective_status'], limit: 100 });
    expect(page.after).toBeUndefined();
    expect(page.data.map((c) => (c as { id: string }).id).sort()).toEqual(visible.map((c) => c.id).sort());

    const withHidden = await meta.getEdgePage({
      path: `${account.id}/campaigns`,
      fields: ['id', 'effective_status'],
      limit: 100,
      params: { filtering: [effectiveStatusFilter('campaign', ['ARCHIVED', 'DELETED'])] },
    });
    const hidden = all.filter((c) => HIDDEN.has(c.effective_status ?? ''));
    expect(withHidden.data.map((c) => (c as { id: string }).id).sort()).toEqual(hidden.map((c) => c.id).sort());
  });

  it('filters by updated_time GREATER_THAN for incremental syncs', async () => {
    const meta = client();
    const times = account.objects.adsets.map((s) => new Date(s.updated_time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).getTime()).sort((a, b) => a - b);
    const since = new Date(Math.floor((times[Math.floor(times.length / 2)] as number) / 1000) * 1000);
    const expected = account.objects.adsets.filter((s) => new Date(s.updated_time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).getTime() > since.getTime() + 999);
    const page = await meta.getEdgePage({
      path: `${account.id}/adsets`,
      fields: ADSET_FIELDS,
      limit: 500,
      params: { filtering: [effectiveStatusFilter('adset'), updatedSinceFilter('adset', since)] },
    });
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.length).toBeLessThan(account.objects.adsets.length);
    expect(page.data.map((s) => (s as { id: string }).id).sort()).toEqual(expected.map((s) => s.id).sort());
  });

  it('returns only the requested fields and expands creative{id,name}', async () => {
    const meta = client();
    const adId = (account.objects.ads[0] as TruthObject).id;
    const ad = await meta.getObject<Record<string, unknown>>(adId, ['id', 'name', 'creative{id,name}']);
    expect(Object.keys(ad).sort()).toEqual(['creative', 'id', 'name']);
    expect(ad.creative).toEqual({ id: expect.any(String), name: expect.any(String) });
  });

  it('reads many ids with ?ids= in chunks of 50', async () => {
    const meta = client();
    const ids = account.objects.ads.map((a) => a.id);
    expect(ids.length).toBeGreaterThan(50);
    const byId = await meta.getByIds<{ id: string; name: string }>(ids, ['id', 'name']);
    expect(Object.keys(byId).sort()).toEqual([...ids].sort());
  });

  it('halves the page size when Meta says the data is too large, and reports the size that worked', async () => {
    const meta = client();
    const cfg = (await (await fetch(`${sim.url}/__sim/config`)).json()) as { dataBudget: number; maxLimit: number };
    const fields = CAMPAIGN_FIELDS;
    const asked = cfg.maxLimit;
    expect(asked * fields.length).toBeGreaterThan(cfg.dataBudget);
    const page = await meta.getEdgePage({ path: `${account.id}/campaigns`, fields, limit: asked, params: { filtering: [effectiveStatusFilter('campaign')] } });
    expect(page.limit).toBeLessThan(asked);
    expect(page.limit * fields.length).toBeLessThanOrEqual(cfg.dataBudget);
    expect(page.data).toHaveLength(account.counts.campaigns);
    for (const raw of page.data) expect(parseCampaign(raw, { currency: account.currency }).adAccountId).toBe(account.id);
  });
});

describe('errors and usage', () => {
  it('reads usage headers on every success and surfaces them', async () => {
    usageSeen.length = 0;
    const meta = client();
    const page = await meta.getEdgePage({ path: `${account.id}/campaigns`, fields: ['id'], limit: 10 });
    expect(page.usage.adAccountUsage).toBeDefined();
    expect(page.usage.businessUseCase?.length).toBeGreaterThan(0);
    expect(usageSeen.at(-1)?.context).toMatchObject({ method: 'GET', path: `/${account.id}/campaigns`, adAccountId: account.id, ok: true, status: 200 });
    expect(meta.usageFor(account.id)).toBe(page.usage);
    expect(meta.shouldPause(account.id)).toBe(false);
    const strict = client(TOKEN_A, { usageThrottlePct: 0.0001 });
    await strict.getEdgePage({ path: `${account.id}/campaigns`, fields: ['id'], limit: 10 });
    expect(strict.shouldPause()).toBe(true);
  });

  it('throttled account → MetaThrottleError with Meta\'s regain estimate read from the error response headers', async () => {
    await setFaults({ throttleAccounts: { [account.id]: 600 } });
    usageSeen.length = 0;
    const meta = client();
    const error = await metaError(() => meta.getEdgePage({ path: `${account.id}/campaigns`, fields: ['id'], limit: 10 }));
    expect(error).toBeInstanceOf(MetaThrottleError);
    const failed = usageSeen.at(-1);
    expect(failed?.context.ok).toBe(false);
    expect(failed?.usage.regainAfterMs).toBeGreaterThan(0);
    expect((error as MetaThrottleError).retryAfterMs).toBe(failed?.usage.regainAfterMs);
    expect((error as MetaThrottleError).retryAfterMs).toBeGreaterThanOrEqual(9 * 60_000);
    expect((error as MetaThrottleError).retryAfterMs).toBeLessThanOrEqual(11 * 60_000);
    expect(error.meta.adAccountId).toBe(account.id);
    expect(meta.shouldPause(account.id)).toBe(true);
    // The other account is not throttled.
    await expect(meta.getEdgePage({ path: `${otherAccountId}/campaigns`, fields: ['id'], limit: 10 })).resolves.toBeDefined();
  });

  it('ad set budget changed too often → 613/1487632 MetaObjectChangeLimitError (that ad set waits, the account is not throttled)', async () => {
    const meta = client();
    const adset = (await meta.getEdgePage<{ id: string; daily_budget?: string }>({ path: `${account.id}/adsets`, fields: ['id', 'daily_budget'], limit: 50 })).data.find((s) => s.daily_budget && s.daily_budget !== '0');
    expect(adset).toBeDefined();
    let error: MetaApiError | undefined;
    for (let i = 1; i <= 6 && !error; i++) {
      try {
        await meta.updateObject((adset as { id: string }).id, { daily_budget: String(Number((adset as { daily_budget: string }).daily_budget) + i * 100) });
      } catch (e) {
        assertNoSecrets(e);
        error = e as MetaApiError;
      }
    }
    expect(error).toBeInstanceOf(MetaObjectChangeLimitError);
    expect(error?.meta).toMatchObject({ metaCode: 613, metaSubcode: 1487632 });
    expect((error as MetaObjectChangeLimitError).retryAfterMs).toBe(60 * 60_000);
    expect(meta.shouldPause(account.id)).toBe(false);
  });

  it('code 2 transient and bare HTTP 500 → MetaTransientError', async () => {
    const meta = client();
    await setFaults({ transientErrorRate: 1 });
    const transient = await metaError(() => meta.getObject(account.id, ['id']));
    expect(transient).toBeInstanceOf(MetaTransientError);
    expect(transient.meta.metaCode).toBe(2);
    await setFaults({ http500Rate: 1 });
    const http500 = await metaError(() => meta.getObject(account.id, ['id']));
    expect(http500).toBeInstanceOf(MetaTransientError);
    expect(http500.meta.httpStatus).toBe(500);
  });

  it('expired token → MetaAuthError naming the ad account', async () => {
    await setFaults({ expireTokens: true });
    const error = await metaError(() => client().getEdgePage({ path: `${account.id}/campaigns`, fields: ['id'], limit: 5 }));
    expect(error).toBeInstanceOf(MetaAuthError);
    expect(error.message).toContain(`${account.id} needs re-authorisation`);
    expect(error.meta.metaCode).toBe(190);
    expect(error.retryable).toBe(false);
  });

  it('token expiry in the middle of a walk stops it with MetaAuthError; another token keeps working', async () => {
    const metaA = client(TOKEN_A);
    const metaB = client(TOKEN_B);
    const seen: number[] = [];
    const error = await metaError(async () => {
      for await (const page of metaA.walkEdge({ path: `${account.id}/ads`, fields: ['id'], limit: 5 })) {
        seen.push(page.data.length);
        if (seen.length === 1) await setFaults({ expireTokens: [TOKEN_A] });
      }
    });
    expect(seen).toEqual([5]);
    expect(error).toBeInstanceOf(MetaAuthError);
    const pageB = await metaB.getEdgePage({ path: `${account.id}/ads`, fields: ['id'], limit: 5 });
    expect(pageB.data).toHaveLength(5);
  });

  it('unknown field, validation failure and unsupported version → MetaInvalidRequestError', async () => {
    const meta = client();
    const field = await metaError(() => meta.getObject(account.id, ['id', 'no_such_field']));
    expect(field).toBeInstanceOf(MetaInvalidRequestError);
    expect(field.meta.metaCode).toBe(100);

    const missing = await metaError(() => meta.createObject(`${account.id}/campaigns`, { name: 'No objective', status: 'PAUSED', special_ad_categories: [] }));
    expect(missing).toBeInstanceOf(MetaInvalidRequestError);
    expect(missing.meta.blameFields).toEqual(['objective']);
    expect(missing.meta.userTitle).toBe('Missing objective');
    expect(missing.message).toContain('Missing objective');

    const old = await metaError(() => new MetaClient({ graphUrl: sim.url, apiVersion: 'v12.0', accessToken: TOKEN_A, usageThrottlePct: 90 }).getObject(account.id, ['id']));
    expect(old).toBeInstanceOf(MetaInvalidRequestError);
    expect(old.meta.metaCode).toBe(2635);
  });

  it('network failure and timeout → MetaTransientError', async () => {
    const down = new MetaClient({ graphUrl: 'http://127.0.0.1:1', apiVersion: 'v24.0', accessToken: TOKEN_A, usageThrottlePct: 90 });
    const refused = await metaError(() => down.getObject(account.id, ['id']));
    expect(refused).toBeInstanceOf(MetaTransientError);
    expect(refused.message).toMatch(/could not be reached/);

    await setFaults({ latencyMs: 500 });
    const slow = client(TOKEN_A, { timeoutMs: 100 });
    const timeout = await metaError(() => slow.getObject(account.id, ['id']));
    expect(timeout).toBeInstanceOf(MetaTransientError);
    expect(timeout.message).toMatch(/did not answer in time/);
  });

  it('the client itself does not reveal the token when logged', () => {
    const meta = client();
    for (const view of [util.inspect(meta, { depth: 10 }), JSON.stringify(meta), util.inspect(meta.api, { depth: 10 }), JSON.stringify(meta.api)]) {
      expect(view).not.toContain(TOKEN_A);
    }
  });
});

describe('SDK object classes on the same transport', () => {
  it('AdAccount.get and a Cursor over campaigns go to the simulator through client.api', async () => {
    const meta = client();
    const sdkAccount = await new AdAccount(account.id, {}, undefined, meta.api).get(['name', 'currency']);
    expect(sdkAccount._data).toMatchObject({ id: account.id, currency: account.currency });
    const cursor = (await new AdAccount(account.id, {}, undefined, meta.api).getCampaigns(['id'], { limit: 2, filtering: [effectiveStatusFilter('campaign')] })) as unknown as SdkCursor;
    const ids: string[] = cursor.map((c) => String(c.id));
    while (cursor.hasNext()) {
      const next = await cursor.next();
      ids.push(...next.map((c) => String(c.id)));
    }
    expect(ids.sort()).toEqual(account.objects.campaigns.map((c) => c.id).sort());
  });
});

describe('batch', () => {
  it('maps mixed per-item results back in request order', async () => {
    const meta = client();
    const ads = account.objects.ads.slice(0, 60);
    const requests = [
      ...ads.map((a) => ({ method: 'GET' as const, path: a.id, params: { fields: 'id,name' } })),
      { method: 'GET' as const, path: '999999999999', params: { fields: 'id' } },
      { method: 'GET' as const, path: ads[0]?.id as string, params: { fields: 'id,no_such_field' } },
    ];
    const results = await meta.batch<{ id: string }>(requests);
    expect(results).toHaveLength(requests.length);
    ads.forEach((a, i) => {
      const r = results[i];
      expect(r?.ok).toBe(true);
      if (r?.ok) expect(r.body.id).toBe(a.id);
    });
    const missing = results[ads.length];
    const badField = results[ads.length + 1];
    expect(missing?.ok).toBe(false);
    expect(badField?.ok).toBe(false);
    if (missing && !missing.ok) {
      expect(missing.error).toBeInstanceOf(MetaInvalidRequestError);
      assertNoSecrets(missing.error);
    }
    if (badField && !badField.ok) expect(badField.error.meta.metaCode).toBe(100);
  });

  it('re-sends null items until they are answered', async () => {
    await setFaults({ batchNullRate: 0.5 });
    const meta = client();
    const ads = account.objects.ads.slice(0, 40);
    const results = await meta.batch<{ id: string }>(ads.map((a) => ({ method: 'GET', path: a.id, params: { fields: 'id' } })), { maxAttempts: 20 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => (r.ok ? r.body.id : ''))).toEqual(ads.map((a) => a.id));
  });

  it('reports items that stay null as MetaTransientError', async () => {
    await setFaults({ batchNullRate: 1 });
    const results = await client().batch([{ method: 'GET', path: account.id, params: { fields: 'id' } }], { maxAttempts: 2 });
    expect(results[0]?.ok).toBe(false);
    if (results[0] && !results[0].ok) expect(results[0].error).toBeInstanceOf(MetaTransientError);
  });
});

describe('writes', () => {
  it('creates, updates, archives and deletes a campaign with JSON-valued and minor-unit params', async () => {
    const meta = client();
    const created = await meta.createObject(`${account.id}/campaigns`, {
      name: 'Contract test',
      objective: 'OUTCOME_TRAFFIC',
      status: 'PAUSED',
      special_ad_categories: [],
      daily_budget: majorToMinor(new Decimal('12.34'), account.currency),
    });
    expect(created.id).toMatch(/^\d+$/);
    const read = parseCampaign(await meta.getObject(created.id, CAMPAIGN_FIELDS), { currency: account.currency });
    expect(read).toMatchObject({ name: 'Contract test', status: 'PAUSED', adAccountId: account.id });
    expect(read.dailyBudget?.toString()).toBe('12.34');

    await expect(meta.updateObject(created.id, { status: 'ARCHIVED' })).resolves.toMatchObject({ success: true });
    const visible = await meta.getEdgePage<{ id: string }>({ path: `${account.id}/campaigns`, fields: ['id'], limit: 500 });
    expect(visible.data.map((c) => c.id)).not.toContain(created.id);

    await expect(meta.deleteObject(created.id)).resolves.toMatchObject({ success: true });
    const after = await meta.getObject<{ status: string }>(created.id, ['status']);
    expect(after.status).toBe('DELETED');
  });
});

describe('insights', () => {
  function lastDays(n: number): { since: string; until: string } {
    const until = new Date(`${account.today}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() - 1);
    const since = new Date(until);
    since.setUTCDate(since.getUTCDate() - (n - 1));
    return { since: since.toISOString().slice(0, 10), until: until.toISOString().slice(0, 10) };
  }

  it('sync daily account insights match the simulator truth', async () => {
    const meta = client();
    const timeRange = lastDays(3);
    const rows = [];
    let after: string | undefined;
    do {
      const page = await meta.getInsightsPage({
        objectId: account.id, level: 'account', fields: INSIGHTS_FIELDS, timeRange, timeIncrement: 1,
        actionAttributionWindows: ['7d_click', '1d_view'], filtering: [effectiveStatusFilter('ad')], limit: 100, after,
      });
      rows.push(...page.data.map((r) => parseInsightsRow(r, { level: 'account' })));
      after = page.after;
    } while (after);
    const expected = (await truth(account.id, '&level=account&grain=daily')).rows ?? [];
    const inRange = expected.filter((r) => String(r.date) >= timeRange.since && String(r.date) <= timeRange.until);
    expect(rows.length).toBe(inRange.length);
    for (const row of rows) {
      const t = inRange.find((r) => r.date === row.dateStart);
      expect(row.spend.toString()).toBe(new Decimal(String(t?.spend)).toString());
      expect(row.impressions).toBe(BigInt(Number(t?.impressions)));
      expect(row.entityId).toBe(account.id);
    }
  });

  it('hourly rows carry the account-local hour', async () => {
    const meta = client();
    const day = lastDays(1);
    const page = await meta.getInsightsPage({
      objectId: account.id, level: 'campaign', fields: HOURLY_INSIGHTS_FIELDS, timeRange: day, timeIncrement: 1,
      breakdowns: [HOURLY_BREAKDOWN], limit: 500,
    });
    expect(page.data.length).toBeGreaterThan(0);
    const rows = page.data.map((r) => parseInsightsRow(r, { level: 'campaign', breakdowns: [HOURLY_BREAKDOWN] }));
    for (const row of rows) {
      expect(row.localHour).toBeGreaterThanOrEqual(0);
      expect(row.localHour).toBeLessThanOrEqual(23);
    }
  });

  const query = () => ({
    objectId: account.id, level: 'ad' as const, fields: INSIGHTS_FIELDS, timeRange: lastDays(2), timeIncrement: 1 as const,
    filtering: [effectiveStatusFilter('ad')],
  });

  it('async report: start, poll to completion, read its rows', async () => {
    const meta = client();
    const runId = await meta.startInsightsReport(query());
    let run = await meta.getReportRun(runId);
    for (let polls = 0; !run.done && polls < 30; polls++) run = await meta.getReportRun(runId);
    expect(run.status).toBe('Job Completed');
    expect(run.percent).toBe(100);
    expect(meta.reportRunError(run)).toBeUndefined();
    const rows = [];
    let after: string | undefined;
    do {
      const page = await meta.getReportRunPage(runId, { limit: 25, after });
      rows.push(...page.data.map((r) => parseInsightsRow(r, { level: 'ad' })));
      after = page.after;
    } while (after);
    const sync = await meta.getInsightsPage({ ...query(), limit: 1000 });
    expect(rows.length).toBe(sync.data.length);
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each([
    ['asyncJobFailureRate', 'Job Failed'],
    ['asyncJobSkipRate', 'Job Skipped'],
  ])('async report with %s ends as "%s" and maps to MetaAsyncJobFailedError', async (fault, status) => {
    await setFaults({ [fault]: 1 });
    const meta = client();
    const runId = await meta.startInsightsReport(query());
    let run = await meta.getReportRun(runId);
    for (let polls = 0; !run.done && polls < 30; polls++) run = await meta.getReportRun(runId);
    expect(run.status).toBe(status);
    const error = meta.reportRunError(run, account.id);
    expect(error).toBeInstanceOf(MetaAsyncJobFailedError);
    expect(error?.asyncStatus).toBe(status);
    expect(error?.retryable).toBe(true);
    assertNoSecrets(error);
  });
});
