import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');

export interface MigrateResult {
  /** False when every committed migration was already applied (the CLI was not needed). */
  ran: boolean;
  pending: string[];
}

/**
 * Applies committed migrations with `prisma migrate deploy` before anything else touches the
 * database. Skips the CLI (about 10 s of WASM start-up) when `_prisma_migrations` already lists
 * every migration directory as finished.
 */
export async function migrateDatabase(databaseUrl: string): Promise<MigrateResult> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return { ran: false, pending };
  await runPrismaMigrateDeploy(databaseUrl);
  return { ran: true, pending };
}

/** Migration directories not yet recorded as finished in the database. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const committed = fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('_prisma_migrations') AS t`);
    if (!table.rows[0].t) return committed;
    const applied = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return committed.filter((name) => !done.has(name));
  } finally {
    await client.end();
  }
}

/** Runs the Prisma CLI (offline WASM schema engine, see prisma.config.ts). */
export function runPrismaMigrateDeploy(databaseUrl: string): Promise<void> {
  const cli = path.join(PROJECT_ROOT, 'node_modules', 'prisma', 'build', 'index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      // The URL may hold a password: never echo it, only the CLI's own words minus URLs.
      else reject(new Error(`prisma migrate deploy failed (exit ${code}): ${output.replace(/postgres(ql)?:\/\/\S+/g, '<database-url>').trim()}`));
    });
  });
}
