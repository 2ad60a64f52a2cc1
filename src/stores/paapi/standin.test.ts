// The client against a local PA-API that checks SigV4 with its own, independent implementation
// (testing/sigv4.ts): requests it accepts are signed the way AWS expects.
import { readFileSync } from 'node:fs';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { createPaapiClient, type PaapiClientOptions } from './client.js';
import { PaapiError } from './errors.js';
import {
  REFUSALS,
  sendTo,
  startStandin,
  type Standin,
  type StandinOptions,
} from './testing/standin.js';

function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

const NOW = new Date('2026-03-02T10:00:00Z');
const ACCESS = 'AKIAPAAPITEST0000001';
const SECRET = 'paapi-secret-key-for-tests-0123456789abcd';

/** An amazon.de item costing `cents`, in PA-API's shape. */
function deItem(asin: string, cents: number): unknown {
  const euros = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  const grouped = String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return {
    ASIN: asin,
    ItemInfo: { Title: { DisplayValue: `Artikel ${asin}`, Label: 'Title', Locale: 'de_DE' } },
    Offers: {
      Listings: [
        {
          Availability: { Type: 'Now' },
          Condition: { Value: 'New' },
          IsBuyBoxWinner: true,
          MerchantInfo: { Id: 'A3JWKAKR8XB7XF', Name: 'Amazon.de' },
          // Amount as PA-API writes it: a JSON number with the decimal point.
          Price: {
            Amount: Number(`${euros}.${rest}`),
            Currency: 'EUR',
            DisplayAmount: `${grouped},${rest} €`,
          },
        },
      ],
    },
  };
}

const asins25 = Array.from({ length: 25 }, (_, i) => `B0DE${String(100_000 + i)}`);

const deCatalogue: Record<string, unknown> = Object.fromEntries(
  asins25.map((a, i) => [a, deItem(a, 1999 + i * 100_000)]),
);
for (const item of fixture('getitems-de.json').ItemsResult.Items) deCatalogue[item.ASIN] = item;

const DE: StandinOptions = {
  accessKey: ACCESS,
  secretKey: SECRET,
  partnerTag: 'pricehawk-21',
  host: 'webservices.amazon.de',
  region: 'eu-west-1',
  marketplace: 'www.amazon.de',
  items: deCatalogue,
  clock: () => NOW,
};

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function setup(
  s: Partial<StandinOptions> = {},
  c: Partial<PaapiClientOptions> = {},
): Promise<{ standin: Standin; client: ReturnType<typeof createPaapiClient> }> {
  standin = await startStandin({ ...DE, ...s });
  const client = createPaapiClient({
    accessKey: ACCESS,
    secretKey: SECRET,
    partnerTag: 'pricehawk-21',
    send: sendTo(standin.origin),
    clock: () => NOW,
    ...c,
  });
  return { standin, client };
}

async function failure(p: Promise<unknown>): Promise<PaapiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PaapiError) return err;
    throw err;
  }
  throw new Error('expected a PaapiError');
}

