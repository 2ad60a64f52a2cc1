/**
 * Synthetic data at scale for benchmarks (`pricehawk seed`): users, products with realistic
 * titles on Amazon's marketplaces, a price history per product, and watches, written with
 * set-based SQL (generate_series in batches), never a row per round trip.
 *
 * Everything is a pure function of (seed, row number), so two runs with the same options produce
 * the same catalogue. Seeded products are not due for checks (their ASINs do not exist): pass
 * `due: true` for products the checker should pick up.
 */
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import type { Pool, PoolClient } from './db/pool.js';

export interface SeedOptions {
  readonly products: number;
  readonly watches: number;
  readonly users: number;
  /** Days of price history per product, ending now. 0: only the current price. */
  readonly historyDays: number;
  readonly seed: number;
  /** Price changes per product over `historyDays` (default: one a week, at least one). */
  readonly changesPerProduct?: number;
  /** Marketplaces to spread products over (default: every Amazon marketplace, .com weighted). */
  readonly marketplaces?: readonly string[];
  /** Rows per statement (default 50,000). */
  readonly batchSize?: number;
  /** Products due for a check now instead of in ten years. */
  readonly due?: boolean;
  readonly now?: Date;
  /** The password of every seeded user (default "seed-password"); hashed once. */
  readonly password?: string;
  readonly onProgress?: (p: SeedProgress) => void;
}

export type SeedPhase = 'users' | 'products' | 'history' | 'watches' | 'search' | 'analyze';

export interface SeedProgress {
  readonly phase: SeedPhase;
  readonly done: number;
  readonly total: number;
}

export interface SeedReport {
  readonly users: number;
  readonly products: number;
  readonly pricePoints: number;
  readonly watches: number;
  /** Product ids of this run: (firstProductId, lastProductId], as `catalog_search_rebuild` takes. */
  readonly afterProductId: number;
  readonly lastProductId: number;
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<SeedPhase, number>>;
}

export const SEED_PASSWORD = 'seed-password';

export const SEED_USAGE = `usage: pricehawk seed [--products N] [--users N] [--watches N] [--history-days N]
                      [--changes N] [--seed N] [--due]
  defaults: 100000 products, 10000 users, 100000 watches, 365 days of history, a change a week`;

/** The options of `pricehawk seed` from its arguments, or a usage message. */
export function parseSeedArgs(args: readonly string[]): Omit<SeedOptions, 'onProgress'> | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        products: { type: 'string', default: '100000' },
        users: { type: 'string', default: '10000' },
        watches: { type: 'string', default: '100000' },
        'history-days': { type: 'string', default: '365' },
        changes: { type: 'string' },
        seed: { type: 'string', default: '1' },
        due: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    return `${(err as Error).message}\n${SEED_USAGE}`;
  }
  const num = (name: string, v: string | undefined, max: number): number | string => {
    const n = Number(v?.replace(/_/g, ''));
    return Number.isSafeInteger(n) && n >= 0 && n <= max
      ? n
      : `--${name} takes a whole number from 0 to ${max}\n${SEED_USAGE}`;
  };
  const out = {
    products: num('products', values.products, 100_000_000),
    users: num('users', values.users, 100_000_000),
    watches: num('watches', values.watches, 1_000_000_000),
    historyDays: num('history-days', values['history-days'], 3650),
    seed: num('seed', values.seed, 1_000_000),
    changesPerProduct:
      values.changes === undefined ? undefined : num('changes', values.changes, 4000),
  };
  for (const v of Object.values(out)) if (typeof v === 'string') return v;
  return { ...(out as Omit<SeedOptions, 'onProgress' | 'due'>), due: values.due };
}

// Amazon marketplace → [currency, minor units per 1,000 US cents]. .com appears three times so
// that about a third of the catalogue is American, as in real traffic.
const MARKET_TABLE: Readonly<Record<string, readonly [string, number]>> = {
  'amazon.com': ['USD', 1000],
  'amazon.ca': ['CAD', 1350],
  'amazon.com.mx': ['MXN', 17000],
  'amazon.com.br': ['BRL', 5000],
  'amazon.co.uk': ['GBP', 800],
  'amazon.de': ['EUR', 920],
  'amazon.fr': ['EUR', 920],
  'amazon.it': ['EUR', 920],
  'amazon.es': ['EUR', 920],
  'amazon.nl': ['EUR', 920],
  'amazon.se': ['SEK', 10500],
  'amazon.pl': ['PLN', 4000],
  'amazon.com.tr': ['TRY', 32000],
  'amazon.ae': ['AED', 3670],
  'amazon.sa': ['SAR', 3750],
  'amazon.in': ['INR', 83000],
  'amazon.co.jp': ['JPY', 150],
  'amazon.com.au': ['AUD', 1500],
  'amazon.sg': ['SGD', 1350],
  'amazon.eg': ['EGP', 48000],
  'amazon.com.be': ['EUR', 920],
};
const DEFAULT_MARKETS = ['amazon.com', 'amazon.com', ...Object.keys(MARKET_TABLE)];

