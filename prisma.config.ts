import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { createMigrationPool } from './src/db/migration-pg-pool';

// Prisma's CLI runs fully offline through its WASM schema engine ("js" engine + driver adapter);
// the native schema-engine binary would be downloaded from Prisma's servers, which we cannot reach.
// DATABASE_URL is read here because this file is the Prisma CLI's own entrypoint, not the app's.
export default defineConfig({
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  engine: 'js',
  async adapter() {
    const connectionString = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    return new PrismaPg(createMigrationPool(connectionString));
  },
});
