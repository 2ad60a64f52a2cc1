import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FetchError,
  type Fetcher,
  type FetchRequest,
  type FetchResult,
} from '../acquisition/fetcher.js';
import { createLogger } from '../observability/logger.js';
import { createStoreRegistry } from '../stores/index.js';
import type { ProductRecord } from './products.js';
import { mergeResults } from './search-all.js';
import type { CatalogHit } from './search.js';
import { buildQueries, tsLexeme } from './search.js';
import { createStoreSearcher, type StoreSearchOutcome } from './store-search.js';

const PAGES = path.resolve(import.meta.dirname, '../../../shared/fixtures/pages');
const page = (file: string) => fs.readFileSync(path.join(PAGES, file), 'utf8');

function fakeFetcher(answer: (req: FetchRequest) => Promise<Partial<FetchResult>>) {
  const requests: FetchRequest[] = [];
  const reports: string[] = [];
  const fetcher: Fetcher = {
    async fetch(req) {
      requests.push(req);
      const r = await answer(req);
      return {
        status: 200,
        url: req.url,
        body: '',
        headers: {},
        bytesRead: 0,
        stoppedEarly: false,
        route: 'direct',
        ...r,
      };
    },
    report(_res, verdict) {
      reports.push(verdict);
    },
    close: async () => undefined,
  };
  return { fetcher, requests, reports };
}

const searcher = (fetcher: Fetcher, timeoutMs = 4000) =>
  createStoreSearcher({
    fetcher,
    stores: createStoreRegistry(),
    logger: createLogger('silent'),
    clock: () => new Date(),
    timeoutMs,
  });

describe('store search', () => {
  it('reads an Amazon search page: organic results first, canonical URLs, prices', async () => {
    const f = fakeFetcher(async () => ({ body: page('parsy_amazon_de_search_katzenfutter.html') }));
    const out = await searcher(f.fetcher).search('amazon.de', 'katzenfutter', 20);
    expect(f.requests[0]?.url).toBe('https://www.amazon.de/s?k=katzenfutter');
    expect(f.requests[0]?.headers?.['accept-language']).toMatch(/^de-DE/);
    expect(out.status).toBe('ok');
    expect(out.hits).toHaveLength(20);
    expect(out.hits.every((h) => !h.sponsored)).toBe(true);
    expect(out.hits[0]).toMatchObject({
      store: 'amazon',
      marketplace: 'amazon.de',
      asin: 'B00C7SCAP6',
      url: 'https://www.amazon.de/dp/B00C7SCAP6',
      price: { minor: 1290, currency: 'EUR' },
    });
    expect(f.reports).toEqual(['ok']);
  });

  it('reports a captcha or a 503 as blocked, and tells the fetcher', async () => {
    const captcha = fakeFetcher(async () => ({
      body: page('ao_amazon_com_captcha_continue_shopping_2025.html'),
    }));
    expect(await searcher(captcha.fetcher).search('amazon.com', 'usb cable', 10)).toMatchObject({
      status: 'blocked',
      hits: [],
    });
    expect(captcha.reports).toEqual(['blocked']);
    const dogs = fakeFetcher(async () => ({
      status: 503,
      body: page('ao_amazon_com_503_dogs_2025.html'),
    }));
    expect((await searcher(dogs.fetcher).search('amazon.com', 'usb cable', 10)).status).toBe(
      'blocked',
    );
  });

  it('turns refusals, failures and silence into a status', async () => {
    const cooling = fakeFetcher(async () => {
      throw new FetchError('fetch_cooling_down', 'cooling');
    });
    expect((await searcher(cooling.fetcher).search('amazon.com', 'x', 5)).status).toBe('blocked');
    const down = fakeFetcher(async () => {
      throw new FetchError('fetch_network', 'reset');
    });
    expect((await searcher(down.fetcher).search('amazon.com', 'x', 5)).status).toBe('error');
    const silent = fakeFetcher(() => new Promise(() => undefined));
    expect((await searcher(silent.fetcher, 20).search('amazon.com', 'x', 5)).status).toBe(
      'timeout',
    );
    const other = fakeFetcher(async () => ({ body: 'x' }));
    expect((await searcher(other.fetcher).search('example.com', 'x', 5)).status).toBe('skipped');
  });

  it('answers a repeated search from its cache', async () => {
    const f = fakeFetcher(async () => ({ body: page('kylen_amazon_com_search_2020.html') }));
    const s = searcher(f.fetcher);
    const first = await s.search('amazon.com', 'USB cable', 5);
    const second = await s.search('amazon.com', '  usb   CABLE ', 5);
    expect(first.status).toBe('ok');
    expect(second).toMatchObject({ status: 'ok', cached: true });
    expect(second.hits).toEqual(first.hits);
    expect(f.requests).toHaveLength(1);
  });

  it('searches amazon.com by default, or the demo store’s marketplaces when it runs', () => {
    const f = fakeFetcher(async () => ({}));
    expect(searcher(f.fetcher).defaultMarketplaces()).toEqual(['amazon.com']);
    const withDemo = createStoreSearcher({
      fetcher: f.fetcher,
      stores: createStoreRegistry({ demoBaseUrl: 'http://127.0.0.1:9' }),
      logger: createLogger('silent'),
      clock: () => new Date(),
      demoBaseUrl: 'http://127.0.0.1:9',
    });
    expect(withDemo.defaultMarketplaces()).toContain('demo.de');
    expect(withDemo.searchable('demo.de')).toBe(true);
    expect(withDemo.searchable('shop.example.com')).toBe(false);
  });
});

