/**
 * The simulator's whole mutable world: generated objects with parent/edge indexes, the
 * simulated clock, per-account attribution revisions, async report runs, quotas, faults and
 * call statistics. Routes read and write only through this object, so `/__sim/reset` can
 * rebuild it in one place.
 */
import { generateWorld } from './data-generator';
import { FaultState } from './faults';
import { CellTables } from './metrics-model';
import { resolveProfile, type BuiltInProfileName, type ProfileSpec, type ResolvedProfile } from './profiles';
import { OAuthModel, type SimOAuthApp } from './oauth-model';
import { SimWebhooks, type SimWebhookOptions } from './lead-webhooks';
import { QuotaModel, type QuotaConfig } from './quota-model';
import { localDay, localParts } from './time-zones';
import { WriteLog } from './write-log';

/** Graph node types the simulator serves. */
export const NodeTypes = [
  'user', 'adaccount', 'campaign', 'adset', 'ad', 'adcreative', 'customaudience', 'adspixel', 'adrule',
  'business', 'page', 'leadgen_form', 'lead', 'instagram_account', 'product_catalog', 'product_feed',
  'product', 'product_set', 'report_run',
] as const;
/** One of {@link NodeTypes}. */
export type NodeType = (typeof NodeTypes)[number];

/** Configured statuses of campaigns, ad sets and ads. */
export const ObjectStatus = { Active: 'ACTIVE', Paused: 'PAUSED', Archived: 'ARCHIVED', Deleted: 'DELETED' } as const;

/** A Graph object. `fields` holds the static Graph fields; the rest is indexed metadata. */
export interface SimNode {
  type: NodeType;
  id: string;
  /** Bare ad account id (no `act_`), when the node belongs to an account. */
  accountId?: string;
  campaignId?: string;
  adsetId?: string;
  creativeId?: string;
  /** Configured status, for nodes that have one. */
  status?: string;
  name?: string;
  createdMs: number;
  updatedMs: number;
  /** Dense per-ad index that keys the lazy metrics; -1 for non-ads. */
  ordinal: number;
  fields: Record<string, unknown>;
  /** Simulated times of this ad set's budget changes in the last hour (the 4-per-hour rule). */
  budgetChangesMs?: number[];
  /** Simulated time until which budget changes are refused after the hourly limit was hit. */
  budgetBlockedUntilMs?: number;
  /** Simulated times of this object's spend cap changes in the last day (the 10-per-day rule). */
  spendCapChangesMs?: number[];
  /** Ads: first local day with delivery (the creation day). */
  firstStatsDay?: number;
}

/** An ad account with its derived facts. */
export interface AccountInfo {
  /** `act_<n>` */
  id: string;
  /** bare `<n>` */
  accountId: string;
  name: string;
  timezone: string;
  currency: string;
  businessId: string;
  /** Local day numbers of the first day with insights. */
  historyStartDay: number;
  /** Bumped by `/__sim/revise`; unsettled days' numbers depend on it. */
  revision: number;
  unsettledDays: number;
}

/** Limits clients need to know to page efficiently (served at `/__sim/config`). */
export interface SimulatorLimits {
  /** Largest accepted `limit`; larger values are clamped. @default 5000 */
  maxLimit: number;
  /** `limit × requested fields` above this answers code 1 / subcode 99. @default 60000 */
  dataBudget: number;
  /** Lowest accepted Graph version (number part). @default 21 */
  minVersion: number;
  /** Version named in the 2635 message and echoed for unversioned batch calls. @default 24 */
  latestVersion: number;
  /** Polls of a report run before it completes (Not Started, Started, Running…, Completed). @default 4 */
  asyncPollsToComplete: number;
  /** Items per batch. @default 50 */
  maxBatchSize: number;
  /** Ad set budget changes allowed per rolling hour (simulated clock). @default 4 */
  adsetBudgetChangesPerHour: number;
  /** How long budget changes of an ad set are refused once the hourly limit is hit. @default 3600 */
  adsetBudgetBlockSeconds: number;
  /** Spend cap changes allowed per object per rolling 24 hours (simulated clock). @default 10 */
  spendCapChangesPerDay: number;
  /** Insights retention in months. @default 37 */
  retentionMonths: number;
}

