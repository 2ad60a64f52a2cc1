/**
 * Public wishlists: a handful per marketplace, a pure function of the catalogue's seed, each
 * holding products of its own marketplace. Their pages live at `/hz/wishlist/ls/{ID}` and list
 * the products with their current prices (render/wishlist-page.ts).
 */
import type { Catalogue, CatalogueItem } from './catalogue.js';
import { demoMarketplaces, type DemoMarketplace } from './marketplaces.js';
import { createRng, mix, type Rng } from './prng.js';
import type { Translated } from './words.js';
import { tr } from './words.js';

export const WISHLISTS_PER_MARKETPLACE = 4;

export interface WishlistEntry {
  /** The list item's own id ("I2WF7234C0ZXFV"), distinct from the product's ASIN. */
  readonly itemId: string;
  readonly item: CatalogueItem;
  /** "Item added" date, ISO (2024-03-14). */
  readonly added: string;
  readonly priority: 'low' | 'medium' | 'high';
  readonly requested: number;
}

export interface Wishlist {
  /** Amazon-style list id: 12 or 13 upper-case letters and digits ("3RTYHM78C5OVZ"). */
  readonly id: string;
  readonly marketplace: DemoMarketplace;
  readonly name: string;
  readonly entries: readonly WishlistEntry[];
}

const NAMES: readonly Translated[] = [
  ['Birthday', 'Geburtstag', '誕生日'],
  ['Kitchen upgrade', 'Neue Küche', 'キッチン'],
  ['Reading list', 'Leseliste', '読みたい本'],
  ['Gift ideas', 'Geschenkideen', 'ギフトのアイデア'],
  ['Home office', 'Homeoffice', '在宅勤務'],
  ['Someday', 'Irgendwann', 'いつか買う'],
];

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function listId(rng: Rng): string {
  let id = String(rng.int(1, 3));
  const length = rng.int(12, 13);
  while (id.length < length) id += ALNUM[rng.int(0, ALNUM.length - 1)];
  return id;
}

function itemId(rng: Rng): string {
  let id = 'I';
  while (id.length < 14) id += ALNUM[rng.int(0, ALNUM.length - 1)];
  return id;
}

/** The store's wishlists, marketplace by marketplace. */
export function generateWishlists(
  catalogue: Catalogue,
  perMarketplace = WISHLISTS_PER_MARKETPLACE,
): Wishlist[] {
  const lists: Wishlist[] = [];
  const ids = new Set<string>();
  demoMarketplaces.forEach((mp, m) => {
    const available = catalogue.countIn(m);
    if (available === 0) return;
    for (let w = 0; w < perMarketplace; w++) {
      const rng = createRng(mix(catalogue.seed, 0x415_7, m, w));
      let id = listId(rng);
      while (ids.has(id)) id = listId(rng);
      ids.add(id);
      const want = Math.min(available, rng.int(5, 12));
      const picked = new Set<number>();
      while (picked.size < want) picked.add(rng.int(0, available - 1));
      const entries = [...picked].map((k): WishlistEntry => {
        const month = rng.int(1, 12);
        return {
          itemId: itemId(rng),
          item: catalogue.at(catalogue.indexIn(m, k)),
          added: `${rng.int(2021, 2025)}-${String(month).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
          priority: rng.pick(['low', 'medium', 'medium', 'high'] as const),
          requested: rng.int(1, 2),
        };
      });
      lists.push({
        id,
        marketplace: mp,
        name: tr(NAMES[(m + w) % NAMES.length] as Translated, mp.language),
        entries,
      });
    }
  });
  return lists;
}