/** Title words (exported for benchmarks that build realistic queries). */
// prettier-ignore
const BRANDS = [
  'Anker', 'Sony', 'Bose', 'Logitech', 'Samsung', 'Philips', 'Braun', 'Bosch', 'Makita', 'DeWalt',
  'Lego', 'Hasbro', 'Nike', 'Adidas', 'Levi', 'Columbia', 'Osprey', 'Coleman', 'Weber', 'Lodge',
  'Tefal', 'Zwilling', 'Brita', 'Dyson', 'iRobot', 'Eufy', 'Ring', 'Kindle', 'Garmin', 'Fitbit',
  'Canon', 'Nikon', 'Fujifilm', 'SanDisk', 'Kingston', 'Crucial', 'Corsair', 'Razer', 'HyperX',
  'JBL', 'Sennheiser', 'Audio-Technica', 'Panasonic', 'Sharp', 'Xiaomi', 'Lenovo', 'Asus', 'Acer',
  'Belkin', 'Ugreen', 'Baseus', 'Amazon Basics', 'Voltrex', 'Auralis', 'Nexacore', 'Lumora',
  'Quantix', 'Sonique', 'Brightwave', 'Kitchenaid', 'Cuisinart', 'Ninja', 'Instant Pot', 'Oral-B',
];
// prettier-ignore
const ADJECTIVES = [
  'Wireless', 'Portable', 'Compact', 'Professional', 'Ergonomic', 'Waterproof', 'Rechargeable',
  'Stainless Steel', 'Ultra-Slim', 'Heavy Duty', 'Foldable', 'Adjustable', 'Smart', 'Digital',
  'Premium', 'Lightweight', 'Cordless', 'Magnetic', 'Bluetooth', 'Noise Cancelling', 'Organic',
  'Vintage', 'Classic', 'Mini', 'Large', 'Extra Large', 'Non-Stick', 'Insulated', 'Solar',
  'Quick-Dry', 'Anti-Slip', 'Hypoallergenic', 'Eco-Friendly', 'Kids', 'Outdoor', 'Indoor',
];
// prettier-ignore
const NOUNS = [
  'Headphones', 'Earbuds', 'Speaker', 'Soundbar', 'Keyboard', 'Mouse', 'Monitor', 'Webcam',
  'Microphone', 'Charger', 'Power Bank', 'USB-C Hub', 'HDMI Cable', 'SSD', 'Memory Card', 'Router',
  'Smart Watch', 'Fitness Tracker', 'Tablet', 'E-Reader', 'Camera', 'Tripod', 'Drone',
  'Vacuum Cleaner', 'Air Purifier', 'Humidifier', 'Fan', 'Heater', 'Desk Lamp', 'LED Strip',
  'Coffee Maker', 'Espresso Machine', 'Kettle', 'Toaster', 'Blender', 'Air Fryer',
  'Pressure Cooker', 'Frying Pan', 'Saucepan', 'Knife Set', 'Cutting Board', 'Water Bottle',
  'Travel Mug', 'Lunch Box', 'Backpack', 'Suitcase', 'Duffel Bag', 'Wallet', 'Sunglasses', 'Watch',
  'Running Shoes', 'Hiking Boots', 'Rain Jacket', 'Hoodie', 'T-Shirt', 'Jeans', 'Socks', 'Yoga Mat',
  'Dumbbells', 'Resistance Bands', 'Jump Rope', 'Bike Light', 'Helmet', 'Tent', 'Sleeping Bag',
  'Camping Chair', 'Lantern', 'Cooler', 'Grill', 'Garden Hose', 'Drill', 'Screwdriver Set',
  'Tool Box', 'Tape Measure', 'Laser Level', 'Work Gloves', 'Toothbrush', 'Shaver', 'Hair Dryer',
  'Straightener', 'Trimmer', 'Scale', 'Thermometer', 'Blood Pressure Monitor', 'Pillow',
  'Mattress Topper', 'Duvet', 'Towel Set', 'Shower Head', 'Door Lock', 'Doorbell',
  'Security Camera', 'Baby Monitor', 'Stroller', 'Car Seat', 'Building Set', 'Board Game', 'Puzzle',
  'Action Figure', 'Plush Toy', 'Dog Bed', 'Cat Tree', 'Pet Feeder', 'Aquarium Filter', 'Notebook',
  'Fountain Pen', 'Desk Organizer', 'Office Chair', 'Standing Desk', 'Bookshelf', 'Phone Case',
  'Screen Protector', 'Car Mount', 'Dash Cam',
];
// prettier-ignore
const SPECS = [
  '2-Pack', '3-Pack', '4-Pack', '10 ft', '6 ft', '1 TB', '512 GB', '256 GB', '128 GB', '64 GB',
  '20000mAh', '10000mAh', '65W', '100W', '4K', '1080p', '1.5 L', '5 L', '750 ml', '32 oz', 'Size M',
  'Size L', 'Size 10', 'Queen', 'King', '12 inch', '24 inch', '27 inch', 'Gen 2', '2024',
];
// prettier-ignore
const COLOURS = [
  'Black', 'White', 'Silver', 'Graphite', 'Navy Blue', 'Forest Green', 'Red', 'Sand', 'Rose Gold',
  'Space Grey', 'Midnight', 'Charcoal', 'Beige', 'Olive', 'Teal', 'Burgundy', 'Yellow', 'Orange',
];

