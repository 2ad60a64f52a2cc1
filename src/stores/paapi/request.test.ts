import { describe, expect, it } from 'vitest';
import { MARKETPLACES } from '../amazon/marketplaces.js';
import { isPaapiHost, PAAPI_LOCALES, paapiLocale } from './locales.js';
import {
  chunk,
  GETITEMS_RESOURCES,
  getItemsBody,
  getItemsRequest,
  normalizeAsins,
} from './request.js';

describe('PA-API locales', () => {
  it('covers every Pricehawk Amazon marketplace', () => {
    expect(PAAPI_LOCALES.map((l) => l.marketplaceId).sort()).toEqual(
      MARKETPLACES.map((m) => m.id).sort(),
    );
  });

  it.each([
    ['amazon.com', 'webservices.amazon.com', 'us-east-1', 'www.amazon.com', 'USD'],
    ['amazon.ca', 'webservices.amazon.ca', 'us-east-1', 'www.amazon.ca', 'CAD'],
    ['amazon.com.mx', 'webservices.amazon.com.mx', 'us-east-1', 'www.amazon.com.mx', 'MXN'],
    ['amazon.com.br', 'webservices.amazon.com.br', 'us-east-1', 'www.amazon.com.br', 'BRL'],
    ['amazon.de', 'webservices.amazon.de', 'eu-west-1', 'www.amazon.de', 'EUR'],
    ['amazon.co.uk', 'webservices.amazon.co.uk', 'eu-west-1', 'www.amazon.co.uk', 'GBP'],
    ['amazon.in', 'webservices.amazon.in', 'eu-west-1', 'www.amazon.in', 'INR'],
    ['amazon.eg', 'webservices.amazon.eg', 'eu-west-1', 'www.amazon.eg', 'EGP'],
    ['amazon.co.jp', 'webservices.amazon.co.jp', 'us-west-2', 'www.amazon.co.jp', 'JPY'],
    ['amazon.com.au', 'webservices.amazon.com.au', 'us-west-2', 'www.amazon.com.au', 'AUD'],
    ['amazon.sg', 'webservices.amazon.sg', 'us-west-2', 'www.amazon.sg', 'SGD'],
  ])('%s → %s in %s', (id, host, region, marketplace, currency) => {
    expect(paapiLocale(id)).toMatchObject({ host, region, marketplace, currency });
    expect(isPaapiHost(host)).toBe(true);
  });

  it('knows no other hosts', () => {
    expect(paapiLocale('amazon.ie')).toBeUndefined();
    expect(isPaapiHost('www.amazon.de')).toBe(false);
    expect(isPaapiHost('webservices.amazon.de.evil.example')).toBe(false);
  });
});

describe('GetItems requests', () => {
  const de = paapiLocale('amazon.de')!;

  it('upper-cases, de-duplicates and sets aside what is not an ASIN', () => {
    expect(normalizeAsins(['b0de000001', ' B0DE000001 ', 'B0DE000002', 'nope', '123'])).toEqual({
      valid: ['B0DE000001', 'B0DE000002'],
      invalid: ['NOPE', '123'],
    });
  });

  it('splits 25 ASINs into 10 + 10 + 5', () => {
    const asins = Array.from({ length: 25 }, (_, i) => `B0${String(i).padStart(8, '0')}`);
    expect(chunk(asins).map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunk(asins).flat()).toEqual(asins);
  });

  it('builds the documented body and headers', () => {
    const req = getItemsRequest(de, getItemsBody(de, 'pricehawk-21', ['B0DE000001', 'B0DE000002']));
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/paapi5/getitems');
    expect(req.headers).toEqual({
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=utf-8',
      host: 'webservices.amazon.de',
      'x-amz-target': 'com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems',
    });
    expect(JSON.parse(req.body)).toEqual({
      ItemIds: ['B0DE000001', 'B0DE000002'],
      ItemIdType: 'ASIN',
      PartnerTag: 'pricehawk-21',
      PartnerType: 'Associates',
      Marketplace: 'www.amazon.de',
      Resources: [
        'ItemInfo.Title',
        'Images.Primary.Large',
        'Offers.Listings.Price',
        'Offers.Listings.SavingBasis',
        'Offers.Listings.Availability.Type',
        'Offers.Listings.MerchantInfo',
        'Offers.Listings.Condition',
        'Offers.Summaries.LowestPrice',
        'Offers.Listings.DeliveryInfo.IsAmazonFulfilled',
      ],
    });
    expect(GETITEMS_RESOURCES).toHaveLength(9);
  });

  it('refuses an empty or oversized batch', () => {
    expect(() => getItemsBody(de, 't-21', [])).toThrow(RangeError);
    expect(() => getItemsBody(de, 't-21', Array(11).fill('B0DE000001'))).toThrow(RangeError);
  });
});
