/**
 * Meta's budget floors and ceiling per currency, served by `GET act_x/minimum_budgets` and
 * enforced on every budget write (100/1885272 under the floor, 100/1885261 over the lifetime
 * ceiling), so a client that reads the edge and the simulator agree on the same numbers.
 *
 * Shape [SDK `MinimumBudget`]: `{currency, min_daily_budget_imp, min_daily_budget_video_views,
 * min_daily_budget_high_freq, min_daily_budget_low_freq}` in minor units. Which floor applies
 * follows the ad set's billing event: impressions, video views, frequent events (clicks, likes,
 * engagement) or rare ones (installs, offer claims). The per-currency impression floors below
 * are of the order Meta answers (USD 1.00, MYR 4.12, BRL 5.19); the other buckets keep Meta's
 * USD ratios (1×, 5×, 40×).
 */
import { nonexistingField } from './graph-errors';
import { currencyDecimals } from './profiles';

/** One row of `act_x/minimum_budgets`. */
export interface MinimumBudget {
  currency: string;
  min_daily_budget_imp: number;
  min_daily_budget_video_views: number;
  min_daily_budget_high_freq: number;
  min_daily_budget_low_freq: number;
}

/** Impression floor per currency, in its minor unit. */
const IMPRESSION_FLOORS: Readonly<Record<string, number>> = {
  USD: 100, EUR: 100, GBP: 100, CAD: 140, AUD: 150, NZD: 160, CHF: 100, SEK: 1000, NOK: 1000, DKK: 700,
  PLN: 400, CZK: 2300, HUF: 350, BRL: 519, MXN: 1800, ARS: 90000, CLP: 900, COP: 4000, PEN: 370,
  INR: 8500, IDR: 15000, MYR: 412, SGD: 140, THB: 3500, PHP: 5600, VND: 24000, JPY: 150, KRW: 1300, TWD: 32,
  HKD: 780, CNY: 720, TRY: 3200, ZAR: 1800, ILS: 370, AED: 370, SAR: 380, EGP: 4800, NGN: 150000, PKR: 28000,
};

/** A lifetime budget above this many impression floors gets 1885261 (USD 1.00 × 10⁶ = USD 1M). */
const LIFETIME_CEILING_FLOORS = 1_000_000;

/** The floors of one currency (unknown currencies get USD's numbers in their own unit). */
export function minimumBudgetFor(currency: string): MinimumBudget {
  const imp = IMPRESSION_FLOORS[currency] ?? 100;
  return {
    currency,
    min_daily_budget_imp: imp,
    min_daily_budget_video_views: imp,
    min_daily_budget_high_freq: imp * 5,
    min_daily_budget_low_freq: imp * 40,
  };
}

/** Every row Meta's edge answers, the account's currency included even when not in the table. */
export function minimumBudgetRows(accountCurrency: string): MinimumBudget[] {
  const currencies = new Set([...Object.keys(IMPRESSION_FLOORS), accountCurrency]);
  return [...currencies].sort().map(minimumBudgetFor);
}

/** The floor bucket a billing event falls into. */
export function floorField(billingEvent: string | undefined): Exclude<keyof MinimumBudget, 'currency'> {
  switch (billingEvent) {
    case 'THRUPLAY':
    case 'VIDEO_VIEWS':
    case 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS':
      return 'min_daily_budget_video_views';
    case 'LINK_CLICKS':
    case 'CLICKS':
    case 'POST_ENGAGEMENT':
    case 'PAGE_LIKES':
      return 'min_daily_budget_high_freq';
    case 'APP_INSTALLS':
    case 'OFFER_CLAIMS':
    case 'PURCHASE':
    case 'LISTING_INTERACTION':
      return 'min_daily_budget_low_freq';
    default:
      return 'min_daily_budget_imp';
  }
}

/** The daily floor (minor units) for a billing event in a currency. */
export function dailyFloor(currency: string, billingEvent: string | undefined): number {
  return minimumBudgetFor(currency)[floorField(billingEvent)];
}

/** The largest lifetime budget (minor units) Meta accepts in a currency. */
export function lifetimeCeiling(currency: string): number {
  return minimumBudgetFor(currency).min_daily_budget_imp * LIFETIME_CEILING_FLOORS;
}

/** Meta's way of naming an amount in errors: `USD1.00`, `JPY150`. */
export function formatAmount(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return `${currency}${minor}`;
  const whole = Math.floor(minor / 100);
  const cents = String(minor % 100).padStart(2, '0');
  return `${currency}${whole}.${cents}`;
}

const ROW_FIELDS: ReadonlySet<string> = new Set(['currency', 'min_daily_budget_imp', 'min_daily_budget_video_views', 'min_daily_budget_high_freq', 'min_daily_budget_low_freq']);

/** `GET act_x/minimum_budgets`: every currency's row, projected on `fields` when given. */
export function readMinimumBudgets(accountCurrency: string, fields: readonly string[]): { data: Record<string, unknown>[] } {
  for (const f of fields) if (!ROW_FIELDS.has(f)) throw nonexistingField(f, 'MinimumBudget');
  const rows = minimumBudgetRows(accountCurrency);
  if (!fields.length) return { data: rows as unknown as Record<string, unknown>[] };
  return { data: rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f as keyof MinimumBudget]]))) };
}
