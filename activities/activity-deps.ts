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

/** What activities need from the process: created once by the worker entrypoint (or a test). */
export interface ActivityDeps {
  db: Db;
  config: Config;
  /** Decrypts `ad_accounts.encrypted_access_token`. @default tokenCipherFromConfig(config) */
  tokenCipher?: TokenCipher;
  /** @default a MetaClient on config.meta (graphUrl, apiVersion, appSecret, usageThrottlePct) */
  createMetaClient?: MetaClientFactory;
}

/** ActivityDeps with every optional part filled in. */
export type ResolvedActivityDeps = Required<ActivityDeps>;

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

/** Fills in the token cipher and Meta client factory from the config where not given. */
export function createActivityDeps(deps: ActivityDeps): ResolvedActivityDeps {
  return {
    db: deps.db,
    config: deps.config,
    tokenCipher: deps.tokenCipher ?? tokenCipherFromConfig(deps.config),
    createMetaClient: deps.createMetaClient ?? defaultMetaClientFactory(deps.config),
  };
}
