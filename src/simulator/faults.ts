/**
 * Fault injection: the failure modes sync clients trip over, drawn from a seeded PRNG so a
 * test run is reproducible. Set with `POST /__sim/faults`; `{}` clears everything.
 */
import { SeededRandom } from './seeded-random';

/** Body of `POST /__sim/faults`. Rates are probabilities in [0, 1] per Graph call. */
export interface FaultConfig {
  /** Extra latency per Graph request (overrides the start option while set). */
  latencyMs?: number;
  /** Code 2, is_transient, HTTP 500. */
  transientErrorRate?: number;
  /** Bare HTTP 500, code 1 "An unknown error occurred". */
  http500Rate?: number;
  /** Block every ad account for this many seconds from now (80004 / 80000). */
  throttleBlockSeconds?: number;
  /** Block only these accounts (`act_…` → seconds). */
  throttleAccounts?: Record<string, number>;
  /** true = every token; or the list of tokens that are now expired (190/463). */
  expireTokens?: boolean | string[];
  /** Share of new async report runs that end "Job Failed". */
  asyncJobFailureRate?: number;
  /** Share of new async report runs that end "Job Skipped". */
  asyncJobSkipRate?: number;
  /** Share of batch items answered with `null` (as on a batch timeout); the item is not run. */
  batchNullRate?: number;
  /**
   * Share of applied writes (creates, updates, deletes; alone or as batch items) whose answer
   * is lost after the write took effect: HTTP 500 (code 1), or no answer at all (the
   * connection closes; a batch item is `null`). The write is in `/__sim/writes` either way.
   */
  writeAppliedThenErrorRate?: number;
  /** How a lost write answer looks. @default 'mixed' (500 or dropped, half each) */
  writeAppliedThenErrorMode?: WriteLossMode;
  /** Reseeds the fault PRNG. @default the simulator seed */
  faultSeed?: number;
}

/** Ways the answer of an applied write is lost. */
export const WriteLossModes = ['mixed', 'error', 'drop'] as const;
/** One of {@link WriteLossModes}. */
export type WriteLossMode = (typeof WriteLossModes)[number];

/** Current faults plus their PRNG. */
export class FaultState {
  config: FaultConfig = {};
  /** When tokens were expired (for the 463 message). */
  expiredAtMs = 0;
  private rng: SeededRandom;

  constructor(private readonly defaultSeed: number) {
    this.rng = new SeededRandom(defaultSeed ^ 0xfa017);
  }

  /** Replace the fault configuration (validated by the caller). */
  set(config: FaultConfig, nowMs: number): void {
    this.config = config;
    this.rng = new SeededRandom((config.faultSeed ?? this.defaultSeed) ^ 0xfa017);
    if (config.expireTokens) this.expiredAtMs = nowMs;
  }

  /** Draw one event of probability `rate`. */
  draw(rate: number | undefined): boolean {
    if (!rate || rate <= 0) return false;
    return this.rng.next() < rate;
  }

  /** For a write that was just applied: lose its answer as a 500 ('error'), not at all ('drop'), or keep it (undefined). */
  drawAppliedThenError(): 'error' | 'drop' | undefined {
    if (!this.draw(this.config.writeAppliedThenErrorRate)) return undefined;
    const mode = this.config.writeAppliedThenErrorMode ?? 'mixed';
    if (mode === 'mixed') return this.rng.next() < 0.5 ? 'error' : 'drop';
    return mode;
  }

  /** True when `token` is expired by the current faults. */
  isExpired(token: string): boolean {
    const e = this.config.expireTokens;
    if (e === true) return true;
    return Array.isArray(e) && e.includes(token);
  }
}

/** Validate an untrusted faults body; returns the config or an error message. */
export function parseFaultConfig(body: unknown): FaultConfig | string {
  if (body === null || body === undefined) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return 'faults body must be a JSON object';
  const b = body as Record<string, unknown>;
  const out: FaultConfig = {};
  const rateKeys = ['transientErrorRate', 'http500Rate', 'asyncJobFailureRate', 'asyncJobSkipRate', 'batchNullRate', 'writeAppliedThenErrorRate'] as const;
  for (const k of rateKeys) {
    if (b[k] === undefined) continue;
    const v = b[k];
    if (typeof v !== 'number' || v < 0 || v > 1) return `${k} must be a number between 0 and 1`;
    out[k] = v;
  }
  for (const k of ['latencyMs', 'throttleBlockSeconds', 'faultSeed'] as const) {
    if (b[k] === undefined) continue;
    const v = b[k];
    if (typeof v !== 'number' || v < 0 || !Number.isFinite(v)) return `${k} must be a non-negative number`;
    out[k] = v;
  }
  if (b.throttleAccounts !== undefined) {
    const t = b.throttleAccounts;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return 'throttleAccounts must be an object of act_id → seconds';
    const entries = Object.entries(t as Record<string, unknown>);
    if (entries.some(([, s]) => typeof s !== 'number' || s < 0)) return 'throttleAccounts values must be non-negative seconds';
    out.throttleAccounts = Object.fromEntries(entries) as Record<string, number>;
  }
  if (b.expireTokens !== undefined) {
    const e = b.expireTokens;
    if (typeof e === 'boolean') out.expireTokens = e;
    else if (Array.isArray(e) && e.every((x) => typeof x === 'string')) out.expireTokens = e as string[];
    else return 'expireTokens must be true/false or a list of tokens';
  }
  if (b.writeAppliedThenErrorMode !== undefined) {
    const m = b.writeAppliedThenErrorMode;
    if (typeof m !== 'string' || !(WriteLossModes as readonly string[]).includes(m)) return `writeAppliedThenErrorMode must be one of ${WriteLossModes.join(', ')}`;
    out.writeAppliedThenErrorMode = m as WriteLossMode;
  }
  const known = new Set<string>([...rateKeys, 'latencyMs', 'throttleBlockSeconds', 'faultSeed', 'throttleAccounts', 'expireTokens', 'writeAppliedThenErrorMode']);
  const unknownKeys = Object.keys(b).filter((k) => !known.has(k));
  if (unknownKeys.length) return `unknown fault keys: ${unknownKeys.join(', ')}`;
  return out;
}
