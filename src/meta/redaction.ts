/**
 * Removes secrets from text before it becomes part of an error or a log line. The SDK's own
 * errors carry request URLs and form data with `access_token` and `appsecret_proof`, and Meta
 * sometimes echoes a malformed token back, so every string that leaves src/meta goes through here.
 */

const SECRET_PARAMS = ['access_token', 'appsecret_proof', 'input_token', 'client_secret', 'fb_exchange_token'];
const PARAM_PATTERN = new RegExp(`((?:${SECRET_PARAMS.join('|')})(?:=|%3D|"\\s*:\\s*"|\\\\"\\s*:\\s*\\\\"))[^&\\s"'\\\\,}]+`, 'gi');
const BEARER_PATTERN = /(Bearer\s+)[A-Za-z0-9._|~+/=-]+/g;
const REDACTED = '[redacted]';

/** Shortest secret worth replacing literally: shorter strings would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** Replaces every known secret and every `access_token=`-style value in `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
    // URL-encoded forms appear in request URLs.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out.replace(PARAM_PATTERN, `$1${REDACTED}`).replace(BEARER_PATTERN, `$1${REDACTED}`);
}

/** Deep-copies plain JSON-like data with every string redacted (for error details from Meta). */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_PARAMS.includes(k) ? REDACTED : redactDeep(v, secrets);
    }
    return out as T;
  }
  return value;
}
