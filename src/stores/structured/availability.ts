import type { Availability } from '../types.js';

/**
 * schema.org ItemAvailability names (bare, prefixed or as URLs) and Open Graph / Facebook catalog
 * values, reduced to letters. BackOrder, PreSale and MadeToOrder are purchasable now but ship
 * later, which is what `preorder` means to a watcher; InStoreOnly and LimitedAvailability can still
 * be bought; Reserved means someone else holds the item, so nobody can buy it now.
 */
const VALUES: Readonly<Record<string, Availability>> = {
  instock: 'in_stock',
  instoreonly: 'in_stock',
  onlineonly: 'in_stock',
  limitedavailability: 'in_stock',
  available: 'in_stock',
  availablefororder: 'in_stock',
  outofstock: 'out_of_stock',
  oos: 'out_of_stock',
  soldout: 'out_of_stock',
  discontinued: 'out_of_stock',
  unavailable: 'out_of_stock',
  preorder: 'preorder',
  presale: 'preorder',
  backorder: 'preorder',
  madetoorder: 'preorder',
  availableforpreorder: 'preorder',
  reserved: 'out_of_stock',
};

/** A structured availability value ("InStock", "http://schema.org/OutOfStock", "in stock"). */
export function readAvailability(value: unknown): Availability | null {
  if (typeof value !== 'string') return null;
  // "https://schema.org/InStock/" (a trailing slash, seen on real pages) names the same value.
  const last =
    value
      .trim()
      .replace(/[/#:\s]+$/, '')
      .split(/[/#:]/)
      .pop() ?? '';
  const key = last.toLowerCase().replace(/[^a-z]/g, '');
  return VALUES[key] ?? null;
}

// Short stock lines printed near the buy button, checked in this order because "nicht lieferbar"
// contains "lieferbar". Word edges are Unicode-aware: `\b` does not see "é" as a letter.
const word = (alternatives: string): RegExp =>
  new RegExp(`(?<!\\p{L})(?:${alternatives})(?!\\p{L})`, 'iu');

const PHRASES: ReadonlyArray<readonly [RegExp, Availability]> = [
  [
    word(
      'out of stock|sold out|no longer available|currently unavailable|ausverkauft|' +
        'nicht (?:mehr )?(?:lieferbar|verfügbar)|agotado|épuisé|rupture de stock|esaurito|' +
        'niet (?:meer )?(?:op voorraad|leverbaar)|slutsåld',
    ),
    'out_of_stock',
  ],
  [word('pre-?order|vorbestellen|vorbestellbar|précommande'), 'preorder'],
  [
    word(
      '^(?:in stock|auf lager|sofort lieferbar|lieferbar|en stock|disponible|disponibile|' +
        'op voorraad|in magazzino)',
    ),
    'in_stock',
  ],
];

/** A visible stock line ("Sofort lieferbar", "No longer available"); null for anything else. */
export function availabilityFromPhrase(text: string): Availability | null {
  if (text.length > 60) return null;
  for (const [re, a] of PHRASES) if (re.test(text)) return a;
  return null;
}
