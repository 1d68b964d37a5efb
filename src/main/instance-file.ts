import fs from 'node:fs';
import type { Config } from '../config';
import { embeddedDatabaseUrl } from '../db/embedded-postgres';
import { ConfigurationError } from '../errors';
import { commandLineOf, isProcessAlive } from '../processes';
import { dataDirLayout, readSecret, type DataDirLayout } from './data-dir';

/**
 * `<DATA_DIR>/instance.json` (0600): the `npm start` that owns this DATA_DIR, and where its
 * embedded PostgreSQL and Temporal listen. It is the DATA_DIR's lock (a second `npm start` is
 * refused while the owner lives), the pid file that lets the next start stop what a killed run
 * left behind, and how `npm run mcp:stdio` and `npm run token:create` find the running stack.
 */
export interface InstanceRecord {
  pid: number;
  startedAt: string;
  dataDir: string;
  database?: { mode: 'embedded'; port: number; pid: number } | { mode: 'external' };
  temporal?: { address: string; namespace: string; taskQueue: string; devServerPid?: number };
  http?: { url: string };
}

export interface InstanceClaim {
  /** The record a dead run left behind (its children may still run), if any. */
  previous?: InstanceRecord;
  /** Adds what has started to the record. */
  update(patch: Partial<Omit<InstanceRecord, 'pid' | 'startedAt' | 'dataDir'>>): void;
  /** Removes the record (clean shutdown); the next start then has nothing to clean. */
  release(): void;
}

/**
 * Makes this process the owner of DATA_DIR. Throws a ConfigurationError naming the other
 * process when a live `npm start` owns it already.
 */
export function claimInstance(dataDir: string): InstanceClaim {
  const layout = dataDirLayout(dataDir);
  const previous = readRecord(layout);
  if (previous && previous.pid !== process.pid && isOwnerAlive(previous)) {
    throw new ConfigurationError(
      `DATA_DIR ${layout.root} is in use by another \`npm start\` (pid ${previous.pid}, started ${previous.startedAt}${previous.http ? `, API ${previous.http.url}` : ''}): ` +
        `stop it first (Ctrl-C in its terminal, or kill -INT ${previous.pid}), or give this one another DATA_DIR.`,
    );
  }
  const record: InstanceRecord = { pid: process.pid, startedAt: new Date().toISOString(), dataDir: layout.root };
  writeRecord(layout, record);
  return {
    previous: previous && previous.pid !== process.pid ? previous : undefined,
    update: (patch) => writeRecord(layout, Object.assign(record, patch)),
    release: () => {
      const current = readRecord(layout);
      if (current?.pid === process.pid) fs.rmSync(layout.instanceFile, { force: true });
    },
  };
}

/** The record of the live `npm start` of this DATA_DIR, if one runs. */
export function readLiveInstance(dataDir: string): InstanceRecord | undefined {
  const record = readRecord(dataDirLayout(dataDir));
  return record && isOwnerAlive(record) ? record : undefined;
}

/**
 * Where a client process (mcp:stdio, token:create) finds the database and Temporal: the
 * configured DATABASE_URL / TEMPORAL_ADDRESS win; otherwise those of the `npm start` running
 * on the same DATA_DIR. Throws a ConfigurationError saying what to do when neither is there.
 */
export function resolveLocalStack(config: Config, needs: { temporal: boolean }): { databaseUrl: string; temporal?: { address: string; namespace: string; taskQueue: string } } {
  const layout = dataDirLayout(config.dataDir);
  const live = config.database.url && (config.temporal.address || !needs.temporal) ? undefined : readLiveInstance(config.dataDir);
  const missing = (what: string): ConfigurationError =>
    new ConfigurationError(
      `${what}: no \`npm start\` is running with DATA_DIR=${layout.root} (start it first, with the same DATA_DIR), ` +
        'or set DATABASE_URL and TEMPORAL_ADDRESS to an existing PostgreSQL and Temporal',
    );
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    if (!live?.database) throw missing('DATABASE_URL is not set');
    if (live.database.mode === 'external') throw new ConfigurationError(`The \`npm start\` of DATA_DIR=${layout.root} (pid ${live.pid}) uses an external PostgreSQL: set DATABASE_URL to it`);
    const password = readSecret(layout.postgresPassword);
    if (!password) throw new ConfigurationError(`${layout.postgresPassword} is missing: it holds the embedded PostgreSQL's password`);
    databaseUrl = embeddedDatabaseUrl({ port: live.database.port, password });
  }
  if (!needs.temporal) return { databaseUrl };
  if (config.temporal.address) return { databaseUrl, temporal: { address: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue } };
  if (!live?.temporal) throw missing('TEMPORAL_ADDRESS is not set');
  const { address, namespace, taskQueue } = live.temporal;
  return { databaseUrl, temporal: { address, namespace, taskQueue } };
}

function readRecord(layout: DataDirLayout): InstanceRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(layout.instanceFile, 'utf8')) as InstanceRecord;
    return Number.isInteger(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

function writeRecord(layout: DataDirLayout, record: InstanceRecord): void {
  // Write then rename: a reader never sees half a record.
  const temporary = `${layout.instanceFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, layout.instanceFile);
}

/** Alive and still a Node.js process (where /proc can tell): a reused pid is not an owner. */
function isOwnerAlive(record: InstanceRecord): boolean {
  if (!isProcessAlive(record.pid)) return false;
  const commandLine = commandLineOf(record.pid);
  return commandLine === undefined || /\bnode\b|tsx/.test(commandLine);
}
