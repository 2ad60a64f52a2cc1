/**
 * The demo store's five marketplaces. Each mirrors one Amazon marketplace (currency, number format,
 * page language), so the Amazon extractor reads a demo page with the settings it would use for the
 * real marketplace named in `amazonMarketplace`.
 */

export type DemoMarketplaceCode = 'com' | 'de' | 'co.uk' | 'co.jp' | 'in';

/** The words a page shows, in the marketplace's own language, where the extractor may read them. */
export interface MarketplaceText {
  readonly inStock: string;
  readonly unavailable: string;
  readonly unavailableNote: string;
  readonly noFeaturedOffer: string;
  readonly shipsFrom: string;
  readonly soldBy: string;
  readonly shipsAndSoldBy: (seller: string) => string;
  readonly listPrice: string;
  readonly wasPrice: string;
  readonly priceLabel: string;
  readonly buyUsed: string;
  readonly buyNew: string;
  readonly subscribeSave: string;
  readonly oneTime: string;
  readonly sponsored: string;
  readonly alsoBought: string;
  readonly related: string;
  readonly addToCart: string;
  readonly buyNow: string;
  readonly seeAllOptions: string;
  /** The used-offers link around its price: text before it and after it ("Used (3) from"). */
  readonly usedFrom: (count: number) => readonly [before: string, after: string];
  readonly aboutThisItem: string;
  readonly ratings: string;
  readonly results: (count: number, query: string) => string;
  readonly deliverTo: string;
  readonly returns: string;
  readonly payment: string;
  readonly securePayment: string;
}

export interface DemoMarketplace {
  /** Marketplace key stored on products ("demo.de"). */
  readonly id: string;
  /** Path segment of the marketplace in demo-store URLs ("de" in /de/dp/B0…). */
  readonly code: DemoMarketplaceCode;
  readonly name: string;
  readonly currency: string;
  /** BCP 47 locale whose number format the pages use. */
  readonly locale: string;
  /** The Amazon marketplace whose layout, locale and currency the pages imitate ("amazon.de"). */
  readonly amazonMarketplace: string;
  /** `lang` attribute of the page, lower case as on Amazon ("de-de"). */
  readonly htmlLang: string;
  /** Seller name when the store itself sells, as the real site writes it. */
  readonly storeName: string;
  /** Which of the translated word lists (titles, categories) the pages use. */
  readonly language: 'en' | 'de' | 'ja';
  readonly text: MarketplaceText;
}

const english = (overrides: Partial<MarketplaceText> = {}): MarketplaceText => ({
  inStock: 'In Stock',
  unavailable: 'Currently unavailable.',
  unavailableNote: "We don't know when or if this item will be back in stock.",
  noFeaturedOffer: 'Available from these sellers.',
  shipsFrom: 'Ships from',
  soldBy: 'Sold by',
  shipsAndSoldBy: (seller) => `Ships from and sold by ${seller}.`,
  listPrice: 'List Price:',
  wasPrice: 'Was:',
  priceLabel: 'Price:',
  buyUsed: 'Buy used:',
  buyNew: 'Buy new:',
  subscribeSave: 'Subscribe & Save:',
  oneTime: 'One-time purchase:',
  sponsored: 'Sponsored',
  alsoBought: 'Customers who bought this item also bought',
  related: 'Products related to this item',
  addToCart: 'Add to Cart',
  buyNow: 'Buy Now',
  seeAllOptions: 'See All Buying Options',
  usedFrom: (n) => [`Used (${n}) from`, ''],
  aboutThisItem: 'About this item',
  ratings: 'ratings',
  results: (n, q) => (n === 0 ? `No results for "${q}"` : `1-${n} of ${n} results for "${q}"`),
  deliverTo: 'Deliver to',
  returns: 'Returnable within 30 days of receipt',
  payment: 'Payment',
  securePayment: 'Secure transaction',
  ...overrides,
});

