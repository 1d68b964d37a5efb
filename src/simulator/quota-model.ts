/**
 * Meta's rate limits as seen by a client: the per-ad-account score (sliding window; read 1
 * point, write 3), Business Use Case hourly budgets per type (ads_management, ads_insights),
 * an app-wide hourly budget, and fault-forced blocks. It produces both the refusal envelopes
 * and the usage headers sent on every Graph response, errors included.
 *
 * Quotas run on the real clock (not the simulated one) so recovery can be tested by waiting.
 */
import { throttleError, type GraphError } from './graph-errors';

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { ceil: mCeil, floor: mFloor, max: mMax, min: mMin, round: mRound } = Math;

/** Access tier as it appears in headers. */
export type AccessTier = 'development_access' | 'standard_access';
/** BUC types the simulator tracks. */
export type BucType = 'ads_management' | 'ads_insights';

/** Quota knobs. Defaults are Meta's standard tier, which never blocks in normal tests. */
export interface QuotaConfig {
  /** @default 'standard_access' */
  tier: AccessTier;
  /** Ad-account score ceiling. @default 9000 (development tier: 60) */
  scoreMax: number;
  /** Sliding window of the score. @default 300 */
  scoreWindowSeconds: number;
  /** Block after the score is exceeded. @default 60 (development tier: 300) */
  blockSeconds: number;
  /** @default 1 */ readPoints: number;
  /** @default 3 */ writePoints: number;
  /** ads_management calls per rolling hour, before the per-active-ad bonus. @default 100000 (dev 300) */
  adsManagementPerHour: number;
  /** @default 40 */ adsManagementPerActiveAd: number;
  /** ads_insights calls per rolling hour, before the per-active-ad bonus. @default 190000 (dev 600) */
  adsInsightsPerHour: number;
  /** @default 400 */ adsInsightsPerActiveAd: number;
  /** App-wide calls per rolling hour before code 4. @default Infinity */
  appCallsPerHour: number;
}

/** Resolve defaults (development tier changes the defaults it implies). */
export function resolveQuotaConfig(partial: Partial<QuotaConfig> = {}): QuotaConfig {
  const dev = partial.tier === 'development_access';
  return {
    tier: partial.tier ?? 'standard_access',
    scoreMax: dev ? 60 : 9000,
    scoreWindowSeconds: 300,
    blockSeconds: dev ? 300 : 60,
    readPoints: 1,
    writePoints: 3,
    adsManagementPerHour: dev ? 300 : 100_000,
    adsManagementPerActiveAd: dev ? 0 : 40,
    adsInsightsPerHour: dev ? 600 : 190_000,
    adsInsightsPerActiveAd: dev ? 0 : 400,
    appCallsPerHour: Number.POSITIVE_INFINITY,
    ...stripUndefined(partial),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Time-bucketed sliding counter. */
class SlidingCounter {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private head = 0;
  private sum = 0;

  constructor(private readonly windowMs: number, private readonly bucketMs: number) {}

  add(nowMs: number, v: number): void {
    const t = mFloor(nowMs / this.bucketMs) * this.bucketMs;
    const last = this.times.length - 1;
    if (last >= this.head && this.times[last] === t) this.values[last] = (this.values[last] ?? 0) + v;
    else {
      this.times.push(t);
      this.values.push(v);
    }
    this.sum += v;
  }

  total(nowMs: number): number {
    this.prune(nowMs);
    return this.sum;
  }

  /** Ms until the oldest bucket leaves the window (0 when empty). */
  msUntilOldestExpires(nowMs: number): number {
    this.prune(nowMs);
    if (this.head >= this.times.length) return 0;
    return mMax(0, (this.times[this.head] ?? 0) + this.windowMs - nowMs);
  }

  private prune(nowMs: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) + this.windowMs <= nowMs) {
      this.sum -= this.values[this.head] ?? 0;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.values.splice(0, this.head);
      this.head = 0;
    }
  }
}

interface AccountQuota {
  score: SlidingCounter;
  scoreBlockedUntil: number;
  buc: Record<BucType, SlidingCounter>;
  bucBlockedUntil: Record<BucType, number>;
  forcedBlockedUntil: number;
}

/** A call to account for. */
export interface QuotaCall {
  /** Bare ad account id, when the call targets one. */
  accountId?: string;
  write: boolean;
  buc: BucType;
  /** Active ads of the account, for the BUC bonus. */
  activeAds: number;
}

/** The quota state of the whole app. */
export class QuotaModel {
  readonly config: QuotaConfig;
  private readonly accounts = new Map<string, AccountQuota>();
  private readonly app = new SlidingCounter(3_600_000, 60_000);
  private forcedAllUntil = 0;

  constructor(partial: Partial<QuotaConfig> = {}) {
    this.config = resolveQuotaConfig(partial);
  }

  private account(id: string): AccountQuota {
    let q = this.accounts.get(id);
    if (!q) {
      q = {
        score: new SlidingCounter(this.config.scoreWindowSeconds * 1000, 1000),
        scoreBlockedUntil: 0,
        buc: { ads_management: new SlidingCounter(3_600_000, 60_000), ads_insights: new SlidingCounter(3_600_000, 60_000) },
        bucBlockedUntil: { ads_management: 0, ads_insights: 0 },
        forcedBlockedUntil: 0,
      };
      this.accounts.set(id, q);
    }
    return q;
  }

  /** Block every account until `untilMs` (fault `throttleBlockSeconds`). */
  blockAll(untilMs: number): void {
    this.forcedAllUntil = untilMs;
  }

