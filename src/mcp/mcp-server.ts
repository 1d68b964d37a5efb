import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor } from '../operations/actor';
import type { ServiceContext } from '../operations/service-context';
import { registerPrompts } from './prompts';
import { registerResources } from './resources';
import { registerTools } from './tool-calls';
import { toolSpecs } from './tools';

/**
 * One MCP server for one authenticated caller (per request over HTTP, per process over stdio).
 * Tools and resources call src/operations with the caller's actor, exactly as HTTP routes do.
 */
export function createMcpServer(ctx: ServiceContext, actor: Actor): McpServer {
  const server = new McpServer(
    { name: 'meta-ads-orchestrator', version: ctx.config.version },
    {
      capabilities: { tools: {}, resources: {}, prompts: {} },
      instructions:
        'Meta Ads data (campaigns, ad sets, ads, metrics) from a synced PostgreSQL copy, and durable Temporal workflows to sync it. Start tools return a workflowId at once (or wait for it with waitSeconds); follow it with get_workflow_status (waitSeconds waits there too). Lists are paged: pass nextCursor back as cursor. Results are in structuredContent; the text is a short summary. Prompts walk through the common jobs (weekly review, wasted spend, a budget change).',
    },
  );
  registerTools(server, toolSpecs(ctx, actor));
  registerResources(server, ctx, actor);
  registerPrompts(server);
  return server;
}
