import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type ListToolsResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError, ErrorCode, NotFoundError } from '../errors';
import { parseInput, summarizeIssues } from '../operations/validation';
import type { ToolExtra, ToolSpec } from './tools';
import { portableSchema } from './portable-schema';
import { summarizeResult } from './result-summary';
import { toToolError } from './tool-errors';

/**
 * Registers the tools and answers their calls. McpServer lists them from the registrations (zod
 * input and output schemas, annotations). Calls are answered here, through the underlying
 * Server's public `setRequestHandler`, because McpServer would answer invalid arguments with its
 * own text before a tool runs; ours are the VALIDATION_ERROR code and value-free message the HTTP
 * API gives, and invalid arguments never reach an operation. The listing is answered here too,
 * from the same zod schemas through the SDK's own converter, made portable (no `type` lists).
 */
export function registerTools(server: McpServer, specs: readonly ToolSpec[]): void {
  const byName = new Map<string, ToolSpec>();
  for (const spec of specs) {
    byName.set(spec.name, spec);
    server.registerTool(
      spec.name,
      { title: spec.title, description: spec.description, inputSchema: spec.input, outputSchema: spec.output, annotations: spec.annotations },
      (args: Record<string, unknown>, extra: ToolExtra) => callTool(spec, args, extra),
    );
  }
  // Built when asked: a server lives for one HTTP request, and most requests are calls.
  server.server.setRequestHandler(ListToolsRequestSchema, (): ListToolsResult => ({
    tools: specs.map((spec) => ({
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: portableSchema(toJsonSchemaCompat(spec.input, { strictUnions: true, pipeStrategy: 'input' })) as ListToolsResult['tools'][number]['inputSchema'],
      outputSchema: portableSchema(toJsonSchemaCompat(spec.output, { strictUnions: true, pipeStrategy: 'output' })) as ListToolsResult['tools'][number]['outputSchema'],
      annotations: spec.annotations,
    })),
  }));
  // Replaces McpServer's tools/call handler (installed when the tools capability was declared);
  // a later SDK that installs its handler after this would refuse to (it asserts none is set).
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const spec = byName.get(request.params.name);
    if (!spec) return toToolError(new NotFoundError('Tool', request.params.name));
    return callTool(spec, request.params.arguments, extra);
  });
}

/** Validates, runs and checks one call; every failure is an `isError` result with our codes. */
async function callTool(spec: ToolSpec, args: unknown, extra: ToolExtra): Promise<CallToolResult> {
  try {
    const result = await spec.run(parseInput(spec.input, args), extra);
    // The SDK checked structuredContent against outputSchema; a mismatch is our bug, not the caller's.
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      const paths = summarizeIssues(checked.error.issues as never).map((issue) => issue.path);
      throw new AppError(ErrorCode.Internal, `Tool ${spec.name} returned a result outside its output schema (${paths.join(', ')})`);
    }
    // A short summary as text, the result once, as structuredContent (checked by clients against outputSchema).
    return { content: [{ type: 'text', text: summarizeResult(spec.name, result) }], structuredContent: result };
  } catch (error) {
    return toToolError(error);
  }
}
