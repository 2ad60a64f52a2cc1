import { describe, expect, it } from 'vitest';
import type { PriceText } from './shown.js';
import { classify, priceIn, visibleMoney } from './visible.js';

const text = (t: string, extra: Partial<PriceText> = {}): PriceText => ({
  text: t,
  start: 0,
  context: 'span',
  struck: false,
  label: null,
  ...extra,
});

describe('priceIn', () => {
  it.each([
    ['53,11 €', '53,11 €'],
    ['ab 37,45\u00a0€', '37,45\u00a0€'],
    ['Sale: $31.49', '$31.49'],
    ['EUR 219,00', 'EUR 219,00'],
    ['AED330.00', 'AED330.00'],
    ['CHF 1’299.00', 'CHF 1’299.00'],
  ])('finds the price in %j', (input, expected) => {
    expect(priceIn(input)).toBe(expected);
  });

  it('finds nothing in ranges, codes that are no currency, or plain numbers', () => {
    expect(priceIn('$41.99 - $49.99')).toBeNull();
    expect(priceIn('23272SET6')).toBeNull();
    expect(priceIn('8108 total votes')).toBeNull();
  });
});

describe('classify', () => {
  it('takes a plain price near the heading as the price', () => {
    expect(classify(text('9,99 €', { context: 'div price | span price' }))).toBe('price');
    expect(classify(text('ab 37,45 €', { label: 'ab' }))).toBe('price');
  });

  it('recognises strike-through and reference prices', () => {
    expect(classify(text('40,95 €', { struck: true }))).toBe('strike');
    expect(classify(text('49,99 €', { context: 'span h-text h-strike' }))).toBe('strike');
    expect(classify(text('$34.99', { context: 'div _3us5 price-comparison | span' }))).toBe(
      'strike',
    );
    expect(classify(text('$169.10', { context: 'span suggestedretailprice | span' }))).toBe(
      'strike',
    );
    expect(classify(text('$34.99', { label: 'Was:' }))).toBe('strike');
    expect(classify(text('UVP 12,00 €'))).toBe('strike');
  });

  it('sets aside prices that are not for everyone or not the item', () => {
    expect(classify(text('3,99 €', { context: 'span club-price-text | span club-price' }))).toBe(
      'other',
    );
    expect(classify(text('From $84.14', { label: 'Open Box Outlet Price:' }))).toBe('other');
    expect(classify(text('10,97 €', { label: 'Sie sparen' }))).toBe('other');
    expect(classify(text('$7 Used Blu-Ray'))).toBe('other');
    expect(classify(text('2,50 €/kg'))).toBe('other');
    expect(classify(text('Start 30 day free trial. $19.95/year.'))).toBe('other');
    expect(classify(text('Versand 4,95 €'))).toBe('other');
    expect(classify(text('$98', { glued: true }))).toBe('other');
  });

  it('does not read "bold" or "product-list" as strike-through markers', () => {
    expect(classify(text('$5.00', { context: 'div product-list | b h-bold' }))).toBe('price');
  });
});

describe('visibleMoney', () => {
  it('reads the amount in the currency the text shows', () => {
    expect(visibleMoney('53,11 €', { currency: 'USD', locale: 'es' })).toEqual({
      minor: 5311,
      currency: 'EUR',
    });
  });

  it('reads a shared symbol as the page currency', () => {
    expect(visibleMoney('$24.00', { currency: 'CAD', locale: 'en-CA' })).toEqual({
      minor: 2400,
      currency: 'CAD',
    });
    expect(visibleMoney('US$24.00', { currency: 'CAD', locale: 'en-CA' })?.currency).not.toBe(
      'CAD',
    );
  });

  it('gives null without a price or a currency', () => {
    expect(visibleMoney('free', { currency: 'EUR', locale: undefined })).toBeNull();
    expect(visibleMoney('12,00', { currency: 'EUR', locale: undefined })).toBeNull();
  });
});
