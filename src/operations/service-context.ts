import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/prisma-client';
import type { EdgePage, EdgePageRequest } from '../meta/meta-client';
import type { TokenCipher } from '../meta/token-crypto';

/**
 * The part of the Meta client the operations layer uses: validating a token on connect, and
 * reading an edge (Meta's minimum budgets for a change-set preview). Reads only: every write
 * goes through a change set's workflow.
 */
export interface MetaAccountReader {
  getAdAccount(adAccountId: string): Promise<Record<string, unknown>>;
  getEdgePage?<T = unknown>(request: EdgePageRequest): Promise<EdgePage<T>>;
}

/**
 * What the operations layer needs from the process: one Prisma client, one Temporal client and
 * the configuration. Both fronts (HTTP and MCP) hold one of these and call operations with it.
 */
export interface ServiceContext {
  config: Config;
  db: Db;
  temporal: Client;
  /** Facts about how this process was started, for /info. */
  runtime: {
    databaseMode: 'embedded' | 'external';
    temporalAddress: string;
    temporalUiUrl?: string;
    startedAt: Date;
  };
  /**
   * Encrypts Meta access tokens at rest. @default built once from config
   * (`TOKEN_ENCRYPTION_KEY`, or the demo key file in DATA_DIR) by {@link tokenCipherOf}
   */
  tokenCipher?: TokenCipher;
  /** Builds a Graph client for one access token. @default a MetaClient on config.meta */
  metaClientFactory?: (accessToken: string) => MetaAccountReader;
}
