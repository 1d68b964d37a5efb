import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where `npm start` keeps each thing under DATA_DIR. */
export interface DataDirLayout {
  root: string;
  /** The embedded PostgreSQL cluster (owned by the `postgres` user when we run as root). */
  postgresCluster: string;
  /** The cluster superuser's random password (0600). */
  postgresPassword: string;
  postgresLog: string;
  temporalDir: string;
  /** The Temporal dev server's SQLite history (0600, in a 0700 directory). */
  temporalDb: string;
  temporalLog: string;
  /** The running `npm start`: its pid and where its database and Temporal listen (see instance-file.ts). */
  instanceFile: string;
  demoAdminToken: string;
  demoMetaToken: string;
}

/** The paths of one DATA_DIR. */
export function dataDirLayout(dataDir: string): DataDirLayout {
  const root = path.resolve(dataDir);
  return {
    root,
    postgresCluster: path.join(root, 'postgres'),
    postgresPassword: path.join(root, 'postgres-password'),
    postgresLog: path.join(root, 'postgres.log'),
    temporalDir: path.join(root, 'temporal'),
    temporalDb: path.join(root, 'temporal', 'dev.db'),
    temporalLog: path.join(root, 'temporal', 'server.log'),
    instanceFile: path.join(root, 'instance.json'),
    demoAdminToken: path.join(root, 'demo-admin-token'),
    demoMetaToken: path.join(root, 'demo-meta-token'),
  };
}

export interface PrepareDataDirOptions {
  dataDir: string;
  /**
   * Another user (PostgreSQL's, when we are root) must pass through DATA_DIR to its cluster:
   * 0711 (search, no listing) instead of 0700.
   */
  traversableByOthers: boolean;
}

/**
 * Creates DATA_DIR private to this user, and tightens what an older version left readable: the
 * directory 0700 (0711, see above), every file in it and in temporal/ 0600. DATA_DIR holds the
 * database password, the demo tokens, the token encryption key and every workflow history.
 * Returns the paths whose mode it changed.
 */
export function prepareDataDir(options: PrepareDataDirOptions): string[] {
  const layout = dataDirLayout(options.dataDir);
  const dirMode = options.traversableByOthers ? 0o711 : 0o700;
  fs.mkdirSync(layout.root, { recursive: true, mode: dirMode });
  const changed: string[] = [];
  const tighten = (file: string, mode: number): void => {
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    // Only what we own: never a symlink's target, nor the cluster PostgreSQL owns and guards.
    if (!stat || stat.isSymbolicLink() || stat.uid !== process.getuid?.()) return;
    if ((stat.mode & 0o777) !== mode) {
      fs.chmodSync(file, mode);
      changed.push(file);
    }
  };
  tighten(layout.root, dirMode);
  for (const entry of fs.readdirSync(layout.root, { withFileTypes: true })) {
    const file = path.join(layout.root, entry.name);
    if (entry.isFile()) tighten(file, 0o600);
  }
  if (fs.existsSync(layout.temporalDir)) {
    tighten(layout.temporalDir, 0o700);
    for (const entry of fs.readdirSync(layout.temporalDir, { withFileTypes: true })) if (entry.isFile()) tighten(path.join(layout.temporalDir, entry.name), 0o600);
  }
  return changed;
}

/**
 * Reads a secret kept in a file (mode 0600), creating it with `create()` on first use. `wx`, so
 * two processes starting at once cannot overwrite each other's secret.
 */
export function readOrCreateSecret(file: string, create: () => string = () => randomBytes(24).toString('base64url')): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
    fs.rmSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = create();
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateSecret(file, create);
    throw error;
  }
  return value;
}

/** Reads a secret file written by {@link readOrCreateSecret}; undefined when it does not exist. */
export function readSecret(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
