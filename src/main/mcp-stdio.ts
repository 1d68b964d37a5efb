// `npm run --silent mcp:stdio`: MCP over stdio for desktop clients, acting with META_ORCHESTRATOR_TOKEN.
// Connects to DATABASE_URL and TEMPORAL_ADDRESS when set; otherwise to the embedded PostgreSQL
// and Temporal of the `npm start` running with the same DATA_DIR (found through its
// instance.json). Nothing embedded is started here.
// stdout carries JSON-RPC only: console output is sent to stderr, and a missing or bad token
// ends the process before it serves (stdio has no 401), with the reason on stderr.
import { loadConfig } from '../config';
import { ConfigurationError } from '../errors';
import { createPrismaClient } from '../db/prisma-client';
import { routeConsoleToStderr, serveMcpStdio } from '../mcp/stdio';
import type { ServiceContext } from '../operations/service-context';
import { connectTemporalClient } from '../temporal/temporal-client';
import { resolveLocalStack } from './instance-file';

async function main(): Promise<void> {
  routeConsoleToStderr();
  const config = loadConfig();
  if (!config.mcpToken) throw new ConfigurationError('META_ORCHESTRATOR_TOKEN is required: create one with `npm run token:create -- --company <id> --scopes read,sync`');
  const stack = resolveLocalStack(config, { temporal: true });
  const target = stack.temporal!;
  const db = createPrismaClient({ url: stack.databaseUrl, poolSize: 4 });
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>> | undefined;
  const shutdown = async (code: number): Promise<never> => {
    await temporal?.close().catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    process.exit(code);
  };
  try {
    temporal = await connectTemporalClient({ address: target.address, namespace: target.namespace });
    const ctx: ServiceContext = {
      // Workflows start on the namespace and task queue the running stack's worker polls.
      config: Object.freeze({ ...config, temporal: Object.freeze({ ...config.temporal, address: target.address, namespace: target.namespace, taskQueue: target.taskQueue }) }),
      db,
      temporal: temporal.client,
      runtime: { databaseMode: config.database.mode, temporalAddress: target.address, startedAt: new Date() },
    };
    const served = await serveMcpStdio(ctx);
    const stop = (): void => void served.close().catch(() => undefined).then(() => shutdown(0));
    process.stdin.on('end', stop);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`mcp:stdio failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`mcp:stdio failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
