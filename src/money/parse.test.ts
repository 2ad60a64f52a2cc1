import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseMoney,
  parsePrice,
  parsePriceCli,
  parsePriceRange,
  type ParseHints,
} from './index.js';

// The two libraries' own test cases, kept as data outside the repo (see fixtures/README.md).
const FIXTURE = path.resolve(
  import.meta.dirname,
  '../../../shared/fixtures/price-strings/js-libraries-cases.json',
);

interface FixtureCase {
  readonly raw: string | number;
  readonly amount: number | null;
  readonly name?: string;
  readonly currency?: string | null;
  readonly symbol?: string | null;
  readonly checks?: readonly string[];
  readonly expected?: string;
}

const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<
  string,
  { readonly cases: readonly FixtureCase[] }
>;

/** "0100.50" and "100.5" are the same decimal; compared as text, never as floats. */
function canonicalDecimal(text: string): string {
  const m = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a plain decimal: ${text}`);
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return m[1] === '-' && body !== '0' ? `-${body}` : body;
}

function expectAmount(actual: string | undefined, expected: number | string): void {
  expect(actual).toBeDefined();
  expect(canonicalDecimal(actual ?? '')).toBe(canonicalDecimal(String(expected)));
}

// What we read the currency as where the fixture asserts only the amount (parse-price.js) or only
// the ISO code written in the string (parsecurrency): the symbol's meaning without hints.
const SYMBOL_MEANS: Readonly<Record<string, string>> = {
  $: 'USD',
  US$: 'USD',
  $US: 'USD',
  '$ SU': 'USD',
  R$: 'BRL',
  '¥': 'JPY',
  'Fr.': 'CHF',
  '₹': 'INR',
  zł: 'PLN',
};
const PARSE_PRICE_JS_CURRENCY: Readonly<Record<string, string>> = {
  '€12,3': 'EUR',
  '12,3 €': 'EUR',
  '$0.0005': 'USD',
  '1&nbsp;490,00 руб.': 'RUB',
};

function expectedCurrency(lib: string, c: FixtureCase): string | null {
  if (c.currency) return c.currency;
  if (lib === 'parsecurrency') return c.symbol ? (SYMBOL_MEANS[c.symbol.trim()] ?? null) : null;
  const code = /^([A-Z]{3})\b/.exec(c.name ?? '')?.[1];
  return code ?? PARSE_PRICE_JS_CURRENCY[String(c.raw)] ?? null;
}

describe('fixture: js-libraries-cases.json', () => {
  for (const [lib, { cases }] of Object.entries(fixture)) {
    describe(lib, () => {
      cases.forEach((c, i) => {
        const raw = String(c.raw);
        const label = `#${i} ${JSON.stringify(raw)}${c.name ? ` (${c.name})` : ''}`;
        if (c.amount === null) {
          it(`${label} is rejected`, () => {
            expect(parsePrice(raw)).toBeNull();
            expect(parseMoney(raw)).toBeNull();
            expect(parsePriceCli(raw)).toEqual({ amount: null, currency: null });
          });
          return;
        }
        const amount = c.amount;
        it(`${label} reads ${String(amount)}`, () => {
          const p = parsePrice(raw);
          expect(p).not.toBeNull();
          expectAmount(p?.amount, amount);
          expect(p?.currency ?? null).toBe(expectedCurrency(lib, c));
          // Negative amounts are read faithfully, but they are never Money or a CLI price.
          if (amount < 0) {
            expect(parseMoney(raw)).toBeNull();
            expect(parsePriceCli(raw)).toEqual({ amount: null, currency: null });
          }
        });
      });
    });
  }
});

type Case = readonly [text: string, hints: ParseHints, amount: string, currency: string | null];

function runCases(cases: readonly Case[]): void {
  for (const [text, hints, amount, currency] of cases) {
    it(`${JSON.stringify(text)} ${JSON.stringify(hints)} → ${amount} ${String(currency)}`, () => {
      const p = parsePrice(text, hints);
      expect(p).not.toBeNull();
      expectAmount(p?.amount, amount);
      expect(p?.currency).toBe(currency);
    });
  }
}

