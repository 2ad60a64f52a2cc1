import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decimalToMinor, type Money } from '../../money/index.js';
import type { Availability, Observation } from '../types.js';
import { extractStructured } from './index.js';

const PAGES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/pages');

interface IndexRow {
  readonly file: string;
  readonly title: string;
  readonly price: Money | null;
  readonly listPrice: Money | null;
}

/** TSV with CSV-style quoting ("" inside "…"), as the corpus index is written. */
function unquote(field: string): string {
  return /^".*"$/s.test(field) ? field.slice(1, -1).replace(/""/g, '"') : field;
}

/** The first decimal of a cell ("from 37.45 (size-dependent …)", "34.99 (Was)"), as money. */
function moneyIn(cell: string, currency: string): Money | null {
  const d = /\d+\.\d+/.exec(cell)?.[0];
  const minor = d ? decimalToMinor(d, currency) : null;
  return minor === null ? null : { minor, currency };
}

function readIndex(): IndexRow[] {
  const [header, ...lines] = fs.readFileSync(path.join(PAGES, 'INDEX.tsv'), 'utf8').split('\n');
  const cols = (header ?? '').split('\t');
  const at = (cells: string[], name: string): string => unquote(cells[cols.indexOf(name)] ?? '');
  return lines
    .map((l) => l.split('\t'))
    .filter((cells) => at(cells, 'category') === 'C')
    .map((cells) => {
      const currency = at(cells, 'currency');
      return {
        file: at(cells, 'file'),
        title: at(cells, 'title_60').trim(),
        price: moneyIn(at(cells, 'buybox_price'), currency),
        listPrice: moneyIn(at(cells, 'list_or_strike_price'), currency),
      };
    });
}

interface Expectation {
  readonly availability: Availability;
  /** Amounts (minor units) shown on or stated by the page that must not become the price. */
  readonly decoys: readonly number[];
  readonly marketplace: string;
  readonly confidence: readonly [number, number];
  readonly range?: readonly [number, number];
}

// What INDEX.tsv states in prose (availability, decoys) made checkable, one entry per C page.
const EXPECTED: Readonly<Record<string, Expectation>> = {
  'C_mss_overstock.html': {
    availability: 'in_stock',
    decoys: [3499, 1995, 5309],
    marketplace: 'overstock.com',
    confidence: [0.95, 1],
  },
  'C_mss_jossandmain.html': {
    // "Open Box Outlet Price: From $84.14" sits right under the real price.
    availability: 'in_stock',
    decoys: [8414, 16910],
    marketplace: 'jossandmain.com',
    confidence: [0.95, 1],
  },
  'C_mss_etsy.html': {
    // JSON-LD 43.90 EUR and meta 48,00 USD both disagree with the 53,11 € the page charges.
    availability: 'in_stock',
    decoys: [4390, 4800, 4979, 5312],
    marketplace: 'etsy.com',
    confidence: [0.5, 0.8],
  },
  'C_mss_potterybarn.html': {
    // "price": {} and "Earn $25 back … for every $250": no price at all.
    availability: 'out_of_stock',
    decoys: [2500, 25000],
    marketplace: 'potterybarn.com',
    confidence: [0.7, 0.9],
  },
  'C_mss_costco.html': {
    // Only the meta tags carry the price; the visible one is filled in by script.
    availability: 'in_stock',
    decoys: [2500, 7000, 4000],
    marketplace: 'costco.com',
    confidence: [0.6, 0.9],
  },
  'C_extruct_fye_bluray.html': {
    availability: 'in_stock',
    decoys: [700, 500, 4000],
    marketplace: 'fye.com',
    confidence: [0.95, 1],
  },
  'C_metahari_baby_markt_de.html': {
    // UVP 40,95 € is the list price, "Sie sparen 10,97 €" the saving.
    availability: 'in_stock',
    decoys: [4095, 1097, 0],
    marketplace: 'baby-markt.de',
    confidence: [0.95, 1],
  },
  'C_shassi_hm_clubprice.html': {
    // The 3,99 € "Club Preis" is for members only; everyone else pays 9,99 €.
    availability: 'in_stock',
    decoys: [399, 499],
    marketplace: 'hm.com',
    confidence: [0.95, 1],
  },
  'C_shassi_zalando.html': {
    // Per-size offers at 37.45 and 49.99, some sizes sold out; 49,99 € is also struck through.
    availability: 'in_stock',
    decoys: [4999],
    marketplace: 'zalando.de',
    confidence: [0.95, 1],
    range: [3745, 4999],
  },
};