/** Everything needed to (re)build the state. */
export interface StateOptions {
  profile?: BuiltInProfileName | ProfileSpec;
  seed?: number;
  tokens?: string[];
  now?: Date | string;
  latencyMs?: number;
  quota?: Partial<QuotaConfig>;
  limits?: Partial<SimulatorLimits>;
  /** Meta apps Facebook Login accepts. @default the demo app (domain/demo-meta-app.ts) */
  oauthApps?: SimOAuthApp[];
  /** Where new leads are notified (Webhooks). @default nowhere until `/__sim/webhooks` says */
  webhooks?: SimWebhookOptions;
}

/** Default limits. */
export const DEFAULT_LIMITS: SimulatorLimits = {
  maxLimit: 5000,
  dataBudget: 60_000,
  minVersion: 21,
  latestVersion: 24,
  asyncPollsToComplete: 4,
  maxBatchSize: 50,
  adsetBudgetChangesPerHour: 4,
  adsetBudgetBlockSeconds: 3600,
  spendCapChangesPerDay: 10,
  retentionMonths: 37,
};

/** Async insights job as the simulator tracks it. */
export interface ReportRun {
  id: string;
  account: AccountInfo;
  /** Canonical insights query parameters (validated when the run was created). */
  params: Record<string, string>;
  scopeId: string;
  polls: number;
  /** Terminal outcome decided at creation by the fault PRNG. */
  outcome: 'complete' | 'fail' | 'skip';
  createdMs: number;
  dateStart: string;
  dateStop: string;
}

/** Call counters served by `/__sim/stats`. */
export interface CallStats {
  totalCalls: number;
  byEndpoint: Record<string, number>;
  byAccount: Record<string, number>;
}

/**
 * LRU for computed query results; keys include the state version, so writes invalidate.
 * Entries carry a weight (rows) so a few huge insights results can't pin gigabytes.
 */
export class QueryCache {
  private readonly entries = new Map<string, { value: unknown; weight: number }>();
  private totalWeight = 0;
  constructor(private readonly capacity: number, private readonly maxWeight = 1_000_000) {}

  /** Return the cached value for key or compute and remember it. */
  get<T>(key: string, compute: () => T, weigh: (value: T) => number = () => 1): T {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as T;
    }
    const value = compute();
    const weight = weigh(value);
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    while (this.entries.size > 1 && (this.entries.size > this.capacity || this.totalWeight > this.maxWeight)) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, { weight: number }];
      this.entries.delete(oldestKey);
      this.totalWeight -= oldest.weight;
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.totalWeight = 0;
  }
}

/** The simulator's world. */
/** An upload session as Meta keeps it: batches seen (by `batch_seq`) and what they counted. */
export interface AudienceSession {
  mode: 'add' | 'replace';
  /** What each batch counted, by `batch_seq`: a retried batch is answered the same, counted once. */
  batches: Map<number, { numReceived: number; numInvalidEntries: number }>;
  numReceived: number;
  numInvalidEntries: number;
  /** Rows of a replace session, swapped in when its last batch arrives. */
  pending: Set<string>;
  closed: boolean;
}

/** A customer-file audience's members (one key per row of normalised hashes) and its sessions. */
export interface AudienceList {
  members: Set<string>;
  sessions: Map<string, AudienceSession>;
}

export class SimulatorState {
  readonly profile: ResolvedProfile;
  readonly seed: number;
  readonly tokens: Set<string>;
  readonly limits: SimulatorLimits;
  readonly latencyMs: number;
  readonly quotaConfig: Partial<QuotaConfig>;

  nodes = new Map<string, SimNode>();
  edges = new Map<string, Map<string, string[]>>();
  accounts = new Map<string, AccountInfo>();
  accountsByBareId = new Map<string, AccountInfo>();
  /** Ads by ordinal, for metric loops. */
  adsByOrdinal: SimNode[] = [];
  reportRuns = new Map<string, ReportRun>();
  /** Customer-list members and upload sessions of each custom audience (`/<audience>/users`). */
  audienceLists = new Map<string, AudienceList>();
  userId = '';
  /** Bumped on every write; part of every cache key. */
  version = 0;
  /** Active ads per account (`act_…`), counted on first use and then kept exact by {@link changeStatus}. */
  private activeAdCounts = new Map<string, number>();
  readonly cache = new QueryCache(24);
  /** Generated metric cells shared by insights queries (bounded; pure in the ad ordinal). */
  readonly cellTables = new CellTables();
  faults: FaultState;
  quota: QuotaModel;
  /** Facebook Login: codes and the tokens issued through it. */
  readonly oauth: OAuthModel;
  stats: CallStats = { totalCalls: 0, byEndpoint: {}, byAccount: {} };
  /** The Webhooks subscription: kept across resets (it is configuration, not the generated world). */
  readonly webhooks: SimWebhooks;
  /** Every applied write, in order (`/__sim/writes`). */
  readonly writes = new WriteLog();
  private nextIds = new Map<string, bigint>();
  private idStep = 0;
  private clockSimMs: number;
  private clockRealMs: number;
  private readonly generationNowMs: number;

