import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor } from '../operations/actor';
import type { ServiceContext } from '../operations/service-context';
import { summarizeIssues, validationErrorFrom } from '../operations/validation';
import { registerResources } from './resources';
import { INVALID_ARGUMENTS, registerTools } from './tools';

/**
 * One MCP server for one authenticated caller (per request over HTTP, per process over stdio).
 * Tools and resources call src/operations with the caller's actor, exactly as HTTP routes do.
 */
export function createMcpServer(ctx: ServiceContext, actor: Actor): McpServer {
  const server = new McpServer(
    { name: 'meta-ads-orchestrator', version: ctx.config.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Meta Ads data (campaigns, ad sets, ads, metrics) from a synced PostgreSQL copy, and durable Temporal workflows to sync it. Start tools return a workflowId at once; follow it with get_workflow_status. Lists are paged: pass nextCursor back as cursor.',
    },
  );
  installArgumentValidation(server);
  registerTools(server, ctx, actor);
  registerResources(server, ctx, actor);
  return server;
}

type ToolLike = { inputSchema?: { safeParseAsync(value: unknown): Promise<{ success: boolean; data?: unknown; error?: { issues: unknown[] } }> } };

/**
 * The SDK answers invalid arguments with its own text; we want the same VALIDATION_ERROR code and
 * value-free message the HTTP API gives. Invalid arguments are handed to the tool as a marker the
 * tool turns into an `isError` result, so they never reach an operation.
 */
function installArgumentValidation(server: McpServer): void {
  const target = server as unknown as { validateToolInput: (tool: ToolLike, args: unknown, name: string) => Promise<unknown> };
  target.validateToolInput = async (tool, args) => {
    if (!tool.inputSchema) return undefined;
    const result = await tool.inputSchema.safeParseAsync(args ?? {});
    if (result.success) return result.data;
    return { [INVALID_ARGUMENTS]: validationErrorFrom(summarizeIssues((result.error?.issues ?? []) as never)) };
  };
}
