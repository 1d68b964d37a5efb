/**
 * JSON Schema that every client's schema dialect reads. zod writes a nullable primitive as
 * `type: ["string", "null"]`; several clients (OpenAPI-3.0-style dialects, some model
 * providers' function-calling schemas, strict inspectors) refuse a `type` list. The same
 * meaning as `anyOf` of single types is standard JSON Schema that they all read, and that the
 * SDK client's validator still checks `structuredContent` against. Applied where tools are
 * listed only: the HTTP API's OpenAPI document keeps its own form.
 */

/** Keywords that describe the whole value and stay beside `anyOf` rather than in each branch. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

/** A deep copy of `schema` in which no `type` is a list. */
export function portableSchema<T>(schema: T): T {
  return portable(schema) as T;
}

function portable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(portable);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : portable(value);
  const types = out.type;
  if (!Array.isArray(types)) return out;
  if (types.length === 1) return { ...out, type: types[0] };
  const top: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(out)) {
    if (key === 'type') continue;
    (ANNOTATIONS.has(key) ? top : rest)[key] = value;
  }
  const branches = (types as string[]).map((type) => {
    if (type === 'null') return { type: 'null' };
    const branch: Record<string, unknown> = { type, ...rest };
    // `null` in an enum belongs to the null branch.
    if (Array.isArray(branch.enum)) branch.enum = branch.enum.filter((value) => value !== null);
    return branch;
  });
  return { ...top, anyOf: branches };
}

/** Paths of every `type` list left in a schema (none, after `portableSchema`). */
export function typeListPaths(schema: unknown, path = '$'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => typeListPaths(item, `${path}[${i}]`));
  if (!schema || typeof schema !== 'object') return [];
  const own = Array.isArray((schema as { type?: unknown }).type) ? [path] : [];
  return [...own, ...Object.entries(schema).flatMap(([key, value]) => (key === 'enum' || key === 'const' ? [] : typeListPaths(value, `${path}.${key}`)))];
}
