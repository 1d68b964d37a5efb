import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { z } from 'zod';
import type { Actor } from '../../operations/actor';
import type { ServiceContext } from '../../operations/service-context';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** One MCP tool: its listing (name, schemas, annotations) and what a call runs. */
export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  output: z.ZodObject;
  annotations: ToolAnnotations;
  /** Runs with arguments already parsed by `input`. */
  run(args: Record<string, unknown>, extra: ToolExtra): Promise<Record<string, unknown>>;
}

/** The tools of one area, bound to the caller: the same operations the HTTP API calls. */
export type ToolArea = (ctx: ServiceContext, actor: Actor) => ToolSpec[];

export const readOnly: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const pageNote = 'Results are paged: when nextCursor is not null more remain; call again with cursor=nextCursor.';
