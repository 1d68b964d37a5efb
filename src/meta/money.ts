/**
 * Money at the Meta boundary. Object budgets travel as integer strings in the currency's minor
 * unit ("offset"), insights as decimal strings in major units; inside the service money is always
 * a `Decimal` in major units. Never a float: binary fractions would lose cents.
 */
import Decimal from 'decimal.js';
import { ValidationError } from '../errors';

/**
 * Currencies Meta treats as having no minor unit (offset 1). Meta's list differs from ISO 4217
 * (HUF, TWD, IDR, COP, CRC count as whole units on Meta), which is why it is spelled out here.
 */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'CLP', 'COP', 'CRC', 'HUF', 'IDR', 'ISK', 'JPY', 'KRW', 'PYG', 'TWD', 'VND',
]);

/** Minor units per major unit (100 for USD/EUR, 1 for JPY/KRW/...). */
export function currencyOffset(currency: string): number {
  const code = normaliseCurrency(currency);
  return ZERO_DECIMAL_CURRENCIES.has(code) ? 1 : 100;
}

/** Decimal places a major-unit amount of the currency may have (0 or 2). */
export function currencyDecimals(currency: string): number {
  return currencyOffset(currency) === 1 ? 0 : 2;
}

/** Converts Meta's minor-unit integer string ("25000" USD) to major units (250.00). */
export function minorToMajor(minor: string | number | bigint, currency: string): Decimal {
  const text = typeof minor === 'string' ? minor.trim() : String(minor);
  if (!/^-?\d+$/.test(text)) {
    throw new ValidationError(`Expected an integer amount in minor units of ${currency}, got "${text}"`, { value: text, currency });
  }
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new ValidationError(`Minor-unit amount ${text} is not a safe integer; pass it as a string`, { currency });
  }
  return new Decimal(text).dividedBy(currencyOffset(currency));
}

/** Converts a major-unit amount to Meta's minor-unit integer string; rejects fractions the currency cannot have. */
export function majorToMinor(major: Decimal | string, currency: string): string {
  let amount: Decimal;
  try {
    amount = major instanceof Decimal ? major : new Decimal(String(major).trim());
  } catch {
    throw new ValidationError(`"${String(major)}" is not a valid amount of ${currency}`, { currency });
  }
  if (!amount.isFinite()) throw new ValidationError(`"${String(major)}" is not a valid amount of ${currency}`, { currency });
  const minor = amount.times(currencyOffset(currency));
  if (!minor.isInteger()) {
    const decimals = currencyDecimals(currency);
    throw new ValidationError(
      `${amount.toString()} ${normaliseCurrency(currency)} has more than ${decimals} decimal place${decimals === 1 ? '' : 's'}, which ${normaliseCurrency(currency)} cannot have`,
      { currency, amount: amount.toString() },
    );
  }
  return minor.toFixed(0);
}

/** Parses a major-unit decimal string from insights ("5339.5") without going through a float. */
export function parseMajorDecimal(value: string | number): Decimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) {
    throw new ValidationError(`Expected a decimal amount, got "${text}"`, { value: text });
  }
  return new Decimal(text);
}

function normaliseCurrency(currency: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new ValidationError(`"${currency}" is not an ISO 4217 currency code`, { currency });
  return code;
}
