import pg from 'pg';
import type { Config } from '../src/config';
import type { Db } from '../src/db/prisma-client';
import { MetaClient, tokenCipherFromConfig, type MetaUsage, type TokenCipher, type UsageContext } from '../src/meta';

/** What a Meta client is created for: the account it works on and who wants its usage reports. */
export interface MetaClientContext {
  /** `act_<n>` the client works for (named in errors). */
  adAccountId: string;
  /** Called with the usage headers of every response, errors included. */
  onUsage?: (usage: MetaUsage, context: UsageContext) => void;
}

/** Builds a Graph API client for one decrypted access token (tests point it at the simulator). */
export type MetaClientFactory = (accessToken: string, context: MetaClientContext) => MetaClient;

/** What the process gives to build the activities' deps; unset parts get their defaults. */
export interface ActivityDepsOptions {
  db: Db;
  config: Config;
  /** Decrypts `ad_accounts.encrypted_access_token`. @default tokenCipherFromConfig(config) */
  tokenCipher?: TokenCipher;
  /** @default a MetaClient on config.meta (graphUrl, apiVersion, appSecret, usageThrottlePct) */
  createMetaClient?: MetaClientFactory;
  /**
   * postgresql:// URL of the application database, for the pool below when config has none
   * (embedded mode). @default config.database.url
   */
  databaseUrl?: string;
  /**
   * Plain pg pool for bulk writes (COPY of large metric pages into staging tables). Without it,
   * every page is written with JSON upserts through Prisma.
   * @default createActivityDeps builds one on `databaseUrl` when a URL is known
   */
  pgPool?: pg.Pool;
  /** Metric pages with at least this many rows are written by COPY (when `pgPool` is set). @default 100 */
  copyMinRows?: number;
}

/**
 * What activities need from the process, every optional part filled in (no pool when no database
 * URL is known): built once by {@link createActivityDeps} where the process is assembled (the
 * worker entrypoint, a test harness) and handed to `createActivities`.
 */
export type ActivityDeps = Required<Omit<ActivityDepsOptions, 'pgPool' | 'databaseUrl'>> & {
  databaseUrl?: string;
  pgPool?: pg.Pool;
  /** Ends what createActivityDeps created (the pool); a pool passed in is left to its owner. */
  close(): Promise<void>;
};

/** Default size of the bulk-write pool: the page writes in flight, not every activity slot. */
const BULK_POOL_SIZE = 8;

/** The default Meta client factory for a config. */
export function defaultMetaClientFactory(config: Config): MetaClientFactory {
  return (accessToken, context) =>
    new MetaClient({
      graphUrl: config.meta.graphUrl,
      apiVersion: config.meta.apiVersion,
      accessToken,
      appSecret: config.meta.appSecret,
      usageThrottlePct: config.meta.usageThrottlePct,
      adAccountId: context.adAccountId,
      onUsage: context.onUsage,
    });
}

/**
 * Fills in the token cipher, Meta client factory and bulk-write pool from the config where not
 * given. The pool connects lazily; call `close()` on shutdown.
 */
export function createActivityDeps(deps: ActivityDepsOptions): ActivityDeps {
  const databaseUrl = deps.databaseUrl ?? deps.config.database.url;
  const ownPool = !deps.pgPool && databaseUrl ? createBulkPool(databaseUrl) : undefined;
  return {
    db: deps.db,
    config: deps.config,
    tokenCipher: deps.tokenCipher ?? tokenCipherFromConfig(deps.config),
    createMetaClient: deps.createMetaClient ?? defaultMetaClientFactory(deps.config),
    databaseUrl,
    pgPool: deps.pgPool ?? ownPool,
    copyMinRows: deps.copyMinRows ?? 100,
    async close() {
      await ownPool?.end();
    },
  };
}

/** A pg pool for bulk writes; idle connections do not keep the process alive. */
export function createBulkPool(url: string, max = BULK_POOL_SIZE): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
  // An idle connection the server drops (restart, DROP DATABASE ... FORCE) must not crash the worker.
  pool.on('error', () => undefined);
  return pool;
}
