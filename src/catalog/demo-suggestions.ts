/**
 * Products of the demo store to suggest to a newcomer: from the store in this process, or, when the
 * web process runs apart from it (DEMO_STORE_URL), from its admin listing read through the fetcher.
 */
import { z } from 'zod';
import type { Fetcher } from '../acquisition/fetcher.js';
import type { DemoProduct, DemoStore } from '../demo-store/index.js';
import { minorToDecimal } from '../money/index.js';
import type { DemoProductInfo, DemoStoreInfo } from '../web/routes/demo.js';

interface Listing extends DemoProductInfo {
  readonly inStock: boolean;
}

/**
 * Up to `limit` products in stock, taking the marketplaces in turn so that the first few already
 * show several currencies and number formats.
 */
export function sampleAcrossMarketplaces(
  list: readonly Listing[],
  limit: number,
): DemoProductInfo[] {
  const byMarketplace = new Map<string, Listing[]>();
  for (const p of list) {
    if (!p.inStock || p.price === null) continue;
    const group = byMarketplace.get(p.marketplace) ?? [];
    group.push(p);
    byMarketplace.set(p.marketplace, group);
  }
  const groups = [...byMarketplace.values()];
  const out: DemoProductInfo[] = [];
  for (let i = 0; out.length < limit && groups.some((g) => i < g.length); i++) {
    for (const g of groups) {
      const p = g[i];
      if (p && out.length < limit) {
        const { inStock: _, ...info } = p;
        out.push(info);
      }
    }
  }
  return out;
}

/** How far ahead (store ticks, a minute each at speed 1) a suggested product's drop may lie. */
const DROP_HORIZON_TICKS = 3;

/**
 * Suggestions from the store in this process: first a few products whose price is about to fall
 * (so a newcomer who watches them sees a drop and an alert within minutes), then a spread across
 * marketplaces.
 */
export function localDemoSuggestions(demo: DemoStore, baseUrl: string): DemoStoreInfo {
  const info = (p: DemoProduct) => ({
    asin: p.asin,
    marketplace: p.marketplace,
    url: `${baseUrl}${p.path}`,
    title: p.title,
    price: p.price
      ? { amount: minorToDecimal(p.price.minor, p.price.currency), currency: p.price.currency }
      : null,
    imageUrl: `${baseUrl}/images/${p.asin}.svg`,
    inStock: p.availability === 'in_stock',
  });
  return {
    baseUrl,
    async sample(limit) {
      const soon = demo.dropsSoon(DROP_HORIZON_TICKS, Math.min(3, limit)).map(info);
      const rest = sampleAcrossMarketplaces(demo.products().map(info), limit).filter(
        (p) => !soon.some((s) => s.asin === p.asin),
      );
      return [...sampleAcrossMarketplaces(soon, soon.length), ...rest].slice(0, limit);
    },
  };
}

const RemoteListing = z.array(
  z.object({
    asin: z.string(),
    marketplace: z.string(),
    url: z.string(),
    title: z.string(),
    price: z.string().nullable(),
    currency: z.string(),
    availability: z.string(),
  }),
);

/** A demo store in another process; its listing is cached for half a minute. */
export function remoteDemoSuggestions(
  baseUrl: string,
  fetcher: Fetcher,
  clock: () => Date,
): DemoStoreInfo {
  let cache: { at: number; list: Listing[] } | undefined;
  return {
    baseUrl,
    async sample(limit) {
      const now = clock().getTime();
      if (!cache || now - cache.at > 30_000) {
        const res = await fetcher.fetch({ url: `${baseUrl}/_admin/products`, timeoutMs: 5000 });
        const parsed = RemoteListing.safeParse(res.status === 200 ? JSON.parse(res.body) : null);
        const list = parsed.success ? parsed.data : [];
        cache = {
          at: now,
          list: list.map((p) => ({
            asin: p.asin,
            marketplace: p.marketplace,
            url: p.url,
            title: p.title,
            price: p.price === null ? null : { amount: p.price, currency: p.currency },
            imageUrl: `${baseUrl}/images/${p.asin}.svg`,
            inStock: p.availability === 'in_stock',
          })),
        };
      }
      return sampleAcrossMarketplaces(cache.list, limit);
    },
  };
}