describe('price formats seen on the corpus pages (pages/INDEX.tsv)', () => {
  runCases([
    ['EUR 219,00', { locale: 'es-ES' }, '219.00', 'EUR'],
    ['EUR 219,00', {}, '219.00', 'EUR'],
    ['225,00 €', {}, '225.00', 'EUR'],
    ['66,99€', {}, '66.99', 'EUR'],
    ['66,99\u00a0€', {}, '66.99', 'EUR'],
    ['€12.90', { currency: 'EUR', locale: 'en-GB' }, '12.90', 'EUR'],
    ['€12.90', { currency: 'EUR', locale: 'de-DE' }, '12.90', 'EUR'],
    ['(€2.69/kg)', { locale: 'en-GB' }, '2.69', 'EUR'],
    ['AED330.00', {}, '330.00', 'AED'],
    ['AED26.00', { currency: 'AED', locale: 'en-AE' }, '26.00', 'AED'],
    ['R$\u00a019,90', {}, '19.90', 'BRL'],
    ['R$ 1.299,90', {}, '1299.90', 'BRL'],
    ['R$431,90', { locale: 'pt-BR' }, '431.90', 'BRL'],
    ['₹1,23,456.00', {}, '123456.00', 'INR'],
    ["CHF 1'299.00", {}, '1299.00', 'CHF'],
    ['CHF 1’299.00', {}, '1299.00', 'CHF'],
    ['￥1,280', {}, '1280', 'JPY'],
    ['￥1,280', { locale: 'ja-JP' }, '1280', 'JPY'],
    ['Kindle-Preis: EUR 15,99', {}, '15.99', 'EUR'],
    ['Kindle Price: $10.99', {}, '10.99', 'USD'],
    ['Preis: EUR 39,99', {}, '39.99', 'EUR'],
    ['Buy new: $8.99', {}, '8.99', 'USD'],
    ['RRP: £16.99 You Save: £3.46 (20%)', {}, '16.99', 'GBP'],
    ['Ahorras: EUR 20,00 (8%)', {}, '20.00', 'EUR'],
    ['2 gebraucht ab EUR 13,42', {}, '13.42', 'EUR'],
    ['2 new from $8.99 3 used from $7.18', {}, '8.99', 'USD'],
    ['Was: $34.99 Save 10% Sale $31.49', {}, '34.99', 'USD'],
    ['UVP: 40,95 € Preis: 29,98 €', {}, '40.95', 'EUR'],
    ['ab 37,45 €', {}, '37.45', 'EUR'],
    ['à partir de 12,50 €', {}, '12.50', 'EUR'],
    ['from $5', {}, '5', 'USD'],
    ['($6.24 / Pack)', {}, '6.24', 'USD'],
  ]);
});