  constructor(private readonly options: StateOptions = {}) {
    this.profile = resolveProfile(options.profile);
    this.seed = options.seed ?? 42;
    this.tokens = new Set(options.tokens?.length ? options.tokens : ['sim-token']);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.latencyMs = options.latencyMs ?? 0;
    this.quotaConfig = options.quota ?? {};
    this.generationNowMs = options.now === undefined ? Date.now() : new Date(options.now).getTime();
    if (Number.isNaN(this.generationNowMs)) throw new Error(`invalid "now": ${String(options.now)}`);
    this.clockSimMs = this.generationNowMs;
    this.clockRealMs = Date.now();
    this.faults = new FaultState(this.seed);
    this.quota = new QuotaModel(this.quotaConfig);
    this.webhooks = new SimWebhooks(options.webhooks);
    this.oauth = new OAuthModel(options.oauthApps, () => this.now(), () => [...this.accounts.keys()]);
    this.build();
    this.oauth.clear(this.userId);
  }

  private build(): void {
    this.nodes = new Map();
    this.edges = new Map();
    this.accounts = new Map();
    this.accountsByBareId = new Map();
    this.adsByOrdinal = [];
    this.reportRuns = new Map();
    this.audienceLists = new Map();
    this.nextIds = new Map();
    this.idStep = 0;
    this.version++;
    this.activeAdCounts.clear();
    this.cache.clear();
    this.cellTables.clear();
    generateWorld(this, this.generationNowMs);
  }

  /** Restore the generated world, clock, revisions, quotas, stats, faults and the write log. */
  reset(): void {
    this.writes.clear();
    this.clockSimMs = this.generationNowMs;
    this.clockRealMs = Date.now();
    this.faults = new FaultState(this.seed);
    this.quota = new QuotaModel(this.quotaConfig);
    this.stats = { totalCalls: 0, byEndpoint: {}, byAccount: {} };
    this.build();
    this.oauth.clear(this.userId);
  }

  /**
   * Simulated now. The clock starts at the configured instant and then ticks with real time,
   * so writes get increasing `updated_time` values even under a "fixed" clock.
   */
  now(): number {
    return this.clockSimMs + (Date.now() - this.clockRealMs);
  }

  /** Move the simulated clock (used by `/__sim/clock`). */
  setClock(ms: number): void {
    this.clockSimMs = ms;
    this.clockRealMs = Date.now();
    this.version++;
  }

  /** Today's local day number in the account's zone. */
  today(account: AccountInfo): number {
    return localDay(this.now(), account.timezone);
  }

  /** The current local hour in the account's zone. */
  currentHour(account: AccountInfo): number {
    return localParts(this.now(), account.timezone).hour;
  }

  /** Allocate a new id of a type: numeric strings increase with creation order within a type. */
  allocateId(type: NodeType): string {
    const base = ID_BASES[type];
    const current = this.nextIds.get(type) ?? base;
    // A deterministic pseudo-random gap keeps ids from looking sequential.
    this.idStep = (Math.imul(this.idStep + 0x9e37 + this.seed, 0x85eb) >>> 0) % 9973;
    const next = current + BigInt(1 + this.idStep);
    this.nextIds.set(type, next);
    return next.toString();
  }

  /** Register a node. */
  addNode(node: SimNode): void {
    this.nodes.set(node.id, node);
  }

  /** Append a child id to a parent's edge (ids grow, so the list stays sorted). */
  addEdge(parentId: string, edge: string, childId: string): void {
    let byEdge = this.edges.get(parentId);
    if (!byEdge) {
      byEdge = new Map();
      this.edges.set(parentId, byEdge);
    }
    let list = byEdge.get(edge);
    if (!list) {
      list = [];
      byEdge.set(edge, list);
    }
    list.push(childId);
  }