export const SEED_WORDS = {
  brands: BRANDS,
  adjectives: ADJECTIVES,
  nouns: NOUNS,
  specs: SPECS,
  colours: COLOURS,
} as const;

const DAY_MS = 86_400_000;

/** SQL helpers local to the seeding session (pg_temp): deterministic draws from (seed, n). */
const TEMP_FUNCTIONS = `
create function pg_temp.h(n bigint, salt bigint) returns bigint
  language sql immutable return abs(hashint8extended(n, salt) % 1000000007);
create function pg_temp.pick(arr text[], n bigint, salt bigint) returns text
  language sql immutable return arr[1 + pg_temp.h(n, salt) % cardinality(arr)];
-- Regular price in US cents: mostly 5-100 dollars, a long tail to 2,000.
create function pg_temp.usd_cents(n bigint, seed bigint) returns bigint
  language sql immutable return case
    when pg_temp.h(n, seed * 31 + 7) % 10 < 8 then 499 + pg_temp.h(n, seed * 31 + 8) % 9500
    else 2999 + pg_temp.h(n, seed * 31 + 9) % 197000 end;
-- Watchers of product n: heavy-tailed like real popularity (Pareto, alpha 1.5: most products have
-- none or one, a few thousands), mean avg, rounded stochastically so the total is about
-- avg x products; at most the number of users.
create function pg_temp.watchers(n bigint, seed bigint, avg float8, users bigint) returns int
  language sql immutable return least(users, floor(
    avg * 0.5 * (power((pg_temp.h(n, seed * 31 + 23) + 1) / 1000000008.0, -2.0 / 3) - 1)
    + pg_temp.h(n, seed * 31 + 24) / 1000000007.0))::int;
-- The price of change j (0 = oldest) of product n: 70-105% of the regular price, in minor units.
-- The percentage walks by 1-34 points mod 36 per change, so two changes in a row never repeat a
-- price; about 2% of changes are "unavailable" (null), never the last one.
create function pg_temp.level(n bigint, j bigint, last bigint, seed bigint, mult bigint)
  returns bigint language sql immutable return case
    when j < last and pg_temp.h(n * 4096 + j, seed * 31 + 11) % 50 = 0 then null
    else greatest(1, pg_temp.usd_cents(n, seed) * mult / 1000
                     * (70 + (pg_temp.h(n, seed * 31 + 12) + j * (5 + pg_temp.h(n, seed * 31 + 21) % 26)
                              + pg_temp.h(n * 4096 + j, seed * 31 + 22) % 5) % 36) / 100) end;
`;