describe('separators', () => {
  runCases([
    ['1.299,00 €', {}, '1299.00', 'EUR'],
    ['1 234,56 €', {}, '1234.56', 'EUR'],
    ['1\u00a0234,56\u00a0€', {}, '1234.56', 'EUR'],
    ['1\u202f234,56\u00a0€', {}, '1234.56', 'EUR'],
    ['1\u2009234,56 €', {}, '1234.56', 'EUR'],
    ['1,234.56', {}, '1234.56', null],
    ['12,34,567.89', { currency: 'INR' }, '1234567.89', 'INR'],
    ['₹1,00,00,00,000.00', {}, '1000000000.00', 'INR'],
    ['1.234', { locale: 'de-DE' }, '1234', null],
    ['1.234', { locale: 'de-DE', currency: 'EUR' }, '1234', 'EUR'],
    ['1.234', { locale: 'en-US', currency: 'USD' }, '1234', 'USD'],
    ['1.234', { locale: 'en-US', currency: 'KWD' }, '1.234', 'KWD'],
    ['1.234', { locale: 'de-DE', currency: 'KWD' }, '1234', 'KWD'],
    ['1,234', { locale: 'de-DE', currency: 'BHD' }, '1.234', 'BHD'],
    ['KWD 1.234', {}, '1.234', 'KWD'],
    ['BHD 12,345.678', {}, '12345.678', 'BHD'],
    ['1,234', {}, '1234', null],
    ['12,5', {}, '12.5', null],
    ['0,125', {}, '0.125', null],
    ['1.234.567', {}, '1234567', null],
    ['1 234', {}, '1234', null],
    ["10'000", {}, '10000', null],
    ['$.99', {}, '0.99', 'USD'],
    ['10,- €', {}, '10', 'EUR'],
    ['Fr. 10.-', {}, '10', 'CHF'],
    ['EUR 219,00 2 Angebote', {}, '219.00', 'EUR'],
    ['EUR 12,99, 2 Angebote', {}, '12.99', 'EUR'],
    ['007', {}, '7', null],
  ]);

  it('rejects numbers whose separators contradict each other', () => {
    for (const bad of [
      '1.2.3,4,5',
      '1,234.567',
      '1.234,567',
      '12.345,67.89',
      '1 234.567,89',
      '1,000.000,00',
      '100..00',
      '1,,000',
      '1. 000',
      '12.3456',
      '123,4567',
      "1'23",
      '1٫2٫3',
      '.5.5',
    ]) {
      expect(parsePrice(bad), bad).toBeNull();
    }
  });

  it('reads full-width digits and punctuation', () => {
    expect(parsePrice('１２３４')).toEqual({ amount: '1234', currency: null });
    expect(parsePrice('￥１，２８０')).toEqual({ amount: '1280', currency: 'JPY' });
    expect(parsePrice('１２．５０　＄')).toEqual({ amount: '12.50', currency: 'USD' });
  });

  it('reads Arabic-Indic and Persian digits with the Arabic separators', () => {
    expect(parsePrice('١٬٢٣٤٫٥٦ ر.س.')).toEqual({ amount: '1234.56', currency: 'SAR' });
    expect(parsePrice('\u200f١٬٢٣٤٫٥٦\u00a0ج.م.\u200f')).toEqual({
      amount: '1234.56',
      currency: 'EGP',
    });
    expect(parsePrice('٣٣٠٫٠٠ د.إ')).toEqual({ amount: '330.00', currency: 'AED' });
    expect(parsePrice('١٫٢٣٤', { currency: 'KWD' })).toEqual({ amount: '1.234', currency: 'KWD' });
    expect(parsePrice('١٬٢٣٤', { currency: 'KWD' })).toEqual({ amount: '1234', currency: 'KWD' });
    expect(parsePrice('۱۲۳٬۴۵۶ ریال', { currency: 'IRR' })).toEqual({
      amount: '123456',
      currency: 'IRR',
    });
  });

  it('decodes the HTML entities that scraped text still carries', () => {
    expect(parsePrice('1&nbsp;490,00&nbsp;&euro;')).toEqual({ amount: '1490.00', currency: 'EUR' });
    expect(parsePrice('&pound;5')).toEqual({ amount: '5', currency: 'GBP' });
    expect(parsePrice('1&#8239;234,00 &#8364;')).toEqual({ amount: '1234.00', currency: 'EUR' });
  });
});

