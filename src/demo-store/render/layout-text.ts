/**
 * Words of the older, Kindle, deal, variation and wishlist pages, per page language. The
 * extractor reads none of these (structure decides), but a page in the wrong language is not a
 * faithful page.
 */
import type { DemoMarketplace } from '../marketplaces.js';

export interface LayoutText {
  readonly youSave: string;
  readonly sale: string;
  readonly dealOfTheDay: string;
  readonly limitedTimeDeal: string;
  readonly endsIn: string;
  readonly claimed: (pct: number) => string;
  readonly freeShipping: string;
  readonly newFrom: (n: number) => string;
  readonly usedFrom: (n: number) => string;
  readonly from: string;
  readonly kindlePrice: string;
  readonly kindleEdition: string;
  readonly printListPrice: string;
  readonly priceSetBySeller: string;
  readonly buyWithOneClick: string;
  readonly deliverToKindle: string;
  readonly readForFree: string;
  readonly kindleUnlimitedPitch: string;
  readonly withTrial: string;
  readonly availableInstantly: string;
  readonly formats: {
    readonly kindle: string;
    readonly audiobook: string;
    readonly hardcover: string;
    readonly paperback: string;
  };
  readonly seriesTotal: (n: number) => string;
  readonly totalPrice: string;
  readonly notForSale: string;
  readonly sizeName: string;
  readonly select: string;
  readonly toBuySelect: (dim: string) => string;
  readonly wishList: string;
  readonly addToCart: string;
  readonly seeAllBuyingOptions: string;
  readonly priceDropped: (pct: number) => string;
  readonly wasPrice: string;
  readonly itemAdded: (date: string) => string;
  readonly byline: (brand: string) => string;
}

const en: LayoutText = {
  youSave: 'You Save:',
  sale: 'Sale:',
  dealOfTheDay: 'Deal of the Day:',
  limitedTimeDeal: 'Limited time deal',
  endsIn: 'Ends in',
  claimed: (pct) => `${pct}% claimed`,
  freeShipping: 'FREE Shipping on orders over 25.00',
  newFrom: (n) => `${n}\u00a0new`,
  usedFrom: (n) => `${n}\u00a0used`,
  from: 'from',
  kindlePrice: 'Kindle Price:',
  kindleEdition: 'Kindle Edition',
  printListPrice: 'Print List Price:',
  priceSetBySeller: 'Price set by seller.',
  buyWithOneClick: 'Buy now with 1-Click',
  deliverToKindle: 'Deliver to your Kindle Library',
  readForFree: 'Read for Free',
  kindleUnlimitedPitch: 'Read this title and millions more with Kindle Unlimited.',
  withTrial: 'with membership trial',
  availableInstantly: 'Available instantly',
  formats: {
    kindle: 'Kindle',
    audiobook: 'Audiobook',
    hardcover: 'Hardcover',
    paperback: 'Paperback',
  },
  seriesTotal: (n) => `Buy all ${n} books in this series`,
  totalPrice: 'Total Price:',
  notForSale: 'This title is not currently available for purchase',
  sizeName: 'Size',
  select: 'Select',
  toBuySelect: (dim) => `To buy, select ${dim}`,
  wishList: 'Wish List',
  addToCart: 'Add to Cart',
  seeAllBuyingOptions: 'See all buying options',
  priceDropped: (pct) => `Price dropped ${pct}%`,
  wasPrice: 'was',
  itemAdded: (date) => `Item added ${date}`,
  byline: (brand) => `by ${brand}`,
};

