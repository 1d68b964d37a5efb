/**
 * Failed authentications per client address. The per-token limit cannot stop a client that
 * sends a new random token with every request (each one a fresh key, and a database lookup);
 * this counts refused tokens per address in a one-minute window and, past the limit, answers
 * 429 before any lookup until the window ends. In memory, per process, like the per-token limit.
 */

const WINDOW_MS = 60_000;
/** Addresses tracked at most; expired windows are dropped first, then the oldest. */
const MAX_TRACKED = 10_000;

export interface AuthFailureLimiterOptions {
  /** Failures an address may have in one window; the next attempt is refused. */
  maxPerMinute: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: AuthFailureLimiterOptions) {
    this.max = options.maxPerMinute;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until `address` may authenticate again; 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    if (!window || window.failures < this.max) return 0;
    return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - this.now()) / 1000));
  }

  /** Counts one refused token from `address`. */
  recordFailure(address: string): void {
    const window = this.current(address);
    if (window) {
      window.failures++;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.prune();
    this.windows.set(address, { startedAt: this.now(), failures: 1 });
  }

  /** The limit this limiter applies, for messages. */
  get maxPerMinute(): number {
    return this.max;
  }

  private current(address: string): { startedAt: number; failures: number } | undefined {
    const window = this.windows.get(address);
    if (window && window.startedAt + WINDOW_MS <= this.now()) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private prune(): void {
    const now = this.now();
    for (const [address, window] of this.windows) if (window.startedAt + WINDOW_MS <= now) this.windows.delete(address);
    // Still full: drop the oldest (Map keeps insertion order).
    for (const address of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(address);
    }
  }
}