describe('PA-API client against the stand-in', () => {
  it('sends 25 ASINs as three signed requests of 10, 10 and 5', async () => {
    const { standin, client } = await setup();
    const result = await client.getItems('amazon.de', asins25);

    expect(standin.requests.map((r) => r.itemIds.length)).toEqual([10, 10, 5]);
    expect(standin.requests.flatMap((r) => r.itemIds)).toEqual(asins25);
    for (const r of standin.requests) {
      expect(r.verification).toEqual({ ok: true, accessKey: ACCESS });
      expect(r.status).toBe(200);
      expect(r.method).toBe('POST');
      expect(r.target).toBe('/paapi5/getitems');
      expect(r.headers).toMatchObject({
        host: 'webservices.amazon.de',
        'content-encoding': 'amz-1.0',
        'content-type': 'application/json; charset=utf-8',
        'x-amz-target': 'com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems',
        'x-amz-date': '20260302T100000Z',
      });
      expect(JSON.parse(r.body)).toMatchObject({
        ItemIdType: 'ASIN',
        PartnerTag: 'pricehawk-21',
        PartnerType: 'Associates',
        Marketplace: 'www.amazon.de',
      });
    }

    expect(result.size).toBe(25);
    expect(result.get(asins25[0]!)).toMatchObject({
      outcome: 'ok',
      store: 'paapi',
      marketplace: 'amazon.de',
      price: { minor: 1999, currency: 'EUR' },
      soldByStore: true,
      availability: 'in_stock',
    });
    // "13.019,99 €" and Amount 13019.99: a grouping dot and a decimal comma, no float maths.
    expect(result.get(asins25[13]!)?.price).toEqual({ minor: 1_301_999, currency: 'EUR' });
  });

  it('maps the documented answer shapes: euros, item errors, unknown ASINs', async () => {
    const { client } = await setup();
    const result = await client.getItems('amazon.de', [
      'B0DE000001',
      'b0de000001',
      'B0DE000002',
      'B0DEGONE01',
      'not-an-asin',
    ]);
    expect([...result.keys()]).toEqual(['NOT-AN-ASIN', 'B0DE000001', 'B0DE000002', 'B0DEGONE01']);
    expect(result.get('B0DE000001')).toMatchObject({
      outcome: 'ok',
      price: { minor: 129900, currency: 'EUR' },
      listPrice: { minor: 149900, currency: 'EUR' },
      offers: { new: { minor: 124900, currency: 'EUR' }, used: { minor: 99900, currency: 'EUR' } },
    });
    expect(result.get('B0DE000002')).toMatchObject({
      availability: 'preorder',
      soldByStore: false,
    });
    expect(result.get('B0DEGONE01')).toMatchObject({ outcome: 'not_found' });
    expect(result.get('NOT-AN-ASIN')).toMatchObject({ outcome: 'not_found' });
    // The malformed id never cost a request slot.
    expect(standin?.requests.flatMap((r) => r.itemIds)).toEqual([
      'B0DE000001',
      'B0DE000002',
      'B0DEGONE01',
    ]);
  });

  it('signs for us-west-2 and reads yen on amazon.co.jp', async () => {
    const items = Object.fromEntries(
      fixture('getitems-jp.json').ItemsResult.Items.map((i: any) => [i.ASIN, i]),
    );
    const { client, standin } = await setup(
      {
        host: 'webservices.amazon.co.jp',
        region: 'us-west-2',
        marketplace: 'www.amazon.co.jp',
        partnerTag: 'pricehawk-22',
        items,
      },
      { partnerTag: { 'amazon.de': 'pricehawk-21', 'amazon.co.jp': 'pricehawk-22' } },
    );
    const result = await client.getItems('amazon.co.jp', ['B0JP000001']);
    expect(standin.requests[0]?.verification.ok).toBe(true);
    expect(String(standin.requests[0]?.headers.authorization)).toContain(
      '/20260302/us-west-2/ProductAdvertisingAPI/aws4_request',
    );
    expect(result.get('B0JP000001')).toMatchObject({
      price: { minor: 1280, currency: 'JPY' },
      offers: { used: { minor: 980, currency: 'JPY' } },
    });
  });

  it('is refused with a wrong secret, and stops at the first refusal', async () => {
    const { client, standin } = await setup(
      {},
      { secretKey: 'not-the-secret-key-000000000000000000000' },
    );
    const err = await failure(client.getItems('amazon.de', asins25));
    expect(err).toMatchObject({
      code: 'paapi_invalid_signature',
      permanent: true,
      upstreamStatus: 401,
      upstreamCode: 'InvalidSignature',
    });
    expect(err.partial.size).toBe(0);
    expect(standin.requests).toHaveLength(1);
    expect(standin.requests[0]?.verification).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('is refused with an unknown access key', async () => {
    const { client } = await setup({}, { accessKey: 'AKIAUNKNOWN000000000' });
    expect(await failure(client.getItems('amazon.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_unrecognized_client',
      permanent: true,
      upstreamStatus: 401,
    });
  });

  it('is refused when the body is changed after signing', async () => {
    const { standin } = await setup();
    const client = createPaapiClient({
      accessKey: ACCESS,
      secretKey: SECRET,
      partnerTag: 'pricehawk-21',
      clock: () => NOW,
      send: sendTo(standin.origin, (req) => ({
        ...req,
        body: req.body.replace('B0DE000001', 'B0DE000002'),
      })),
    });
    expect(await failure(client.getItems('amazon.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_invalid_signature',
    });
    expect(standin.requests[0]?.verification).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('is refused when signed for another region', async () => {
    // The stand-in plays a host whose region is us-east-1; the client signs amazon.de for eu-west-1.
    const { client, standin } = await setup({ region: 'us-east-1' });
    expect(await failure(client.getItems('amazon.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_invalid_signature',
      upstreamStatus: 401,
    });
    expect(standin.requests[0]?.verification).toMatchObject({ ok: false, reason: 'scope' });
  });

  it('is refused when signed for another service', async () => {
    const { standin } = await setup();
    const signer = new SignatureV4({
      credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
      region: 'eu-west-1',
      service: 'execute-api',
      sha256: Sha256,
    });
    const body = JSON.stringify({ ItemIds: ['B0DE000001'] });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'webservices.amazon.de',
        path: '/paapi5/getitems',
        query: {},
        headers: {
          host: 'webservices.amazon.de',
          'content-type': 'application/json; charset=utf-8',
          'x-amz-target': 'com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems',
        },
        body,
      },
      { signingDate: NOW },
    );
    const res = await sendTo(standin.origin)({
      method: 'POST',
      url: 'https://webservices.amazon.de/paapi5/getitems',
      headers: signed.headers,
      body,
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual(REFUSALS.invalidSignature.body);
    expect(standin.requests[0]?.verification).toMatchObject({ ok: false, reason: 'scope' });
  });

  it('is refused when its clock is more than five minutes off', async () => {
    for (const offMs of [-6 * 60_000, 6 * 60_000]) {
      const { client } = await setup({}, { clock: () => new Date(NOW.getTime() + offMs) });
      const err = await failure(client.getItems('amazon.de', ['B0DE000001']));
      expect(err).toMatchObject({ code: 'paapi_clock_skew', permanent: true, upstreamStatus: 401 });
      expect(err.message).toMatch(/^Signature expired: /);
      await standin?.close();
      standin = undefined;
    }
    const { client } = await setup({}, { clock: () => new Date(NOW.getTime() - 4 * 60_000) });
    expect((await client.getItems('amazon.de', ['B0DE000001'])).get('B0DE000001')?.outcome).toBe(
      'ok',
    );
  });

  it('stops when throttled and hands back what it already has', async () => {
    const { client, standin } = await setup({ requestsPerSecond: 1 });
    const err = await failure(client.getItems('amazon.de', asins25));
    expect(err).toMatchObject({
      code: 'paapi_throttled',
      permanent: false,
      retryAfterMs: 1000,
      upstreamStatus: 429,
      upstreamCode: 'TooManyRequests',
    });
    expect([...err.partial.keys()]).toEqual(asins25.slice(0, 10));
    expect(standin.requests.map((r) => r.status)).toEqual([200, 429]);
  });

  it('waits as long as a throttling answer asks', async () => {
    const { client, standin } = await setup();
    standin.failNext({ ...REFUSALS.tooManyRequests, headers: { 'retry-after': '3' } });
    expect(await failure(client.getItems('amazon.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_throttled',
      retryAfterMs: 3000,
    });
  });

  it('reports PA-API trouble as transient and a wrong tag as permanent', async () => {
    const { client, standin } = await setup();
    standin.failNext(REFUSALS.internalFailure);
    expect(await failure(client.getItems('amazon.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_unavailable',
      permanent: false,
      upstreamStatus: 500,
    });
    const wrongTag = createPaapiClient({
      accessKey: ACCESS,
      secretKey: SECRET,
      partnerTag: 'someone-else-21',
      send: sendTo(standin.origin),
      clock: () => NOW,
    });
    expect(await failure(wrongTag.getItems('amazon.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_invalid_partner_tag',
      permanent: true,
    });
  });

  it('refuses marketplaces it cannot serve without sending anything', async () => {
    const { standin } = await setup();
    const client = createPaapiClient({
      accessKey: ACCESS,
      secretKey: SECRET,
      partnerTag: { 'amazon.de': 'pricehawk-21' },
      send: sendTo(standin.origin),
      clock: () => NOW,
    });
    expect(await failure(client.getItems('amazon.fr', ['B0DE000001']))).toMatchObject({
      code: 'paapi_unsupported_marketplace',
      permanent: true,
    });
    expect(await failure(client.getItems('demo.de', ['B0DE000001']))).toMatchObject({
      code: 'paapi_unsupported_marketplace',
    });
    expect(standin.requests).toHaveLength(0);
  });

  it('keeps the cause when sending fails', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { transient: true });
    const client = createPaapiClient({
      accessKey: ACCESS,
      secretKey: SECRET,
      partnerTag: 'pricehawk-21',
      send: () => Promise.reject(cause),
      clock: () => NOW,
    });
    const err = await failure(client.getItems('amazon.de', ['B0DE000001']));
    expect(err).toMatchObject({ code: 'paapi_send_failed', permanent: false });
    expect(err.cause).toBe(cause);
  });
});
