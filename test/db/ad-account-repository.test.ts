import { NotFoundError } from '../../src/errors';
import { findOwnedAdAccount, loadOwnedAdAccount } from '../../src/db/ad-account-repository';
import { createTestDatabase, type TestDatabase } from '../support/test-env';

const COMPANY_A = '00000000-0000-4000-8000-00000000000a';
const COMPANY_B = '00000000-0000-4000-8000-00000000000b';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.company.createMany({ data: [{ id: COMPANY_A, name: 'A' }, { id: COMPANY_B, name: 'B' }] });
  await database.db.adAccount.createMany({
    data: [
      { id: 'act_101', companyId: COMPANY_A, accountId: '101', name: 'Account of A', encryptedAccessToken: 'secret-a', tokenKeyId: 'k1' },
      { id: 'act_202', companyId: COMPANY_B, accountId: '202', name: 'Account of B', encryptedAccessToken: 'secret-b', tokenKeyId: 'k1' },
    ],
  });
});

afterAll(async () => {
  await database?.close();
});

/** The error a call threw (the test fails if it did not throw). */
async function errorOf(call: Promise<unknown>): Promise<Error> {
  const outcome = await call.then(() => undefined, (error: Error) => error);
  if (!outcome) throw new Error('expected the call to throw');
  return outcome;
}

test("another company's ad account is not found, worded exactly like a missing one", async () => {
  const foreign = await errorOf(loadOwnedAdAccount(database.db, { companyId: COMPANY_A, adAccountId: 'act_202' }));
  const missing = await errorOf(loadOwnedAdAccount(database.db, { companyId: COMPANY_A, adAccountId: 'act_303' }));
  expect(foreign).toBeInstanceOf(NotFoundError);
  expect(foreign.message).toBe('Ad account act_202 was not found');
  expect(missing).toBeInstanceOf(NotFoundError);
  expect(missing.message).toBe('Ad account act_303 was not found');
  expect((foreign as NotFoundError).details).toEqual({ what: 'Ad account', id: 'act_202' });
});

test("the owner gets the account's view columns, never the token", async () => {
  const row = await loadOwnedAdAccount(database.db, { companyId: COMPANY_A, adAccountId: 'act_101' });
  expect(row).toMatchObject({ id: 'act_101', companyId: COMPANY_A, name: 'Account of A', tokenStatus: 'valid', disconnectedAt: null });
  expect(JSON.stringify(row)).not.toContain('secret-a');
});

test('a check reached through a schedule id names the schedule in its 404', async () => {
  const scheduleId = 'meta-incremental-sync-schedule:act_202';
  const error = await errorOf(loadOwnedAdAccount(database.db, { companyId: COMPANY_A, adAccountId: 'act_202', notFoundAs: { what: 'Schedule', id: scheduleId } }));
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error.message).toBe(`Schedule ${scheduleId} was not found`);
});

test('find (for connect) answers null for a free id and refuses another company\'s', async () => {
  expect(await findOwnedAdAccount(database.db, { companyId: COMPANY_A, adAccountId: 'act_303' })).toBeNull();
  expect((await findOwnedAdAccount(database.db, { companyId: COMPANY_B, adAccountId: 'act_202' }))?.id).toBe('act_202');
  const error = await errorOf(findOwnedAdAccount(database.db, { companyId: COMPANY_A, adAccountId: 'act_202' }));
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error.message).toBe('Ad account act_202 was not found');
});
