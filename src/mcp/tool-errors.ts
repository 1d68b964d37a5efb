import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError, ErrorCode } from '../errors';

/**
 * The one place MCP maps errors: an `isError` result whose text is the same `{code, message}`
 * the HTTP API returns. Our own failures (5xx-class) hide their message, as over HTTP.
 */
export function toToolError(error: unknown): CallToolResult {
  let body: { code: string; message: string; details?: Record<string, unknown> };
  if (error instanceof AppError) {
    const hide = error.code === ErrorCode.Internal || error.code === ErrorCode.Configuration || error.code === ErrorCode.TokenCrypto;
    body = hide
      ? { code: error.code, message: 'Internal error: the failure was logged' }
      : { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  } else {
    body = { code: ErrorCode.Internal, message: 'Internal error: the failure was logged' };
  }
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: body }) }] };
}
