import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStore, parseDemoUrl, type DemoStore } from '../../demo-store/index.js';
import {
  json,
  request,
  type AdminProduct,
  type AdminWishlist,
} from '../../demo-store/testing/http.js';
import { decimalToMinor } from '../../money/index.js';
import { extractAmazonWishlist, parseAmazonWishlistUrl } from './wishlist.js';

describe('extractAmazonWishlist on the demo store wishlists', () => {
  let store: DemoStore;
  let base: string;

  beforeAll(async () => {
    store = createDemoStore({ seed: 3, clock: () => 0 });
    ({ url: base } = await store.listen(0));
  });

  afterAll(async () => {
    await store.close();
  });

  it('reads every entry of every list: ASIN, title, product URL and price', async () => {
    const lists = (await json<AdminWishlist[]>(`${base}/_admin/wishlists`)).body;
    const products = new Map(
      (await json<AdminProduct[]>(`${base}/_admin/products`)).body.map((p) => [p.asin, p]),
    );
    expect(lists.length).toBeGreaterThanOrEqual(20);
    let priced = 0;
    let unpriced = 0;
    for (const list of lists) {
      const res = await request(list.url);
      expect(res.status).toBe(200);
      const page = extractAmazonWishlist(res.body.toString('utf8'), { url: list.url });
      expect(page.outcome).toBe('ok');
      expect(page.listId).toBe(list.id);
      expect(page.name).toBe(list.name);
      expect(page.nextPageUrl).toBeUndefined();
      expect(page.items.map((i) => i.asin)).toEqual(list.asins);
      for (const item of page.items) {
        const p = products.get(item.asin);
        if (!p) throw new Error(`unknown ASIN ${item.asin}`);
        expect(item.title).toBe(p.title);
        expect(item.itemId).toMatch(/^I[0-9A-Z]{13}$/);
        // The demo store's own product URL, which the store registry recognises.
        expect(parseDemoUrl(item.url, base)).toEqual({
          marketplace: list.marketplace,
          asin: item.asin,
          canonicalUrl: item.url,
        });
        const offered =
          p.price !== null && p.availability === 'in_stock' && p.layout !== 'variation-parent';
        if (offered && p.price !== null) {
          priced++;
          expect(item.price, `${list.id} ${item.asin}`).toEqual({
            minor: decimalToMinor(p.price, p.currency),
            currency: p.currency,
          });
        } else {
          unpriced++;
          expect(item.price).toBeNull();
        }
      }
    }
    expect(priced).toBeGreaterThan(50);
    expect(unpriced).toBeGreaterThan(0);
  });

  it('sees a price change and a sale on the list page', async () => {
    const [list] = (await json<AdminWishlist[]>(`${base}/_admin/wishlists?mp=de`)).body;
    if (!list) throw new Error('no demo.de list');
    const products = await Promise.all(
      list.asins.map(async (a) => (await json<AdminProduct>(`${base}/_admin/products/${a}`)).body),
    );
    const p = products.find((q) => q.layout !== 'variation-parent');
    if (!p) throw new Error('no plain product on the list');
    await json(`${base}/_admin/products/${p.asin}`, 'PUT', {
      price: '1234.56',
      availability: 'in_stock',
    });
    const page = extractAmazonWishlist((await request(list.url)).body.toString('utf8'), {
      url: list.url,
    });
    expect(page.items.find((i) => i.asin === p.asin)?.price).toEqual({
      minor: 123456,
      currency: 'EUR',
    });
    await json(`${base}/_admin/products/${p.asin}`, 'PUT', { availability: 'out_of_stock' });
    const out = extractAmazonWishlist((await request(list.url)).body.toString('utf8'), {
      url: list.url,
    });
    expect(out.items.find((i) => i.asin === p.asin)?.price).toBeNull();
    await json(`${base}/_admin/reset`, 'POST');
  });
});

/** A list page as amazon.de serves it, written by hand after the structure of saved public lists. */
const ENTRY = (o: {
  id: string;
  asin: string;
  title: string;
  shown?: string;
  price?: string;
  dataPrice?: string;
  link?: string;
  extra?: string;
}) => `<li data-id="2XQ6YPSF2ZSOK" data-itemId="${o.id}" data-price="${o.dataPrice ?? '-Infinity'}" data-reposition-action-params="{&quot;itemExternalId&quot;:&quot;ASIN:${o.asin}|A1PA6795UKMFR9&quot;,&quot;listType&quot;:&quot;WishList&quot;}" class="a-spacing-none g-item-sortable"><span class="a-list-item">
<div id="itemImage_${o.id}"><a class="a-link-normal" title="${o.title}" href="${o.link ?? `/dp/${o.asin}/?coliid=${o.id}&amp;colid=2XQ6YPSF2ZSOK&amp;psc=1&amp;ref_=lv_ov_lig_dp_it`}"><img alt="" src="https://m.media-amazon.com/images/I/x.jpg"></a></div>
<h2 class="a-size-base"><a id="itemName_${o.id}" class="a-link-normal" title="${o.title}" href="${o.link ?? `/dp/${o.asin}/?coliid=${o.id}&amp;colid=2XQ6YPSF2ZSOK&amp;psc=1&amp;ref_=lv_ov_lig_dp_it`}">${o.shown ?? o.title}</a></h2>
${o.price ? `<div class="a-row"><span id="itemPrice_${o.id}" class="a-price" data-a-size="m" data-a-color="base"><span class="a-offscreen">${o.price}</span><span aria-hidden="true"><span class="a-price-whole">0</span></span></span></div>` : ''}
${o.extra ?? ''}
<div data-csa-c-item-id="${o.asin}" data-csa-c-item-type="asin"></div>
</span></li>`;

