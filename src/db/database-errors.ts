/**
 * Which database failures mean "PostgreSQL is not answering" (down, stopped, unreachable, out of
 * connections, too slow) rather than a problem with the query. The fronts answer those 503
 * DATABASE_UNAVAILABLE; the rest stay internal errors. The driver's errors arrive in several
 * wrappings (pg's own, Prisma's driver-adapter errors, Prisma's request errors), so the whole
 * cause chain is searched.
 */

/** Prisma error codes that say the server could not be reached or answered too late. */
const PRISMA_UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver-adapter error kinds of the same meaning (@prisma/adapter-pg). */
const ADAPTER_UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** pg's messages for a connection or a statement that took too long (57014 is the server's statement timeout). */
const TIMEOUT_MESSAGE = /timeout exceeded when trying to connect|connection timeout|query read timeout|statement timeout/i;
const SHUTDOWN_MESSAGE = /the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;
/** pg's and Node's messages for a connection that never came or went away. */
const UNREACHABLE_MESSAGE = /connection terminated|can't reach database server|server closed the connection|connection refused|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE/i;

export type DatabaseFailure = 'unreachable' | 'timeout' | 'overloaded' | 'shutting-down';

/**
 * What kind of unavailability an error shows, or undefined when it is not one (a constraint
 * violation, a bad query: bugs or conflicts, not an absent database).
 */
export function classifyDatabaseFailure(error: unknown): DatabaseFailure | undefined {
  for (const item of causeChain(error)) {
    const code = typeof item.code === 'string' ? item.code : undefined;
    const kind = typeof item.kind === 'string' ? item.kind : undefined;
    const message = typeof item.message === 'string' ? item.message : '';
    if (kind === 'TooManyConnections' || code === '53300' || code === 'P2024' || /too many clients/i.test(message)) return 'overloaded';
    if (code === '57014' || kind === 'SocketTimeout' || TIMEOUT_MESSAGE.test(message)) return 'timeout';
    if ((code && /^57P0[1-3]$/.test(code)) || SHUTDOWN_MESSAGE.test(message)) return 'shutting-down';
    if ((code && (PRISMA_UNAVAILABLE_CODES.has(code) || /^08\d{3}$/.test(code))) || (kind && ADAPTER_UNAVAILABLE_KINDS.has(kind)) || UNREACHABLE_MESSAGE.test(message)) {
      return 'unreachable';
    }
  }
  return undefined;
}

/** True when the error says PostgreSQL is down, unreachable or too slow. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseFailure(error) !== undefined;
}

/** A one-line reason an operator can act on, without the server's address or any URL. */
export function describeDatabaseFailure(failure: DatabaseFailure): string {
  switch (failure) {
    case 'unreachable':
      return 'PostgreSQL cannot be reached (refused or dropped the connection)';
    case 'timeout':
      return 'PostgreSQL did not answer in time';
    case 'overloaded':
      return 'PostgreSQL has no free connection';
    case 'shutting-down':
      return 'PostgreSQL is shutting down or starting up';
  }
}

type Fields = { code?: unknown; kind?: unknown; message?: unknown };

/** The error, its causes, and the driver-adapter error Prisma keeps in `meta` (bounded). */
function causeChain(error: unknown): Fields[] {
  const out: Fields[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 16) {
    const item = queue.shift();
    if (!item || typeof item !== 'object') continue;
    out.push(item as Fields);
    const record = item as { cause?: unknown; meta?: { driverAdapterError?: unknown }; errors?: unknown };
    if (record.cause) queue.push(record.cause);
    if (record.meta?.driverAdapterError) queue.push(record.meta.driverAdapterError);
    // AggregateError (Node's happy-eyeballs connect) keeps one error per address tried.
    if (Array.isArray(record.errors)) queue.push(...record.errors.slice(0, 4));
  }
  return out;
}
