import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export { Prisma } from './generated/client';
export type { PrismaClient } from './generated/client';
export type Db = PrismaClient;

export interface CreatePrismaClientOptions {
  /** postgresql:// URL of the application database. */
  url: string;
  /** Pool size. @default 10 */
  poolSize?: number;
  /**
   * How long to wait for a new connection (TCP connect and PostgreSQL's start-up answer). A
   * stopped or unreachable server fails the query after this instead of hanging.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * Longest statement, enforced by PostgreSQL (`statement_timeout`), and a client-side read
   * timeout a little longer, which also catches a server that stopped answering at all (it can
   * enforce nothing). 0 turns both off (for long set-based statements run by activities).
   * @default 0
   */
  statementTimeoutMs?: number;
}

/** Extra time the client waits beyond the server's statement timeout before giving up itself. */
const CLIENT_READ_GRACE_MS = 2_000;

/** One Prisma client per process, on the pg driver adapter (no native query engine needed). */
export function createPrismaClient(options: CreatePrismaClientOptions): PrismaClient {
  const statementTimeoutMs = options.statementTimeoutMs ?? 0;
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + CLIENT_READ_GRACE_MS } : {}),
  });
  return new PrismaClient({ adapter });
}
