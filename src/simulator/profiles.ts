/**
 * Data profiles: how much the simulator generates. Objects are generated eagerly from the
 * profile and the seed; insights are computed lazily, so even `large` starts in seconds.
 */

/** One ad account's shape. */
export interface AdAccountSpec {
  /** @default generated, e.g. "Sim Account 1" */
  name?: string;
  /** IANA zone; insights dates and object times use it. @default 'America/Los_Angeles' */
  timezone?: string;
  /** ISO currency; JPY/KRW/... are zero-decimal (minor unit = 1). @default 'USD' */
  currency?: string;
  campaigns: number;
  adsetsPerCampaign: number;
  adsPerAdset: number;
}

/** Shorthand: `count` identical accounts, zones/currencies cycled from the lists. */
export interface AdAccountsShorthand {
  count: number;
  campaigns: number;
  adsetsPerCampaign: number;
  adsPerAdset: number;
  /** @default ['America/Los_Angeles', 'Europe/Berlin'] */
  timezones?: string[];
  /** @default ['USD', 'EUR'] (paired with timezones by position) */
  currencies?: string[];
}

/** Share of objects per level that get each non-ACTIVE status (after the forced ones). */
export interface StatusMix {
  /** @default 0.1 */ paused: number;
  /** @default 0.05 */ archived: number;
  /** @default 0.05 */ deleted: number;
}

/**
 * What to generate. Besides the ad hierarchy, each account gets one business manager with
 * pages (lead forms with leads, an Instagram account each), product catalogs (feeds,
 * products, sets), custom + lookalike audiences, pixels and ad rules.
 *
 * In every account, at each level (campaign, ad set, ad) the 2nd object is PAUSED, the 3rd
 * ARCHIVED and the 4th DELETED (when the level has that many), so every profile exercises
 * CAMPAIGN_PAUSED/ADSET_PAUSED derivation and hidden archived/deleted objects; the rest get
 * `statusMix`.
 */
export interface ProfileSpec {
  name?: string;
  adAccounts: AdAccountSpec[] | AdAccountsShorthand;
  /** Days of daily insights history ending today (account tz). @default 30 */
  insightsDays?: number;
  /** Most recent days that answer the hourly breakdown (older days return no hourly rows). @default 7 */
  hourlyDays?: number;
  /** Local days (today included) whose numbers still move with `/__sim/revise` and the clock. @default 3 */
  unsettledDays?: number;
  statusMix?: Partial<StatusMix>;
  /** Share of ads reusing the previous ad's creative instead of their own. @default 0.15 */
  sharedCreativeRate?: number;
  /** @default 4 */ customAudiencesPerAccount?: number;
  /** @default 2 */ lookalikesPerAccount?: number;
  /** @default 2 */ pixelsPerAccount?: number;
  /** @default 3 */ rulesPerAccount?: number;
  /** @default 2 */ pagesPerBusiness?: number;
  /** @default 2 */ formsPerPage?: number;
  /** @default 5 */ leadsPerForm?: number;
  /** @default 1 */ catalogsPerBusiness?: number;
  /** @default 12 */ productsPerCatalog?: number;
}

/** A profile with every default applied and accounts expanded. */
export interface ResolvedProfile {
  name: string;
  adAccounts: Required<AdAccountSpec>[];
  insightsDays: number;
  hourlyDays: number;
  unsettledDays: number;
  statusMix: StatusMix;
  sharedCreativeRate: number;
  customAudiencesPerAccount: number;
  lookalikesPerAccount: number;
  pixelsPerAccount: number;
  rulesPerAccount: number;
  pagesPerBusiness: number;
  formsPerPage: number;
  leadsPerForm: number;
  catalogsPerBusiness: number;
  productsPerCatalog: number;
}

/** Names of the built-in profiles. */
export type BuiltInProfileName = 'small' | 'medium' | 'large';

