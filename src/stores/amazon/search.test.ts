import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractAmazonSearch } from './search.js';

const PAGES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/pages');
const page = (file: string) => fs.readFileSync(path.join(PAGES, file), 'utf8');

describe('extractAmazonSearch', () => {
  it('kylen_amazon_com_search_2020.html', () => {
    const { marketplace, results } = extractAmazonSearch(page('kylen_amazon_com_search_2020.html'));
    expect(marketplace).toBe('amazon.com');
    expect(results).toHaveLength(22);
    expect(results.filter((r) => r.sponsored)).toHaveLength(6);
    const organic = results.filter((r) => !r.sponsored);
    expect(organic).toHaveLength(16);
    expect(organic[0]).toMatchObject({
      asin: 'B00MYT481C',
      url: 'https://www.amazon.com/dp/B00MYT481C',
      price: { minor: 1499, currency: 'USD' },
    });
    expect(organic[0]?.title?.startsWith('UGREEN Ethernet Adapter USB 2.0 to 10/100')).toBe(true);
    expect(organic[0]?.imageUrl).toMatch(/^https:\/\/m\.media-amazon\.com\/images\/I\/.+\.jpg$/);
    expect(organic.at(-1)?.title?.startsWith('USB Type-C Cable 5pack 6ft')).toBe(true);
    for (const r of results) expect(r.asin).toMatch(/^[A-Z0-9]{10}$/);
  });

  it('parsy_amazon_de_search_katzenfutter.html', () => {
    const { marketplace, results } = extractAmazonSearch(
      page('parsy_amazon_de_search_katzenfutter.html'),
    );
    expect(marketplace).toBe('amazon.de');
    expect(results).toHaveLength(60);
    expect(results.filter((r) => r.sponsored)).toHaveLength(12);
    const first = results.find((r) => !r.sponsored);
    // An English UI on a euro site: "€12.90" is twelve euros ninety, the strike price 13.98; the
    // unit price (€2.69/kg) and Subscribe & Save (€11.61) are not the price.
    expect(first).toMatchObject({
      asin: 'B00C7SCAP6',
      title: 'Kitekat cat food market mix in jelly, 48 bags (2 x 24 x 100 g)',
      url: 'https://www.amazon.de/dp/B00C7SCAP6',
      price: { minor: 1290, currency: 'EUR' },
      listPrice: { minor: 1398, currency: 'EUR' },
      sponsored: false,
    });
  });

  it('a page without results has none', () => {
    expect(extractAmazonSearch('<html><body>nothing</body></html>').results).toEqual([]);
  });
});
