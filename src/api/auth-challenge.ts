import type { FastifyRequest } from 'fastify';

/**
 * The 401 an MCP client gets on /mcp, and the OAuth 2.0 Protected Resource Metadata (RFC 9728)
 * it points at. MCP's authorization spec (2025-06-18 onwards) has clients read
 * `WWW-Authenticate: Bearer resource_metadata="…"` and then the metadata's
 * `authorization_servers`. This server has no authorization server: it takes static API tokens.
 * So the document lists none and says bearer tokens in the Authorization header only, and the
 * challenge and the 401 body say where a token comes from, instead of leaving a client to look
 * for OAuth endpoints that do not exist.
 */

/** Where the metadata of `/mcp` lives: RFC 9728 §3.1 inserts the well-known path before the resource's path. */
export const MCP_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';
/** The root form, which clients that drop the resource path probe first. */
export const ROOT_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

export const NO_OAUTH_HINT =
  'This MCP server does not use OAuth: send a static API token as "Authorization: Bearer mao_…". An admin of your company creates one with POST /v1/tokens, or the operator with npm run token:create';

/** `https://host:port` as the client dialled it. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** True for the MCP endpoint, whose 401s carry the resource-metadata challenge. */
export function isMcpRequest(request: FastifyRequest): boolean {
  return request.url === '/mcp' || request.url.startsWith('/mcp?') || request.url.startsWith('/mcp/');
}

/**
 * The challenge of a 401 on /mcp: the metadata URL always; `error="invalid_token"` and a
 * description only when a token was presented (RFC 6750 §3.1: a request without credentials
 * gets no error code).
 */
export function mcpChallenge(request: FastifyRequest, message: string): string {
  const params = [`resource_metadata="${baseUrlOf(request)}${MCP_RESOURCE_METADATA_PATH}"`];
  if (request.headers.authorization) params.push('error="invalid_token"', `error_description="${quoted(message)}"`);
  return `Bearer ${params.join(', ')}`;
}

/** RFC 9728 metadata of the MCP endpoint: a resource with no authorization server, bearer tokens in the header only. */
export function mcpResourceMetadata(request: FastifyRequest, serviceName: string): Record<string, unknown> {
  const base = baseUrlOf(request);
  return {
    resource: `${base}/mcp`,
    resource_name: serviceName,
    // Deliberately empty: no OAuth authorization server issues tokens for this resource.
    authorization_servers: [],
    bearer_methods_supported: ['header'],
    scopes_supported: ['read', 'sync', 'write', 'admin'],
    resource_documentation: `${base}/docs`,
    // Not an RFC 9728 field (extensions are allowed, §2): the same hint the 401 gives.
    token_instructions: NO_OAUTH_HINT,
  };
}

/** A quoted-string value (RFC 9110 §5.6.4) a header can carry: printable ASCII, no quotes or backslashes. */
function quoted(text: string): string {
  return text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, ' ');
}