describe('currency marks', () => {
  runCases([
    ['$10', {}, '10', 'USD'],
    ['$10', { currency: 'CAD' }, '10', 'CAD'],
    ['$10', { locale: 'en-CA' }, '10', 'CAD'],
    ['$10', { locale: 'es-MX' }, '10', 'MXN'],
    ['$10', { locale: 'en-AU' }, '10', 'AUD'],
    ['$10', { locale: 'en_CA' }, '10', 'CAD'],
    ['$10', { locale: 'en-SG' }, '10', 'SGD'],
    ['$10', { locale: 'en-US', currency: 'EUR' }, '10', 'USD'],
    ['$10', { currency: 'ARS' }, '10', 'ARS'],
    ['US$10', { currency: 'CAD' }, '10', 'USD'],
    ['C$10', {}, '10', 'CAD'],
    ['CA$10', {}, '10', 'CAD'],
    ['CDN$ 12.99', {}, '12.99', 'CAD'],
    ['A$10', {}, '10', 'AUD'],
    ['AU$10', {}, '10', 'AUD'],
    ['S$10', {}, '10', 'SGD'],
    ['MX$10', {}, '10', 'MXN'],
    ['10 $ US', {}, '10', 'USD'],
    ['10 $CA', {}, '10', 'CAD'],
    ['¥100', {}, '100', 'JPY'],
    ['¥100', { currency: 'CNY' }, '100', 'CNY'],
    ['¥100', { locale: 'zh-CN' }, '100', 'CNY'],
    ['1,280円', {}, '1280', 'JPY'],
    ['100 kr', {}, '100', 'SEK'],
    ['100 kr', { locale: 'nb-NO' }, '100', 'NOK'],
    ['100 kr.', { locale: 'da-DK' }, '100', 'DKK'],
    ['100 kr', { currency: 'DKK' }, '100', 'DKK'],
    ['£5', {}, '5', 'GBP'],
    ['£5', { currency: 'EGP' }, '5', 'EGP'],
    ['E£ 250', {}, '250', 'EGP'],
    ['250 ج.م', {}, '250', 'EGP'],
    ['₹499', {}, '499', 'INR'],
    ['₪ 49.90', {}, '49.90', 'ILS'],
    ['3 295 ₽', {}, '3295', 'RUB'],
    ['3 295 руб.', {}, '3295', 'RUB'],
    ['49,99 zł', {}, '49.99', 'PLN'],
    ['₺1.234,56', {}, '1234.56', 'TRY'],
    ['1.234,56 TL', {}, '1234.56', 'TRY'],
    ['TRY 1.234,56', {}, '1234.56', 'TRY'],
    ['د.إ 330.00', {}, '330.00', 'AED'],
    ['330.00 ر.س', {}, '330.00', 'SAR'],
    ['Fr. 12.50', {}, '12.50', 'CHF'],
    ['CHF 12.50', {}, '12.50', 'CHF'],
    ['12,50 EUR', { currency: 'USD' }, '12.50', 'EUR'],
    ['12.50', { currency: 'usd' }, '12.50', 'USD'],
    ['12.50', { currency: 'XYZ' }, '12.50', null],
    ['12.50', { locale: 'not a locale!!' }, '12.50', null],
    ['TOP 10 for $5', {}, '5', 'USD'],
    ['ALL 100', { currency: 'ALL' }, '100', 'ALL'],
  ]);

  it('treats contradicting marks as no price', () => {
    expect(parsePrice('EUR 10 £')).toBeNull();
    expect(parsePrice('USD 10 EUR')).toBeNull();
    expect(parsePrice('$ USD 100')).toBeNull();
    expect(parsePrice('R$ €10')).toBeNull();
  });

  it('does not read a mark out of a word', () => {
    expect(parsePrice('Ukr 10')).toEqual({ amount: '10', currency: null });
    expect(parsePrice('USDA 10')).toEqual({ amount: '10', currency: null });
    expect(parsePrice('10 Skrews')).toEqual({ amount: '10', currency: null });
    expect(parsePrice('TOP 10')).toEqual({ amount: '10', currency: null });
  });
});

