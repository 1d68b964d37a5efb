import type { Db } from './prisma-client';

/** One round trip to the database (for /status): resolves when PostgreSQL answers a query. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