const HAND_WRITTEN = `<!doctype html><html lang="de-de" class="a-no-js"><head><meta charset="utf-8">
<title>Amazon.de: Geburtstag</title>
<link rel="canonical" href="https://www.amazon.de/hz/wishlist/ls/2XQ6YPSF2ZSOK">
<script>var ue_mid = 'A1PA6795UKMFR9'; var tpl = '<li data-itemId="IFAKE000000000">';</script>
</head><body>
<div id="wishlist-page"><input type="hidden" name="" value="2XQ6YPSF2ZSOK" id="listId">
<span id="profile-list-name" class="a-size-extra-large">Geburtstag &amp; Weihnachten</span>
<ul id="g-items" class="a-unordered-list">
${ENTRY({ id: 'I1AAAAAAAAAAAA', asin: 'B07PXGQC1Q', title: 'Kaffeem&uuml;hle &quot;Classic&quot;, 28 cm', shown: 'Kaffeemühle "Classic…', price: '129,99&nbsp;€', dataPrice: '129.99' })}
${ENTRY({ id: 'I2BBBBBBBBBBBB', asin: '3551551677', title: 'Harry Potter und der Stein der Weisen', dataPrice: '12.0' })}
${ENTRY({ id: 'I3CCCCCCCCCCCC', asin: 'B0C1234567', title: 'Laufschuhe', price: '', extra: '<div class="a-row itemPriceDrop"><span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">99,00 €</span></span></div><span class="a-price"><span class="a-offscreen">79,00 €</span></span>' })}
${ENTRY({ id: 'I4DDDDDDDDDDDD', asin: 'B0D7654321', title: 'Nicht lieferbar', link: '/gp/offer-listing/B0D7654321?condition=all', extra: '<span class="a-color-price itemAvailMessage">Derzeit nicht verfügbar.</span>' })}
</ul>
<div id="endOfListMarker"></div>
<input type="hidden" name="showMoreUrl" value="/hz/wishlist/slv/items?filter=unpurchased&amp;paginationToken=AAAA%3D%3D&amp;itemsLayout=LIST&amp;type=wishlist">
</div>
<div id="rhf"><span class="a-price"><span class="a-offscreen">1,00 €</span></span></div>
</body></html>`;