describe('which number', () => {
  runCases([
    ['$10.99 - $12.99', {}, '10.99', 'USD'],
    ['10 – 12 €', {}, '10', 'EUR'],
    ['4.5 out of 5 stars 1,234 ratings $19.99', {}, '19.99', 'USD'],
    ['128GB for $199', {}, '199', 'USD'],
    ['Save 15% — now 12,99 €', {}, '12.99', 'EUR'],
    ['Pack of 2', {}, '2', null],
  ]);

  it('never reads a percentage or a number glued to a word as a price', () => {
    expect(parsePrice('15%')).toBeNull();
    expect(parsePrice('-20 %')).toBeNull();
    expect(parsePrice('128GB')).toBeNull();
    expect(parsePrice('B08CZDYNF7')).toBeNull();
  });

  it('rejects garbage', () => {
    for (const bad of ['', '   ', 'abc', 'tea', 'IOU', '€', 'EUR', '$ USD 100', '--', '.']) {
      expect(parsePrice(bad), bad).toBeNull();
    }
  });

  it('keeps a sign but never makes Money of a negative', () => {
    expect(parsePrice('-$5.00')).toEqual({ amount: '-5.00', currency: 'USD' });
    expect(parsePrice('CHF-0.50')).toEqual({ amount: '-0.50', currency: 'CHF' });
    expect(parsePrice('-0,00 €')).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(parseMoney('-$5.00')).toBeNull();
    expect(parsePrice('Kindle-10 $5')?.amount).toBe('5');
  });
});

