// `npm run mcp:stdio`: MCP over stdio for desktop clients, acting with META_ORCHESTRATOR_TOKEN.
// Connects to DATABASE_URL and TEMPORAL_ADDRESS like `npm run api` (nothing embedded is started).
import { loadConfig } from '../config';
import { ConfigurationError } from '../errors';
import { createPrismaClient } from '../db/prisma-client';
import { serveMcpStdio } from '../mcp/stdio';
import type { ServiceContext } from '../operations/service-context';
import { connectTemporalClient } from '../temporal/temporal-client';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new ConfigurationError('DATABASE_URL is required for the stdio MCP server');
  if (!config.temporal.address) throw new ConfigurationError('TEMPORAL_ADDRESS is required for the stdio MCP server');
  const db = createPrismaClient({ url: config.database.url, poolSize: 4 });
  const temporal = await connectTemporalClient({ address: config.temporal.address, namespace: config.temporal.namespace });
  const ctx: ServiceContext = {
    config,
    db,
    temporal: temporal.client,
    runtime: { databaseMode: 'external', temporalAddress: config.temporal.address, startedAt: new Date() },
  };
  const served = await serveMcpStdio(ctx);
  const shutdown = async (): Promise<void> => {
    await served.close().catch(() => undefined);
    await temporal.close().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`mcp:stdio failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
