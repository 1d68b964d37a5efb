/**
 * Customer-list uploads end to end: 25,000 rows with 5% invalid, sent in 3 batches of at most
 * 10,000 while the simulator loses the answers of applied batches (each one then resent), end
 * with the simulator's audience holding exactly the valid rows once; every invalid row is
 * reported by number and reason; no raw value is in the database, the logs or the history.
 */
import { createHash } from 'node:crypto';
import { bearer, connectAndFullSync, createHarness, SIM_TOKEN, type Harness } from './support/harness';

const ROWS = 25_000;
/** Every 20th row (5%) has an email that is not one, and nothing else. */
const isInvalid = (i: number) => i % 20 === 7;
/** Every raw value carries this marker (letters outside hex: no hash can contain it). */
const MARK = 'Zqx';

let h: Harness;
let adAccountId: string;
let audienceId: string;

beforeAll(async () => {
  h = await createHarness({ seed: 47_115, latencyMs: 0 });
  adAccountId = h.simulatorAccounts[0]!;
  const created = await fetch(`${h.simulator.url}/v23.0/${adAccountId}/customaudiences`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: SIM_TOKEN, name: 'Customers', subtype: 'CUSTOM', customer_file_source: 'USER_PROVIDED_ONLY' }),
  });
  audienceId = ((await created.json()) as { id: string }).id;
  await connectAndFullSync(h, adAccountId);
}, 120_000);
afterAll(() => h?.close());

function rawRow(i: number): Array<string | null> {
  if (isInvalid(i)) return [`not-an-email-${MARK}${i}`, null, null, null];
  const phone = `+1 (415) ${String(1_000_000 + i).slice(1, 4)}-${String(10_000 + i).slice(1)}`;
  return [`  ${MARK}.Person${i}@Zqx-Example.COM `, phone, `${MARK}ann-${i}`, `crm-${MARK}-${i}`];
}

test('25,000 rows in 3 batches of one session, answers lost and resent: the audience holds the valid rows once, invalid rows are reported, no raw value is kept', async () => {
  const rows = Array.from({ length: ROWS }, (_, i) => rawRow(i));
  // Lose the answer of half the applied writes: each such batch is resent with the same batch_seq.
  await h.simControl('/__sim/faults', { writeAppliedThenErrorRate: 0.5, writeAppliedThenErrorMode: 'error', faultSeed: 7 });
  const started = await h.inject({ method: 'POST', url: `/v1/audiences/${audienceId}/users`, headers: bearer(h.a.write), payload: { schema: ['EMAIL', 'PHONE', 'FN', 'EXTERN_ID'], rows } });
  expect(started.statusCode).toBe(202);
  const start = started.json();
  expect(start).toEqual(expect.objectContaining({ audienceId, mode: 'add', rowsReceived: ROWS, rowsValid: ROWS * 0.95, invalidRowCount: ROWS * 0.05, batches: 3 }));
  expect(start.workflowId).toBe(`meta-audience-upload:${start.uploadId}`);
  const result = await h.temporal.client.workflow.getHandle(start.workflowId).result();
  await h.simControl('/__sim/faults', {});
  expect(result).toEqual(expect.objectContaining({ status: 'completed', batchesSent: 3, numReceived: ROWS * 0.95, numInvalidEntries: 0 }));

  const upload = (await h.inject({ url: `/v1/audience-uploads/${start.uploadId}`, headers: bearer(h.a.read) })).json();
  expect(upload).toEqual(expect.objectContaining({
    status: 'completed', rowsReceived: ROWS, rowsValid: ROWS * 0.95, invalidRowCount: ROWS * 0.05, batchesTotal: 3, batchesSent: 3,
    numReceived: ROWS * 0.95, numInvalidEntries: 0, work: { done: 3, total: 3, unit: 'batches' },
  }));
  const expectedInvalid = Array.from({ length: ROWS }, (_, i) => i).filter(isInvalid).map((i) => ({ row: i + 1, field: 'EMAIL', reason: 'not an email address' }));
  expect(upload.invalidRows).toEqual(expectedInvalid);

  // The simulator holds each valid row once, in one session of 3 batches, and some batches were resent.
  const truth = await (await fetch(`${h.simulator.url}/__sim/audiences/${audienceId}`)).json() as any;
  expect(truth.members).toBe(ROWS * 0.95);
  expect(Object.values(truth.sessions)).toEqual([{ numReceived: ROWS * 0.95, numInvalidEntries: 0, batches: 3, closed: true }]);
  const stats = await (await fetch(`${h.simulator.url}/__sim/stats`)).json() as any;
  expect(stats.byEndpoint['POST {customaudience}/users']).toBeGreaterThan(3);

  // Row 1 as Meta received it: the hash of its normalised email (no row, hashed or not, belongs in history).
  const sent = createHash('sha256').update(`${MARK.toLowerCase()}.person0@zqx-example.com`).digest('hex');

  // No raw value anywhere: the database (every table), the logs, the workflow history.
  expect(await h.database.db.audienceUploadRow.count({ where: { uploadId: start.uploadId } })).toBe(0);
  const tables = await h.database.db.$queryRaw<Array<{ table_name: string }>>`
    SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  for (const { table_name } of tables) {
    const [hit] = await h.database.db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table_name}" t WHERE t::text ILIKE '%${MARK}%' OR t::text ILIKE '%zqx-example%' OR t::text LIKE '%(415)%'`);
    expect({ table: table_name, hits: Number(hit?.n ?? 0) }).toEqual({ table: table_name, hits: 0 });
  }
  const logs = h.logs.join('\n');
  expect(logs.toLowerCase()).not.toContain(MARK.toLowerCase());
  expect(logs.toLowerCase()).not.toContain('zqx-example');
  const history = JSON.stringify(await h.temporal.client.workflow.getHandle(start.workflowId).fetchHistory());
  expect(history.toLowerCase()).not.toContain(MARK.toLowerCase());
  expect(history.toLowerCase()).not.toContain('zqx-example');
  expect(history).not.toContain(sent);
}, 300_000);