export async function seedCatalog(pool: Pool, opts: SeedOptions): Promise<SeedReport> {
  const batch = Math.max(1000, opts.batchSize ?? 50_000);
  const now = opts.now ?? new Date();
  const markets = opts.marketplaces ?? DEFAULT_MARKETS;
  for (const m of markets) {
    if (!MARKET_TABLE[m]) throw new RangeError(`no currency known for marketplace ${m}`);
  }
  const currencies = markets.map((m) => (MARKET_TABLE[m] as readonly [string, number])[0]);
  const mults = markets.map((m) => (MARKET_TABLE[m] as readonly [string, number])[1]);
  const changes =
    opts.historyDays <= 0
      ? 1
      : Math.max(1, opts.changesPerProduct ?? Math.ceil(opts.historyDays / 7));
  const timings: Record<SeedPhase, number> = {
    users: 0,
    products: 0,
    history: 0,
    watches: 0,
    search: 0,
    analyze: 0,
  };
  const progress = (phase: SeedPhase, done: number, total: number) =>
    opts.onProgress?.({ phase, done, total });
  const seed = opts.seed;

  const client = await pool.connect();
  try {
    await client.query(TEMP_FUNCTIONS);
    // Triggers keep product_search in step row by row; a bulk load rebuilds it set-wise at the end.
    await client.query(`set pricehawk.search_sync = 'off'`);

    // Users
    let t = Date.now();
    const passwordHash = await argon2.hash(opts.password ?? SEED_PASSWORD, {
      type: argon2.argon2id,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    const firstUser = await maxId(client, 'users');
    let users = 0;
    for (let from = 0; from < opts.users; from += batch) {
      const to = Math.min(opts.users, from + batch) - 1;
      const res = await client.query(
        `insert into users (email, name, password_hash, email_verified_at, created_at, updated_at)
         select 'seed' || $3::bigint || '-' || g || '@example.invalid', 'Seed user ' || g, $4, $5, $5, $5
           from generate_series($1::bigint, $2::bigint) g
         on conflict do nothing`,
        [from, to, seed, passwordHash, now],
      );
      users += res.rowCount ?? 0;
      progress('users', to + 1, opts.users);
    }
    timings.users = Date.now() - t;
    const userCount = (await maxId(client, 'users')) - firstUser;

    // Products, with their current price (the last change of their history).
    t = Date.now();
    const afterProductId = await maxId(client, 'products');
    let products = 0;
    const nextCheck = opts.due ? now : new Date(now.getTime() + 3650 * DAY_MS);
    for (let from = 0; from < opts.products; from += batch) {
      const to = Math.min(opts.products, from + batch) - 1;
      const res = await client.query(
        `insert into products (store, marketplace, external_id, url, title, image_url, currency,
            price_buybox, availability, state, last_outcome, last_checked_at, last_success_at,
            last_changed_at, next_check_at, created_at, watcher_count, last_watched_at)
         select 'amazon', m.mp, a.asin, 'https://www.' || m.mp || '/dp/' || a.asin, t.title,
                'https://m.media-amazon.com/images/I/' || a.asin || '.jpg', m.cur, pr.price,
                case when pr.price is null then 'out_of_stock' else 'in_stock' end, 'active', 'ok',
                $4::timestamptz, $4::timestamptz, $4::timestamptz, $5::timestamptz,
                $4::timestamptz - make_interval(days => $6::int), w.n,
                case when w.n > 0 then $4::timestamptz end
           from generate_series($1::bigint, $2::bigint) g
           cross join lateral (select pg_temp.watchers(g, $3, $16, $17) as n) w
           cross join lateral (select 1 + pg_temp.h(g, $3 * 31 + 1) % cardinality($7::text[]) as k) mk
           cross join lateral (select ($7::text[])[mk.k] as mp, ($8::text[])[mk.k] as cur,
                                      ($9::bigint[])[mk.k] as mult) m
           cross join lateral (select 'B0' || lpad(upper(to_hex((g * 2654435761 + $3) % 4294967296)), 8, '0') as asin) a
           cross join lateral (select pg_temp.level(g, $10 - 1, $10 - 1, $3, m.mult) as price) pr
           cross join lateral (select
               pg_temp.pick($11, g, $3 * 31 + 2) || ' ' ||
               case when pg_temp.h(g, $3 * 31 + 3) % 3 > 0 then pg_temp.pick($12, g, $3 * 31 + 4) || ' ' else '' end ||
               pg_temp.pick($13, g, $3 * 31 + 5) ||
               ' ' || upper(substr(md5(g::text || $3), 1, 2)) || '-' || (100 + pg_temp.h(g, $3 * 31 + 6) % 9900) ||
               case when pg_temp.h(g, $3 * 31 + 13) % 2 = 0 then ', ' || pg_temp.pick($14, g, $3 * 31 + 14) else '' end ||
               case when pg_temp.h(g, $3 * 31 + 15) % 4 > 0 then ', ' || pg_temp.pick($15, g, $3 * 31 + 16) else '' end
             as title) t
         on conflict (marketplace, external_id) do nothing`,
        [
          from,
          to,
          seed,
          now,
          nextCheck,
          Math.max(opts.historyDays, 1),
          markets,
          currencies,
          mults,
          changes,
          BRANDS,
          ADJECTIVES,
          NOUNS,
          SPECS,
          COLOURS,
          opts.products > 0 ? opts.watches / opts.products : 0,
          userCount,
        ],
      );
      products += res.rowCount ?? 0;
      progress('products', to + 1, opts.products);
    }
    const lastProductId = await maxId(client, 'products');
    timings.products = Date.now() - t;

    // Price history: `changes` points per product spread over the history window, the last one
    // being the current price, each with the amount before it (as the insert trigger finds it). Past months get their own partitions, as the sweeper makes ahead.
    t = Date.now();
    let pricePoints = 0;
    if (opts.historyDays > 0) {
      await ensurePastPartitions(client, new Date(now.getTime() - opts.historyDays * DAY_MS), now);
    }
    const spanMs = Math.max(opts.historyDays, 0) * DAY_MS;
    // Points of the last two days go in last and in time order, as live checks append them: the
    // BRIN index on observed_at then finds "the last 24 hours" in the tail of the partition.
    const recentCut = new Date(now.getTime() - 2 * DAY_MS);
    const historySql = (where: string, order: string) =>
      `insert into price_points (product_id, price_type, observed_at, amount, currency,
          previous_amount)
       select product_id, 'buybox', at, amount, currency, previous from (
         select p.id as product_id, p.currency,
                -- Change j at a random moment of the j-th of $5 equal slices of the span.
                $3::timestamptz - make_interval(secs => ($4::numeric
                  - ($4::numeric * j
                     + $4::numeric * pg_temp.h(n * 4096 + j, $6 * 31 + 17) / 1000000007) / $5)
                  / 1000) as at,
                pg_temp.level(n, j, $5 - 1, $6, m.mult) as amount,
                case when j > 0 then pg_temp.level(n, j - 1, $5 - 1, $6, m.mult) end as previous
           from products p
           cross join lateral (select p.id - $7::bigint - 1 as n) r
           cross join lateral (select ($9::bigint[])[array_position($8::text[], p.marketplace)] as mult) m
           -- Lateral on p: one product's changes after another, so the primary key grows in
           -- order (j outermost would insert all over the index, 4x slower).
           cross join lateral generate_series(0 * p.id, $5 - 1) j
          where p.id between $1 and $2) x
        where ${where} ${order}
       on conflict do nothing`;
    const historyParams = (from: number, to: number) => [
      from,
      to,
      now,
      Math.max(spanMs, 1000),
      changes,
      seed,
      afterProductId,
      markets,
      mults,
      recentCut,
    ];
    const idBatch = Math.max(1, Math.floor(batch / changes));
    for (let from = afterProductId + 1; from <= lastProductId; from += idBatch) {
      const to = Math.min(lastProductId, from + idBatch - 1);
      // Row number n of a product is id - afterProductId - 1 (ids are handed out in order).
      const res = await client.query(
        historySql('at < $10', 'order by at'),
        historyParams(from, to),
      );
      pricePoints += res.rowCount ?? 0;
      progress('history', to - afterProductId, lastProductId - afterProductId);
    }
    const recent = await client.query(
      historySql('at >= $10', 'order by at'),
      historyParams(afterProductId + 1, lastProductId),
    );
    pricePoints += recent.rowCount ?? 0;
    timings.history = Date.now() - t;

    // Watches: product n has the watcher count drawn above; its watch j belongs to user
    // (h(n) + j × stride) mod U, all distinct for one product since the stride is prime to U.
    t = Date.now();
    let watches = 0;
    if (userCount > 0) {
      const stride = userCount % 1_000_003 === 0 ? 999_983 : 1_000_003;
      const perBatch = Math.max(
        1,
        Math.floor(batch / Math.max(1, opts.watches / Math.max(1, opts.products))),
      );
      for (let from = afterProductId + 1; from <= lastProductId; from += perBatch) {
        const to = Math.min(lastProductId, from + perBatch - 1);
        const res = await client.query(
          `insert into watches (user_id, product_id, price_type, rule_type, target_minor,
              drop_percent, baseline_minor, currency, last_seen_minor, created_at, updated_at)
           select $4::bigint + 1 + (pg_temp.h(n, $3 * 31 + 18) + j * $6::bigint) % $5, p.id,
                  'buybox', r.rule,
                  case when r.rule = 'below' then greatest(1, p.price_buybox * 9 / 10) end,
                  case when r.rule = 'drop_percent' then 10 + 5 * (pg_temp.h(n * 65536 + j, $3 * 31 + 19) % 4) end,
                  case when r.rule = 'drop_percent' then p.price_buybox end,
                  p.currency, p.price_buybox, $7, $7
             from products p
             cross join lateral (select p.id - $8::bigint - 1 as n) x
             cross join lateral generate_series(0, p.watcher_count - 1) j
             cross join lateral (select case when p.price_buybox is null then 'any_drop'
                                  else (array['below', 'below', 'drop_percent', 'any_drop'])[1 + pg_temp.h(n * 65536 + j, $3 * 31 + 20) % 4]
                                  end as rule) r
            where p.id between $1 and $2
           on conflict do nothing`,
          [from, to, seed, firstUser, userCount, stride, now, afterProductId],
        );
        watches += res.rowCount ?? 0;
        progress('watches', to - afterProductId, lastProductId - afterProductId);
      }
    }
    timings.watches = Date.now() - t;

    // Search rows and words, set-wise, in batches.
    t = Date.now();
    for (let from = afterProductId; from < lastProductId; from += batch) {
      const to = Math.min(lastProductId, from + batch);
      await client.query(
        `insert into product_search (product_id, marketplace, document, watchers)
         select id, marketplace, catalog_document(title), watcher_count
           from products where id > $1 and id <= $2 and title is not null
         on conflict (product_id) do update
           set marketplace = excluded.marketplace, document = excluded.document,
               watchers = excluded.watchers`,
        [from, to],
      );
      await client.query(
        `insert into search_words (word)
         select distinct w from product_search s, catalog_words(s.document) w
          where s.product_id > $1 and s.product_id <= $2
         on conflict do nothing`,
        [from, to],
      );
      progress('search', to - afterProductId, lastProductId - afterProductId);
    }
    timings.search = Date.now() - t;

    t = Date.now();
    for (const table of [
      'users',
      'products',
      'price_points',
      'watches',
      'product_search',
      'search_words',
    ]) {
      // Vacuum too, as autovacuum would soon after a bulk load: index-only scans (the search's
      // popularity walk) need the visibility map, or they visit the table after all.
      await client.query(`vacuum (analyze) ${table}`);
    }
    progress('analyze', 1, 1);
    timings.analyze = Date.now() - t;

    return {
      users,
      products,
      pricePoints,
      watches,
      afterProductId,
      lastProductId,
      timings,
    };
  } finally {
    await client.query('reset pricehawk.search_sync').catch(() => undefined);
    await client.query('discard temp').catch(() => undefined);
    client.release();
  }
}

async function maxId(client: PoolClient, table: 'users' | 'products'): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `select coalesce(max(id), 0)::bigint as id from ${table}`,
  );
  return rows[0]?.id ?? 0;
}

/**
 * Monthly partitions of price_points for the months of [from, to], named as the sweeper names
 * them. A month whose rows already sit in the default partition is left there.
 */
async function ensurePastPartitions(client: PoolClient, from: Date, to: Date): Promise<void> {
  for (
    let y = from.getUTCFullYear(), m = from.getUTCMonth();
    y < to.getUTCFullYear() || (y === to.getUTCFullYear() && m <= to.getUTCMonth());
    m === 11 ? ((y += 1), (m = 0)) : (m += 1)
  ) {
    const start = new Date(Date.UTC(y, m, 1));
    const end = new Date(Date.UTC(y, m + 1, 1));
    const name = `price_points_${y}_${String(m + 1).padStart(2, '0')}`;
    const exists = await client.query('select 1 from pg_class where relname = $1', [name]);
    if (exists.rowCount) continue;
    try {
      await client.query(
        `create table ${name} partition of price_points
           for values from ('${start.toISOString()}') to ('${end.toISOString()}')`,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== '42P07' && code !== '23514') throw err;
    }
  }
}
