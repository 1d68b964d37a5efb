import { linkAdAccountPages, softDeleteMissing, upsertEntityPage } from '../../src/db/entity-upsert';
import { listLeadFormIdsOfAdAccount, listPageIdsOfAdAccount } from '../../src/db/entity-repository';
import { createTestDatabase, type TestDatabase } from '../support/test-env';

/**
 * Pages (and their lead forms and leads) are shared between ad accounts of any company: a company
 * reaches one only through its own accounts' ad_account_pages links. A full read of an account's
 * pages that no longer returns one removes that account's link, and marks the page deleted only
 * when no other account links it any more.
 */
const COMPANY_A = '00000000-0000-4000-8000-0000000000a1';
const COMPANY_B = '00000000-0000-4000-8000-0000000000b1';
const page = (id: string) => ({ id, businessId: null, name: `Page ${id}`, category: null, raw: {} });

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await db.company.createMany({ data: [{ id: COMPANY_A, name: 'A' }, { id: COMPANY_B, name: 'B' }] });
  await db.adAccount.createMany({
    data: [
      { id: 'act_11', companyId: COMPANY_A, accountId: '11', encryptedAccessToken: 'x', tokenKeyId: 'k' },
      { id: 'act_22', companyId: COMPANY_B, accountId: '22', encryptedAccessToken: 'x', tokenKeyId: 'k' },
    ],
  });
  // Both accounts promote page 901; only A's promotes 902. Page 901 has a lead form.
  await upsertEntityPage(db, 'pages', [page('901'), page('902')]);
  await linkAdAccountPages(db, 'act_11', ['901', '902']);
  await linkAdAccountPages(db, 'act_22', ['901']);
  await upsertEntityPage(db, 'lead_forms', [{ id: '9011', pageId: '901', name: 'Form', status: 'ACTIVE', leadsCount: 1, questions: [], createdTime: null, raw: {} }]);
});
afterAll(async () => database?.close());

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A complete read of the account's pages that returned `seen`, as the entity sync writes it. */
async function fullPagesRead(adAccountId: string, seen: string[]): Promise<number> {
  await pause();
  const startedAt = new Date();
  await pause();
  await upsertEntityPage(database.db, 'pages', seen.map(page));
  await linkAdAccountPages(database.db, adAccountId, seen);
  return softDeleteMissing(database.db, 'pages', { kind: 'pagesOfAdAccount', adAccountId }, startedAt);
}

test("one account losing a shared page unlinks it for that account's company only; the other company still reaches it and its forms", async () => {
  expect(await fullPagesRead('act_11', ['902'])).toBe(0);
  expect(await listPageIdsOfAdAccount(database.db, 'act_11')).toEqual(['902']);
  expect(await listLeadFormIdsOfAdAccount(database.db, 'act_11')).toEqual([]);
  expect(await listPageIdsOfAdAccount(database.db, 'act_22')).toEqual(['901']);
  expect(await listLeadFormIdsOfAdAccount(database.db, 'act_22')).toEqual(['9011']);
  expect((await database.db.page.findUniqueOrThrow({ where: { id: '901' } })).deletedAt).toBeNull();
});

test('a page no account links any more is marked deleted (kept, as everything Meta stopped reporting)', async () => {
  expect(await fullPagesRead('act_22', [])).toBe(1);
  expect(await listPageIdsOfAdAccount(database.db, 'act_22')).toEqual([]);
  expect((await database.db.page.findUniqueOrThrow({ where: { id: '901' } })).deletedAt).toBeInstanceOf(Date);
  // The page an account still promotes is untouched.
  expect((await database.db.page.findUniqueOrThrow({ where: { id: '902' } })).deletedAt).toBeNull();
});