// Regressions found by running other price parsers' test inputs through ours (the audit kept in
// /tmp/price-audit); each case is written here as our own, with the suite it came from named.
describe('cases from other price parsers’ test suites', () => {
  describe('cents set apart by markup: "119. 95" (from price-parser’s tests)', () => {
    runCases([
      ['$119. 95', {}, '119.95', 'USD'],
      ['$ 8. 94', {}, '8.94', 'USD'],
      ['1.837, 32 €', {}, '1837.32', 'EUR'],
      ['118, 99 TL', {}, '118.99', 'TRY'],
      ['130, 38 zł', {}, '130.38', 'PLN'],
    ]);

    it('only next to a currency mark, and only when the two digits end the price', () => {
      // From price-parser's tests: with no currency this may as well be two numbers.
      expect(parsePrice('36. 24')?.amount).toBe('36');
      // Our own guards around the same shape.
      expect(parsePrice('Sizes 10, 12')?.amount).toBe('10');
      expect(parsePrice('Was $20, 25% off')).toEqual({ amount: '20', currency: 'USD' });
      expect(parsePrice('Only $20. 25 left')).toEqual({ amount: '20', currency: 'USD' });
      expect(parsePrice('EUR 12,99, 25 Angebote')).toEqual({ amount: '12.99', currency: 'EUR' });
    });
  });

  describe('the euro sign in the decimal mark’s place: "35€99"', () => {
    runCases([
      // From price-parser's tests ("35€ 99", and its decimal-separator list's "1250€ 60").
      ['35€ 99', {}, '35.99', 'EUR'],
      ['1250€ 60', {}, '1250.60', 'EUR'],
      // The same French style as shops print it, glued.
      ['35€99', {}, '35.99', 'EUR'],
      ['35€99 TTC', {}, '35.99', 'EUR'],
      ['1 299€99', {}, '1299.99', 'EUR'],
    ]);

    it('takes exactly two digits, and spaced ones only when they end the price', () => {
      expect(parsePrice('1250€ 600')).toEqual({ amount: '1250', currency: 'EUR' });
      expect(parsePrice('1250€600')).toEqual({ amount: '1250', currency: 'EUR' });
      expect(parsePrice('5€ 20 avis')).toEqual({ amount: '5', currency: 'EUR' });
    });
  });

  it('reads digits of every script (from bojanz/currency’s formatter tests)', () => {
    for (const [text, locale] of [
      ['১,২৩,৪৫,৬৭৮.৯০\u00a0US$', 'bn'],
      ['US$\u00a0१,२३,४५,६७८.९०', 'ne'],
      ['၁၂,၃၄၅,၆၇၈.၉၀\u00a0US$', 'my'],
    ] as const) {
      expect(parsePrice(text, { currency: 'USD', locale }), text).toEqual({
        amount: '12345678.90',
        currency: 'USD',
      });
      expect(parsePrice(text), text).toEqual({ amount: '12345678.90', currency: 'USD' });
    }
  });

  describe('currency marks shops write (from price-parser’s and monetize’s tests)', () => {
    runCases([
      ['12,000원', {}, '12000', 'KRW'],
      ['6 300 Р', {}, '6300', 'RUB'],
      ['1128240 рублей', {}, '1128240', 'RUB'],
      ['2 285,81 грн.', {}, '2285.81', 'UAH'],
      ['25 грн', {}, '25', 'UAH'],
      ['200.000 đ', {}, '200000', 'VND'],
      ['99 LEI', {}, '99', 'RON'],
      ['21,00 Lei', {}, '21.00', 'RON'],
      ['530,42 Zł', {}, '530.42', 'PLN'],
      ['2000 zl', {}, '2000', 'PLN'],
      ['6790 Dinara', {}, '6790', 'RSD'],
      ['2963yen', {}, '2963', 'JPY'],
      ['AU $59.95', {}, '59.95', 'AUD'],
      ['CAN$1.23', {}, '1.23', 'CAD'],
      ['1 $U', {}, '1', 'UYU'],
      ['1 RD$', {}, '1', 'DOP'],
      ['1 ৳', {}, '1', 'BDT'],
      ['1 GH₵', {}, '1', 'GHS'],
      ['₤5.95', {}, '5.95', 'GBP'],
      ['US$:12.99', {}, '12.99', 'USD'],
      [' 423.923 KD', { currency: 'KWD' }, '423.923', 'KWD'],
      ['11,33 Br', { currency: 'BYN' }, '11.33', 'BYN'],
    ]);

    it('reads abbreviations that name products as often as money only when expected', () => {
      expect(parsePrice('Nike KD 15 $150')).toEqual({ amount: '150', currency: 'USD' });
      expect(parsePrice('Sony BD $199')).toEqual({ amount: '199', currency: 'USD' });
      expect(parsePrice('CFA 2024 Study Guide $49')).toEqual({ amount: '49', currency: 'USD' });
      expect(parsePrice('11,33 Br')).toEqual({ amount: '11.33', currency: null });
      expect(parsePrice('Köp din 2 för 199 kr')).toEqual({ amount: '199', currency: 'SEK' });
      expect(parsePrice('1.299 din', { currency: 'RSD' })).toEqual({
        amount: '1299',
        currency: 'RSD',
      });
    });
  });

  it('does not take a bare number above a price for a range’s low end (from price-parser’s tests)', () => {
    const tiers = '50 - $2.00 100 - $2.75 400 - $4.50 1,000 - $9.00';
    expect(parsePrice(tiers)).toEqual({ amount: '2.00', currency: 'USD' });
    expect(parsePriceRange('50 - $2.00')).toEqual({
      min: { amount: '2.00', currency: 'USD' },
      max: { amount: '2.00', currency: 'USD' },
    });
    expect(parsePriceRange('10 – 12 €')?.min).toEqual({ amount: '10', currency: 'EUR' });
  });
});

describe('parseMoney', () => {
  it('uses the real minor unit of the currency', () => {
    expect(parseMoney('￥1,280')).toEqual({ minor: 1280, currency: 'JPY' });
    expect(parseMoney('¥1,280.00', { currency: 'JPY' })).toEqual({ minor: 1280, currency: 'JPY' });
    expect(parseMoney('BHD 1.250')).toEqual({ minor: 1250, currency: 'BHD' });
    expect(parseMoney('KWD 12.5')).toEqual({ minor: 12500, currency: 'KWD' });
    expect(parseMoney('EUR 219,00')).toEqual({ minor: 21900, currency: 'EUR' });
    expect(parseMoney('EUR 219')).toEqual({ minor: 21900, currency: 'EUR' });
    expect(parseMoney('$0.50')).toEqual({ minor: 50, currency: 'USD' });
  });

  it('refuses amounts finer than the minor unit, unless the extra digits are zeros', () => {
    expect(parseMoney('$0.0005')).toBeNull();
    expect(parseMoney('¥12.5')).toBeNull();
    expect(parseMoney('$0.5000')).toEqual({ minor: 50, currency: 'USD' });
  });

  it('needs a currency', () => {
    expect(parseMoney('12,99')).toBeNull();
    expect(parseMoney('12,99', { currency: 'EUR' })).toEqual({ minor: 1299, currency: 'EUR' });
  });

  it('refuses amounts past the safe integer range', () => {
    expect(parseMoney('$99,999,999,999,999,999.00')).toBeNull();
  });
});

