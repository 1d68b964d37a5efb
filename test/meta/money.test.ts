import Decimal from 'decimal.js';
import { ValidationError } from '../../src/errors';
import { currencyOffset, majorToMinor, minorToMajor, parseMajorDecimal } from '../../src/meta/money';

describe('money', () => {
  it('knows Meta currency offsets', () => {
    expect(currencyOffset('USD')).toBe(100);
    expect(currencyOffset('eur')).toBe(100);
    for (const c of ['JPY', 'KRW', 'HUF', 'TWD', 'CLP', 'VND']) expect(currencyOffset(c)).toBe(1);
  });

  it('converts minor-unit strings to major Decimals', () => {
    expect(minorToMajor('25000', 'USD').toString()).toBe('250');
    expect(minorToMajor('1999', 'EUR').toFixed(2)).toBe('19.99');
    expect(minorToMajor('5000', 'JPY').toString()).toBe('5000');
    // Beyond 2^53: exact, because no float is involved.
    expect(minorToMajor('90071992547409931', 'USD').toString()).toBe('900719925474099.31');
  });

  it('converts major amounts to minor-unit integer strings', () => {
    expect(majorToMinor(new Decimal('250.5'), 'USD')).toBe('25050');
    expect(majorToMinor('0.1', 'USD')).toBe('10');
    expect(majorToMinor('1200', 'JPY')).toBe('1200');
    expect(majorToMinor('900719925474099.31', 'USD')).toBe('90071992547409931');
  });

  it('rejects fractions the currency cannot have, and non-numbers', () => {
    expect(() => majorToMinor('12.345', 'USD')).toThrow(ValidationError);
    expect(() => majorToMinor('12.5', 'JPY')).toThrow(/JPY cannot have/);
    expect(() => majorToMinor('abc', 'USD')).toThrow(ValidationError);
    expect(() => minorToMajor('12.5', 'USD')).toThrow(ValidationError);
    expect(() => minorToMajor('100', 'US')).toThrow(ValidationError);
  });

  it('parses insights decimal strings exactly', () => {
    expect(parseMajorDecimal('5339.5').equals(new Decimal('5339.5'))).toBe(true);
    expect(parseMajorDecimal('0.1').plus(parseMajorDecimal('0.2')).toString()).toBe('0.3');
    expect(() => parseMajorDecimal('1,000')).toThrow(ValidationError);
  });
});
