import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/prisma-client';

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
}