test('CSV with a header row uploads the same way; a bad header is a 400 naming the column and stores nothing', async () => {
  const before = await h.database.db.audienceUpload.count();
  const bad = await h.inject({ method: 'POST', url: `/v1/audiences/${audienceId}/users`, headers: bearer(h.a.write), payload: { csv: 'EMAIL,SHOE_SIZE\na@b.co,44\n' } });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.message).toContain('SHOE_SIZE');
  expect(await h.database.db.audienceUpload.count()).toBe(before);
  const csv = 'email,fn,ln\n"Ann.Lee@Example.org",Ann,"Lee, Jr."\nnot-an-email,Bob,Smith\n';
  const started = await h.inject({ method: 'POST', url: `/v1/audiences/${audienceId}/users`, headers: bearer(h.a.write), payload: { csv, mode: 'replace' } });
  expect(started.statusCode).toBe(202);
  const start = started.json();
  expect(start).toEqual(expect.objectContaining({ mode: 'replace', rowsReceived: 2, rowsValid: 1, invalidRowCount: 1, batches: 1 }));
  await h.temporal.client.workflow.getHandle(start.workflowId).result();
  const upload = (await h.inject({ url: `/v1/audience-uploads/${start.uploadId}`, headers: bearer(h.a.read) })).json();
  expect(upload.invalidRows).toEqual([{ row: 2, field: 'EMAIL', reason: 'not an email address' }]);
  // Replace: the audience now holds the one valid row of this list.
  const truth = await (await fetch(`${h.simulator.url}/__sim/audiences/${audienceId}`)).json() as any;
  expect(truth.members).toBe(1);
}, 120_000);

test('uploading needs the write scope, and another company sees neither the audience nor the upload', async () => {
  const payload = { schema: ['EMAIL'], rows: [['a@b.co']] };
  expect((await h.inject({ method: 'POST', url: `/v1/audiences/${audienceId}/users`, headers: bearer(h.a.read), payload })).statusCode).toBe(403);
  expect((await h.inject({ method: 'POST', url: `/v1/audiences/${audienceId}/users`, headers: bearer(h.b.write), payload })).statusCode).toBe(404);
  const mine = (await h.inject({ method: 'POST', url: `/v1/audiences/${audienceId}/users`, headers: bearer(h.a.write), payload })).json();
  expect((await h.inject({ url: `/v1/audience-uploads/${mine.uploadId}`, headers: bearer(h.b.read) })).statusCode).toBe(404);
  await h.temporal.client.workflow.getHandle(mine.workflowId).result();
});
