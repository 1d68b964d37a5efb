/**
 * Meta's rate-limit headers, parsed into one typed object. Meta sends them (as JSON strings) on
 * successes and errors alike; a missing or garbled header simply leaves its part undefined,
 * because a header we cannot read must never turn a good response into a failure.
 */

/** `x-app-usage`: percentages of the app's hourly budget. */
export interface AppUsage {
  callCount?: number;
  totalTime?: number;
  totalCputime?: number;
}

/** `x-ad-account-usage`: the ad-account score (burst) limit. */
export interface AdAccountUsage {
  accIdUtilPct?: number;
  /** Seconds until the account's score is back to zero. */
  resetTimeDurationSec?: number;
  accessTier?: string;
}

/** One entry of `x-business-use-case-usage` (the header is keyed by business-object id). */
export interface BusinessUseCaseUsage {
  objectId: string;
  /** ads_management, ads_insights, custom_audience, leadgen, ... */
  type?: string;
  callCount?: number;
  totalCputime?: number;
  totalTime?: number;
  /** Meta's estimate in MINUTES, as sent; see {@link MetaUsage.regainAfterMs} for milliseconds. */
  estimatedTimeToRegainAccessMin?: number;
  accessTier?: string;
}

/** `x-fb-ads-insights-throttle`. */
export interface InsightsThrottle {
  appIdUtilPct?: number;
  accIdUtilPct?: number;
  accessTier?: string;
}

/** Everything the usage headers of one response say. */
export interface MetaUsage {
  /** Highest percentage among all usage figures (0 when no header was readable). */
  maxPct: number;
  /** Longest `estimated_time_to_regain_access` among the BUC entries, in ms, when above zero. */
  regainAfterMs?: number;
  appUsage?: AppUsage;
  adAccountUsage?: AdAccountUsage;
  businessUseCase?: BusinessUseCaseUsage[];
  insightsThrottle?: InsightsThrottle;
  /** `development_access` / `standard_access`, from whichever header names it. */
  accessTier?: string;
}

/** Headers as axios (plain or AxiosHeaders object), fetch, or a batch item (`[{name, value}]`) give them. */
export type HeaderSource =
  | Record<string, unknown>
  | ReadonlyArray<{ name?: unknown; value?: unknown }>
  | { get(name: string): unknown }
  | null
  | undefined;

const USAGE_HEADER_NAMES = {
  app: 'x-app-usage',
  adAccount: 'x-ad-account-usage',
  businessUseCase: 'x-business-use-case-usage',
  insightsThrottle: 'x-fb-ads-insights-throttle',
} as const;

const MS_PER_MINUTE = 60_000;

/** Reads one header case-insensitively from any {@link HeaderSource}. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  if (Array.isArray(headers)) {
    for (const entry of headers as ReadonlyArray<{ name?: unknown; value?: unknown }>) {
      if (entry && typeof entry.name === 'string' && entry.name.toLowerCase() === wanted) return stringValue(entry.value);
    }
    return undefined;
  }
  const record = headers as Record<string, unknown>;
  if (typeof (headers as { get?: unknown }).get === 'function' && !(wanted in record)) {
    try {
      const value = (headers as { get(name: string): unknown }).get(wanted);
      if (value !== undefined && value !== null) return stringValue(value);
    } catch {
      // A get() that throws is no reason to lose the response; fall through to the keys.
    }
  }
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === wanted) return stringValue(record[key]);
  }
  return undefined;
}

/** Parses all four usage headers; never throws. */
export function parseUsageHeaders(headers: HeaderSource): MetaUsage {
  const appUsage = parseAppUsage(readHeader(headers, USAGE_HEADER_NAMES.app));
  const adAccountUsage = parseAdAccountUsage(readHeader(headers, USAGE_HEADER_NAMES.adAccount));
  const businessUseCase = parseBusinessUseCaseUsage(readHeader(headers, USAGE_HEADER_NAMES.businessUseCase));
  const insightsThrottle = parseInsightsThrottle(readHeader(headers, USAGE_HEADER_NAMES.insightsThrottle));

  const pcts: Array<number | undefined> = [
    appUsage?.callCount,
    appUsage?.totalTime,
    appUsage?.totalCputime,
    adAccountUsage?.accIdUtilPct,
    insightsThrottle?.appIdUtilPct,
    insightsThrottle?.accIdUtilPct,
  ];
  for (const entry of businessUseCase ?? []) pcts.push(entry.callCount, entry.totalCputime, entry.totalTime);
  const maxPct = Math.max(0, ...pcts.filter((p): p is number => p !== undefined));

  const regainMinutes = Math.max(0, ...(businessUseCase ?? []).map((e) => e.estimatedTimeToRegainAccessMin ?? 0));
  const accessTier =
    adAccountUsage?.accessTier ?? insightsThrottle?.accessTier ?? businessUseCase?.find((e) => e.accessTier)?.accessTier;

  const usage: MetaUsage = { maxPct };
  if (regainMinutes > 0) usage.regainAfterMs = Math.round(regainMinutes * MS_PER_MINUTE);
  if (appUsage) usage.appUsage = appUsage;
  if (adAccountUsage) usage.adAccountUsage = adAccountUsage;
  if (businessUseCase) usage.businessUseCase = businessUseCase;
  if (insightsThrottle) usage.insightsThrottle = insightsThrottle;
  if (accessTier) usage.accessTier = accessTier;
  return usage;
}

