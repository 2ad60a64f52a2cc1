// Mapping GetItems answers, on fixtures written after the PA-API 5 documentation's examples.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PaapiError } from './errors.js';
import { paapiLocale } from './locales.js';
import {
  availabilityOf,
  errorForResponse,
  isItemsOnlyFailure,
  mapGetItems,
  readMoney,
  retryAfterMs,
  soldByAmazon,
} from './response.js';
import { REFUSALS } from './testing/standin.js';

function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

const de = paapiLocale('amazon.de')!;
const jp = paapiLocale('amazon.co.jp')!;
const us = paapiLocale('amazon.com')!;
const eur = (minor: number) => ({ minor, currency: 'EUR' });

describe('prices', () => {
  it('reads "1.299,00 €" and Amount 1299 as the same 129900 cents', () => {
    expect(readMoney({ Amount: 1299, Currency: 'EUR', DisplayAmount: '1.299,00 €' }, de)).toEqual({
      kind: 'ok',
      money: eur(129900),
      agreed: true,
    });
  });

  it('reads yen without decimals', () => {
    expect(readMoney({ Amount: 1280, Currency: 'JPY', DisplayAmount: '￥1,280' }, jp)).toEqual({
      kind: 'ok',
      money: { minor: 1280, currency: 'JPY' },
      agreed: true,
    });
  });

  it('reads the price, not the unit price beside it', () => {
    const r = readMoney(
      { Amount: 29.99, Currency: 'USD', DisplayAmount: '$29.99 ($2.50 / Count)' },
      us,
    );
    expect(r).toMatchObject({ kind: 'ok', money: { minor: 2999, currency: 'USD' }, agreed: true });
  });

  it('falls back to the one reading that works', () => {
    // A binary-float artefact in Amount is not a price in cents; the display string still is.
    expect(
      readMoney({ Amount: 19.990000000000002, Currency: 'EUR', DisplayAmount: '19,99 €' }, de),
    ).toEqual({ kind: 'ok', money: eur(1999), agreed: false });
    expect(
      readMoney({ Amount: 19.99, Currency: 'EUR', DisplayAmount: 'Siehe Warenkorb' }, de),
    ).toEqual({ kind: 'ok', money: eur(1999), agreed: false });
    expect(readMoney({ Amount: 19.99 }, de)).toEqual({
      kind: 'ok',
      money: eur(1999),
      agreed: false,
    });
  });

  it('refuses two readings that disagree, and what cannot be read', () => {
    expect(readMoney({ Amount: 12.99, Currency: 'EUR', DisplayAmount: '13,99 €' }, de)).toEqual({
      kind: 'conflict',
      fromAmount: eur(1299),
      fromDisplay: eur(1399),
    });
    // DisplayAmount in another currency than Currency says.
    expect(readMoney({ Amount: 10, Currency: 'EUR', DisplayAmount: '$11.00' }, de)).toMatchObject({
      kind: 'ok',
      agreed: false,
    });
    expect(readMoney({ Amount: -1, Currency: 'EUR' }, de)).toEqual({ kind: 'unreadable' });
    expect(readMoney({ Amount: 1e21, Currency: 'EUR' }, de)).toEqual({ kind: 'unreadable' });
    expect(readMoney({ Amount: 1, Currency: 'XYZ1' }, de)).toEqual({ kind: 'unreadable' });
    expect(readMoney(undefined, de)).toEqual({ kind: 'absent' });
  });
});

