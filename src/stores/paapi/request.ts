/**
 * Building GetItems requests (pure): which ASINs go together, the JSON body, the headers that
 * are signed. Signing itself is in sign.ts, sending is the caller's `send`.
 */
import type { PaapiLocale } from './locales.js';

/** PA-API's limit of item ids per GetItems request. */
export const MAX_ITEMS_PER_REQUEST = 10;

export const GETITEMS_PATH = '/paapi5/getitems';
export const GETITEMS_TARGET = 'com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems';

/**
 * Only what an observation needs: PA-API answers with what is asked for, and every resource
 * costs response size, not quota.
 */
export const GETITEMS_RESOURCES = [
  'ItemInfo.Title',
  'Images.Primary.Large',
  'Offers.Listings.Price',
  'Offers.Listings.SavingBasis',
  'Offers.Listings.Availability.Type',
  'Offers.Listings.MerchantInfo',
  'Offers.Listings.Condition',
  'Offers.Summaries.LowestPrice',
  'Offers.Listings.DeliveryInfo.IsAmazonFulfilled',
] as const;

export interface GetItemsBody {
  readonly ItemIds: readonly string[];
  readonly ItemIdType: 'ASIN';
  readonly PartnerTag: string;
  readonly PartnerType: 'Associates';
  readonly Marketplace: string;
  readonly Resources: readonly string[];
}

/** An HTTP request before signing; `headers` are exactly the ones that get signed. */
export interface UnsignedRequest {
  readonly method: 'POST';
  readonly host: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const ASIN = /^[A-Z0-9]{10}$/;

/**
 * Upper-cased, de-duplicated ASINs in first-seen order, and the inputs that are not ASINs at
 * all: those would cost a request slot only to come back as InvalidParameterValue.
 */
export function normalizeAsins(asins: readonly string[]): {
  readonly valid: readonly string[];
  readonly invalid: readonly string[];
} {
  const valid: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const raw of asins) {
    const a = raw.trim().toUpperCase();
    if (seen.has(a)) continue;
    seen.add(a);
    (ASIN.test(a) ? valid : invalid).push(a);
  }
  return { valid, invalid };
}

export function chunk<T>(items: readonly T[], size = MAX_ITEMS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function getItemsBody(
  locale: PaapiLocale,
  partnerTag: string,
  asins: readonly string[],
): GetItemsBody {
  if (asins.length === 0 || asins.length > MAX_ITEMS_PER_REQUEST) {
    throw new RangeError(`GetItems takes 1 to ${MAX_ITEMS_PER_REQUEST} ASINs, not ${asins.length}`);
  }
  return {
    ItemIds: asins,
    ItemIdType: 'ASIN',
    PartnerTag: partnerTag,
    PartnerType: 'Associates',
    Marketplace: locale.marketplace,
    Resources: GETITEMS_RESOURCES,
  };
}

export function getItemsRequest(locale: PaapiLocale, body: GetItemsBody): UnsignedRequest {
  return {
    method: 'POST',
    host: locale.host,
    path: GETITEMS_PATH,
    headers: {
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=utf-8',
      host: locale.host,
      'x-amz-target': GETITEMS_TARGET,
    },
    body: JSON.stringify(body),
  };
}
