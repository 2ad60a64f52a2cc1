/**
 * Word lists the catalogue draws titles from. Brands are invented; nouns and colours carry German
 * and Japanese forms so that demo.de and demo.co.jp pages read like their real counterparts
 * (non-ASCII titles are part of what the extractor must get right). A few entries hold `&` or `"`
 * on purpose: titles must survive HTML escaping.
 */

export type Lang = 'en' | 'de' | 'ja';
export type Translated = readonly [en: string, de: string, ja: string];

export interface CategoryWords {
  readonly key: string;
  readonly names: Translated;
  /** Tile colour of the generated product images. */
  readonly colour: string;
  readonly icon: 'circle' | 'square' | 'book' | 'star' | 'bolt' | 'drop' | 'cup' | 'wrench';
  /** Plausible range of the regular price in US cents; other currencies convert from it. */
  readonly priceUsdCents: readonly [number, number];
  readonly brands: readonly string[];
  readonly nouns: readonly Translated[];
  readonly qualifiers: readonly string[];
  readonly specs: readonly string[];
  readonly bullets: readonly string[];
  /** Shown with a Subscribe & Save price (a decoy next to the real one). */
  readonly subscribable: boolean;
  readonly kind: 'goods' | 'book';
}

export const COLOURS: readonly Translated[] = [
  ['Black', 'Schwarz', 'ブラック'],
  ['White', 'Weiß', 'ホワイト'],
  ['Silver', 'Silber', 'シルバー'],
  ['Graphite', 'Graphit', 'グラファイト'],
  ['Navy Blue', 'Marineblau', 'ネイビー'],
  ['Forest Green', 'Waldgrün', 'フォレストグリーン'],
  ['Red', 'Rot', 'レッド'],
  ['Sand', 'Sand', 'サンド'],
];