  /** Ids on a parent's edge (empty when none). */
  edgeIds(parentId: string, edge: string): readonly string[] {
    return this.edges.get(parentId)?.get(edge) ?? [];
  }

  /** The account a node belongs to, if any. */
  accountOf(node: SimNode): AccountInfo | undefined {
    if (node.type === 'adaccount') return this.accounts.get(node.id);
    return node.accountId ? this.accountsByBareId.get(node.accountId) : undefined;
  }

  /**
   * Meta's derived delivery status: the object's own non-active status wins, then a deleted
   * or archived parent, then CAMPAIGN_PAUSED, then ADSET_PAUSED.
   */
  effectiveStatus(node: SimNode): string {
    const own = node.status ?? ObjectStatus.Active;
    if (node.type !== 'adset' && node.type !== 'ad') return own;
    if (own !== ObjectStatus.Active) return own;
    const campaign = node.campaignId ? this.nodes.get(node.campaignId) : undefined;
    const adset = node.type === 'ad' && node.adsetId ? this.nodes.get(node.adsetId) : undefined;
    for (const parent of [campaign, adset]) {
      if (parent?.status === ObjectStatus.Deleted || parent?.status === ObjectStatus.Archived) return parent.status;
    }
    if (campaign?.status === ObjectStatus.Paused) return 'CAMPAIGN_PAUSED';
    if (adset?.status === ObjectStatus.Paused) return 'ADSET_PAUSED';
    return own;
  }

  /**
   * Ads with effective status ACTIVE in the account (the BUC allowance grows with them). Counting
   * 5,000 ads per write would dominate a bulk pause, so the count is kept, not recomputed.
   */
  activeAdCount(account: AccountInfo): number {
    let n = this.activeAdCounts.get(account.id);
    if (n === undefined) {
      n = 0;
      for (const id of this.edgeIds(account.id, 'ads')) {
        const ad = this.nodes.get(id);
        if (ad && this.effectiveStatus(ad) === ObjectStatus.Active) n++;
      }
      this.activeAdCounts.set(account.id, n);
    }
    return n;
  }

  /** Apply a status change of `node` (by `apply`), keeping the active-ad count exact. */
  changeStatus(node: SimNode, apply: () => void): void {
    const account = this.accountOf(node);
    const cached = account ? this.activeAdCounts.get(account.id) : undefined;
    if (!account || cached === undefined) {
      apply();
      return;
    }
    const affected = node.type === 'ad' ? [node.id] : node.type === 'adset' || node.type === 'campaign' ? this.edgeIds(node.id, 'ads') : [];
    const active = (): number => affected.reduce((n, id) => {
      const ad = this.nodes.get(id);
      return ad && this.effectiveStatus(ad) === ObjectStatus.Active ? n + 1 : n;
    }, 0);
    const before = active();
    apply();
    this.activeAdCounts.set(account.id, cached - before + active());
  }

  /** A new object changes what is counted: count again on next use. */
  forgetActiveAdCount(account: AccountInfo): void {
    this.activeAdCounts.delete(account.id);
  }

  /** Record a mutation: bumps updated_time and invalidates caches. */
  touch(node: SimNode): void {
    node.updatedMs = Math.max(this.now(), node.updatedMs + 1000);
    this.version++;
  }
}

const ID_BASES: Record<NodeType, bigint> = {
  user: 10_150_000_000_000_000n,
  adaccount: 100_000_000_000_000n,
  campaign: 120_200_000_000_000_000n,
  adset: 120_210_000_000_000_000n,
  ad: 120_220_000_000_000_000n,
  adcreative: 120_230_000_000_000_000n,
  customaudience: 238_000_000_000_000_000n,
  adspixel: 1_100_000_000_000_000n,
  adrule: 239_000_000_000_000_000n,
  business: 2_100_000_000_000_000n,
  page: 1_040_000_000_000_000n,
  leadgen_form: 1_500_000_000_000_000n,
  lead: 1_600_000_000_000_000n,
  instagram_account: 17_840_000_000_000_000n,
  product_catalog: 3_300_000_000_000_000n,
  product_feed: 3_400_000_000_000_000n,
  product: 3_500_000_000_000_000n,
  product_set: 3_600_000_000_000_000n,
  report_run: 61_000_000_000_000_000n,
};
