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
}

/** One Prisma client per process, on the pg driver adapter (no native query engine needed). */
export function createPrismaClient(options: CreatePrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
