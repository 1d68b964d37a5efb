import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_META_APP } from '../../domain/demo-meta-app';
import { workflowIds } from '../../domain/workflow-ids';
import { bearer, COMPANY_A, connectAndFullSync, createHarness, SIM_TOKEN, type Harness } from './support/harness';

/**
 * Meta's Webhooks end to end, on the listening server: a lead created on the simulator is
 * notified (signed), read by its `meta-lead:<id>` workflow and stored; redeliveries start
 * nothing; unsigned or mis-signed calls are refused before anything starts; the handshake.
 */
let h: Harness;
/** A lead form of the connected account's pages, and one of a page no connected account promotes. */
let formId: string;
let foreignFormId: string;

const sign = (body: string, secret: string = DEMO_META_APP.appSecret): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function sim<T = any>(path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${h.simulator.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as T };
}

async function postWebhook(body: string, signature?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${h.url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function status(): Promise<{ webhooks: Record<string, number> }> {
  return (await h.inject({ url: '/status' })).json();
}

async function until<T>(what: string, load: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await load();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs of the lead's workflow id, as Temporal lists them. */
async function leadRuns(leadgenId: string): Promise<number> {
  let n = 0;
  for await (const _ of h.temporal.client.workflow.list({ query: `WorkflowId = "${workflowIds.lead(leadgenId)}"` })) n++;
  return n;
}

/** Whether Temporal knows any run of the lead's workflow id. */
async function leadWorkflowExists(leadgenId: string): Promise<boolean> {
  try {
    await h.temporal.client.workflow.getHandle(workflowIds.lead(leadgenId)).describe();
    return true;
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return false;
    throw error;
  }
}

async function deliveriesOf(leadgenId: string): Promise<Array<{ sending: number; attempt: number; status: number }>> {
  const view = (await sim<{ deliveries: Array<{ leadgenId: string; sending: number; attempt: number; status: number }> }>('/__sim/webhooks')).json;
  return view.deliveries.filter((d) => d.leadgenId === leadgenId);
}

beforeAll(async () => {
  h = await createHarness({ seed: 15_150 });
  const [own, foreign] = h.simulatorAccounts as [string, string];
  await connectAndFullSync(h, own);
  const forms = await h.database.db.leadForm.findMany({ where: { page: { adAccounts: { some: { adAccountId: own } } }, deletedAt: null }, orderBy: { id: 'asc' } });
  expect(forms.length).toBeGreaterThan(0);
  formId = forms[0]!.id;
  // The other simulator account is connected by nobody: its forms are found through the simulator.
  const graph = (await sim<{ nodes: Array<[string, string]>; edges: Array<[string, string, number]> }>('/__sim/graph')).json;
  const foreignForms = graph.nodes.filter(([id, type]) => type === 'leadgen_form' && !forms.some((f) => f.id === id)).map(([id]) => id);
  const stored = new Set((await h.database.db.leadForm.findMany({ select: { id: true } })).map((f) => f.id));
  foreignFormId = foreignForms.find((id) => !stored.has(id))!;
  expect(foreignFormId).toBeDefined();
  expect(foreign).toBeDefined();
  await sim('/__sim/webhooks', { url: `${h.url}/webhooks/meta`, retryDelayMs: 50, maxAttempts: 4, clearDeliveries: true });
}, 240_000);
afterAll(async () => h?.close());

describe('the subscription handshake', () => {
  test('echoes hub.challenge with the configured verify token', async () => {
    const response = await fetch(`${h.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${DEMO_META_APP.webhookVerifyToken}&hub.challenge=1158201444`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1158201444');
  });

  test('refuses a wrong verify token, a missing one, and a mode other than subscribe', async () => {
    for (const query of [
      'hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1',
      'hub.mode=subscribe&hub.challenge=1',
      `hub.mode=unsubscribe&hub.verify_token=${DEMO_META_APP.webhookVerifyToken}&hub.challenge=1`,
    ]) {
      const response = await fetch(`${h.url}/webhooks/meta?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 403 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
    // The verify token travels in the URL; request logging never prints it.
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.join('\n')).not.toContain(DEMO_META_APP.webhookVerifyToken);
  });
});

describe('leadgen notifications', () => {
  test('a lead created on the simulator reaches the database through the webhook, as the sync stores it', async () => {
    const before = (await status()).webhooks;
    const created = await sim<{ id: string; pageId: string; notified: number }>('/__sim/leads', { formId });
    expect(created.status).toBe(201);
    expect(created.json.notified).toBe(1);
    const leadId = created.json.id;
    const startedAt = Date.now();
    const stored = await until('the lead in the database', () => h.database.db.lead.findUnique({ where: { id: leadId } }), (row) => row !== null);
    const latencyMs = Date.now() - startedAt;
    console.log(`lead webhook: simulator lead ${leadId} stored ${latencyMs} ms after its creation`);
    // What Meta answers for the lead is what is stored, field by field.
    const meta = (await (await fetch(`${h.simulator.url}/v24.0/${leadId}?fields=id,form_id,is_organic,platform,field_data,created_time&access_token=${SIM_TOKEN}`)).json()) as Record<string, any>;
    expect(stored).toMatchObject({ id: leadId, formId, isOrganic: meta.is_organic, platform: meta.platform, fieldData: meta.field_data });
    expect(stored!.createdTime?.getTime()).toBe(new Date(meta.created_time).getTime());
    // A leads-scoped token of the company sees it through the API.
    const listed = (await h.inject({ url: `/v1/leads?formId=${formId}&limit=200`, headers: bearer(h.a.leads) })).json();
    expect(listed.data.map((l: { id: string }) => l.id)).toContain(leadId);
    const deliveries = await until('the delivery answered', () => deliveriesOf(leadId), (d) => d.length === 1);
    expect(deliveries.map((d) => [d.sending, d.attempt, d.status])).toEqual([[1, 1, 200]]);
    const after = (await status()).webhooks;
    expect(after.leadsStarted - before.leadsStarted).toBe(1);
  });

  test('three deliveries of one notification store the lead once and start one workflow', async () => {
    const before = (await status()).webhooks;
    const created = await sim<{ id: string }>('/__sim/leads', { formId, deliveries: 3 });
    expect(created.status).toBe(201);
    const leadId = created.json.id;
    const deliveries = await until('three answered deliveries', () => deliveriesOf(leadId), (d) => d.length === 3);
    expect(deliveries.map((d) => [d.sending, d.status])).toEqual([[1, 200], [2, 200], [3, 200]]);
    await until('the lead in the database', () => h.database.db.lead.findUnique({ where: { id: leadId } }), (row) => row !== null);
    await h.temporal.client.workflow.getHandle(workflowIds.lead(leadId)).result();
    expect(await until('the run listed', () => leadRuns(leadId), (n) => n > 0)).toBe(1);
    expect(await h.database.db.lead.count({ where: { id: leadId } })).toBe(1);
    const after = (await status()).webhooks;
    expect({ started: after.leadsStarted - before.leadsStarted, duplicates: after.leadsDuplicate - before.leadsDuplicate }).toEqual({ started: 1, duplicates: 2 });
  });

  test('a callback that answers 503 is retried by the simulator until it answers 2xx, and the lead arrives', async () => {
    // A receiver in front of the service that is down for the first two deliveries.
    let refused = 0;
    const front = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refused < 2) {
          refused++;
          res.writeHead(503).end();
          return;
        }
        void fetch(`${h.url}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': String(req.headers['x-hub-signature-256']) }, body: Buffer.concat(chunks) })
          .then(async (answer) => res.writeHead(answer.status).end(await answer.text()))
          .catch(() => res.writeHead(502).end());
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      await sim('/__sim/webhooks', { url: `http://127.0.0.1:${(front.address() as AddressInfo).port}/hook` });
      const leadId = (await sim<{ id: string }>('/__sim/leads', { formId })).json.id;
      await until('the lead in the database', () => h.database.db.lead.findUnique({ where: { id: leadId } }), (row) => row !== null);
      const attempts = await until('the answered delivery', () => deliveriesOf(leadId), (d) => d.length === 3);
      expect(attempts.map((d) => [d.attempt, d.status])).toEqual([[1, 503], [2, 503], [3, 200]]);
    } finally {
      await sim('/__sim/webhooks', { url: `${h.url}/webhooks/meta` });
      front.close();
    }
  });

  test('a notification for a page no connected account promotes is dropped and counted', async () => {
    const before = (await status()).webhooks;
    const created = await sim<{ id: string }>('/__sim/leads', { formId: foreignFormId });
    const leadId = created.json.id;
    await until('the delivery answered', () => deliveriesOf(leadId), (d) => d.length === 1);
    expect((await deliveriesOf(leadId))[0]!.status).toBe(200);
    const after = (await status()).webhooks;
    expect(after.leadsDroppedUnknownPage - before.leadsDroppedUnknownPage).toBe(1);
    expect(await leadWorkflowExists(leadId)).toBe(false);
    expect(await h.database.db.lead.findUnique({ where: { id: leadId } })).toBeNull();
  });

  test('a wrong or missing signature is refused with 403 and starts nothing', async () => {
    await sim('/__sim/webhooks', { url: null });
    const created = await sim<{ id: string; pageId: string; notified: number }>('/__sim/leads', { formId });
    expect(created.json.notified).toBe(0);
    const leadId = created.json.id;
    const body = JSON.stringify({ object: 'page', entry: [{ id: created.json.pageId, time: 1, changes: [{ field: 'leadgen', value: { leadgen_id: leadId, page_id: created.json.pageId, form_id: formId } }] }] });
    const before = (await status()).webhooks;
    for (const signature of [undefined, sign(body, 'not-the-app-secret'), sign(`${body} `), 'sha256=', sign(body).replace('sha256=', 'sha1=')]) {
      const answer = await postWebhook(body, signature);
      expect({ signature, status: answer.status, code: JSON.parse(answer.text).error.code }).toEqual({ signature, status: 403, code: 'FORBIDDEN' });
    }
    expect(await leadWorkflowExists(leadId)).toBe(false);
    expect((await status()).webhooks.refusedSignatures - before.refusedSignatures).toBe(5);
    // The same body, signed, is taken.
    expect(await postWebhook(body, sign(body))).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
    await until('the lead in the database', () => h.database.db.lead.findUnique({ where: { id: leadId } }), (row) => row !== null);
    await sim('/__sim/webhooks', { url: `${h.url}/webhooks/meta` });
  });
});

describe('lead export', () => {
  /** The simulator's leads of the form (what Meta holds), as export rows keyed by id. */
  async function metaRows(columns: string[]): Promise<Map<string, Array<string | null>>> {
    const page = (await (await fetch(`${h.simulator.url}/v24.0/${formId}/leads?fields=id,created_time,form_id,ad_id,field_data&limit=5000&access_token=${SIM_TOKEN}`)).json()) as {
      data: Array<{ id: string; created_time: string; form_id?: string; ad_id?: string; field_data: Array<{ name: string; values: string[] }> }>;
    };
    return new Map(page.data.map((l) => [l.id, [
      l.id, new Date(l.created_time).toISOString(), l.form_id ?? formId, l.ad_id ?? null,
      ...columns.slice(4).map((c) => l.field_data.find((f) => f.name === c)?.values.join('; ') ?? null),
    ]]));
  }

  test("the CSV of a form equals the simulator's leads, field by field, and the export is audited with its row count", async () => {
    // Every lead of the form in the database: the full sync's and the webhooks'.
    await connectAndFullSyncAgain();
    const response = await h.inject({ url: `/v1/leads/export?formId=${formId}&from=2000-01-01&to=2100-01-01`, headers: { ...bearer(h.a.leads), accept: 'text/csv' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.body).not.toContain('"');
    const [header, ...lines] = response.body.split('\r\n').filter(Boolean);
    const columns = header!.split(',');
    expect(columns).toEqual(['id', 'created_time', 'form_id', 'ad_id', 'email', 'full_name']);
    const rows = lines.map((line) => line.split(',').map((v) => (v === '' ? null : v)));
    const expected = await metaRows(columns);
    expect(rows.length).toBe(expected.size);
    expect(new Map(rows.map((r) => [r[0]!, r]))).toEqual(expected);
    // Newest first.
    const times = rows.map((r) => r[1]!);
    expect([...times].sort().reverse()).toEqual(times);
    const audit = await h.database.db.auditEvent.findFirst({ where: { action: 'leads.export', targetId: formId }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ companyId: COMPANY_A, targetType: 'lead_form', actor: expect.stringMatching(/^token:[0-9a-f-]{36}$/) });
    expect(audit!.details).toMatchObject({ rows: rows.length, format: 'csv' });
  });

  test('NDJSON (no Accept: text/csv) holds the same leads; a range narrows them', async () => {
    const all = await h.database.db.lead.findMany({ where: { formId }, orderBy: { createdTime: 'asc' } });
    expect(all.length).toBeGreaterThan(2);
    const from = all[1]!.createdTime!.toISOString();
    const to = all[all.length - 1]!.createdTime!.toISOString();
    const response = await h.inject({ url: `/v1/leads/export?formId=${formId}&from=${from}&to=${to}`, headers: bearer(h.a.leads) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const leads = response.body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, string | null>);
    const inRange = all.filter((l) => l.createdTime!.toISOString() >= from && l.createdTime!.toISOString() < to);
    expect(leads.map((l) => l.id).sort()).toEqual(inRange.map((l) => l.id).sort());
    expect(Object.keys(leads[0]!)).toEqual(['id', 'created_time', 'form_id', 'ad_id', 'email', 'full_name']);
  });

  test("a token without the leads scope gets 403; another company's token 404; bad input 400", async () => {
    const url = `/v1/leads/export?formId=${formId}`;
    expect((await h.inject({ url, headers: { ...bearer(h.a.read), accept: 'text/csv' } })).json().error.code).toBe('FORBIDDEN');
    const foreign = await h.inject({ url, headers: { ...bearer(h.b.leads), accept: 'text/csv' } });
    expect({ status: foreign.statusCode, code: foreign.json().error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    const bad = await h.inject({ url: `/v1/leads/export?formId=${formId}&from=2026-02-30`, headers: bearer(h.a.leads) });
    expect({ status: bad.statusCode, code: bad.json().error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });

  test('MCP export_leads pages the same rows', async () => {
    const client = new Client({ name: 'lead-export', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: bearer(h.a.leads) } }));
    try {
      const ids: string[] = [];
      let cursor: string | undefined;
      let columns: string[] = [];
      do {
        const result = await client.callTool({ name: 'export_leads', arguments: { formId, limit: 2, ...(cursor ? { cursor } : {}) } });
        expect(result.isError).toBeFalsy();
        const page = result.structuredContent as { columns: string[]; rows: Array<Array<string | null>>; nextCursor: string | null };
        columns = page.columns;
        ids.push(...page.rows.map((r) => r[0]!));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(columns).toEqual(['id', 'created_time', 'form_id', 'ad_id', 'email', 'full_name']);
      const stored = await h.database.db.lead.findMany({ where: { formId }, select: { id: true } });
      expect(ids.sort()).toEqual(stored.map((l) => l.id).sort());
    } finally {
      await client.close();
    }
  });
});

/** A full sync of the connected account again: it reads every lead of its forms (the webhooks' ones too). */
async function connectAndFullSyncAgain(): Promise<void> {
  const started = (await h.inject({ method: 'POST', url: `/v1/ad-accounts/${h.simulatorAccounts[0]}/syncs`, headers: bearer(h.a.sync), payload: { kind: 'full' } })).json();
  await h.temporal.client.workflow.getHandle(started.workflowId).result();
}
