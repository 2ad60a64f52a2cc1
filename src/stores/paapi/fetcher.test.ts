// The wiring the composition root will use — `send` through the product's one fetcher — checked
// end to end: the fetcher's own headers (user-agent, accept, accept-encoding) and its POST support
// must leave the signed request intact, or the stand-in refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '../../acquisition/fetcher.js';
import { createLogger } from '../../observability/logger.js';
import { createPaapiClient, type PaapiSend } from './client.js';
import { startStandin, type Standin } from './testing/standin.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const item = {
  ASIN: 'B0DE000001',
  ItemInfo: { Title: { DisplayValue: 'Kaffeemühle' } },
  Offers: {
    Listings: [
      {
        Availability: { Type: 'Now' },
        MerchantInfo: { Id: 'A3JWKAKR8XB7XF', Name: 'Amazon.de' },
        Price: { Amount: 1299, Currency: 'EUR', DisplayAmount: '1.299,00 €' },
      },
    ],
  },
};

describe('PA-API through the fetcher', () => {
  let standin: Standin;
  let fetcher: Fetcher;
  let port: string;

  beforeAll(async () => {
    standin = await startStandin({
      accessKey: 'AKIAPAAPITEST0000001',
      secretKey: 'paapi-secret-key-for-tests-0123456789abcd',
      partnerTag: 'pricehawk-21',
      host: 'webservices.amazon.de',
      region: 'eu-west-1',
      marketplace: 'www.amazon.de',
      items: { B0DE000001: item },
      clock: () => NOW,
    });
    port = new URL(standin.origin).port;
    fetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => false,
      // The stand-in is webservices.amazon.de on loopback for this test only.
      trustedHosts: [`webservices.amazon.de:${port}`],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
  });

  afterAll(async () => {
    await fetcher.close();
    await standin.close();
  });

  it('keeps the signature valid', async () => {
    const send: PaapiSend = async (req) => {
      // Test only: plain HTTP on the stand-in's port instead of TLS on 443; the Host header, which
      // is signed, still says webservices.amazon.de.
      const url = new URL(req.url);
      url.protocol = 'http:';
      url.port = port;
      const res = await fetcher.fetch({
        url: url.toString(),
        method: 'POST',
        body: req.body,
        headers: { ...req.headers, accept: 'application/json' },
      });
      return { status: res.status, body: res.body, headers: res.headers };
    };
    const client = createPaapiClient({
      accessKey: 'AKIAPAAPITEST0000001',
      secretKey: 'paapi-secret-key-for-tests-0123456789abcd',
      partnerTag: 'pricehawk-21',
      send,
      clock: () => NOW,
    });
    const result = await client.getItems('amazon.de', ['B0DE000001']);
    expect(standin.requests[0]?.verification).toEqual({
      ok: true,
      accessKey: 'AKIAPAAPITEST0000001',
    });
    expect(standin.requests[0]?.headers.host).toBe('webservices.amazon.de');
    expect(result.get('B0DE000001')).toMatchObject({
      outcome: 'ok',
      price: { minor: 129900, currency: 'EUR' },
      soldByStore: true,
    });
  });
});