/** True when no usage header was readable. */
export function isEmptyUsage(usage: MetaUsage): boolean {
  return !usage.appUsage && !usage.adAccountUsage && !usage.businessUseCase && !usage.insightsThrottle;
}

/** Combines usages seen on several responses (e.g. chunks of one logical call): the worst wins. */
export function mergeUsage(a: MetaUsage | undefined, b: MetaUsage | undefined): MetaUsage {
  if (!a) return b ?? { maxPct: 0 };
  if (!b) return a;
  const worse = b.maxPct >= a.maxPct ? b : a;
  const regain = Math.max(a.regainAfterMs ?? 0, b.regainAfterMs ?? 0);
  const merged: MetaUsage = { ...a, ...stripUndefined(b), maxPct: worse.maxPct };
  if (regain > 0) merged.regainAfterMs = regain;
  return merged;
}

function parseAppUsage(raw: string | undefined): AppUsage | undefined {
  const obj = parseJsonObject(raw);
  if (!obj) return undefined;
  return compact({ callCount: num(obj.call_count), totalTime: num(obj.total_time), totalCputime: num(obj.total_cputime) });
}

function parseAdAccountUsage(raw: string | undefined): AdAccountUsage | undefined {
  const obj = parseJsonObject(raw);
  if (!obj) return undefined;
  return compact({
    accIdUtilPct: num(obj.acc_id_util_pct),
    resetTimeDurationSec: num(obj.reset_time_duration),
    accessTier: str(obj.ads_api_access_tier),
  });
}

function parseBusinessUseCaseUsage(raw: string | undefined): BusinessUseCaseUsage[] | undefined {
  const obj = parseJsonObject(raw);
  if (!obj) return undefined;
  const entries: BusinessUseCaseUsage[] = [];
  for (const [objectId, value] of Object.entries(obj)) {
    // Each id maps to a list; tolerate a single object as well.
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      const e = item as Record<string, unknown>;
      entries.push({
        objectId,
        ...compactPartial({
          type: str(e.type),
          callCount: num(e.call_count),
          totalCputime: num(e.total_cputime),
          totalTime: num(e.total_time),
          estimatedTimeToRegainAccessMin: num(e.estimated_time_to_regain_access),
          accessTier: str(e.ads_api_access_tier),
        }),
      });
    }
  }
  return entries.length > 0 ? entries : undefined;
}

function parseInsightsThrottle(raw: string | undefined): InsightsThrottle | undefined {
  const obj = parseJsonObject(raw);
  if (!obj) return undefined;
  return compact({
    appIdUtilPct: num(obj.app_id_util_pct),
    accIdUtilPct: num(obj.acc_id_util_pct),
    accessTier: str(obj.ads_api_access_tier),
  });
}

function parseJsonObject(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

/** Drops undefined keys; undefined when nothing is left (the header carried nothing usable). */
function compact<T extends object>(value: T): T | undefined {
  const out = compactPartial(value);
  return Object.keys(out).length > 0 ? out : undefined;
}

function compactPartial<T extends object>(value: T): T {
  return stripUndefined(value);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