/** The built-in profiles: small (tests), medium (~2,000 ads), large (20,000 ads, benchmarks). */
export const BUILT_IN_PROFILES: Readonly<Record<BuiltInProfileName, ProfileSpec>> = {
  small: {
    name: 'small',
    adAccounts: [
      { timezone: 'America/Los_Angeles', currency: 'USD', campaigns: 5, adsetsPerCampaign: 3, adsPerAdset: 4 },
      { timezone: 'Europe/Berlin', currency: 'EUR', campaigns: 5, adsetsPerCampaign: 3, adsPerAdset: 4 },
    ],
    insightsDays: 30,
    hourlyDays: 7,
  },
  medium: {
    name: 'medium',
    adAccounts: {
      count: 5,
      campaigns: 10,
      adsetsPerCampaign: 5,
      adsPerAdset: 8,
      timezones: ['America/Los_Angeles', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'],
      currencies: ['USD', 'EUR', 'USD', 'JPY', 'AUD'],
    },
    insightsDays: 30,
    hourlyDays: 7,
  },
  large: {
    name: 'large',
    adAccounts: {
      count: 4,
      campaigns: 50,
      adsetsPerCampaign: 10,
      adsPerAdset: 10,
      timezones: ['America/Los_Angeles', 'Europe/Berlin', 'Europe/London', 'America/Sao_Paulo'],
      currencies: ['USD', 'EUR', 'GBP', 'BRL'],
    },
    insightsDays: 30,
    hourlyDays: 7,
    customAudiencesPerAccount: 6,
    productsPerCatalog: 40,
  },
};

/** Expand a built-in name or a spec into a fully-defaulted profile; throws on nonsense. */
export function resolveProfile(profile: BuiltInProfileName | ProfileSpec | undefined): ResolvedProfile {
  const spec: ProfileSpec = typeof profile === 'string' || profile === undefined ? lookup(profile ?? 'small') : profile;
  const accounts: Required<AdAccountSpec>[] = Array.isArray(spec.adAccounts)
    ? spec.adAccounts.map((a, i) => ({
        name: a.name ?? `Sim Account ${i + 1}`,
        timezone: a.timezone ?? 'America/Los_Angeles',
        currency: a.currency ?? 'USD',
        campaigns: a.campaigns,
        adsetsPerCampaign: a.adsetsPerCampaign,
        adsPerAdset: a.adsPerAdset,
      }))
    : expandShorthand(spec.adAccounts);
  if (accounts.length === 0) throw new Error('profile needs at least one ad account');
  for (const a of accounts) {
    for (const k of ['campaigns', 'adsetsPerCampaign', 'adsPerAdset'] as const) {
      if (!Number.isInteger(a[k]) || a[k] < 0) throw new Error(`profile: ${k} must be a non-negative integer`);
    }
    // Throws RangeError on an unknown zone, which is the message we want.
    new Intl.DateTimeFormat('en-US', { timeZone: a.timezone });
  }
  return {
    name: spec.name ?? 'custom',
    adAccounts: accounts,
    insightsDays: spec.insightsDays ?? 30,
    hourlyDays: spec.hourlyDays ?? 7,
    unsettledDays: spec.unsettledDays ?? 3,
    statusMix: { paused: 0.1, archived: 0.05, deleted: 0.05, ...spec.statusMix },
    sharedCreativeRate: spec.sharedCreativeRate ?? 0.15,
    customAudiencesPerAccount: spec.customAudiencesPerAccount ?? 4,
    lookalikesPerAccount: spec.lookalikesPerAccount ?? 2,
    pixelsPerAccount: spec.pixelsPerAccount ?? 2,
    rulesPerAccount: spec.rulesPerAccount ?? 3,
    pagesPerBusiness: spec.pagesPerBusiness ?? 2,
    formsPerPage: spec.formsPerPage ?? 2,
    leadsPerForm: spec.leadsPerForm ?? 5,
    catalogsPerBusiness: spec.catalogsPerBusiness ?? 1,
    productsPerCatalog: spec.productsPerCatalog ?? 12,
  };
}

function lookup(name: string): ProfileSpec {
  const spec = (BUILT_IN_PROFILES as Record<string, ProfileSpec | undefined>)[name];
  if (!spec) throw new Error(`unknown profile "${name}" (expected small, medium, large or a ProfileSpec)`);
  return spec;
}

function expandShorthand(s: AdAccountsShorthand): Required<AdAccountSpec>[] {
  const zones = s.timezones?.length ? s.timezones : ['America/Los_Angeles', 'Europe/Berlin'];
  const currencies = s.currencies?.length ? s.currencies : ['USD', 'EUR'];
  return Array.from({ length: s.count }, (_, i) => ({
    name: `Sim Account ${i + 1}`,
    timezone: zones[i % zones.length] as string,
    currency: currencies[i % currencies.length] as string,
    campaigns: s.campaigns,
    adsetsPerCampaign: s.adsetsPerCampaign,
    adsPerAdset: s.adsPerAdset,
  }));
}

/** Currencies without minor units: budgets and spend are whole numbers in them. */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'JPY', 'KRW', 'CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'PYG', 'TWD', 'VND',
]);

/** Number of minor-unit decimals of a currency (0 or 2). */
export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
}
