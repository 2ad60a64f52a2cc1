import { describe, expect, it } from 'vitest';
import { currencyDecimals, decimalToMinor, minorToDecimal } from './index.js';

describe('minor units', () => {
  it('knows the real number of decimals per currency', () => {
    expect(currencyDecimals('USD')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('BHD')).toBe(3);
  });

  it('converts decimal strings to minor units and back without floats', () => {
    expect(decimalToMinor('39.99', 'EUR')).toBe(3999);
    expect(decimalToMinor('1500', 'JPY')).toBe(1500);
    expect(decimalToMinor('0.1', 'USD')).toBe(10);
    expect(decimalToMinor('1.005', 'USD')).toBeNull();
    expect(minorToDecimal(3999, 'EUR')).toBe('39.99');
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500');
  });
});
