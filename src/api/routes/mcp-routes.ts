import type { FastifyInstance, FastifyReply } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer } from '../../mcp/mcp-server';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';

/**
 * MCP over Streamable HTTP at /mcp, stateless: every POST gets a fresh server and transport bound
 * to the caller's actor. Authentication already ran (the app's auth hook answers 401 in the API's
 * error shape before any MCP parsing). GET and DELETE (sessions, SSE streams) are not offered.
 */
export async function mcpRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  app.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(request);
    // The rate limit counts requests; a JSON-RPC batch would make 100 calls one request. MCP
    // (2025-06-18) has no batches any more: one message per POST, each counted.
    if (Array.isArray(request.body) && request.body.length !== 1) {
      return reply.code(400).send({
        jsonrpc: '2.0',
        error: { code: -32600, message: `JSON-RPC batches are not accepted (got ${request.body.length} messages): send one message per POST; each counts toward the per-token rate limit` },
        id: null,
      });
    }
    const server = createMcpServer(ctx, actor);
    // Plain JSON answers, except when the client asked for progress: notifications/progress need
    // the SSE form of the response to arrive before the result.
    const wantsProgress = (request.body as { params?: { _meta?: { progressToken?: unknown } } } | undefined)?.params?._meta?.progressToken !== undefined;
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !wantsProgress });
    reply.raw.setHeader('x-request-id', request.id);
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  const notAllowed = async (_request: unknown, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; use POST' }, id: null });
  app.get('/mcp', { schema: { hide: true } }, notAllowed);
  app.delete('/mcp', { schema: { hide: true } }, notAllowed);
}