  /** Block one account until `untilMs` (fault `throttleAccounts`). */
  blockAccount(accountId: string, untilMs: number): void {
    this.account(accountId).forcedBlockedUntil = untilMs;
  }

  /** Lift fault-forced blocks (faults cleared). */
  clearForcedBlocks(): void {
    this.forcedAllUntil = 0;
    for (const q of this.accounts.values()) q.forcedBlockedUntil = 0;
  }

  /** Admit or refuse a call; admitted calls are charged. Returns the refusal, if any. */
  admit(call: QuotaCall, nowMs: number): GraphError | undefined {
    const c = this.config;
    if (this.app.total(nowMs) + 1 > c.appCallsPerHour) return throttleError('app');
    if (!call.accountId) {
      this.app.add(nowMs, 1);
      return undefined;
    }
    const q = this.account(call.accountId);
    if (mMax(q.forcedBlockedUntil, this.forcedAllUntil) > nowMs) return throttleError(call.buc);
    if (q.scoreBlockedUntil > nowMs) return throttleError(call.write ? 'account_score_write' : 'account_score_read');
    if (q.bucBlockedUntil[call.buc] > nowMs) return throttleError(call.buc);
    const points = call.write ? c.writePoints : c.readPoints;
    if (q.score.total(nowMs) + points > c.scoreMax) {
      q.scoreBlockedUntil = nowMs + c.blockSeconds * 1000;
      return throttleError(call.write ? 'account_score_write' : 'account_score_read');
    }
    const bucLimit = this.bucLimit(call.buc, call.activeAds);
    const counter = q.buc[call.buc];
    if (counter.total(nowMs) + 1 > bucLimit) {
      q.bucBlockedUntil[call.buc] = nowMs + mMax(60_000, counter.msUntilOldestExpires(nowMs));
      return throttleError(call.buc);
    }
    q.score.add(nowMs, points);
    counter.add(nowMs, 1);
    this.app.add(nowMs, 1);
    return undefined;
  }

  private bucLimit(type: BucType, activeAds: number): number {
    const c = this.config;
    return type === 'ads_management'
      ? c.adsManagementPerHour + c.adsManagementPerActiveAd * activeAds
      : c.adsInsightsPerHour + c.adsInsightsPerActiveAd * activeAds;
  }

  /** Seconds until the account can call again for this BUC type (0 when not blocked). */
  secondsBlocked(accountId: string, buc: BucType, nowMs: number): number {
    const q = this.account(accountId);
    const until = mMax(q.forcedBlockedUntil, this.forcedAllUntil, q.scoreBlockedUntil, q.bucBlockedUntil[buc]);
    return until > nowMs ? (until - nowMs) / 1000 : 0;
  }

  /** The four usage headers for a response. */
  headers(accountId: string | undefined, activeAds: number, insights: boolean, nowMs: number): Record<string, string> {
    const c = this.config;
    const appCalls = this.app.total(nowMs);
    const appPct = Number.isFinite(c.appCallsPerHour) ? pct(appCalls, c.appCallsPerHour) : pct(appCalls, 1_000_000);
    const headers: Record<string, string> = {
      'x-app-usage': JSON.stringify({ call_count: appPct, total_time: mMin(100, mFloor(appPct / 2)), total_cputime: mMin(100, mFloor(appPct / 2)) }),
    };
    if (!accountId) {
      headers['x-business-use-case-usage'] = '{}';
      headers['x-ad-account-usage'] = JSON.stringify({ acc_id_util_pct: 0, reset_time_duration: 0, ads_api_access_tier: c.tier });
      return headers;
    }
    const q = this.account(accountId);
    const score = q.score.total(nowMs);
    const scoreBlockedFor = mMax(0, q.scoreBlockedUntil - nowMs);
    const accPct = mRound((mMin(100, (score / c.scoreMax) * 100) + Number.EPSILON) * 100) / 100;
    headers['x-ad-account-usage'] = JSON.stringify({
      acc_id_util_pct: scoreBlockedFor > 0 ? 100 : accPct,
      reset_time_duration: mCeil((scoreBlockedFor > 0 ? scoreBlockedFor : q.score.msUntilOldestExpires(nowMs)) / 1000),
      ads_api_access_tier: c.tier,
    });
    const entries = (['ads_management', 'ads_insights'] as const).map((type) => {
      const used = pct(q.buc[type].total(nowMs), this.bucLimit(type, activeAds));
      const blocked = this.secondsBlocked(accountId, type, nowMs);
      return {
        type,
        call_count: blocked > 0 ? mMax(100, used) : used,
        total_cputime: mFloor(used / 2),
        total_time: mFloor(used / 2),
        estimated_time_to_regain_access: blocked > 0 ? mCeil(blocked / 60) : 0,
        ads_api_access_tier: c.tier,
      };
    });
    headers['x-business-use-case-usage'] = JSON.stringify({ [accountId]: entries });
    if (insights) {
      const blocked = this.secondsBlocked(accountId, 'ads_insights', nowMs) > 0;
      headers['x-fb-ads-insights-throttle'] = JSON.stringify({
        app_id_util_pct: appPct,
        acc_id_util_pct: blocked ? 100 : pct(q.buc.ads_insights.total(nowMs), this.bucLimit('ads_insights', activeAds)),
        ads_api_access_tier: c.tier,
      });
    }
    return headers;
  }
}

function pct(used: number, limit: number): number {
  if (limit <= 0) return 100;
  return mMin(100, mFloor((used / limit) * 100));
}