const de: LayoutText = {
  youSave: 'Sie sparen:',
  sale: 'Angebot:',
  dealOfTheDay: 'Angebot des Tages:',
  limitedTimeDeal: 'Zeitlich begrenztes Angebot',
  endsIn: 'Endet in',
  claimed: (pct) => `${pct}% in Anspruch genommen`,
  freeShipping: 'Kostenlose Lieferung ab 29,00',
  newFrom: (n) => `${n}\u00a0neu`,
  usedFrom: (n) => `${n}\u00a0gebraucht`,
  from: 'ab',
  kindlePrice: 'Kindle-Preis:',
  kindleEdition: 'Kindle Ausgabe',
  printListPrice: 'Print-Listenpreis:',
  priceSetBySeller: 'Der Verkaufspreis wurde vom Verlag festgesetzt.',
  buyWithOneClick: 'Jetzt kaufen mit 1-Click',
  deliverToKindle: 'An Ihre Kindle-Bibliothek senden',
  readForFree: 'Kostenlos lesen',
  kindleUnlimitedPitch: 'Lesen Sie diesen Titel und Millionen weitere mit Kindle Unlimited.',
  withTrial: 'im Probeabo',
  availableInstantly: 'Sofort verfügbar',
  formats: {
    kindle: 'Kindle',
    audiobook: 'Hörbuch',
    hardcover: 'Gebundenes Buch',
    paperback: 'Taschenbuch',
  },
  seriesTotal: (n) => `Alle ${n} Bände dieser Reihe kaufen`,
  totalPrice: 'Gesamtpreis:',
  notForSale: 'Dieser Titel ist derzeit nicht erhältlich',
  sizeName: 'Größe',
  select: 'Auswählen',
  toBuySelect: (dim) => `Zum Kaufen ${dim} auswählen`,
  wishList: 'Wunschzettel',
  addToCart: 'In den Einkaufswagen',
  seeAllBuyingOptions: 'Alle Kaufoptionen anzeigen',
  priceDropped: (pct) => `Preis um ${pct}% gesunken`,
  wasPrice: 'vorher',
  itemAdded: (date) => `Artikel hinzugefügt am ${date}`,
  byline: (brand) => `von ${brand}`,
};

const ja: LayoutText = {
  youSave: 'OFF:',
  sale: 'セール価格:',
  dealOfTheDay: '特選タイムセール:',
  limitedTimeDeal: 'タイムセール',
  endsIn: '終了まで',
  claimed: (pct) => `${pct}%が購入済み`,
  freeShipping: '通常配送無料',
  newFrom: (n) => `新品の出品：${n}`,
  usedFrom: (n) => `中古品の出品：${n}`,
  from: '',
  kindlePrice: 'Kindle 価格:',
  kindleEdition: 'Kindle版',
  printListPrice: '紙の本の価格:',
  priceSetBySeller: '価格は出版社が設定しています。',
  buyWithOneClick: '1-Clickで今すぐ買う',
  deliverToKindle: 'Kindleライブラリに配信',
  readForFree: '読み放題で読む',
  kindleUnlimitedPitch: 'Kindle Unlimitedでこの本と数百万冊が読み放題。',
  withTrial: '無料体験で',
  availableInstantly: '今すぐお読みいただけます',
  formats: {
    kindle: 'Kindle版',
    audiobook: 'オーディオブック',
    hardcover: '単行本',
    paperback: '文庫',
  },
  seriesTotal: (n) => `シリーズ${n}冊をまとめて購入`,
  totalPrice: '合計:',
  notForSale: 'このタイトルは現在お取り扱いできません',
  sizeName: 'サイズ',
  select: '選択',
  toBuySelect: (dim) => `購入するには${dim}を選択してください`,
  wishList: 'ほしい物リスト',
  addToCart: 'カートに入れる',
  seeAllBuyingOptions: 'すべての出品を見る',
  priceDropped: (pct) => `価格が${pct}%下がりました`,
  wasPrice: '以前の価格',
  itemAdded: (date) => `追加日 ${date}`,
  byline: (brand) => `${brand}`,
};

export function layoutText(mp: DemoMarketplace): LayoutText {
  return mp.language === 'de' ? de : mp.language === 'ja' ? ja : en;
}
