import pg from 'pg';
import { migrateDatabase, pendingMigrations } from '../../src/db/migrate';
import { withDatabase } from '../support/infra';

// Proves the offline Prisma setup: `prisma migrate deploy` through the WASM schema engine and
// the `name`-column workaround, on an empty database.
const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const name = `t_${process.env.TEST_RUN_ID}_migrate`;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

test('prisma migrate deploy creates the whole schema on an empty database, then has nothing left to do', async () => {
  const url = withDatabase(adminUrl, name);
  expect((await pendingMigrations(url)).length).toBeGreaterThan(0);

  const first = await migrateDatabase(url);
  expect(first.ran).toBe(true);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
  await client.end();
  const names = tables.rows.map((row) => row.table_name);
  for (const table of ['companies', 'api_tokens', 'ad_accounts', 'campaigns', 'ad_sets', 'ads', 'metrics_hourly', 'metrics_daily', 'metrics_monthly', 'sync_runs', 'bulk_requests', 'ad_rules']) {
    expect(names).toContain(table);
  }

  const second = await migrateDatabase(url);
  expect(second).toEqual({ ran: false, pending: [] });
});
