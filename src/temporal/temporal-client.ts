import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../domain/search-attributes';

export interface TemporalConnectionOptions {
  address: string;
  namespace: string;
  /**
   * Deadline of every call made without one of its own: a stopped or unreachable server fails
   * the call (DEADLINE_EXCEEDED) instead of leaving it waiting forever. Long polls get
   * {@link LONG_POLL_DEADLINE_MS}. @default 10_000
   */
  callTimeoutMs?: number;
}

type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/**
 * Calls the server holds open until something happens (a workflow's close event, an update's
 * outcome): bounded too, but above the server's own long-poll interval (20 s by default), after
 * which it answers empty and the SDK asks again.
 */
const LONG_POLL_METHODS = new Set(['GetWorkflowExecutionHistory', 'PollWorkflowExecutionUpdate', 'UpdateWorkflowExecution', 'ExecuteMultiOperation']);
export const LONG_POLL_DEADLINE_MS = 70_000;

/** A gRPC interceptor that gives each call a deadline unless the caller set one (`withDeadline`). */
export function defaultDeadlineInterceptor(callTimeoutMs: number): GrpcInterceptor {
  return (options, nextCall) => {
    // grpc-js types nextCall's result as the interface; it is the InterceptingCall an interceptor returns.
    type Call = ReturnType<GrpcInterceptor>;
    if (options.deadline !== undefined) return nextCall(options) as Call;
    const method = options.method_definition.path.split('/').pop() ?? '';
    const timeout = LONG_POLL_METHODS.has(method) ? Math.max(callTimeoutMs, LONG_POLL_DEADLINE_MS) : callTimeoutMs;
    return nextCall({ ...options, deadline: Date.now() + timeout }) as Call;
  };
}

export interface TemporalClientHandle {
  client: Client;
  connection: Connection;
  namespace: string;
  close(): Promise<void>;
}

/** Connects one Temporal client for the process (fronts and operations share it). */
export async function connectTemporalClient(options: TemporalConnectionOptions): Promise<TemporalClientHandle> {
  const connection = await Connection.connect({
    address: options.address,
    // The deadline first, so the SDK's retries (kept) of an unreachable server stop at it too.
    interceptors: [defaultDeadlineInterceptor(options.callTimeoutMs ?? 10_000), makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
  });
  const client = new Client({ connection, namespace: options.namespace });
  return { client, connection, namespace: options.namespace, close: () => connection.close() };
}

/**
 * Registers the custom search attributes on a cluster that lacks them (the dev server gets them
 * from flags; docker compose and Temporal Cloud may not). Idempotent.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !known.has(name));
  if (missing.length === 0) return [];
  // 2 = INDEXED_VALUE_TYPE_KEYWORD in temporal.api.enums.v1.IndexedValueType.
  const searchAttributes = Object.fromEntries(missing.map((name) => [name, 2]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return [...missing];
}