describe('tsquery building', () => {
  it('quotes every lexeme', () => {
    expect(tsLexeme("o'neil")).toBe("'o''neil'");
    expect(tsLexeme('a\\b', true)).toBe("'a\\\\b':*");
    expect(
      buildQueries([
        { word: 'hedphones', alternatives: ['headphones'], prefix: false },
        { word: 'blu', alternatives: [], prefix: true },
      ]),
    ).toEqual({
      exact: "'hedphones' & 'blu':*",
      all: "('hedphones' | 'headphones') & 'blu':*",
      any: "('hedphones' | 'headphones') | 'blu':*",
      perWord: ["('hedphones' | 'headphones')", "'blu':*"],
    });
  });
});

describe('mergeResults', () => {
  const product = (
    id: number,
    marketplace: string,
    asin: string,
    price: number | null,
  ): ProductRecord =>
    ({
      id,
      store: 'amazon',
      marketplace,
      external_id: asin,
      url: `https://www.${marketplace}/dp/${asin}`,
      title: `Product ${id}`,
      image_url: null,
      currency: 'EUR',
      price_buybox: price,
      watcher_count: id,
    }) as ProductRecord;
  const hit = (marketplace: string, asin: string): StoreSearchOutcome['hits'][number] => ({
    store: 'amazon',
    marketplace,
    asin,
    url: `https://www.${marketplace}/dp/${asin}`,
    title: `Store ${asin}`,
    imageUrl: null,
    price: { minor: 500, currency: 'EUR' },
    sponsored: false,
  });

  it('keeps catalogue results first and each product once, with the catalogue’s id and price', () => {
    const local: CatalogHit[] = [
      { product: product(1, 'amazon.de', 'B000000001', 1000), score: 3, allWords: true },
      { product: product(2, 'amazon.de', 'B000000002', null), score: 2, allWords: true },
    ];
    const stores: StoreSearchOutcome[] = [
      {
        marketplace: 'amazon.de',
        status: 'ok',
        hits: [
          hit('amazon.de', 'B000000002'),
          hit('amazon.de', 'B000000003'),
          hit('amazon.de', 'B000000004'),
        ],
      },
      { marketplace: 'amazon.fr', status: 'ok', hits: [hit('amazon.fr', 'B000000002')] },
    ];
    const known = new Map([['amazon.de:B000000004', product(4, 'amazon.de', 'B000000004', 900)]]);
    const out = mergeResults(local, stores, known, 10);
    expect(out.map((r) => r.key)).toEqual([
      'amazon.de:B000000001',
      'amazon.de:B000000002',
      'amazon.fr:B000000002',
      'amazon.de:B000000003',
      'amazon.de:B000000004',
    ]);
    expect(out[1]).toMatchObject({
      foundIn: ['local', 'store'],
      price: { minor: 500, currency: 'EUR' },
    });
    expect(out[3]).toMatchObject({ inCatalogue: false, productId: null, foundIn: ['store'] });
    expect(out[4]).toMatchObject({
      inCatalogue: true,
      productId: 4,
      price: { minor: 900, currency: 'EUR' },
    });
  });

  it('takes at most `limit` from the stores, in turn', () => {
    const stores: StoreSearchOutcome[] = ['amazon.de', 'amazon.fr'].map((m) => ({
      marketplace: m,
      status: 'ok' as const,
      hits: [hit(m, 'B000000001'), hit(m, 'B000000002'), hit(m, 'B000000003')],
    }));
    const out = mergeResults([], stores, new Map(), 3);
    expect(out.map((r) => r.key)).toEqual([
      'amazon.de:B000000001',
      'amazon.fr:B000000001',
      'amazon.de:B000000002',
    ]);
  });
});
