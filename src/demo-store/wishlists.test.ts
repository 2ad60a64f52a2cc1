import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalToMinor, parseMoney } from '../money/index.js';
import { createDemoStore, demoMarketplaceById, type DemoStore } from './index.js';
import { json, request, type AdminProduct, type AdminWishlist } from './testing/http.js';

let store: DemoStore;
let base: string;

beforeAll(async () => {
  store = createDemoStore({ seed: 7, clock: () => 0 });
  ({ url: base } = await store.listen(0));
});

afterAll(async () => {
  await store.close();
});

interface ListedItem {
  readonly itemId: string;
  readonly asin: string;
  readonly title: string;
  readonly dataPrice: string;
  readonly price: string | null;
}

/** The entries of a wishlist page, read the way wishlist scrapers read them. */
function readWishlist(html: string): ListedItem[] {
  const out: ListedItem[] = [];
  const blocks = html.split('<li data-id=').slice(1);
  for (const block of blocks) {
    const itemId = /data-itemid="([^"]+)"/.exec(block)?.[1] ?? '';
    const name = new RegExp(
      `<a id="itemName_${itemId}"[^>]*title="([^"]*)"[^>]*href="([^"]*)"`,
    ).exec(block);
    const price = new RegExp(
      `<span id="itemPrice_${itemId}" class="a-price"[^>]*><span class="a-offscreen">([^<]*)</span>`,
    ).exec(block);
    out.push({
      itemId,
      title: name?.[1] ?? '',
      asin: /\/dp\/([0-9A-Z]{10})/.exec(name?.[2] ?? '')?.[1] ?? '',
      dataPrice: /data-price="([^"]+)"/.exec(block)?.[1] ?? '',
      price: price?.[1] ?? null,
    });
  }
  return out;
}

describe('wishlists', () => {
  it('are listed per marketplace with their products', async () => {
    const lists = (await json<AdminWishlist[]>(`${base}/_admin/wishlists`)).body;
    expect(lists.length).toBeGreaterThanOrEqual(20);
    expect(new Set(lists.map((l) => l.id)).size).toBe(lists.length);
    const products = new Map(
      (await json<AdminProduct[]>(`${base}/_admin/products`)).body.map((p) => [p.asin, p]),
    );
    for (const l of lists) {
      expect(l.id).toMatch(/^[0-9A-Z]{12,13}$/);
      expect(l.url).toBe(`${base}/hz/wishlist/ls/${l.id}`);
      expect(l.asins.length).toBeGreaterThanOrEqual(5);
      for (const asin of l.asins) expect(products.get(asin)?.marketplace).toBe(l.marketplace);
    }
    const de = (await json<AdminWishlist[]>(`${base}/_admin/wishlists?mp=de`)).body;
    expect(de.length).toBe(4);
    expect(de.every((l) => l.marketplace === 'demo.de')).toBe(true);
  });

  it('list the right ASINs and current prices on their pages', async () => {
    const lists = (await json<AdminWishlist[]>(`${base}/_admin/wishlists`)).body;
    let priced = 0;
    for (const l of lists) {
      const res = await request(l.url);
      expect(res.status).toBe(200);
      const html = res.body.toString('utf8');
      expect(html).toContain(`value="${l.id}" id="listId"`);
      const items = readWishlist(html);
      expect(items.map((i) => i.asin)).toEqual(l.asins);
      const mp = demoMarketplaceById(l.marketplace)!;
      for (const item of items) {
        const p = (await json<AdminProduct>(`${base}/_admin/products/${item.asin}`)).body;
        expect(item.title).toBe(
          p.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
        );
        if (p.price !== null && p.availability === 'in_stock') {
          priced++;
          const shown = parseMoney(item.price ?? '', { currency: p.currency, locale: mp.locale });
          expect(shown, `${l.id} ${item.asin}`).toEqual({
            minor: decimalToMinor(p.price, p.currency),
            currency: p.currency,
          });
          expect(item.dataPrice).toBe(p.price);
        } else {
          expect(item.price).toBeNull();
          expect(item.dataPrice).toBe('-Infinity');
        }
      }
    }
    expect(priced).toBeGreaterThan(20);
  });

  it('show a price change at once', async () => {
    const [list] = (await json<AdminWishlist[]>(`${base}/_admin/wishlists?mp=com`)).body;
    const products = await Promise.all(
      list!.asins.map(async (a) => (await json<AdminProduct>(`${base}/_admin/products/${a}`)).body),
    );
    const p = products.find((q) => q.layout !== 'variation-parent')!;
    await json(`${base}/_admin/products/${p.asin}`, 'PUT', {
      price: '7.77',
      availability: 'in_stock',
    });
    const items = readWishlist((await request(list!.url)).body.toString('utf8'));
    expect(items.find((i) => i.asin === p.asin)?.price).toBe('$7.77');
    await json(`${base}/_admin/reset`, 'POST');
  });

  it('answer the old registry address with a redirect, and unknown lists with 404', async () => {
    const [list] = (await json<AdminWishlist[]>(`${base}/_admin/wishlists?mp=co.jp`)).body;
    const old = await request(`${base}/gp/registry/wishlist/${list!.id}/ref=cm_wl_list_o_0`);
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe(list!.url);
    expect((await request(`${base}/co.jp/hz/wishlist/ls/${list!.id}`)).status).toBe(200);
    expect((await request(`${base}/de/hz/wishlist/ls/${list!.id}`)).status).toBe(404);
    expect((await request(`${base}/hz/wishlist/ls/0NOSUCHLIST0`)).status).toBe(404);
    const one = await json<{ products: AdminProduct[] }>(`${base}/_admin/wishlists/${list!.id}`);
    expect(one.body.products.map((p) => p.asin)).toEqual(list!.asins);
  });
});