export const demoMarketplaces: readonly DemoMarketplace[] = [
  {
    id: 'demo.com',
    code: 'com',
    name: 'Demo United States',
    currency: 'USD',
    locale: 'en-US',
    amazonMarketplace: 'amazon.com',
    htmlLang: 'en-us',
    storeName: 'Amazon.com',
    language: 'en',
    text: english(),
  },
  {
    id: 'demo.de',
    code: 'de',
    name: 'Demo Deutschland',
    currency: 'EUR',
    locale: 'de-DE',
    amazonMarketplace: 'amazon.de',
    htmlLang: 'de-de',
    storeName: 'Amazon.de',
    language: 'de',
    text: {
      inStock: 'Auf Lager',
      unavailable: 'Derzeit nicht verfügbar.',
      unavailableNote: 'Ob und wann dieser Artikel wieder vorrätig sein wird, ist unbekannt.',
      noFeaturedOffer: 'Erhältlich bei diesen Anbietern.',
      shipsFrom: 'Versand',
      soldBy: 'Verkäufer',
      shipsAndSoldBy: (seller) => `Verkauf und Versand durch ${seller}.`,
      listPrice: 'UVP:',
      wasPrice: 'Statt:',
      priceLabel: 'Preis:',
      buyUsed: 'Gebraucht kaufen:',
      buyNew: 'Neu kaufen:',
      subscribeSave: 'Spar-Abo:',
      oneTime: 'Einmalige Lieferung:',
      sponsored: 'Gesponsert',
      alsoBought: 'Kunden, die diesen Artikel gekauft haben, kauften auch',
      related: 'Produkte im Zusammenhang mit diesem Artikel',
      addToCart: 'In den Einkaufswagen',
      buyNow: 'Jetzt kaufen',
      seeAllOptions: 'Alle Angebote anzeigen',
      usedFrom: (n) => [`Gebraucht (${n}) ab`, ''],
      aboutThisItem: 'Über diesen Artikel',
      ratings: 'Sternebewertungen',
      results: (n, q) =>
        n === 0 ? `Keine Ergebnisse für "${q}"` : `1-${n} von ${n} Ergebnissen für "${q}"`,
      deliverTo: 'Liefern an',
      returns: 'Rücksendung innerhalb von 30 Tagen nach Erhalt',
      payment: 'Zahlung',
      securePayment: 'Sichere Transaktion',
    },
  },
  {
    id: 'demo.co.uk',
    code: 'co.uk',
    name: 'Demo United Kingdom',
    currency: 'GBP',
    locale: 'en-GB',
    amazonMarketplace: 'amazon.co.uk',
    htmlLang: 'en-gb',
    storeName: 'Amazon.co.uk',
    language: 'en',
    text: english({
      inStock: 'In stock',
      listPrice: 'RRP:',
      addToCart: 'Add to Basket',
    }),
  },
  {
    id: 'demo.co.jp',
    code: 'co.jp',
    name: 'Demo Japan',
    currency: 'JPY',
    locale: 'ja-JP',
    amazonMarketplace: 'amazon.co.jp',
    htmlLang: 'ja-jp',
    storeName: 'Amazon.co.jp',
    language: 'ja',
    text: {
      inStock: '在庫あり。',
      unavailable: '現在在庫切れです。',
      unavailableNote: 'この商品の再入荷予定は立っておりません。',
      noFeaturedOffer: 'こちらからもご購入いただけます',
      shipsFrom: '出荷元',
      soldBy: '販売元',
      shipsAndSoldBy: (seller) => `この商品は、${seller} が販売、発送します。`,
      listPrice: '参考価格:',
      wasPrice: '過去価格:',
      priceLabel: '価格:',
      buyUsed: '中古品を購入:',
      buyNew: '新品を購入:',
      subscribeSave: '定期おトク便:',
      oneTime: '今すぐ購入:',
      sponsored: 'スポンサー',
      alsoBought: 'この商品を買った人はこんな商品も買っています',
      related: 'この商品に関連する商品',
      addToCart: 'カートに入れる',
      buyNow: '今すぐ買う',
      seeAllOptions: 'すべての出品を見る',
      usedFrom: (n) => [`中古品 (${n})`, 'から'],
      aboutThisItem: 'この商品について',
      ratings: '個の評価',
      results: (n, q) => (n === 0 ? `"${q}"に一致する商品はありません` : `${n}件の検索結果 "${q}"`),
      deliverTo: 'お届け先',
      returns: '商品到着後30日以内に返品可能',
      payment: 'お支払い',
      securePayment: 'セキュリティで保護された取引',
    },
  },
  {
    id: 'demo.in',
    code: 'in',
    name: 'Demo India',
    currency: 'INR',
    locale: 'en-IN',
    amazonMarketplace: 'amazon.in',
    htmlLang: 'en-in',
    storeName: 'Amazon.in',
    language: 'en',
    text: english({
      inStock: 'In stock',
      listPrice: 'M.R.P.:',
      wasPrice: 'M.R.P.:',
      returns: '10 days Returnable',
    }),
  },
];

const byCode = new Map<string, DemoMarketplace>(demoMarketplaces.map((m) => [m.code, m]));
const byId = new Map<string, DemoMarketplace>(demoMarketplaces.map((m) => [m.id, m]));

export function demoMarketplaceByCode(code: string): DemoMarketplace | undefined {
  return byCode.get(code);
}

export function demoMarketplaceById(id: string): DemoMarketplace | undefined {
  return byId.get(id);
}
