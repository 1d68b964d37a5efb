/**
 * Turns an applied write into a {@link SimWrite}: the written fields read back exactly as a
 * Graph read answers them (budgets as minor-unit strings, times in the account's offset,
 * the creative as `{id}`), so a test compares the log with what a client sent and later reads.
 */
import { projectNode } from './node-reader';
import { READABLE_FIELDS, REFERENCES } from './object-fields';
import type { SimNode, SimulatorState } from './simulator-state';
import type { SimWrite, WriteKind } from './write-log';

// Projection needs an origin only for edge expansions, which written fields never are.
const ORIGIN = { baseUrl: '', version: '', path: '', params: {} };

/** The given fields of a node as a Graph read answers them (unreadable names are skipped). */
export function readFields(state: SimulatorState, node: SimNode, keys: readonly string[]): Record<string, unknown> {
  const readable = keys.filter((k) => READABLE_FIELDS[node.type].has(k) || REFERENCES[node.type]?.[k] !== undefined);
  if (!readable.length) return {};
  const out = projectNode(state, node, readable.map((name) => ({ name, modifiers: {} })), ORIGIN);
  if (!readable.includes('id')) delete out.id;
  return out;
}

/** Record an applied write of `keys` on `node` (`previous` read before it was applied). */
export function recordWrite(
  state: SimulatorState,
  node: SimNode,
  kind: WriteKind,
  keys: readonly string[],
  previous?: Record<string, unknown>,
): SimWrite {
  const account = state.accountOf(node);
  return state.writes.record({
    at: new Date(state.now()).toISOString(),
    objectId: node.id,
    objectType: node.type,
    ...(account ? { adAccountId: account.id } : {}),
    kind,
    fields: readFields(state, node, keys),
    ...(previous ? { previous } : {}),
  });
}
