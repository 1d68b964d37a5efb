import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/api/app';
import { toolSpecs } from '../../src/mcp/tools';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness, connectAndFullSync } from '../api/support/harness';

/**
 * The change-set MCP tools end to end: the real app over Streamable HTTP, the real worker and
 * workflows, PostgreSQL and the simulator as Meta. What an agent sees: previews that send
 * nothing, refusals that name what is wrong and change nothing, confirms that reach one run,
 * and Meta and the copy agreeing afterwards.
 */
let h: Harness;
let account: string;
let writer: Client;
let reader: Client;
/** The same app with CHANGE_SET_PREVIEW_TTL of 1.5 s, for the set nobody confirms in time. */
let shortLived: { app: FastifyInstance; url: string };

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'change-set-tools', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: bearer(token) } }));
  return client;
}

beforeAll(async () => {
  h = await createHarness({ seed: 13 }); // a fixed seed: the tests need an ACTIVE ad set with its own daily budget and a PAUSED ad, which about one seed in eight lacks
  account = h.simulatorAccounts[0]!;
  await connectAndFullSync(h, account);
  writer = await connect(h.url, h.a.write);
  reader = await connect(h.url, h.a.read);
  const ctx = { ...h.ctx, config: { ...h.ctx.config, changeSets: { ...h.ctx.config.changeSets, previewTtlMs: 1_500 } } };
  const app = await buildApp({ ctx, logger: pino({ level: 'silent' }) });
  shortLived = { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
});
afterAll(async () => {
  await writer?.close();
  await reader?.close();
  await shortLived?.app.close();
  await h?.close();
});

const specs = () => new Map(toolSpecs(h.ctx, { tokenId: 't', companyId: COMPANY_A, scopes: ['admin'] }).map((spec) => [spec.name, spec]));

/** A tool call that must succeed; its structuredContent satisfies the tool's outputSchema. */
async function ok(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${(result.content[0] as { text: string }).text}`);
  expect(specs().get(name)!.output.safeParse(result.structuredContent).success).toBe(true);
  return result.structuredContent;
}

/** A tool call that must fail: its `{code, message, details}`. */
async function refused(client: Client, name: string, args: Record<string, unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  return JSON.parse((result.content[0] as { text: string }).text).error;
}

async function writesTotal(): Promise<number> {
  return ((await (await fetch(`${h.simulator.url}/__sim/writes?summary=true`)).json()) as { total: number }).total;
}

async function truthObjects(): Promise<{ campaigns: any[]; adsets: any[]; ads: any[]; creatives: any[] }> {
  const truth = (await (await fetch(`${h.simulator.url}/__sim/truth?adAccountId=${account}`)).json()) as { adAccounts: Array<{ objects: any }> };
  return truth.adAccounts[0]!.objects;
}

/** Follows a change set until its workflow is done (a deadline, not a timed assertion). */
async function finished(changeSetId: string): Promise<any> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const view = await ok(reader, 'get_change_set', { changeSetId });
    if (!['previewed', 'applying', 'confirmed'].includes(view.status) || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function activeAds(take: number) {
  return h.database.db.ad.findMany({ where: { adAccountId: account, status: 'ACTIVE', effectiveStatus: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' }, take });
}

test('annotations tell the truth about every change-set tool', async () => {
  const { tools } = await reader.listTools();
  const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
  for (const name of ['get_change_set', 'list_change_sets']) expect(hints[name]).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  for (const name of ['preview_changes', 'confirm_changes', 'cancel_changes', 'create_campaign', 'create_ad_set', 'create_ad', 'update_campaign', 'update_ad_set', 'update_ad', 'pause_objects', 'resume_objects', 'archive_objects', 'bulk_update_budgets']) {
    expect(hints[name]).toMatchObject({ readOnlyHint: false });
  }
  // Archive and anything that may raise spend or turn delivery on is destructive; a pause is not.
  for (const name of ['archive_objects', 'resume_objects', 'bulk_update_budgets', 'update_ad_set', 'confirm_changes']) expect(hints[name]).toMatchObject({ destructiveHint: true });
  expect(hints.pause_objects).toMatchObject({ destructiveHint: false, idempotentHint: true });
  expect(hints.preview_changes).toMatchObject({ destructiveHint: false });
  expect(hints.confirm_changes).toMatchObject({ idempotentHint: true });
  expect(hints.bulk_update_budgets).toMatchObject({ idempotentHint: false }); // +10 % twice is +21 %
});

test('a preview sends nothing to Meta; resume needs a confirm and says how, not an error', async () => {
  const [ad] = await activeAds(1);
  const before = await writesTotal();
  const preview = await ok(writer, 'pause_objects', { adAccountId: account, level: 'ad', ids: [ad!.id] });
  expect(preview).toMatchObject({ status: 'previewed', itemCount: 1, requiresConfirmation: false, confirmation: { state: 'not_requested' } });
  expect(preview.items[0].changes.status).toEqual({ before: 'ACTIVE', after: 'PAUSED' });
  expect(preview.confirmation.message).toContain(preview.planHash);
  const paused = await h.database.db.ad.findFirstOrThrow({ where: { adAccountId: account, status: 'PAUSED', deletedAt: null } });
  const resume = await ok(writer, 'resume_objects', { adAccountId: account, level: 'ad', ids: [paused.id] });
  expect(resume).toMatchObject({ requiresConfirmation: true, confirmation: { state: 'not_requested' }, totals: { objectsTurnedOn: 1 } });
  expect(resume.confirmation.message).toMatch(/confirm_changes/);
  // Even asked to confirm in one call, turning delivery on waits for the separate confirm.
  const oneCall = await ok(writer, 'update_ad', { adAccountId: account, id: paused.id, set: { status: 'ACTIVE' }, confirm: true });
  expect(oneCall.confirmation).toMatchObject({ state: 'required', message: expect.stringContaining(oneCall.planHash) });
  expect(await writesTotal()).toBe(before);
  expect(await h.database.db.ad.findUniqueOrThrow({ where: { id: ad!.id } })).toMatchObject({ status: 'ACTIVE' });
  for (const set of [preview, resume, oneCall]) await ok(writer, 'cancel_changes', { changeSetId: set.changeSetId });
});

test('wrong hash, read-only token, cap violation and an expired plan are refused with clear errors and change nothing', async () => {
  const db = h.database.db;
  const adset = await db.adSet.findFirstOrThrow({ where: { adAccountId: account, status: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' } });
  const before = await writesTotal();
  const raise = await ok(writer, 'bulk_update_budgets', { adAccountId: account, level: 'adset', ids: [adset.id], dailyBudget: { percent: 10 } });
  expect(raise).toMatchObject({ requiresConfirmation: true, violationCount: 0 });

  const wrong = await refused(writer, 'confirm_changes', { changeSetId: raise.changeSetId, planHash: 'f'.repeat(64) });
  expect(wrong).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/plan hash does not match/), details: { reason: 'plan_hash_mismatch' } });
  const readOnly = await refused(reader, 'confirm_changes', { changeSetId: raise.changeSetId, planHash: raise.planHash });
  expect(readOnly).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('write') });
  expect((await refused(reader, 'preview_changes', { adAccountId: account, items: [{ id: adset.id, level: 'adset', set: { status: 'PAUSED' } }] })).code).toBe('FORBIDDEN');
  expect(await ok(reader, 'get_change_set', { changeSetId: raise.changeSetId })).toMatchObject({ status: 'previewed', confirmedAt: null, counts: { planned: 1 } });

  // A cap (set through the admin-only limits route) blocks the preview; a blocked set is never confirmable.
  expect((await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.write), payload: { maxBudgetIncreasePct: 5 } })).statusCode).toBe(403);
  expect((await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.admin), payload: { maxBudgetIncreasePct: 5 } })).json()).toMatchObject({ maxBudgetIncreasePct: '5' });
  const capped = await ok(writer, 'update_ad_set', { adAccountId: account, id: adset.id, set: { dailyBudget: { percent: 10 } }, confirm: true });
  expect(capped).toMatchObject({ status: 'blocked', violations: [{ code: 'INCREASE_TOO_LARGE', objectId: adset.id }], confirmation: { state: 'blocked' }, workflowId: null });
  expect((await refused(writer, 'confirm_changes', { changeSetId: capped.changeSetId, planHash: capped.planHash })).message).toMatch(/violation/);
  expect((await h.inject({ method: 'PUT', url: `/v1/ad-accounts/${account}/limits`, headers: bearer(h.a.admin), payload: { maxBudgetIncreasePct: null } })).statusCode).toBe(200);

  // Nobody confirms in time: the plan expires on its durable timer and the confirm says so.
  const shortWriter = await connect(shortLived.url, h.a.write);
  const expiring = await ok(shortWriter, 'pause_objects', { adAccountId: account, level: 'adset', ids: [adset.id] });
  await h.temporal.client.workflow.getHandle(expiring.workflowId).result();
  const expired = await refused(shortWriter, 'confirm_changes', { changeSetId: expiring.changeSetId, planHash: expiring.planHash });
  expect(expired).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/expired/) });
  await shortWriter.close();
  expect(await ok(reader, 'get_change_set', { changeSetId: expiring.changeSetId })).toMatchObject({ status: 'expired' });

  expect(await writesTotal()).toBe(before);
  expect((await db.adSet.findUniqueOrThrow({ where: { id: adset.id } })).dailyBudget?.toString()).toBe(adset.dailyBudget?.toString());
  expect(await db.changeHistory.count({ where: { entityId: adset.id, source: { not: 'sync' } } })).toBe(0);
  await ok(writer, 'cancel_changes', { changeSetId: raise.changeSetId });
});

test('a pause confirmed in one call ends paused in Meta and the copy; confirming twice reaches the same run', async () => {
  const ads = await activeAds(3);
  const ids = ads.map((ad) => ad.id);
  const preview = await ok(writer, 'pause_objects', { adAccountId: account, level: 'ad', ids, confirm: true });
  expect(preview).toMatchObject({ confirmation: { state: 'confirmed' }, workflowId: `meta-change-set:${preview.changeSetId}`, totals: { objectsTurnedOff: 3 } });
  const first = await ok(writer, 'confirm_changes', { changeSetId: preview.changeSetId, planHash: preview.planHash });
  const second = await ok(writer, 'confirm_changes', { changeSetId: preview.changeSetId, planHash: preview.planHash });
  expect(second).toMatchObject({ workflowId: first.workflowId, runId: first.runId });
  const done = await finished(preview.changeSetId);
  expect(done).toMatchObject({ status: 'completed', counts: { applied: 3 } });
  const truth = await truthObjects();
  expect(truth.ads.filter((ad) => ids.includes(ad.id)).map((ad) => ad.status)).toEqual(['PAUSED', 'PAUSED', 'PAUSED']);
  expect((await h.database.db.ad.findMany({ where: { id: { in: ids } } })).map((ad) => ad.status)).toEqual(['PAUSED', 'PAUSED', 'PAUSED']);
  const writes = (await (await fetch(`${h.simulator.url}/__sim/writes?objectId=${ids.join(',')}`)).json()) as { count: number };
  expect(writes.count).toBe(3);
  const history = await h.database.db.changeHistory.findMany({ where: { entityId: { in: ids }, field: 'status', source: 'mcp' } });
  expect(history).toHaveLength(3);
  // After the run, a confirm still answers that run; a pause of what is paused writes nothing.
  expect(await ok(writer, 'confirm_changes', { changeSetId: preview.changeSetId, planHash: preview.planHash })).toMatchObject({ workflowId: first.workflowId, runId: first.runId });
  const listed = await ok(reader, 'list_change_sets', { adAccountId: account, status: 'completed' });
  expect(listed.data.map((s: { changeSetId: string }) => s.changeSetId)).toContain(preview.changeSetId);
});

test('campaign, ad set and ad creates go through preview and confirm and end PAUSED in the copy and on Meta', async () => {
  const creative = await h.database.db.adCreative.findFirstOrThrow({ where: { adAccountId: account } });
  const create = async (tool: string, args: Record<string, unknown>): Promise<string> => {
    const preview = await ok(writer, tool, { adAccountId: account, ...args });
    expect(preview).toMatchObject({ kind: 'create', status: 'previewed', violationCount: 0, confirmation: { state: 'not_requested' } });
    await ok(writer, 'confirm_changes', { changeSetId: preview.changeSetId, planHash: preview.planHash });
    const done = await finished(preview.changeSetId);
    expect(done).toMatchObject({ status: 'completed', counts: { applied: 1 } });
    return done.items[0].objectId as string;
  };
  const missing = await ok(writer, 'create_ad_set', { adAccountId: account, campaignId: '1', name: 'x', optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: {} });
  expect(missing.status).toBe('blocked');
  expect(missing.violations.map((v: { code: string }) => v.code)).toContain('UNKNOWN_PARENT');

  const campaignId = await create('create_campaign', { name: 'MCP launch', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [] });
  const adsetId = await create('create_ad_set', { campaignId, name: 'MCP launch ad set', optimizationGoal: 'LINK_CLICKS', billingEvent: 'IMPRESSIONS', targeting: { geo_locations: { countries: ['US'] } }, dailyBudget: '25.00' });
  const adId = await create('create_ad', { adsetId, name: 'MCP launch ad', creativeId: creative.id });
  const db = h.database.db;
  expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({ name: 'MCP launch', status: 'PAUSED' });
  expect(await db.adSet.findUniqueOrThrow({ where: { id: adsetId } })).toMatchObject({ name: 'MCP launch ad set', campaignId, status: 'PAUSED' });
  expect(await db.ad.findUniqueOrThrow({ where: { id: adId } })).toMatchObject({ name: 'MCP launch ad', adsetId, status: 'PAUSED' });
  const truth = await truthObjects();
  expect(truth.campaigns.find((c) => c.id === campaignId)).toMatchObject({ status: 'PAUSED' });
  expect(truth.adsets.find((c) => c.id === adsetId)).toMatchObject({ status: 'PAUSED', daily_budget: '2500' });
  expect(truth.ads.find((c) => c.id === adId)).toMatchObject({ status: 'PAUSED', creative_id: creative.id });
  // The same name again is refused in the preview.
  const duplicate = await ok(writer, 'create_campaign', { adAccountId: account, name: 'MCP launch', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [] });
  expect(duplicate.status).toBe('blocked');
});

test('bad arguments are VALIDATION_ERROR results naming the field, and nothing is stored', async () => {
  const sets = await h.database.db.bulkRequest.count();
  const bad = await refused(writer, 'pause_objects', { adAccountId: account, level: 'ad' });
  expect(bad).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('ids') });
  expect((await refused(writer, 'bulk_update_budgets', { adAccountId: account, level: 'adset', ids: ['1'] })).message).toContain('dailyBudget');
  expect((await refused(writer, 'update_campaign', { adAccountId: account, id: '1', set: { status: 'DELETED' } })).message).toMatch(/deleting is not offered/);
  expect((await refused(writer, 'preview_changes', { adAccountId: account, items: [{ id: '1', level: 'ad', set: { colour: 'red' } }] })).message).toContain('colour');
  expect(await h.database.db.bulkRequest.count()).toBe(sets);
});
