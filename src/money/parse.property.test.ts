import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKETPLACES } from '../stores/amazon/marketplaces.js';
import { minorToDecimal, parseMoney, parsePrice, type Money } from './index.js';

/** "12.50" → "12.5", "0.00" → "0": the same decimal written the same way. */
function canonical(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}

// Whatever ICU prints for a marketplace, we must read back to the same minor units: that is the
// format real pages in that marketplace use (modulo the quirks the example tests cover).

type Display = 'symbol' | 'code' | 'narrowSymbol';
const DISPLAYS: readonly Display[] = ['symbol', 'code', 'narrowSymbol'];

// Symbols that name several currencies, and what they mean with no hint at all.
const AMBIGUOUS: Readonly<Record<string, string>> = {
  $: 'USD',
  '¥': 'JPY',
  kr: 'SEK',
  'kr.': 'DKK',
};

// Up to 10^11 minor units (a billion dollars), as the brief asks; fast-check biases toward small.
const MINOR = fc.bigInt({ min: 0n, max: 10n ** 11n }).map((n) => Number(n));

interface Market {
  readonly currency: string;
  readonly locale: string;
}

// Beyond the Amazon marketplaces: three-decimal dinars, Swiss apostrophes, the other crowns,
// yuan, Persian digits.
const MORE: readonly Market[] = [
  { currency: 'KWD', locale: 'ar-KW' },
  { currency: 'KWD', locale: 'en-KW' },
  { currency: 'BHD', locale: 'en-BH' },
  { currency: 'BHD', locale: 'ar-BH' },
  { currency: 'CHF', locale: 'de-CH' },
  { currency: 'NOK', locale: 'nb-NO' },
  { currency: 'DKK', locale: 'da-DK' },
  { currency: 'CNY', locale: 'zh-CN' },
  { currency: 'KRW', locale: 'ko-KR' },
  { currency: 'INR', locale: 'hi-IN' },
  { currency: 'IRR', locale: 'fa-IR' },
  { currency: 'EUR', locale: 'de-AT' },
  { currency: 'EUR', locale: 'pt-PT' },
  { currency: 'CAD', locale: 'fr-CA' },
];

function format(minor: number, m: Market, display: Display): string {
  const nf = new Intl.NumberFormat(m.locale, {
    style: 'currency',
    currency: m.currency,
    currencyDisplay: display,
  });
  // A decimal string, so no float ever carries the amount into the formatter.
  return nf.format(minorToDecimal(minor, m.currency) as Intl.StringNumericLiteral);
}

/** The currency as the text writes it, folded the way the parser folds it. */
function writtenSymbol(m: Market, display: Display): string {
  const part = new Intl.NumberFormat(m.locale, {
    style: 'currency',
    currency: m.currency,
    currencyDisplay: display,
  })
    .formatToParts(0)
    .find((p) => p.type === 'currency');
  return (part?.value ?? '')
    .replace(/[\u00a0\u200e\u200f\u061c]/g, '')
    .replace('￥', '¥')
    .trim();
}

function roundTrips(markets: readonly Market[]): void {
  for (const m of markets) {
    describe(`${m.locale} ${m.currency}`, () => {
      for (const display of DISPLAYS) {
        const want = (minor: number): Money => ({ minor, currency: m.currency });

        it(`reads back ${display} with currency and locale hints`, () => {
          fc.assert(
            fc.property(MINOR, (minor) => {
              const text = format(minor, m, display);
              expect(parseMoney(text, { currency: m.currency, locale: m.locale }), text).toEqual(
                want(minor),
              );
            }),
            { numRuns: 150 },
          );
        });

        it(`reads back ${display} with only the locale`, () => {
          fc.assert(
            fc.property(MINOR, (minor) => {
              const text = format(minor, m, display);
              expect(parseMoney(text, { locale: m.locale }), text).toEqual(want(minor));
            }),
            { numRuns: 100 },
          );
        });

        const symbol = writtenSymbol(m, display);
        const noHint = AMBIGUOUS[symbol] ?? m.currency;
        it(`reads back ${display} with no hints as ${noHint} ("${symbol}")`, () => {
          fc.assert(
            fc.property(MINOR, (minor) => {
              const text = format(minor, m, display);
              if (noHint === m.currency) {
                expect(parseMoney(text), text).toEqual(want(minor));
              } else {
                // "$" alone is US dollars; the amount still reads back exactly.
                const got = parsePrice(text);
                expect(got?.currency, text).toBe(noHint);
                expect(canonical(got?.amount ?? ''), text).toBe(
                  canonical(minorToDecimal(minor, m.currency)),
                );
              }
            }),
            { numRuns: 100 },
          );
        });
      }
    });
  }
}

describe('round trip through Intl.NumberFormat: Amazon marketplaces', () => {
  roundTrips(MARKETPLACES);
});

describe('round trip through Intl.NumberFormat: other locales', () => {
  roundTrips(MORE);
});