describe('extractAmazonWishlist on a hand-written amazon.de list', () => {
  const page = extractAmazonWishlist(HAND_WRITTEN, {
    url: 'https://www.amazon.de/hz/wishlist/ls/2XQ6YPSF2ZSOK?ref_=wl_share',
  });

  it('reads the list header and the next page', () => {
    expect(page.outcome).toBe('ok');
    expect(page.marketplace).toBe('amazon.de');
    expect(page.listId).toBe('2XQ6YPSF2ZSOK');
    expect(page.name).toBe('Geburtstag & Weihnachten');
    expect(page.nextPageUrl).toBe(
      'https://www.amazon.de/hz/wishlist/slv/items?filter=unpurchased&paginationToken=AAAA%3D%3D&itemsLayout=LIST&type=wishlist',
    );
  });

  it('reads each entry on its own, never a script string or a neighbour', () => {
    expect(page.items).toEqual([
      {
        itemId: 'I1AAAAAAAAAAAA',
        asin: 'B07PXGQC1Q',
        title: 'Kaffeemühle "Classic", 28 cm',
        url: 'https://www.amazon.de/dp/B07PXGQC1Q',
        price: { minor: 12999, currency: 'EUR' },
      },
      {
        // An ISBN-10 book with no shown price: `data-price` in the marketplace's currency.
        itemId: 'I2BBBBBBBBBBBB',
        asin: '3551551677',
        title: 'Harry Potter und der Stein der Weisen',
        url: 'https://www.amazon.de/dp/3551551677',
        price: { minor: 1200, currency: 'EUR' },
      },
      {
        // A blank itemPrice: the sale price shown, not the struck one.
        itemId: 'I3CCCCCCCCCCCC',
        asin: 'B0C1234567',
        title: 'Laufschuhe',
        url: 'https://www.amazon.de/dp/B0C1234567',
        price: { minor: 7900, currency: 'EUR' },
      },
      {
        // The ASIN from the offer-listing link; no price anywhere in the entry (the footer's
        // price after the last entry is not its).
        itemId: 'I4DDDDDDDDDDDD',
        asin: 'B0D7654321',
        title: 'Nicht lieferbar',
        url: 'https://www.amazon.de/dp/B0D7654321',
        price: null,
      },
    ]);
  });

  it('reads a "show more" fragment, which has no head, with the URL it came from', () => {
    const fragment = ENTRY({
      id: 'I5EEEEEEEEEEEE',
      asin: 'B0E1111111',
      title: 'Zelt',
      price: '249,00 €',
    });
    const more = extractAmazonWishlist(fragment, {
      url: 'https://www.amazon.de/hz/wishlist/slv/items?paginationToken=AAAA',
    });
    expect(more.outcome).toBe('ok');
    expect(more.items).toEqual([
      {
        itemId: 'I5EEEEEEEEEEEE',
        asin: 'B0E1111111',
        title: 'Zelt',
        url: 'https://www.amazon.de/dp/B0E1111111',
        price: { minor: 24900, currency: 'EUR' },
      },
    ]);
    expect(more.nextPageUrl).toBeUndefined();
  });

  it('takes the ASIN from the entry data when the link has none', () => {
    const entry = ENTRY({
      id: 'I6FFFFFFFFFFFF',
      asin: 'B0F2222222',
      title: 'Ohne Link',
      link: '/gp/item-dispatch?registryID.1=2XQ6YPSF2ZSOK',
    });
    const [item] = extractAmazonWishlist(entry, {
      url: 'https://www.amazon.com/hz/wishlist/ls/X',
    }).items;
    expect(item?.asin).toBe('B0F2222222');
    expect(item?.url).toBe('https://www.amazon.com/dp/B0F2222222');
  });

  it('tells an empty list from pages that are no list', () => {
    const empty = extractAmazonWishlist(
      '<html><body><input type="hidden" value="2XQ6YPSF2ZSOK" id="listId"><ul id="g-items"></ul></body></html>',
    );
    expect(empty).toMatchObject({ outcome: 'ok', listId: '2XQ6YPSF2ZSOK', items: [] });
    const captcha = extractAmazonWishlist(
      '<html><head><title>Robot Check</title></head><body><form action="/errors/validateCaptcha"></form></body></html>',
    );
    expect(captcha).toMatchObject({ outcome: 'captcha', items: [] });
    const signIn = extractAmazonWishlist(
      '<html><head><title>Amazon Sign-In</title></head><body><form name="signIn"></form></body></html>',
    );
    expect(signIn).toMatchObject({ outcome: 'not_found', items: [] });
  });

  it('does not follow a "show more" link to another site', () => {
    const html = HAND_WRITTEN.replace(
      'value="/hz/wishlist/slv/items?',
      'value="https://evil.example/hz/wishlist/slv/items?',
    );
    expect(
      extractAmazonWishlist(html, { url: 'https://www.amazon.de/hz/wishlist/ls/2XQ6YPSF2ZSOK' })
        .nextPageUrl,
    ).toBeUndefined();
  });
});

describe('parseAmazonWishlistUrl', () => {
  it.each([
    ['https://www.amazon.de/hz/wishlist/ls/2XQ6YPSF2ZSOK?ref_=wl_share', 'amazon.de'],
    ['amazon.com/hz/wishlist/ls/1ABCDEFGHIJKL', 'amazon.com'],
    [
      'https://www.amazon.co.uk/gp/registry/wishlist/1ABCDEFGHIJKL/ref=cm_wl_list_o_0',
      'amazon.co.uk',
    ],
    ['https://smile.amazon.co.jp/registry/wishlist/1ABCDEFGHIJKL', 'amazon.co.jp'],
    ['https://www.amazon.de/-/en/hz/wishlist/ls/1ABCDEFGHIJKL', 'amazon.de'],
  ])('%s is a list of %s', (url, marketplace) => {
    const ref = parseAmazonWishlistUrl(url);
    expect(ref?.marketplace).toBe(marketplace);
    expect(ref?.url).toMatch(/^https:\/\/www\.amazon\.[a-z.]+\/hz\/wishlist\/ls\/[0-9A-Z]+$/);
  });

  it.each([
    'https://www.amazon.de/dp/B07PXGQC1Q',
    'https://aws.amazon.com/hz/wishlist/ls/1ABCDEFGHIJKL',
    'https://www.amazon.de.example.com/hz/wishlist/ls/1ABCDEFGHIJKL',
    'https://www.amazon.de/hz/wishlist/ls/',
    'ftp://www.amazon.de/hz/wishlist/ls/1ABCDEFGHIJKL',
    'not a url',
  ])('%s is not', (url) => {
    expect(parseAmazonWishlistUrl(url)).toBeNull();
  });
});
