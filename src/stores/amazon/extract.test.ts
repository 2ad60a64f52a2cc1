/**
 * Every Amazon page of the shared corpus against its ground truth (INDEX.tsv, category A), plus
 * the streaming early stop on each of them. The expected values below are transcribed from
 * INDEX.tsv; the decoys are the amounts its pitfalls column names next to the real price.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Availability, Observation, Outcome } from '../types.js';
import { amazonHasEnough, createAmazonEarlyStop, extractAmazon } from './extract.js';

const PAGES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/pages');

function page(file: string): string {
  return fs.readFileSync(path.join(PAGES, file), 'utf8');
}

type Amount = readonly [minor: number, currency: string];

interface Truth {
  readonly outcome: Outcome;
  readonly marketplace: string;
  readonly productId?: string;
  /** The first characters of the title (INDEX.tsv's title_60, trimmed). */
  readonly title?: string;
  readonly price: Amount | null;
  readonly listPrice?: Amount;
  readonly range?: readonly [Amount, Amount];
  readonly availability: Availability;
  readonly soldByStore?: boolean;
  readonly used?: Amount;
  /** Amounts on the page that are not the price: used offers, other formats, bundles, fees. */
  readonly decoys?: readonly number[];
}

const TRUTH: Readonly<Record<string, Truth>> = {
  'ms_amazon_com_kindle_2024.html': {
    outcome: 'ok',
    marketplace: 'amazon.com',
    productId: 'B0011UCPM4',
    title: 'The Whole Truth (A. Shaw Book 1)',
    price: [1099, 'USD'],
    availability: 'in_stock',
    decoys: [1701, 1499, 1059, 0],
  },
  'ms_amazon_es_2024.html': {
    outcome: 'ok',
    marketplace: 'amazon.es',
    productId: 'B01MUGXRT9',
    title: 'Cecotec Robot Limpiacristales Windroid 880 SprayWater Smart',
    price: null,
    availability: 'unknown',
  },
  'ms_amazon_com_kindle_2017.html': {
    outcome: 'ok',
    marketplace: 'amazon.com',
    productId: 'B0011UCPM4',
    title: 'The Whole Truth (A. Shaw Book 1)',
    price: [999, 'USD'],
    listPrice: [1000, 'USD'],
    availability: 'in_stock',
  },
  'ms_amazon_com_relay_2017.html': {
    outcome: 'ok',
    marketplace: 'amazon.com',
    productId: 'B0057OC5O8',
    title: 'SainSmart 4-Channel Relay Module',
    price: [899, 'USD'],
    availability: 'in_stock',
    soldByStore: true,
    used: [718, 'USD'],
    decoys: [718],
  },
  'ms_amazon_co_uk_book_2017.html': {
    outcome: 'ok',
    marketplace: 'amazon.co.uk',
    productId: '1849757097',
    title: 'Vegetable Perfection: 100 delicious recipes for roots, bulbs',
    price: [1353, 'GBP'],
    listPrice: [1699, 'GBP'],
    availability: 'in_stock',
    soldByStore: true,
    used: [850, 'GBP'],
    decoys: [850, 346],
  },
  'ms_amazon_es_2017.html': {
    outcome: 'ok',
    marketplace: 'amazon.es',
    productId: 'B01MUGXRT9',
    title: 'Robot aspirador Conga Excellence 990 de Cecotec. Friega el s',
    price: [21900, 'EUR'],
    listPrice: [23900, 'EUR'],
    availability: 'in_stock',
    soldByStore: true,
    decoys: [2000],
  },
  'mss_amazon_com_sconce_saleprice.html': {
    outcome: 'ok',
    marketplace: 'amazon.com',
    productId: 'B07G2L3JMM',
    title: 'Modern LED Wall Sconce Lighting Fixture Lamps 7W Warm White',
    price: [2999, 'USD'],
    availability: 'in_stock',
    soldByStore: false,
  },
  'mss_amazon_com_gorilla_twister.html': {
    outcome: 'ok',
    marketplace: 'amazon.com',
    productId: 'B00N150YS4',
    title: 'Gorilla Black Duct Tape, 1.88" x 12 yd, Black, (Pack of 2)',
    price: [1248, 'USD'],
    availability: 'in_stock',
    soldByStore: true,
    decoys: [624],
  },
  'shassi_amazon_de_book_2020.html': {
    outcome: 'ok',
    marketplace: 'amazon.de',
    productId: '0356510344',
    title: "Tiamat's Wrath: Book 8 of the Expanse (now a major TV series",
    price: [1299, 'EUR'],
    availability: 'preorder',
    soldByStore: true,
    decoys: [1199, 2199],
  },
  'shassi_amazon_de_echo_2020.html': {
    outcome: 'ok',
    marketplace: 'amazon.de',
    productId: 'B07C76F3P2',
    title: 'Echo Input (Schwarz) – Bringen Sie Alexa auf Ihren Lautsprec',
    price: [3999, 'EUR'],
    availability: 'in_stock',
    soldByStore: true,
  },
  'shassi_amazon_de_kindle_2020.html': {
    outcome: 'ok',
    marketplace: 'amazon.de',
    productId: 'B071FCV5KW',
    title: 'Die Argonauten',
    price: [1599, 'EUR'],
    availability: 'in_stock',
    decoys: [2000],
  },
  'shassi_amazon_de_regular_2020.html': {
    outcome: 'ok',
    marketplace: 'amazon.de',
    productId: 'B01DQDZVCO',
    title: 'WINOMO Kleiderhaken Klappbar Wand-Kleiderständer',
    price: [1499, 'EUR'],
    availability: 'in_stock',
    soldByStore: false,
    used: [1342, 'EUR'],
    decoys: [1342],
  },
  'metahari_amazon_de_kettle_2015.html': {
    outcome: 'ok',
    marketplace: 'amazon.de',
    productId: 'B000LQXC2Q',
    title: 'Gastroback 42429 Design Wasserkocher Advanced Pro',
    price: [10900, 'EUR'],
    listPrice: [15999, 'EUR'],
    availability: 'in_stock',
    soldByStore: true,
    decoys: [5099],
  },
  'lac_amazon_com_br_book_8565042472.html': {
    outcome: 'ok',
    marketplace: 'amazon.com.br',
    productId: '8565042472',
    title: 'O Essencial da Segunda Guerra Mundial - Caixa com 3 Volumes',
    price: [1990, 'BRL'],
    listPrice: [5990, 'BRL'],
    availability: 'in_stock',
    soldByStore: true,
    decoys: [4000],
  },
  'lac_amazon_com_br_saw_B076QFXQK5.html': {
    outcome: 'ok',
    marketplace: 'amazon.com.br',
    productId: 'B076QFXQK5',
    title: 'Serra Circular WAP ESC 1400 Ferramenta Elétrica Manual 1400W',
    price: [43190, 'BRL'],
    listPrice: [47990, 'BRL'],
    availability: 'in_stock',
    soldByStore: true,
    decoys: [4800],
  },
  'lac_amazon_com_br_polo_variation_B09B2SRTB3.html': {
    outcome: 'ok',
    marketplace: 'amazon.com.br',
    productId: 'B085VK7LYQ',
    title: 'Camisa Polo Listra na Gola, Aramis, Masculino',
    price: null,
    range: [
      [16900, 'BRL'],
      [19990, 'BRL'],
    ],
    availability: 'unknown',
  },
  'lac_amazon_com_br_smartwatch_B09YRKYRSM.html': {
    outcome: 'ok',
    marketplace: 'amazon.com.br',
    productId: 'B09YRKYRSM',
    title: 'Relógio inteligente HIKA Mens, Chamadas Bluetooth, Pedômetro',
    price: [27200, 'BRL'],
    availability: 'in_stock',
    soldByStore: false,
  },
  'lac_amazon_es_pt_toolbox_B07ZCVN7YN.html': {
    outcome: 'ok',
    marketplace: 'amazon.es',
    productId: 'B07ZCVN7YN',
    title: 'Hi-Spec Caixa de ferramentas completa com 82 peças. Conjunto',
    price: [6699, 'EUR'],
    availability: 'in_stock',
    soldByStore: false,
    decoys: [5748],
  },
  'a4fr_amazon_ae_unavailable_B00008XVAE.html': {
    outcome: 'ok',
    marketplace: 'amazon.ae',
    productId: 'B00008XVAE',
    title: 'WMF Gourmet Strainer 8 cm',
    price: null,
    availability: 'out_of_stock',
  },
  'a4fr_amazon_ae_listprice_B08CZDYNF7.html': {
    outcome: 'ok',
    marketplace: 'amazon.ae',
    productId: 'B08CZDYNF7',
    title: 'Ultrean Digital Food Scale, High Precision Kitchen Scale, Me',
    price: [2600, 'AED'],
    listPrice: [2900, 'AED'],
    availability: 'in_stock',
    soldByStore: false,
  },
  'a4fr_amazon_ae_juicer_B00LAYVPOU.html': {
    outcome: 'ok',
    marketplace: 'amazon.ae',
    productId: 'B00LAYVPOU',
    title: 'Philips Viva Collection Compact Juicer, 1.5 Litre, 500 Watt,',
    price: [33000, 'AED'],
    availability: 'in_stock',
    soldByStore: false,
  },
  'kylen_amazon_com_search_2020.html': {
    outcome: 'unsupported',
    marketplace: 'amazon.com',
    price: null,
    availability: 'unknown',
  },
  'parsy_amazon_de_search_katzenfutter.html': {
    outcome: 'unsupported',
    marketplace: 'amazon.de',
    price: null,
    availability: 'unknown',
  },
  'ao_amazon_com_captcha_continue_shopping_2025.html': {
    outcome: 'captcha',
    marketplace: 'amazon.com',
    price: null,
    availability: 'unknown',
  },
  'ao_amazon_com_503_dogs_2025.html': {
    outcome: 'error',
    marketplace: 'amazon.com',
    price: null,
    availability: 'unknown',
  },
};

