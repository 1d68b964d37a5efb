import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer } from '../../mcp/mcp-server';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { MCP_RESOURCE_METADATA_PATH, mcpResourceMetadata, NO_OAUTH_HINT, ROOT_RESOURCE_METADATA_PATH } from '../auth-challenge';

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

  // RFC 9728 metadata a 401 on /mcp points at (public: a client reads it before it has a token).
  const metadata = async (request: FastifyRequest) => mcpResourceMetadata(request, 'Meta Ads orchestrator MCP');
  app.get(MCP_RESOURCE_METADATA_PATH, { schema: { hide: true }, config: { public: true } }, metadata);
  app.get(ROOT_RESOURCE_METADATA_PATH, { schema: { hide: true }, config: { public: true } }, metadata);
  // Where OAuth clients look for an authorization server: none exists, and the answer says so.
  const noAuthorizationServer = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No OAuth authorization server. ${NO_OAUTH_HINT}`, requestId: request.id } });
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    app.get(path, { schema: { hide: true }, config: { public: true } }, noAuthorizationServer);
    app.get(`${path}/mcp`, { schema: { hide: true }, config: { public: true } }, noAuthorizationServer);
  }
}
