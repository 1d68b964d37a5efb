/**
 * Money in the minor unit of a currency (cents for USD, yen for JPY), as exact integers: what
 * Meta takes on writes. Pure BigInt arithmetic, no floats and no dependencies, so the planner
 * that resolves "+20 %" into an absolute budget gives the same answer everywhere.
 */

/** Minor units per major unit: 100 for most currencies, 1 for zero-decimal ones. */
export type MinorOffset = 1 | 100;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A major-unit decimal ("250", "250.5", "250.50") in minor units; null when the text is not a
 * plain decimal or has more decimals than the currency has (a cent fraction cannot be sent).
 */
export function majorToMinor(text: string, offset: MinorOffset): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const decimals = offset === 100 ? 2 : 0;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  const minor = BigInt(m[2]!) * BigInt(offset) + (decimals ? BigInt(fraction.padEnd(decimals, '0') || '0') : 0n);
  return m[1] ? -minor : minor;
}

/** Minor units as a major-unit decimal string with the currency's decimals ("14814" → "148.14"). */
export function formatMinor(minor: bigint | string, offset: MinorOffset): string {
  const value = typeof minor === 'bigint' ? minor : BigInt(minor);
  if (offset === 1) return value.toString();
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A decimal percentage ("20", "-12.5") as the exact fraction numerator / denominator of 1 %. */
export function parsePercent(text: string): { numerator: bigint; denominator: bigint } | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const fraction = m[3] ?? '';
  if (fraction.length > 6) return null;
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(`${m[2]}${fraction}`) * (m[1] ? -1n : 1n);
  return { numerator, denominator };
}

/**
 * `amount × (100 + percent) / 100`, rounded to the nearest minor unit (halves away from zero),
 * so +20 % of 12345 is exactly 14814 and a repeat of the same plan gives the same number.
 */
export function applyPercent(amount: bigint, percent: { numerator: bigint; denominator: bigint }): bigint {
  const num = amount * (100n * percent.denominator + percent.numerator);
  const den = 100n * percent.denominator;
  return divideRounded(num, den);
}

/** Rounds num / den to the nearest integer, halves away from zero (den > 0). */
export function divideRounded(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  const q = (2n * abs + den) / (2n * den);
  return negative ? -q : q;
}