describe('availability and seller', () => {
  it.each([
    ['Now', 'in_stock'],
    ['Preorder', 'preorder'],
    ['Backorder', 'out_of_stock'],
    ['OutOfStock', 'out_of_stock'],
    ['SomethingNew', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (type, expected) => {
    expect(availabilityOf(type)).toBe(expected);
  });

  it('tells Amazon from other sellers by id first, then by name', () => {
    expect(soldByAmazon({ Id: 'A3JWKAKR8XB7XF', Name: 'Amazon.de' })).toBe(true);
    expect(soldByAmazon({ Id: 'A3JWKAKR8XB7XF' })).toBe(true);
    expect(soldByAmazon({ Name: 'Amazon.com.br' })).toBe(true);
    expect(soldByAmazon({ Id: 'A2SPIELWAREN9X', Name: 'Spielwaren Schmidt GmbH' })).toBe(false);
    expect(soldByAmazon({ Name: 'Amazon Warehouse' })).toBe(false);
    expect(soldByAmazon({ Name: 'Amazonia Shop' })).toBe(false);
    expect(soldByAmazon({ Id: 'A2SPIELWAREN9X' })).toBe(false);
    expect(soldByAmazon(undefined)).toBeUndefined();
  });
});

describe('GetItems → observations', () => {
  const asked = [
    'B0DE000001',
    'B0DE000002',
    'B0DE000003',
    'B0DE000004',
    'B0DE000005',
    'B0DEGONE01',
    'B0DEBAD001',
    'B0DESILENT',
  ];
  const obs = mapGetItems(fixture('getitems-de.json'), de, asked);

  it('answers for every ASIN asked, nothing else', () => {
    expect([...obs.keys()].sort()).toEqual([...asked].sort());
  });

  it('maps the buy box, list price, offers by condition, seller and stock', () => {
    expect(obs.get('B0DE000001')).toEqual({
      outcome: 'ok',
      store: 'paapi',
      marketplace: 'amazon.de',
      productId: 'B0DE000001',
      title: 'Beispiel Kaffeevollautomat mit Milchsystem, Edelstahl',
      imageUrl: 'https://m.media-amazon.com/images/I/41kaffee01L._SL500_.jpg',
      price: eur(129900),
      listPrice: eur(149900),
      offers: { new: eur(124900), used: eur(99900) },
      soldByStore: true,
      availability: 'in_stock',
    });
  });

  it('maps a third-party preorder and an Amazon backorder', () => {
    expect(obs.get('B0DE000002')).toMatchObject({
      outcome: 'ok',
      price: eur(3999),
      listPrice: null,
      offers: { new: eur(3999), used: null },
      soldByStore: false,
      availability: 'preorder',
    });
    expect(obs.get('B0DE000003')).toMatchObject({
      outcome: 'ok',
      price: eur(2495),
      soldByStore: true,
      availability: 'out_of_stock',
      imageUrl: null,
    });
  });

  it('has no buy-box price when only other offers exist', () => {
    expect(obs.get('B0DE000004')).toMatchObject({
      outcome: 'ok',
      price: null,
      offers: { new: null, used: eur(4550) },
      availability: 'unknown',
    });
  });

  it('reads a missing Offers as not buyable when others in the answer have offers', () => {
    expect(obs.get('B0DE000005')).toMatchObject({
      outcome: 'ok',
      title: 'Nicht mehr lieferbares Ersatzteil',
      price: null,
      availability: 'out_of_stock',
    });
  });

  it('turns item errors into not_found, and silence into error', () => {
    expect(obs.get('B0DEGONE01')).toMatchObject({ outcome: 'not_found', productId: 'B0DEGONE01' });
    expect(obs.get('B0DEBAD001')).toMatchObject({ outcome: 'not_found', productId: 'B0DEBAD001' });
    expect(obs.get('B0DESILENT')).toMatchObject({
      outcome: 'error',
      marketplace: 'amazon.de',
      productId: 'B0DESILENT',
    });
  });

  it('learns nothing when no item of the answer has Offers', () => {
    // What PA-API answers once it stops serving the (deprecated) Offers resource: titles, no
    // prices. Calling that "out of stock" would later fire false back-in-stock alerts.
    const m = mapGetItems(fixture('getitems-no-offers.json'), de, ['B0DE000001', 'B0DE000002']);
    for (const o of m.values()) expect(o).toMatchObject({ outcome: 'error', price: null });
  });

  it('learns nothing from a listing whose price readings disagree', () => {
    const body = fixture('getitems-de.json');
    body.ItemsResult.Items[0].Offers.Listings[0].Price.DisplayAmount = '1.199,00 €';
    expect(mapGetItems(body, de, ['B0DE000001']).get('B0DE000001')).toMatchObject({
      outcome: 'error',
      price: null,
      title: 'Beispiel Kaffeevollautomat mit Milchsystem, Edelstahl',
    });
  });

  it('maps yen and dollars', () => {
    expect(mapGetItems(fixture('getitems-jp.json'), jp, ['B0JP000001']).get('B0JP000001')).toEqual({
      outcome: 'ok',
      store: 'paapi',
      marketplace: 'amazon.co.jp',
      productId: 'B0JP000001',
      title: '緑茶 ティーバッグ 100袋',
      imageUrl: 'https://m.media-amazon.com/images/I/41ocha001L._SL500_.jpg',
      price: { minor: 1280, currency: 'JPY' },
      listPrice: { minor: 1580, currency: 'JPY' },
      offers: { new: { minor: 1180, currency: 'JPY' }, used: { minor: 980, currency: 'JPY' } },
      soldByStore: true,
      availability: 'in_stock',
    });
    expect(
      mapGetItems(fixture('getitems-us.json'), us, ['B00KL8SM92']).get('B00KL8SM92'),
    ).toMatchObject({
      price: { minor: 2999, currency: 'USD' },
      listPrice: { minor: 3999, currency: 'USD' },
      soldByStore: true,
    });
  });

  it('survives answers that are not PA-API JSON at all', () => {
    for (const body of [null, 'oops', [], { ItemsResult: { Items: 'x' } }, { Errors: [null] }]) {
      const m = mapGetItems(body, de, ['B0DE000001']);
      expect(m.get('B0DE000001')?.outcome).toBe('error');
    }
  });
});

describe('request failures', () => {
  const now = new Date('2026-03-02T10:00:00Z');

  it.each([
    [REFUSALS.tooManyRequests, 'paapi_throttled', false],
    [REFUSALS.invalidSignature, 'paapi_invalid_signature', true],
    [REFUSALS.incompleteSignature, 'paapi_invalid_signature', true],
    [REFUSALS.unrecognizedClient, 'paapi_unrecognized_client', true],
    [REFUSALS.invalidPartnerTag, 'paapi_invalid_partner_tag', true],
    [REFUSALS.unknownOperation, 'paapi_bad_request', true],
    [REFUSALS.internalFailure, 'paapi_unavailable', false],
  ] as const)('%# → %s', (refusal, code, permanent) => {
    const err = errorForResponse(refusal.status, refusal.body, {}, now);
    expect(err).toBeInstanceOf(PaapiError);
    expect(err.code).toBe(code);
    expect(err.permanent).toBe(permanent);
    expect(err.upstreamStatus).toBe(refusal.status);
  });

  it('tells a clock problem from a key problem', () => {
    const expired = {
      __type: 'com.amazon.paapi5#InvalidSignatureException',
      Errors: [
        {
          Code: 'InvalidSignature',
          Message:
            'Signature expired: 20260302T094000Z is now earlier than 20260302T095500Z (20260302T100000Z - 5 min.)',
        },
      ],
    };
    expect(errorForResponse(401, expired, {}, now).code).toBe('paapi_clock_skew');
  });

  it('classifies by status when the body says nothing', () => {
    expect(errorForResponse(403, undefined, {}, now).code).toBe('paapi_access_denied');
    expect(errorForResponse(401, '<html>', {}, now).code).toBe('paapi_invalid_signature');
    expect(errorForResponse(502, undefined, {}, now)).toMatchObject({
      code: 'paapi_unavailable',
      permanent: false,
      status: 503,
    });
    expect(errorForResponse(429, undefined, {}, now).retryAfterMs).toBe(1000);
  });

  it('waits as long as Retry-After says, never less than a second', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('0', now)).toBe(1000);
    expect(retryAfterMs('Mon, 02 Mar 2026 10:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBe(1000);
    expect(retryAfterMs(undefined, now)).toBe(1000);
    expect(
      errorForResponse(429, REFUSALS.tooManyRequests.body, { retryAfter: '2' }, now).retryAfterMs,
    ).toBe(2000);
  });

  it('treats a 400 about requested items only as an answer', () => {
    const body = {
      Errors: [
        {
          Code: 'InvalidParameterValue',
          Message: 'The ItemId B0DEBAD001 provided in the request is invalid.',
        },
      ],
    };
    expect(isItemsOnlyFailure(body, ['B0DEBAD001'])).toBe(true);
    expect(isItemsOnlyFailure(body, ['B0DE000001'])).toBe(false);
    const marketplace = {
      Errors: [
        {
          Code: 'InvalidParameterValue',
          Message: 'The value [www.amazon.xx] provided in the request for Marketplace is invalid.',
        },
      ],
    };
    expect(isItemsOnlyFailure(marketplace, ['B0DE000001'])).toBe(false);
  });
});
