import fs from 'node:fs';
import pg from 'pg';

interface TestInfra {
  adminUrl: string;
  template: string;
  stopTemporal: () => Promise<void>;
  stopPostgres?: () => Promise<void>;
}

/** Stops what global-setup started and drops the databases the test files created. */
export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>).__testInfra as TestInfra | undefined;
  if (!infra) return;
  await infra.stopTemporal();
  const admin = new pg.Client({ connectionString: infra.adminUrl });
  await admin.connect();
  const leftovers = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
    [infra.template, `t_${process.pid}_%`],
  );
  for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
  await infra.stopPostgres?.();
  const bundle = process.env.TEST_WORKFLOW_BUNDLE;
  if (bundle) fs.rmSync(bundle, { force: true });
}