export const CATEGORIES: readonly CategoryWords[] = [
  {
    key: 'electronics',
    names: ['Electronics', 'Elektronik & Foto', '家電&カメラ'],
    colour: '#2d6cdf',
    icon: 'bolt',
    priceUsdCents: [1299, 49999],
    brands: ['Voltrex', 'Auralis', 'Nexacore', 'Lumora', 'Quantix', 'Sonique', 'Brightwave'],
    nouns: [
      ['Wireless Earbuds', 'Kabellose Kopfhörer', 'ワイヤレスイヤホン'],
      ['Bluetooth Speaker', 'Bluetooth Lautsprecher', 'Bluetoothスピーカー'],
      ['USB-C Hub', 'USB-C Hub', 'USB-Cハブ'],
      ['4K Webcam', '4K Webcam', '4Kウェブカメラ'],
      ['Mechanical Keyboard', 'Mechanische Tastatur', 'メカニカルキーボード'],
      ['Portable Charger', 'Powerbank', 'モバイルバッテリー'],
      ['Smart Watch', 'Smartwatch', 'スマートウォッチ'],
      [
        'Noise Cancelling Headphones',
        'Noise-Cancelling-Kopfhörer',
        'ノイズキャンセリングヘッドホン',
      ],
    ],
    qualifiers: ['Pro', 'Ultra', 'Mini', 'Max', 'Air', 'Lite', 'Plus', '2nd Gen'],
    specs: [
      '40h Playtime',
      '10000mAh',
      '7-in-1',
      '1080p 60fps',
      'IPX7 Waterproof',
      '65W Fast Charging',
      'Bluetooth 5.3',
      '12" Cable',
    ],
    bullets: [
      'Pairs in seconds and reconnects automatically to the last device you used.',
      'A battery that lasts the whole working week on a single charge, with a quick top-up mode.',
      'Aluminium housing that stays cool under load and survives everyday knocks.',
      'Works with Windows, macOS, Linux, Android and iOS without extra drivers.',
      'Two-year warranty and friendly support from a team that answers within a day.',
    ],
    subscribable: false,
    kind: 'goods',
  },
  {
    key: 'kitchen',
    names: ['Home & Kitchen', 'Küche, Haushalt & Wohnen', 'ホーム&キッチン'],
    colour: '#e07b39',
    icon: 'cup',
    priceUsdCents: [899, 29999],
    brands: ['Cucina Verde', 'Hearthwell', 'Ferro & Salt', 'Kitchora', 'Brewmont', 'Panlo'],
    nouns: [
      ['Electric Kettle', 'Wasserkocher', '電気ケトル'],
      ['Digital Kitchen Scale', 'Digitale Küchenwaage', 'デジタルキッチンスケール'],
      ['Juicer', 'Entsafter', 'ジューサー'],
      ['Cast Iron Skillet', 'Gusseisenpfanne', '鋳鉄スキレット'],
      ['Chef Knife', 'Kochmesser', '牛刀包丁'],
      ['Salt & Pepper Grinder Set', 'Salz- und Pfeffermühlen-Set', 'ソルト&ペッパーミル'],
      ['Coffee Grinder', 'Kaffeemühle', 'コーヒーグラインダー'],
      ['Air Fryer', 'Heißluftfritteuse', 'ノンフライヤー'],
    ],
    qualifiers: ['Stainless Steel', 'Compact', 'Professional', 'Classic', 'Family Size', 'Slim'],
    specs: ['1.7 L', '5 kg / 1 g', '500 W', '28 cm', '8"', 'Dishwasher Safe', 'BPA Free', '2 Pack'],
    bullets: [
      'Food-safe materials throughout; every part that touches food comes off for cleaning.',
      'Heats evenly and quickly, so breakfast is ready before the coffee is.',
      'Non-slip feet and a cool-touch handle for safe use on any worktop.',
      'Measures in grams, ounces, millilitres and fluid ounces with a tare function.',
      'Designed in a small workshop and tested in real family kitchens for a year.',
    ],
    subscribable: true,
    kind: 'goods',
  },
  {
    key: 'books',
    names: ['Books', 'Bücher', '本'],
    colour: '#8a5a44',
    icon: 'book',
    priceUsdCents: [499, 4999],
    brands: [
      'Elena Marsh',
      'Tomasz Weber',
      'Hiro Tanabe',
      'Grace O\u2019Neill',
      'Priya Raman',
      'Jonas Berg',
    ],
    nouns: [
      ['Paperback', 'Taschenbuch', '単行本'],
      ['Hardcover', 'Gebundene Ausgabe', 'ハードカバー'],
      ['Paperback', 'Broschiert', '文庫'],
    ],
    qualifiers: [
      'The Quiet Harbour',
      'Salt and Stone',
      'A Field Guide to Small Things',
      'Lanterns over the River',
      'The Cartographer\u2019s Daughter',
      'Numbers Without Fear',
      'The Long Way North',
      'Bread, Butter & Time',
    ],
    specs: [
      'A Novel',
      'Stories',
      'A Practical Introduction',
      'Illustrated Edition',
      'Second Edition',
      'A Memoir',
    ],
    bullets: [
      'A story about the people who stay when everyone else leaves.',
      'Written with warmth and humour, and impossible to put down after the first chapter.',
      'Includes a reading guide and an interview with the author.',
      'Shortlisted for three prizes in its first year.',
    ],
    subscribable: false,
    kind: 'book',
  },
  {
    key: 'toys',
    names: ['Toys & Games', 'Spielzeug', 'おもちゃ'],
    colour: '#d9408f',
    icon: 'star',
    priceUsdCents: [699, 14999],
    brands: ['Playwell', 'Tinker Bay', 'Brickhaven', 'Jolly Fox', 'Nimbus Kids'],
    nouns: [
      ['Building Blocks Set', 'Bausteine-Set', 'ブロックセット'],
      ['Wooden Train Set', 'Holzeisenbahn', '木製トレインセット'],
      ['Board Game', 'Brettspiel', 'ボードゲーム'],
      ['Remote Control Car', 'Ferngesteuertes Auto', 'ラジコンカー'],
      ['Plush Bear', 'Plüschbär', 'ぬいぐるみ クマ'],
      ['Jigsaw Puzzle', 'Puzzle', 'ジグソーパズル'],
    ],
    qualifiers: ['Classic', 'Deluxe', 'Junior', 'Family', 'Adventure', 'Explorer'],
    specs: ['500 Pieces', 'Ages 3+', 'Ages 8+', '2-6 Players', '1000 Pieces', '12" Tall'],
    bullets: [
      'Made from sustainably sourced materials and non-toxic paints.',
      'Encourages creativity, problem solving and fine motor skills.',
      'Compatible with the other sets in the range, so the world keeps growing.',
      'Comes in a sturdy box that doubles as storage.',
    ],
    subscribable: false,
    kind: 'goods',
  },
  {
    key: 'tools',
    names: ['Tools & Home Improvement', 'Baumarkt', 'DIY・工具・ガーデン'],
    colour: '#5f7d3b',
    icon: 'wrench',
    priceUsdCents: [999, 39999],
    brands: ['Ironclad', 'Hi-Torq', 'Forgeline', 'Workhaus', 'Stanwick'],
    nouns: [
      ['Cordless Drill', 'Akku-Bohrschrauber', '充電式ドリルドライバー'],
      ['Tool Box Set', 'Werkzeugkoffer', '工具セット'],
      ['Laser Level', 'Laser-Wasserwaage', 'レーザー墨出し器'],
      ['Circular Saw', 'Handkreissäge', '丸のこ'],
      ['Socket Wrench Set', 'Steckschlüsselsatz', 'ソケットレンチセット'],
      ['Stud Finder', 'Ortungsgerät', '下地センサー'],
    ],
    qualifiers: ['Heavy Duty', 'Brushless', 'Compact', 'Professional', 'Home', 'Precision'],
    specs: ['18V', '82 Pieces', '1/2" Drive', '1200 W', 'with Case', '2 Batteries'],
    bullets: [
      'Brushless motor for more power and longer run time.',
      'Chrome vanadium steel, heat treated for strength.',
      'Everything in one case, each tool in its own moulded place.',
      'Ergonomic grip that stays comfortable through long jobs.',
    ],
    subscribable: false,
    kind: 'goods',
  },
  {
    key: 'home',
    names: ['Home', 'Wohnen', 'ホーム'],
    colour: '#3f9c9c',
    icon: 'square',
    priceUsdCents: [1199, 24999],
    brands: ['Nordloom', 'Casa Lumen', 'Woolbridge', 'Stillroom', 'Oakhurst'],
    nouns: [
      ['Throw Blanket', 'Kuscheldecke', 'ブランケット'],
      ['Wall Sconce', 'Wandleuchte', 'ウォールライト'],
      ['Memory Foam Pillow', 'Memory-Schaum-Kissen', '低反発枕'],
      ['Storage Baskets', 'Aufbewahrungskörbe', '収納バスケット'],
      ['Desk Lamp', 'Schreibtischlampe', 'デスクライト'],
      ['Blackout Curtains', 'Verdunkelungsvorhänge', '遮光カーテン'],
    ],
    qualifiers: ['Soft', 'Modern', 'Scandinavian', 'Dimmable', 'Set of 3', 'Oversized'],
    specs: ['150 x 200 cm', '60" x 80"', 'LED', 'Machine Washable', '2 Panels', 'Cotton'],
    bullets: [
      'Soft to the touch and keeps its shape wash after wash.',
      'A calm design that fits with any room.',
      'Ships in plastic-free packaging.',
      'Backed by a 100-night trial.',
    ],
    subscribable: false,
    kind: 'goods',
  },
  {
    key: 'sports',
    names: ['Sports & Outdoors', 'Sport & Freizeit', 'スポーツ&アウトドア'],
    colour: '#2f9e5a',
    icon: 'circle',
    priceUsdCents: [999, 19999],
    brands: ['Trailbound', 'Peakform', 'Riverstone', 'Velocita', 'Summit & Co.'],
    nouns: [
      ['Yoga Mat', 'Yogamatte', 'ヨガマット'],
      ['Water Bottle', 'Trinkflasche', 'ウォーターボトル'],
      ['Camping Lantern', 'Campinglaterne', 'キャンプランタン'],
      ['Resistance Bands', 'Widerstandsbänder', 'トレーニングチューブ'],
      ['Hiking Backpack', 'Wanderrucksack', '登山リュック'],
      ['Adjustable Dumbbells', 'Verstellbare Hanteln', '可変式ダンベル'],
    ],
    qualifiers: ['Ultralight', 'Insulated', 'Non-Slip', 'Foldable', 'Trail', 'Pro'],
    specs: ['6 mm', '750 ml', '40 L', 'Set of 5', '2 x 24 kg', 'USB Rechargeable'],
    bullets: [
      'Light enough to carry all day and tough enough for the mountains.',
      'Keeps drinks cold for 24 hours and hot for 12.',
      'Non-slip texture on both sides for a stable stance.',
      'Packs down small and comes with a carry bag.',
    ],
    subscribable: false,
    kind: 'goods',
  },
  {
    key: 'beauty',
    names: ['Beauty', 'Kosmetik', 'ビューティー'],
    colour: '#b05bd6',
    icon: 'drop',
    priceUsdCents: [499, 8999],
    brands: ['Lumiere Botanics', 'Sorell', 'Aqua Vera', 'Kindred Skin', 'Mira & Moss'],
    nouns: [
      ['Face Moisturiser', 'Gesichtscreme', 'フェイスクリーム'],
      ['Vitamin C Serum', 'Vitamin-C-Serum', 'ビタミンC美容液'],
      ['Shampoo', 'Shampoo', 'シャンプー'],
      ['Sunscreen SPF 50', 'Sonnencreme LSF 50', '日焼け止め SPF50'],
      ['Hand Cream', 'Handcreme', 'ハンドクリーム'],
    ],
    qualifiers: ['Hydrating', 'Gentle', 'Fragrance Free', 'Daily', 'Sensitive', 'Organic'],
    specs: ['50 ml', '30 ml', '250 ml', '2 Pack', '100 ml', 'Travel Size'],
    bullets: [
      'Dermatologically tested and suitable for sensitive skin.',
      'Absorbs quickly without leaving a greasy film.',
      'Vegan formula, never tested on animals.',
      'Recyclable bottle made from 80% recycled plastic.',
    ],
    subscribable: true,
    kind: 'goods',
  },
];

export const THIRD_PARTY_SELLERS: readonly string[] = [
  'Northgate Trading',
  'BlueRiver Goods',
  'Kaiser & Sohn GmbH',
  'Sakura Select',
  'Maple Direct',
  'Shreeji Retail',
  'Bright Outlet',
];

export const REVIEW_WORDS: readonly string[] = [
  'great',
  'value',
  'sturdy',
  'works',
  'exactly',
  'as',
  'described',
  'arrived',
  'quickly',
  'would',
  'buy',
  'again',
  'the',
  'quality',
  'is',
  'better',
  'than',
  'expected',
  'for',
  'price',
  'easy',
  'to',
  'use',
  'and',
  'clean',
  'my',
  'family',
  'loves',
  'it',
  'after',
  'three',
  'months',
  'still',
  'perfect',
  'a',
  'little',
  'smaller',
  'but',
  'fine',
];

export function tr(words: Translated, lang: Lang): string {
  return lang === 'de' ? words[1] : lang === 'ja' ? words[2] : words[0];
}