describe('parsePriceRange', () => {
  it('reads both ends of a range', () => {
    expect(parsePriceRange('Por: R$169,00 - R$199,90')).toEqual({
      min: { amount: '169.00', currency: 'BRL' },
      max: { amount: '199.90', currency: 'BRL' },
    });
    expect(parsePriceRange('$10.99 - $12.99')).toEqual({
      min: { amount: '10.99', currency: 'USD' },
      max: { amount: '12.99', currency: 'USD' },
    });
    expect(parsePriceRange('10 – 12 €')).toEqual({
      min: { amount: '10', currency: 'EUR' },
      max: { amount: '12', currency: 'EUR' },
    });
    expect(parsePriceRange('£5 to £10')?.max).toEqual({ amount: '10', currency: 'GBP' });
    expect(parsePriceRange('37,45 € bis 49,99 €')?.max).toEqual({
      amount: '49.99',
      currency: 'EUR',
    });
  });

  it('gives min = max for a single price', () => {
    expect(parsePriceRange('EUR 219,00')).toEqual({
      min: { amount: '219.00', currency: 'EUR' },
      max: { amount: '219.00', currency: 'EUR' },
    });
  });

  it('rejects ranges that make no sense', () => {
    expect(parsePriceRange('$12.99 - $10.99')).toBeNull();
    expect(parsePriceRange('$10 - €12')).toBeNull();
    expect(parsePriceRange('abc')).toBeNull();
    expect(parsePriceRange('-$5')).toBeNull();
  });
});

describe('parsePriceCli (the `pricehawk parse-price` contract)', () => {
  it('prints the canonical amount in the currency', () => {
    expect(parsePriceCli('EUR 219,00')).toEqual({ amount: '219.00', currency: 'EUR' });
    expect(parsePriceCli('EUR 219')).toEqual({ amount: '219.00', currency: 'EUR' });
    expect(parsePriceCli('￥1,280')).toEqual({ amount: '1280', currency: 'JPY' });
    expect(parsePriceCli('1.299,99', { currency: 'EUR', locale: 'de-DE' })).toEqual({
      amount: '1299.99',
      currency: 'EUR',
    });
    expect(parsePriceCli('$10', { currency: 'CAD' })).toEqual({
      amount: '10.00',
      currency: 'CAD',
    });
  });

  it('keeps the amount when the currency is unknown', () => {
    expect(parsePriceCli('1,590')).toEqual({ amount: '1590', currency: null });
    expect(parsePriceCli('12,5')).toEqual({ amount: '12.5', currency: null });
  });

  it('prints nulls when there is no usable price', () => {
    expect(parsePriceCli('abc')).toEqual({ amount: null, currency: null });
    expect(parsePriceCli('')).toEqual({ amount: null, currency: null });
    expect(parsePriceCli('-$5')).toEqual({ amount: null, currency: null });
    expect(parsePriceCli('$0.0005')).toEqual({ amount: null, currency: null });
  });

  it('is plain JSON', () => {
    const out = parsePriceCli('R$ 1.299,90');
    expect(JSON.parse(JSON.stringify(out))).toEqual({ amount: '1299.90', currency: 'BRL' });
  });
});