const rows = readIndex();

function extractFile(file: string): Observation {
  return extractStructured(fs.readFileSync(path.join(PAGES, file), 'utf8'), {});
}

describe('category C pages of the fixture corpus', () => {
  it('has an expectation for every C page in INDEX.tsv', () => {
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const row of rows) expect(Object.keys(EXPECTED)).toContain(row.file);
  });

  for (const row of rows) {
    it(row.file, () => {
      const exp = EXPECTED[row.file];
      if (!exp) throw new Error(`no expectation for ${row.file}`);
      const o = extractFile(row.file);
      expect(o.outcome).toBe('ok');
      expect(o.store).toBe('structured');
      expect(o.price).toEqual(row.price);
      expect(o.listPrice).toEqual(row.listPrice);
      expect(o.availability).toBe(exp.availability);
      expect(o.title?.startsWith(row.title)).toBe(true);
      expect(o.marketplace).toBe(exp.marketplace);
      expect(o.productId).toMatch(/^https?:\/\//);
      for (const d of exp.decoys) expect(o.price?.minor).not.toBe(d);
      expect(o.confidence).toBeGreaterThanOrEqual(exp.confidence[0]);
      expect(o.confidence).toBeLessThanOrEqual(exp.confidence[1]);
      if (exp.range) {
        expect([o.priceRange?.min.minor, o.priceRange?.max.minor]).toEqual(exp.range);
      } else {
        expect(o.priceRange ?? null).toBeNull();
      }
    });
  }

  it('names the product by its canonical URL and keeps the site it came from', () => {
    const o = extractFile('C_shassi_zalando.html');
    // No canonical link and a relative og:url: the hreflang alternate of the page's language.
    expect(o.productId).toBe(
      'https://www.zalando.de/jack-and-jones-premium-jjimarco-jjsandy-melange-chino-grey-melange-jam22e004-c11.html',
    );
    const etsy = extractFile('C_mss_etsy.html');
    expect(etsy.productId).toBe(
      'https://www.etsy.com/es/listing/550571276/el-original-he-y-hay-calabaza-decoracion',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-written pages, one behaviour each.

const eur = (minor: number): Money => ({ minor, currency: 'EUR' });
const usd = (minor: number): Money => ({ minor, currency: 'USD' });

function page(opts: { head?: string; body?: string; lang?: string }): string {
  const lang = opts.lang ? ` lang="${opts.lang}"` : '';
  return `<!doctype html><html${lang}><head>${opts.head ?? ''}</head><body>${opts.body ?? ''}</body></html>`;
}

function ld(value: unknown): string {
  return `<script type="application/ld+json">${JSON.stringify(value)}</script>`;
}

const URL = { url: 'https://shop.example.com/p/widget' };

describe('JSON-LD', () => {
  it('reads a Product with one Offer', () => {
    const o = extractStructured(
      page({
        head: ld({
          '@context': 'https://schema.org',
          '@type': 'Product',
          name: 'Widget',
          image: ['/img/widget.jpg'],
          offers: {
            '@type': 'Offer',
            price: '19.99',
            priceCurrency: 'USD',
            availability: 'https://schema.org/InStock',
          },
        }),
      }),
      URL,
    );
    expect(o).toMatchObject({
      outcome: 'ok',
      marketplace: 'shop.example.com',
      productId: 'https://shop.example.com/p/widget',
      title: 'Widget',
      imageUrl: 'https://shop.example.com/img/widget.jpg',
      price: usd(1999),
      availability: 'in_stock',
      offers: { new: usd(1999), used: null },
    });
    // One source, nothing visible to confirm it.
    expect(o.confidence).toBe(0.7);
  });

  it('reads a numeric price exactly, without float arithmetic', () => {
    const html = page({
      head: `<script type="application/ld+json">{"@type":"Product","name":"Lamp","offers":{"@type":"Offer","price":98.99,"priceCurrency":"USD"}}</script>`,
    });
    expect(extractStructured(html, URL).price).toEqual(usd(9899));
    const tiny = html.replace('98.99', '0.29');
    expect(extractStructured(tiny, URL).price).toEqual(usd(29));
    const exp = html.replace('98.99', '1e21');
    expect(extractStructured(exp, URL).price).toBeNull();
  });

  it('follows @graph and @id references', () => {
    const html = page({
      head: ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebSite', name: 'Shop' },
          { '@type': 'Product', name: 'Kettle', offers: { '@id': '#offer' } },
          { '@type': 'Offer', '@id': '#offer', price: '45.00', priceCurrency: 'EUR' },
        ],
      }),
    });
    expect(extractStructured(html, URL).price).toEqual(eur(4500));
  });

  it('takes the lowest in-stock offer of per-size offers and reports the range', () => {
    const offers = [
      { '@type': 'Offer', price: '30.00', priceCurrency: 'EUR', availability: 'OutOfStock' },
      { '@type': 'Offer', price: '35.00', priceCurrency: 'EUR', availability: 'InStock' },
      { '@type': 'Offer', price: '50.00', priceCurrency: 'EUR', availability: 'InStock' },
    ];
    const o = extractStructured(
      page({ head: ld({ '@type': 'Product', name: 'Jeans', offers }) }),
      URL,
    );
    expect(o.price).toEqual(eur(3500));
    expect(o.priceRange).toEqual({ min: eur(3000), max: eur(5000) });
    expect(o.availability).toBe('in_stock');

    const soldOut = offers.map((x) => ({ ...x, availability: 'http://schema.org/OutOfStock' }));
    const gone = extractStructured(
      page({ head: ld({ '@type': 'Product', name: 'Jeans', offers: soldOut }) }),
      URL,
    );
    expect(gone.price).toEqual(eur(3000));
    expect(gone.availability).toBe('out_of_stock');
  });

  it('reads AggregateOffer low and high prices', () => {
    const o = extractStructured(
      page({
        head: ld({
          '@type': 'Product',
          name: 'Sofa',
          offers: {
            '@type': 'AggregateOffer',
            lowPrice: 799,
            highPrice: '1299.00',
            priceCurrency: 'GBP',
            offerCount: 3,
          },
        }),
      }),
      URL,
    );
    expect(o.price).toEqual({ minor: 79900, currency: 'GBP' });
    expect(o.priceRange).toEqual({
      min: { minor: 79900, currency: 'GBP' },
      max: { minor: 129900, currency: 'GBP' },
    });
  });

  it('reads the offers of a ProductGroup through hasVariant', () => {
    const variant = (sku: string, price: string, availability: string) => ({
      '@type': 'Product',
      sku,
      offers: { '@type': 'Offer', price, priceCurrency: 'USD', availability },
    });
    const o = extractStructured(
      page({
        head: ld({
          '@type': 'ProductGroup',
          name: 'Tee',
          hasVariant: [
            variant('S', '12.00', 'InStock'),
            variant('M', '10.00', 'OutOfStock'),
            variant('L', '14.00', 'InStock'),
          ],
        }),
      }),
      URL,
    );
    expect(o.price).toEqual(usd(1200));
    expect(o.priceRange).toEqual({ min: usd(1000), max: usd(1400) });
  });

  it('reads priceSpecification, its list price, and skips unit prices', () => {
    const o = extractStructured(
      page({
        head: ld({
          '@type': 'Product',
          name: 'Coffee 1kg',
          offers: {
            '@type': 'Offer',
            priceCurrency: 'EUR',
            priceSpecification: [
              {
                '@type': 'UnitPriceSpecification',
                price: '1.50',
                referenceQuantity: { value: '100', unitCode: 'GRM' },
              },
              { '@type': 'UnitPriceSpecification', price: '14.99' },
              {
                '@type': 'UnitPriceSpecification',
                price: '19.99',
                priceType: 'https://schema.org/StrikethroughPrice',
              },
            ],
          },
        }),
      }),
      URL,
    );
    expect(o.price).toEqual(eur(1499));
    expect(o.listPrice).toEqual(eur(1999));
  });

  it('maps bare, prefixed and URL availability values', () => {
    const cases: Array<[string, Availability]> = [
      ['InStock', 'in_stock'],
      ['http://schema.org/OutOfStock', 'out_of_stock'],
      ['https://schema.org/PreOrder', 'preorder'],
      ['schema:BackOrder', 'preorder'],
      ['SoldOut', 'out_of_stock'],
      // A trailing slash (seen on real pages) names the same value.
      ['https://schema.org/OutOfStock/', 'out_of_stock'],
      ['https://schema.org/InStock/', 'in_stock'],
      // Purchasable now, shipped later; held for someone else.
      ['https://schema.org/MadeToOrder', 'preorder'],
      ['https://schema.org/Reserved', 'out_of_stock'],
      ['whatever', 'unknown'],
    ];
    for (const [value, expected] of cases) {
      const html = page({
        head: ld({
          '@type': 'Product',
          name: 'X',
          offers: { price: '1.00', priceCurrency: 'USD', availability: value },
        }),
      });
      expect(extractStructured(html, URL).availability, value).toBe(expected);
    }
  });

  it('tolerates broken blocks: repairs small mistakes, skips hopeless ones', () => {
    const broken = `<script type="application/ld+json">
      <!--
      {"@type": "Product", "name": "Mug
with a newline", "offers": {"price": "8.50", "priceCurrency": "EUR",},};
      -->
    </script>`;
    const hopeless = `<script type="application/ld+json">{"@type": "Product", "name": </script>`;
    const o = extractStructured(page({ head: hopeless + broken }), URL);
    expect(o.outcome).toBe('ok');
    expect(o.title).toBe('Mug with a newline');
    expect(o.price).toEqual(eur(850));
  });

  it('treats "price": {} and zero prices as no price', () => {
    for (const price of [{}, '0.00', 0, '']) {
      const html = page({
        head: ld({
          '@type': 'Product',
          name: 'Gone',
          offers: { '@type': 'Offer', price, priceCurrency: 'USD', availability: 'OutOfStock' },
        }),
      });
      const o = extractStructured(html, URL);
      expect(o.outcome).toBe('ok');
      expect(o.price).toBeNull();
      expect(o.availability).toBe('out_of_stock');
    }
  });

  it('keeps used offers out of the price', () => {
    const o = extractStructured(
      page({
        head: ld({
          '@type': 'Product',
          name: 'Camera',
          offers: [
            {
              price: '300.00',
              priceCurrency: 'USD',
              itemCondition: 'https://schema.org/UsedCondition',
            },
            { price: '450.00', priceCurrency: 'USD', itemCondition: 'NewCondition' },
          ],
        }),
      }),
      URL,
    );
    expect(o.price).toEqual(usd(45000));
    expect(o.offers).toEqual({ new: usd(45000), used: usd(30000) });
  });

  it("picks the page's own product among several", () => {
    const o = extractStructured(
      page({
        head:
          '<link rel="canonical" href="https://shop.example.com/p/widget">' +
          ld([
            {
              '@type': 'Product',
              name: 'Other',
              url: '/p/other',
              offers: { price: '5.00', priceCurrency: 'USD' },
            },
            {
              '@type': 'Product',
              name: 'Widget',
              url: 'https://shop.example.com/p/widget',
              offers: { price: '7.00', priceCurrency: 'USD' },
            },
          ]),
      }),
    );
    expect(o.title).toBe('Widget');
    expect(o.price).toEqual(usd(700));
  });
});

describe('microdata', () => {
  it('reads price from a content attribute and availability from a link', () => {
    const html = page({
      body: `<div itemscope itemtype="https://schema.org/Product">
        <h1 itemprop="name">Blender</h1>
        <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
          <span itemprop="price" content="59.00">59,00&nbsp;€</span>
          <meta itemprop="priceCurrency" content="EUR">
          <link itemprop="availability" href="https://schema.org/InStock">
        </div></div>`,
    });
    const o = extractStructured(html, URL);
    expect(o).toMatchObject({ title: 'Blender', price: eur(5900), availability: 'in_stock' });
    // Microdata and the visible text agree.
    expect(o.confidence).toBe(0.95);
  });

  it('reads price from element text, with the currency from its symbol', () => {
    const html = page({
      lang: 'de',
      body: `<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Bobby Car</span>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
        <strong itemprop="price">1.029,98 €</strong></div></div>`,
    });
    expect(extractStructured(html, URL).price).toEqual(eur(102998));
  });

  it('joins offers marked up elsewhere through itemref', () => {
    const html = page({
      body: `<div itemscope itemtype="http://schema.org/Product" itemref="buy"><h1 itemprop="name">Crib</h1></div>
        <p>Reviews…</p>
        <div id="buy" itemprop="offers" itemscope itemtype="http://schema.org/Offer">
          <meta itemprop="price" content="129.00"><meta itemprop="priceCurrency" content="EUR">
        </div>`,
    });
    const o = extractStructured(html, URL);
    expect(o.title).toBe('Crib');
    expect(o.price).toEqual(eur(12900));
  });
});

describe('Open Graph and product meta tags', () => {
  it('reads product:price and og:availability', () => {
    const html = page({
      head: `<meta property="og:type" content="product"><meta property="og:title" content="Sink">
        <meta property="og:image" content="https://cdn.example.com/sink.jpg">
        <meta property="product:price:amount" content="329.99">
        <meta property="product:price:currency" content="USD">
        <meta property="og:availability" content="instock">`,
    });
    expect(extractStructured(html, URL)).toMatchObject({
      outcome: 'ok',
      title: 'Sink',
      imageUrl: 'https://cdn.example.com/sink.jpg',
      price: usd(32999),
      availability: 'in_stock',
    });
  });

  it('reads a comma decimal and treats a sale price as the price', () => {
    const html = page({
      lang: 'fr-FR',
      head: `<meta property="og:type" content="product">
        <meta property="product:price:amount" content="48,00">
        <meta property="product:sale_price:amount" content="39,90">
        <meta property="product:price:currency" content="EUR">`,
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual(eur(3990));
    expect(o.listPrice).toEqual(eur(4800));
  });

  it("reads Pinterest's og:price:standard_amount as the list price", () => {
    const html = page({
      head: `<meta property="og:type" content="product">
        <meta property="og:price:amount" content="80.00">
        <meta property="og:price:standard_amount" content="100.00">
        <meta property="og:price:currency" content="USD">`,
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual(usd(8000));
    expect(o.listPrice).toEqual(usd(10000));
  });

  it('reads the price of a Twitter product card (label "Price", data with its currency)', () => {
    // Old Magento and Shopify themes print only this card: no og:type, no product:price.
    const html = page({
      head: `<meta name="twitter:card" content="summary_large_image">
        <meta name="twitter:title" content="Feta Cheese 200g">
        <meta name="twitter:label1" content="PRICE"><meta name="twitter:data1" content="LBP139999.00">
        <meta name="twitter:label2" content="LOCATION"><meta name="twitter:data2" content="LB">`,
    });
    const o = extractStructured(html, URL);
    expect(o.outcome).toBe('ok');
    expect(o.title).toBe('Feta Cheese 200g');
    expect(o.price).toEqual({ minor: 139999, currency: 'LBP' });
    // A card whose labels are not a price says nothing about one.
    const other = page({
      head: `<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ann 2">`,
    });
    expect(extractStructured(other, URL).outcome).toBe('unsupported');
  });

  it('reads dot-grouped amounts that the currency cannot hold as whole units', () => {
    // Shops print og:price:amount / microdata content in their display format. "1.299" cannot be
    // euros (two decimals), and a peso or dong has no decimals at all: the dots group thousands.
    const og = (amount: string, currency: string) =>
      extractStructured(
        page({
          head: `<meta property="og:type" content="product">
            <meta property="og:price:amount" content="${amount}">
            <meta property="og:price:currency" content="${currency}">`,
        }),
        URL,
      ).price;
    expect(og('1.299', 'EUR')).toEqual(eur(129900));
    expect(og('12.990', 'CLP')).toEqual({ minor: 12990, currency: 'CLP' });
    expect(og('149.000', 'VND')).toEqual({ minor: 149000, currency: 'VND' });
    // Where the currency can hold the decimals, the dot is the decimal mark schema.org says it is.
    expect(og('1.299', 'KWD')).toEqual({ minor: 1299, currency: 'KWD' });
    expect(og('19.990', 'EUR')).toEqual(eur(1999));
    expect(og('19.99', 'EUR')).toEqual(eur(1999));
    const micro = page({
      lang: 'de',
      body: `<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Kanne</h1>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
        <meta itemprop="priceCurrency" content="EUR"><meta itemprop="price" content="1.299">
        <span class="price">1.299 €</span></div></div>`,
    });
    const o = extractStructured(micro, URL);
    expect(o.price).toEqual(eur(129900));
    expect(o.confidence).toBe(0.95);
  });
});

describe('when sources disagree', () => {
  const sources = (jsonld: string, meta: string) =>
    ld({ '@type': 'Product', name: 'Rug', offers: { price: jsonld, priceCurrency: 'EUR' } }) +
    `<meta property="product:price:amount" content="${meta}"><meta property="product:price:currency" content="EUR">`;

  it('lets the shown price pick between them', () => {
    const html = page({
      head: sources('10.00', '12.00'),
      body: '<h1>Rug</h1><div class="price">12,00 €</div>',
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual(eur(1200));
    expect(o.confidence).toBe(0.75);
  });

  it('uses the shown price when it matches none of them', () => {
    const html = page({
      head: sources('10.00', '12.00'),
      body: '<h1>Rug</h1><p class="title">14,50 €</p>',
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual(eur(1450));
    expect(o.confidence).toBe(0.6);
  });

  it('falls back to JSON-LD, with low confidence, when nothing is shown', () => {
    const o = extractStructured(page({ head: sources('10.00', '12.00') }), URL);
    expect(o.price).toEqual(eur(1000));
    expect(o.confidence).toBe(0.4);
  });

  it("takes the sale price when another source's price is that sale's stated list price", () => {
    // A shop on sale updates its meta tags (120 now, 150 standard) but not its JSON-LD (150), and
    // the buy box is rendered by script: the JSON-LD price is the pre-sale price.
    const head =
      ld({
        '@type': 'Product',
        name: 'Sconce',
        offers: { price: '150.00', priceCurrency: 'USD' },
      }) +
      `<meta property="og:type" content="product">
      <meta property="og:price:standard_amount" content="150.00">
      <meta property="product:price:amount" content="120.00">
      <meta property="product:price:currency" content="USD">
      <meta property="og:availability" content="instock">`;
    const o = extractStructured(page({ head, body: '<div class="shop-box"></div>' }), URL);
    expect(o.price).toEqual(usd(12000));
    expect(o.listPrice).toEqual(usd(15000));
    expect(o.availability).toBe('in_stock');
    expect(o.confidence).toBe(0.6);
    // The page's own price still wins when it shows one.
    const shown = extractStructured(
      page({ head, body: '<h1>Sconce</h1><span class="price">$150.00</span>' }),
      URL,
    );
    expect(shown.price).toEqual(usd(15000));
  });

  it('is most confident when everything agrees', () => {
    const html = page({
      head: sources('10.00', '10.00'),
      body: '<h1>Rug</h1><span>10,00 €</span>',
    });
    expect(extractStructured(html, URL).confidence).toBe(0.98);
  });
});

describe('the shown price', () => {
  const product = (price: string) =>
    ld({
      '@type': 'Product',
      name: 'Cap',
      offers: { price, priceCurrency: 'EUR', availability: 'InStock' },
    });

  it('ignores club prices, savings and strike-through prices, and reads the list price', () => {
    const html = page({
      head: product('9.99'),
      body: `<h1>Cap</h1>
        <div class="box"><span class="label">Was:</span><span>12,99 €</span></div>
        <div><span class="price">9,99 €</span><span class="club-price-text">Club Preis <span class="club-price">3,99 €</span></span></div>
        <div><span>Sie sparen</span> <span>3,00 €</span></div>`,
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual(eur(999));
    expect(o.listPrice).toEqual(eur(1299));
    expect(o.confidence).toBe(0.95);
  });

  it('does not take a promotion sentence or a unit price for the price', () => {
    const html = page({
      head: product('9.99'),
      body: `<h1>Cap</h1><p>Earn 25 € back for every 250 € you spend with our card.</p>
        <span>2,50 €/kg</span><span>4 x 2,50 €</span>`,
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual(eur(999));
    expect(o.confidence).toBe(0.7);
  });

  it('reads a price split over several elements, but not digits glued across elements', () => {
    const split = page({
      head: product('9.99'),
      body: '<h1>Cap</h1><span class="price"><span>€</span><span>9</span><span>,</span><span>99</span></span>',
    });
    expect(extractStructured(split, URL).confidence).toBe(0.95);
    const glued = page({
      head: product('9.99'),
      body: '<h1>Cap</h1><span class="price">€9<sup>99</sup></span>',
    });
    expect(extractStructured(glued, URL).price).toEqual(eur(999));
  });

  it('is never the price on its own', () => {
    const html = page({
      head: ld({ '@type': 'Product', name: 'Sconce', offers: { availability: 'OutOfStock' } }),
      body: '<h1>Sconce</h1><span class="price">$25.00</span>',
    });
    const o = extractStructured(html, URL);
    expect(o.price).toBeNull();
    expect(o.availability).toBe('out_of_stock');
  });

  it('reads "$" as the store\'s dollar', () => {
    const html = page({
      head: ld({
        '@type': 'Product',
        name: 'Toque',
        offers: { price: '24.00', priceCurrency: 'CAD' },
      }),
      body: '<h1>Toque</h1><span>$24.00</span>',
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual({ minor: 2400, currency: 'CAD' });
    expect(o.confidence).toBe(0.95);
  });

  it('skips hidden elements', () => {
    const html = page({
      head: product('9.99'),
      body: '<h1>Cap</h1><div style="display:none"><span>1,00 €</span></div><span>9,99 €</span>',
    });
    expect(extractStructured(html, URL).confidence).toBe(0.95);
  });

  it('reads the stock line near the heading when no source states availability', () => {
    const html = page({
      body: `<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Car</h1>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
        <strong itemprop="price">29,98 €</strong></div><div>Sofort lieferbar</div></div>`,
    });
    expect(extractStructured(html, URL).availability).toBe('in_stock');
  });
});

describe('a price without a currency', () => {
  const body = `<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Pan</h1>
    <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="price" content="19.99"></div></div>`;

  it('takes the currency from another source on the page first', () => {
    const html = page({
      lang: 'en-GB',
      head: '<meta property="og:type" content="product"><meta property="product:price:currency" content="CHF">',
      body,
    });
    const o = extractStructured(html, URL);
    expect(o.price).toEqual({ minor: 1999, currency: 'CHF' });
  });

  it('guesses it from the page locale or domain, with low confidence', () => {
    const byLang = extractStructured(page({ lang: 'de-DE', body }), URL);
    expect(byLang.price).toEqual(eur(1999));
    expect(byLang.confidence).toBeLessThanOrEqual(0.5);
    const byDomain = extractStructured(page({ body }), { url: 'https://shop.example.co.uk/pan' });
    expect(byDomain.price).toEqual({ minor: 1999, currency: 'GBP' });
  });

  it('reports no price, still ok, when nothing tells the currency', () => {
    const o = extractStructured(page({ lang: 'en', body }), URL);
    expect(o.outcome).toBe('ok');
    expect(o.title).toBe('Pan');
    expect(o.price).toBeNull();
    expect(o.confidence).toBe(0.2);
  });
});

describe('pages that are not product pages', () => {
  it.each([
    ['an empty string', ''],
    [
      'a plain page',
      page({ head: '<title>Blog</title>', body: '<h1>Hello</h1><p>Prices from $5!</p>' }),
    ],
    [
      'a category page',
      page({
        head: ld({
          '@type': 'ItemList',
          itemListElement: [
            {
              '@type': 'ListItem',
              item: {
                '@type': 'Product',
                name: 'A',
                offers: { price: '1.00', priceCurrency: 'USD' },
              },
            },
          ],
        }),
      }),
    ],
    ['binary junk', '\u0000\u0001PK\u0003\u0004\uFFFD<<>>{"@type":'],
    ['an article with JSON-LD', page({ head: ld({ '@type': 'NewsArticle', headline: 'Sale!' }) })],
  ])('reports %s as unsupported', (_name, html) => {
    const o = extractStructured(html, URL);
    expect(o.outcome).toBe('unsupported');
    expect(o.price).toBeNull();
  });
});

describe('identity', () => {
  const product = ld({
    '@type': 'Product',
    name: 'Widget',
    sku: 'W-1',
    offers: { price: '1.00', priceCurrency: 'USD' },
  });

  it('uses the canonical link, without tracking parameters', () => {
    const o = extractStructured(
      page({
        head: `<link rel="canonical" href="/p/widget?utm_source=x&amp;color=red#top">${product}`,
      }),
      { url: 'https://www.shop.example.com/p/widget?ref=home' },
    );
    expect(o.marketplace).toBe('shop.example.com');
    expect(o.productId).toBe('https://www.shop.example.com/p/widget?color=red');
  });

  it('ignores a canonical link that points at another site', () => {
    const o = extractStructured(
      page({ head: `<link rel="canonical" href="https://other.example.net/x">${product}` }),
      URL,
    );
    expect(o.productId).toBe(URL.url);
    expect(o.marketplace).toBe('shop.example.com');
  });

  it('falls back to the sku when the page names no URL at all', () => {
    const o = extractStructured(page({ head: product }), {});
    expect(o.marketplace).toBeNull();
    expect(o.productId).toBe('W-1');
  });
});