function money(a: Amount | undefined | null) {
  return a ? { minor: a[0], currency: a[1] } : null;
}

/** The files INDEX.tsv lists as Amazon (category A); its first two columns hold no quotes. */
function amazonRowsOfIndex(): string[] {
  return fs
    .readFileSync(path.join(PAGES, 'INDEX.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((cols) => cols[1] === 'A')
    .map((cols) => cols[0] ?? '');
}

it('covers every Amazon page of INDEX.tsv', () => {
  expect(Object.keys(TRUTH).sort()).toEqual(amazonRowsOfIndex().sort());
});

describe('extractAmazon on the corpus', () => {
  for (const [file, truth] of Object.entries(TRUTH)) {
    it(file, () => {
      const obs = extractAmazon(page(file));
      expect(obs.store).toBe('amazon');
      expect(obs.outcome).toBe(truth.outcome);
      expect(obs.marketplace).toBe(truth.marketplace);
      expect(obs.price).toEqual(money(truth.price));
      expect(obs.availability).toBe(truth.availability);
      if (truth.productId) expect(obs.productId).toBe(truth.productId);
      if (truth.title) expect(obs.title?.startsWith(truth.title), `title: ${obs.title}`).toBe(true);
      expect(obs.listPrice).toEqual(money(truth.listPrice));
      if (truth.range) {
        expect(obs.priceRange).toEqual({ min: money(truth.range[0]), max: money(truth.range[1]) });
      }
      if (truth.soldByStore !== undefined) expect(obs.soldByStore).toBe(truth.soldByStore);
      if (truth.used) expect(obs.offers.used).toEqual(money(truth.used));
      for (const decoy of truth.decoys ?? []) expect(obs.price?.minor).not.toBe(decoy);

      if (truth.outcome === 'ok') {
        expect(obs.title).toBe(obs.title?.trim());
        expect(obs.title).not.toMatch(/&[a-z]+;|&#\d+;/);
        expect(obs.imageUrl).toMatch(/^https?:\/\/[^\s"]+\.(jpg|jpeg|png|gif|webp)$/);
      } else {
        // Blocked, error and search pages say nothing about a product.
        expect(obs.productId).toBeNull();
        expect(obs.listPrice).toBeNull();
        expect(obs.offers).toEqual({ new: null, used: null });
      }
    });
  }
});

describe('extractAmazon context', () => {
  it('takes the marketplace from the fetched URL over the page', () => {
    const obs = extractAmazon(page('ms_amazon_com_relay_2017.html'), {
      url: 'https://www.amazon.ca/dp/B0057OC5O8',
    });
    expect(obs.marketplace).toBe('amazon.ca');
  });

  it('takes the caller marketplace when the URL is not an Amazon storefront', () => {
    const obs = extractAmazon(page('ao_amazon_com_503_dogs_2025.html'), {
      url: 'http://127.0.0.1:4000/de/dp/B07C76F3P2',
      marketplace: 'amazon.de',
    });
    expect(obs).toMatchObject({ outcome: 'error', marketplace: 'amazon.de', price: null });
  });

  it('reads what it can from a page cut short without inventing a price', () => {
    const html = page('shassi_amazon_de_echo_2020.html');
    const obs = extractAmazon(html.slice(0, 245_000));
    expect(obs.outcome).toBe('ok');
    expect(obs.productId).toBe('B07C76F3P2');
    expect(obs.price).toBeNull();
  });

  it('gives an empty page no product', () => {
    expect(extractAmazon('')).toMatchObject({
      outcome: 'unsupported',
      price: null,
      availability: 'unknown',
    });
  });
});

/** The shortest prefix for which amazonHasEnough holds (it is monotone), or null. */
function firstEnough(html: string): number | null {
  if (!amazonHasEnough(html)) return null;
  let lo = 0;
  let hi = html.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (amazonHasEnough(html.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function comparable(obs: Observation) {
  return JSON.parse(JSON.stringify(obs)) as unknown;
}

describe('streaming early stop', () => {
  for (const [file, truth] of Object.entries(TRUTH)) {
    it(file, () => {
      const html = page(file);
      const cut = firstEnough(html);
      if (truth.outcome !== 'ok') {
        // Nothing to stop early for: the fetcher reads these short or non-product pages whole.
        expect(cut).toBeNull();
        return;
      }
      expect(cut, 'amazonHasEnough never said stop').not.toBeNull();
      const at = cut ?? html.length;
      expect(at).toBeLessThan(html.length);
      expect(amazonHasEnough(html.slice(0, at - 1))).toBe(false);
      expect(comparable(extractAmazon(html.slice(0, at)))).toEqual(comparable(extractAmazon(html)));
      // Any longer prefix too, as a fetcher checks at chunk boundaries.
      const later = Math.min(html.length, at + 40_000);
      expect(amazonHasEnough(html.slice(0, later))).toBe(true);
      expect(comparable(extractAmazon(html.slice(0, later)))).toEqual(
        comparable(extractAmazon(html)),
      );
    });
  }
});

describe('the total-price line as a last resort', () => {
  // Every price block the extractor reads before it, renamed away.
  const BLOCKS = [
    'corePriceDisplay_desktop_feature_div',
    'corePrice_desktop',
    'corePrice_feature_div',
    'priceblock_dealprice',
    'priceblock_saleprice',
    'priceblock_ourprice',
    'price_inside_buybox',
    'newBuyBoxPrice',
    'buyNewSection',
    'price',
    'kindle-price',
  ];
  const withoutBlocks = (html: string) =>
    BLOCKS.reduce((h, id) => h.replaceAll(`id="${id}"`, `id="${id}-gone"`), html);
  const pages = Object.entries(TRUTH).filter(
    ([file, t]) => t.price && page(file).includes('id="tp_price_block_total_price_ww"'),
  );

  it('has pages to try it on', () => {
    expect(pages.length).toBeGreaterThanOrEqual(5);
  });
  for (const [file, truth] of pages) {
    it(`${file}: the buy box's total price, when no other price block is left`, () => {
      const html = withoutBlocks(page(file));
      const obs = extractAmazon(html);
      expect(obs.price && [obs.price.minor, obs.price.currency]).toEqual(truth.price);
      // Without the total-price line either, nothing: it was the line that was read.
      const bare = extractAmazon(html.replaceAll('id="tp_price_block_total_price_ww"', 'id="x"'));
      expect(bare.price).toBeNull();
    });
  }
});

/** Where a download fed in chunks of `sizes` bytes (cycled) first hears "enough", or null. */
function incrementalStop(bytes: Buffer, sizes: readonly number[]): number | null {
  const enough = createAmazonEarlyStop();
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const chunk = bytes.subarray(at, at + (sizes[k % sizes.length] ?? 1));
    at += chunk.length;
    if (enough(chunk)) return at;
  }
  return null;
}

/** The complete characters `bytes` make (a character cut off at the end is left out). */
function decodePrefix(bytes: Buffer): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: true });
}

/**
 * Where a fetcher asking amazonHasEnough about the text decoded so far, at the same chunk
 * boundaries, would stop, or null.
 */
function statelessStop(bytes: Buffer, sizes: readonly number[]): number | null {
  for (let at = 0, k = 0; at < bytes.length; k++) {
    at = Math.min(bytes.length, at + (sizes[k % sizes.length] ?? 1));
    if (amazonHasEnough(decodePrefix(bytes.subarray(0, at)))) return at;
  }
  return null;
}

describe('incremental early stop on bytes answers as amazonHasEnough does on their text', () => {
  // Odd sizes split markers and multi-byte characters across chunks; 16 KiB is what zlib yields.
  const chunkings: ReadonlyArray<readonly number[]> = [
    [16_384],
    [7_919, 13, 40_009],
    [1_021, 5, 2],
  ];
  for (const file of Object.keys(TRUTH)) {
    it(file, () => {
      const bytes = Buffer.from(page(file), 'utf8');
      for (const sizes of chunkings) {
        const at = incrementalStop(bytes, sizes);
        expect(at, `chunks of ${sizes.join('/')}`).toBe(statelessStop(bytes, sizes));
        if (at !== null) {
          expect(comparable(extractAmazon(decodePrefix(bytes.subarray(0, at))))).toEqual(
            comparable(extractAmazon(page(file))),
          );
        }
      }
    });
  }

  // Pages in scripts that take two, three and four bytes a character (and two UTF-16 units for
  // the last): the slack after the horizon is counted in characters, as the extractor reads it.
  const layout = (filler: string) =>
    '<html><body><div id="leftCol"></div><div id="centerCol"></div><div id="rightCol"></div>' +
    '<div id="productDescription_feature_div"></div>' +
    `<p>${filler.repeat(30_000)}</p></body></html>`;
  for (const [name, filler] of [
    ['ASCII', 'ab'],
    ['Latin-1', 'é'],
    ['CJK', '在庫'],
    ['emoji', '🙂'],
  ] as const) {
    it(`counts the slack in characters: ${name}`, () => {
      const bytes = Buffer.from(layout(filler), 'utf8');
      const at = incrementalStop(bytes, [1_021, 5, 2]);
      expect(at).not.toBeNull();
      expect(at).toBe(statelessStop(bytes, [1_021, 5, 2]));
    });
  }

  it('never stops sooner than the text allows when the bytes are not valid UTF-8', () => {
    const html = layout('ab');
    const cut = html.indexOf('<p>') + 3;
    // Stray continuation bytes and truncated sequences: the decoder makes U+FFFD of each.
    const bad = Buffer.concat([
      Buffer.from(html.slice(0, cut), 'utf8'),
      Buffer.alloc(30_000, 0x80),
      Buffer.from([0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x42]),
      Buffer.from(html.slice(cut), 'utf8'),
    ]);
    for (const sizes of [[16_384], [1_021, 5, 2]]) {
      const at = incrementalStop(bad, sizes);
      expect(at).not.toBeNull();
      expect(amazonHasEnough(decodePrefix(bad.subarray(0, at ?? 0)))).toBe(true);
    }
  });
});
