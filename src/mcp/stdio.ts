import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { AppError, ConfigurationError, ErrorCode } from '../errors';
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
  const token = ctx.config.mcpToken;
  const actor = await authenticateToken(ctx, token);
  const server = createMcpServer(ctx, actor);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  checkTokenOnEachMessage(transport, async () => void (await authenticateToken(ctx, token)));
  return { close: () => server.close() };
}

/** JSON-RPC error code of a request refused because its token no longer authenticates (HTTP answers 401). */
export const UNAUTHENTICATED_RPC_CODE = -32001;

/**
 * A stdio process serves one token for its whole life, while HTTP checks the token on every
 * request: so the token is checked again before each incoming message, and one revoked, expired
 * or of a deactivated company has its requests answered with an error instead of reaching a tool.
 * Messages are checked one after another, so they still reach the server in arrival order.
 */
function checkTokenOnEachMessage(transport: StdioServerTransport, check: () => Promise<void>): void {
  const deliver = transport.onmessage;
  let queue: Promise<void> = Promise.resolve();
  transport.onmessage = (message: JSONRPCMessage) => {
    queue = queue.then(async () => {
      try {
        await check();
      } catch (error) {
        if ('method' in message && 'id' in message) {
          const known = error instanceof AppError;
          await transport
            .send({ jsonrpc: '2.0', id: message.id, error: { code: UNAUTHENTICATED_RPC_CODE, message: known ? error.message : 'The API token could not be checked', data: { code: known ? error.code : ErrorCode.Internal } } })
            .catch(() => undefined);
        }
        return;
      }
      deliver?.(message);
    });
  };
}
