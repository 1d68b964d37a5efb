import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../domain/search-attributes';

export interface TemporalConnectionOptions {
  address: string;
  namespace: string;
}

export interface TemporalClientHandle {
  client: Client;
  connection: Connection;
  namespace: string;
  close(): Promise<void>;
}

/** Connects one Temporal client for the process (fronts and operations share it). */
export async function connectTemporalClient(options: TemporalConnectionOptions): Promise<TemporalClientHandle> {
  const connection = await Connection.connect({ address: options.address });
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
