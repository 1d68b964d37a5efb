/**
 * Request bodies as the official SDKs send them: urlencoded forms, multipart forms and JSON
 * (JSON objects/arrays inside are re-serialised to strings, because Graph params are
 * strings and JSON-valued params arrive as JSON text in forms).
 */

/** What the catch-all content-type parser hands to routes. */
export interface RawBody {
  contentType: string;
  raw: Buffer;
}

/** Type guard for {@link RawBody}. */
export function isRawBody(v: unknown): v is RawBody {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as RawBody).raw);
}

/** Parse a JSON body (control API); undefined when empty; throws on invalid JSON. */
export function bodyJson(body: unknown): unknown {
  if (!isRawBody(body) || body.raw.length === 0) return undefined;
  return JSON.parse(body.raw.toString('utf8'));
}

/** Graph params from any supported body. */
export function bodyParams(body: unknown): Record<string, string> {
  if (!isRawBody(body) || body.raw.length === 0) return {};
  const type = body.contentType.toLowerCase();
  if (type.includes('multipart/form-data')) return parseMultipart(body.raw, type);
  const text = body.raw.toString('utf8');
  if (type.includes('json') || /^\s*[{[]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return Object.fromEntries(new URLSearchParams(text));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function parseMultipart(raw: Buffer, contentType: string): Record<string, string> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return {};
  // latin1 keeps bytes 1:1, so we can split on the boundary and re-decode values as UTF-8.
  const text = raw.toString('latin1');
  const out: Record<string, string> = {};
  for (const part of text.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (!name) continue;
    let value = part.slice(headerEnd + 4);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    out[name] = Buffer.from(value, 'latin1').toString('utf8');
  }
  return out;
}
