/**
 * Customer-list audiences on the simulator: Meta's validation of the create, `/users` sessions
 * (a retried batch counted once), unhashed values refused, and the audience's counts and
 * operation status moving as sessions open and end.
 */
import { createHash } from 'node:crypto';
import type { RunningSimulator } from '../../src/simulator/simulator-server';
import { control, graphGet, graphPost, start } from './sim-test-helpers';

const sha = (v: string) => createHash('sha256').update(v).digest('hex');

let sim: RunningSimulator;
let accountId: string;
beforeAll(async () => {
  sim = await start({ profile: { adAccounts: [{ campaigns: 1, adsetsPerCampaign: 1, adsPerAdset: 1 }], insightsDays: 1, hourlyDays: 1 } });
  accountId = (await control(sim, 'truth')).body.adAccounts[0].id;
});
afterAll(() => sim.close());

async function newAudience(): Promise<string> {
  const created = await graphPost(sim, `${accountId}/customaudiences`, { name: 'Buyers', subtype: 'CUSTOM', customer_file_source: 'USER_PROVIDED_ONLY' });
  expect(created.status).toBe(200);
  return created.body.id;
}

function batch(emails: string[], session: Record<string, unknown>) {
  return { payload: JSON.stringify({ schema: ['EMAIL'], data: emails.map((e) => [sha(e)]) }), session: JSON.stringify(session) };
}

test('creating a customer-list audience needs a name and a customer_file_source', async () => {
  const missing = await graphPost(sim, `${accountId}/customaudiences`, { name: 'X', subtype: 'CUSTOM' });
  expect(missing.status).toBe(400);
  expect(missing.body.error).toEqual(expect.objectContaining({ code: 100, error_user_title: 'Customer File Source Required' }));
  const noName = await graphPost(sim, `${accountId}/customaudiences`, { subtype: 'CUSTOM', customer_file_source: 'USER_PROVIDED_ONLY' });
  expect(noName.status).toBe(400);
  const id = await newAudience();
  const read = await graphGet(sim, id, { fields: 'name,subtype,approximate_count_lower_bound,approximate_count_upper_bound,operation_status' });
  expect(read.body).toEqual(expect.objectContaining({ name: 'Buyers', subtype: 'CUSTOM', approximate_count_lower_bound: 0 }));
  expect(read.body.operation_status.code).toBe(410);
});

test('a session of batches counts each batch once, and the counts appear when it ends', async () => {
  const id = await newAudience();
  const first = Array.from({ length: 600 }, (_, i) => `user${i}@example.com`);
  const second = Array.from({ length: 400 }, (_, i) => `other${i}@example.com`);
  const session = { session_id: 987654321, estimated_num_total: 1000 };
  const a = await graphPost(sim, `${id}/users`, batch(first, { ...session, batch_seq: 1, last_batch_flag: false }));
  expect(a.body).toEqual(expect.objectContaining({ audience_id: id, session_id: '987654321', num_received: 600, num_invalid_entries: 0 }));
  const during = await graphGet(sim, id, { fields: 'operation_status' });
  expect(during.body.operation_status.code).toBe(414);
  // The same batch again (a retry after a lost answer) is not counted twice.
  await graphPost(sim, `${id}/users`, batch(first, { ...session, batch_seq: 1, last_batch_flag: false }));
  const b = await graphPost(sim, `${id}/users`, batch(second, { ...session, batch_seq: 2, last_batch_flag: true }));
  expect(b.body.num_received).toBe(400);
  const truth = (await control(sim, `audiences/${id}`)).body;
  expect(truth.members).toBe(1000);
  expect(truth.sessions['987654321']).toEqual({ numReceived: 1000, numInvalidEntries: 0, batches: 2, closed: true });
  const after = await graphGet(sim, id, { fields: 'approximate_count_lower_bound,approximate_count_upper_bound,operation_status' });
  expect(after.body.operation_status.code).toBe(200);
  expect(after.body.approximate_count_lower_bound).toBeLessThanOrEqual(truth.matched);
  expect(after.body.approximate_count_upper_bound).toBeGreaterThanOrEqual(truth.matched);
  expect(truth.matched).toBeGreaterThan(500);
  expect(truth.matched).toBeLessThan(900);
});

test('unhashed values are refused with nothing added; empty rows are invalid entries', async () => {
  const id = await newAudience();
  const raw = await graphPost(sim, `${id}/users`, { payload: JSON.stringify({ schema: ['EMAIL'], data: [['someone@example.com']] }) });
  expect(raw.status).toBe(400);
  expect(raw.body.error).toEqual(expect.objectContaining({ code: 100, error_user_title: 'Data Not Hashed' }));
  expect((await control(sim, `audiences/${id}`)).body.members).toBe(0);
  const mixed = await graphPost(sim, `${id}/users`, { payload: JSON.stringify({ schema: ['EMAIL', 'EXTERN_ID'], data: [[sha('a@b.co'), 'crm-1'], ['', ''], [sha('c@d.co')]] }) });
  expect(mixed.status).toBe(200);
  expect(mixed.body).toEqual(expect.objectContaining({ num_received: 1, num_invalid_entries: 2 }));
  expect(Object.keys(mixed.body.invalid_entry_samples)).toEqual(['1', '2']);
  const tooMany = await graphPost(sim, `${id}/users`, { payload: JSON.stringify({ schema: ['EMAIL'], data: Array.from({ length: 10_001 }, (_, i) => [sha(String(i))]) }) });
  expect(tooMany.status).toBe(400);
});

test('a replace session swaps the members when its last batch arrives', async () => {
  const id = await newAudience();
  await graphPost(sim, `${id}/users`, batch(['a@x.co', 'b@x.co', 'c@x.co'], { session_id: 1, batch_seq: 1, last_batch_flag: true }));
  await graphPost(sim, `${id}/usersreplace`, batch(['d@x.co'], { session_id: 2, batch_seq: 1, last_batch_flag: false }));
  expect((await control(sim, `audiences/${id}`)).body.members).toBe(3);
  await graphPost(sim, `${id}/usersreplace`, batch(['e@x.co'], { session_id: 2, batch_seq: 2, last_batch_flag: true }));
  expect((await control(sim, `audiences/${id}`)).body.members).toBe(2);
});
