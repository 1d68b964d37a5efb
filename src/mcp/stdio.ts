import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ConfigurationError } from '../errors';
import { authenticateToken } from '../operations/api-tokens';
import type { ServiceContext } from '../operations/service-context';
import { createMcpServer } from './mcp-server';

/**
 * stdout belongs to the protocol: console.log/info/debug (from any library) go to stderr instead,
 * so a stray line can never corrupt a JSON-RPC message.
 */
export function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]): void => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.trace = toStderr;
}

/**
 * Serves MCP over stdin/stdout as the holder of `META_ORCHESTRATOR_TOKEN`: the same tools, scopes
 * and tenancy as over HTTP. stdout belongs to the protocol; logs go to stderr.
 */
export async function serveMcpStdio(ctx: ServiceContext): Promise<{ close(): Promise<void> }> {
  if (!ctx.config.mcpToken) throw new ConfigurationError('META_ORCHESTRATOR_TOKEN is required: create one with `npm run token:create -- --company <id> --scopes read,sync`');
  const actor = await authenticateToken(ctx, ctx.config.mcpToken);
  const server = createMcpServer(ctx, actor);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return { close: () => server.close() };
}
