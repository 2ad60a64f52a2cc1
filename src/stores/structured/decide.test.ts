import { describe, expect, it } from 'vitest';
import type { Money } from '../../money/index.js';
import { decide } from './decide.js';
import type { SourceReading, StructuredSource } from './offers.js';
import type { VisibleReading } from './visible.js';

const eur = (minor: number): Money => ({ minor, currency: 'EUR' });

function reading(
  source: StructuredSource,
  price: Money | null,
  extra: Partial<SourceReading> = {},
): SourceReading {
  return {
    source,
    price,
    prices: price ? [price] : [],
    range: null,
    listPrice: null,
    used: null,
    usedOnly: false,
    availability: 'in_stock',
    unresolvedCurrency: false,
    ...extra,
  };
}

const shown = (price: Money | null, extra: Partial<VisibleReading> = {}): VisibleReading => ({
  price,
  listPrice: null,
  availability: null,
  ...extra,
});

describe('decide: confidence rules', () => {
  const cases: Array<[string, SourceReading[], Money | null, Money | null, number]> = [
    [
      'three sources and the page agree',
      [reading('jsonld', eur(100)), reading('meta', eur(100))],
      eur(100),
      eur(100),
      0.98,
    ],
    ['one source and the page agree', [reading('jsonld', eur(100))], eur(100), eur(100), 0.95],
    [
      'the page settles a conflict',
      [reading('jsonld', eur(100)), reading('meta', eur(120))],
      eur(120),
      eur(120),
      0.75,
    ],
    [
      'the page overrides conflicting sources',
      [reading('jsonld', eur(100)), reading('meta', eur(120))],
      eur(140),
      eur(140),
      0.6,
    ],
    ['the page overrides one source', [reading('jsonld', eur(100))], eur(140), eur(140), 0.5],
    [
      'three sources agree, nothing shown',
      [reading('jsonld', eur(100)), reading('microdata', eur(100)), reading('meta', eur(100))],
      null,
      eur(100),
      0.9,
    ],
    [
      'two sources agree, nothing shown',
      [reading('jsonld', eur(100)), reading('meta', eur(100))],
      null,
      eur(100),
      0.85,
    ],
    ['one source, nothing shown', [reading('meta', eur(100))], null, eur(100), 0.7],
    [
      'sources conflict, nothing shown',
      [reading('meta', eur(120)), reading('jsonld', eur(100))],
      null,
      eur(100),
      0.4,
    ],
  ];
  it.each(cases)('%s', (_name, readings, visible, price, confidence) => {
    const d = decide({ readings, visible: shown(visible), currencyGuessed: false });
    expect(d.price).toEqual(price);
    expect(d.confidence).toBe(confidence);
  });

  it('keeps the lowest purchasable offer when the page shows another offer of the same source', () => {
    const r = reading('jsonld', eur(3745), {
      prices: [eur(3745), eur(4999)],
      range: { min: eur(3745), max: eur(4999) },
    });
    const d = decide({ readings: [r], visible: shown(eur(4999)), currencyGuessed: false });
    expect(d.price).toEqual(eur(3745));
    expect(d.range).toEqual({ min: eur(3745), max: eur(4999) });
    expect(d.confidence).toBe(0.95);
  });

  it('never takes a shown price alone', () => {
    const d = decide({
      readings: [reading('jsonld', null, { availability: 'out_of_stock' })],
      visible: shown(eur(2500)),
      currencyGuessed: false,
    });
    expect(d.price).toBeNull();
    expect(d.availability).toBe('out_of_stock');
    expect(d.confidence).toBe(0.8);
  });

  it('caps confidence when the currency was guessed', () => {
    const d = decide({
      readings: [reading('jsonld', eur(100))],
      visible: shown(eur(100)),
      currencyGuessed: true,
    });
    expect(d.confidence).toBe(0.5);
  });

  it('keeps only list prices above the price', () => {
    const d = decide({
      readings: [reading('jsonld', eur(100), { listPrice: eur(90) })],
      visible: shown(eur(100), { listPrice: eur(150) }),
      currencyGuessed: false,
    });
    expect(d.listPrice).toEqual(eur(150));
    const low = decide({
      readings: [reading('jsonld', eur(100), { listPrice: eur(90) })],
      visible: shown(null),
      currencyGuessed: false,
    });
    expect(low.listPrice).toBeNull();
  });

  it('falls back to the shown stock line when no source states availability', () => {
    const d = decide({
      readings: [reading('microdata', eur(100), { availability: null })],
      visible: shown(eur(100), { availability: 'in_stock' }),
      currencyGuessed: false,
    });
    expect(d.availability).toBe('in_stock');
  });
});
