/**
 * The catalogue through the web UI in a real Chromium, as a new user meets it (issue 6's "done
 * when"): search a word and get results from the local catalogue and the demo store, add one, see
 * its chart and statistics, set a drop_percent alert (then edit, pause and resume it), import five
 * URLs and a wishlist with a result per item, and download the watchlist as CSV. Then the public
 * Deals page shows the product after its price falls, and the alert shows as fired.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { listDemoProducts, setDemoPrice, type DemoProduct } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';

const CHROMIUM = '/usr/bin/chromium';
const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical-engine';

/** Waits for the element to show (and fails the test with Playwright's message if it does not). */
const visible = (l: Locator, timeout = 10_000) => l.waitFor({ state: 'visible', timeout });

interface Listed extends DemoProduct {
  readonly marketplace: string;
}

interface Wishlist {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly asins: readonly string[];
}

/** RFC 4180 records (quoted fields with doubled quotes, CRLF), without the byte-order mark. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('catalogue, history and watchlist in the web UI', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  /** Already in the catalogue before the user searches (another user added it). */
  let known: Listed;
  /** Found only on the demo store's search page; the user adds it. */
  let fresh: Listed;
  let word: string;
  let wishlist: Wishlist;
  /** Five more products to import by URL: in neither the wishlist nor the search above. */
  let five: Listed[];
  let freshId: number;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    db = await createTestDatabase();
    app = await startTestApp(db.url);
    const home = await request(app.url);
    if (!String(home.headers['content-type']).includes('text/html')) {
      throw new Error('the web UI is not built (ui/dist): run npm run build');
    }
    await home.body.dump();

    const lists = await request(`${app.demoStoreUrl}/_admin/wishlists?mp=com`);
    expect(lists.statusCode).toBe(200);
    const firstList = ((await lists.body.json()) as Wishlist[])[0];
    if (!firstList) throw new Error('the demo store has no demo.com wishlist');
    wishlist = firstList;

    // demo.com products in stock with a price, outside the wishlist, in the store's own order
    // (the order its search page lists them in).
    const usable = ((await listDemoProducts(app.demoStoreUrl)) as Listed[]).filter(
      (p) =>
        p.marketplace === 'demo.com' &&
        p.availability === 'in_stock' &&
        p.price !== null &&
        !wishlist.asins.includes(p.asin),
    );
    // A brand (a title's first word) that two of them share: one goes into the catalogue first,
    // the other is then found on the store's search page only.
    const pair = usable
      .map((p) => {
        const brand = p.title.split(' ')[0] ?? '';
        const other = usable.find((q) => q.asin !== p.asin && q.title.split(' ')[0] === brand);
        return other && /^[A-Za-z]{4,}$/.test(brand) ? { p, other, brand } : undefined;
      })
      .find((x) => x !== undefined);
    if (!pair) throw new Error('no two demo.com products share a brand');
    ({ p: known, other: fresh, brand: word } = pair);
    five = usable.filter((p) => !p.title.startsWith(word)).slice(0, 5);
    expect(five).toHaveLength(5);

    const seeder = new ApiClient(app.url);
    const signup = await seeder.post('/api/v1/auth/signup', {
      name: 'Seeder',
      email: 'seeder@example.com',
      password: 'seeding-the-catalogue',
    });
    expect(signup.status).toBe(201);
    const added = await seeder.post('/api/v1/products', { url: known.url });
    expect(added.status).toBe(201);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Playwright gives each launch a fresh temporary profile. Background networking would try
      // to reach Google's hosts from this closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ locale: 'en-US', acceptDownloads: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.drop();
  });

  it('signs up', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await visible(page.getByRole('button', { name: 'Log out' }));
  });

  it('searches a word from the header and gets the catalogue and the demo store', async () => {
    await page.getByLabel('Search products').fill(word);
    await page.getByLabel('Search products').press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await visible(page.getByRole('heading', { name: new RegExp(`results? for “${word}”`) }));

    // Narrow it to one marketplace with the filter.
    await page.getByLabel('Marketplace').selectOption('demo.com');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/marketplace=demo\.com/);
    await visible(page.getByRole('heading', { name: /on demo\.com/ }));
    await visible(page.getByText('Searched the catalogue and 1 store (demo.com).'));

    const results = page.getByRole('list').filter({ has: page.getByRole('listitem') });
    const inCatalogue = results.getByRole('listitem').filter({ hasText: known.title });
    await visible(inCatalogue.getByText('In catalogue'));
    await visible(inCatalogue.getByText(`$${known.price}`));
    await visible(inCatalogue.getByRole('link', { name: 'Watch' }));

    const storeOnly = results.getByRole('listitem').filter({ hasText: fresh.title });
    await visible(storeOnly.getByText('New to Pricehawk'));
    await visible(storeOnly.getByText(`$${fresh.price}`));
    expect(await storeOnly.locator(`img[src*="${fresh.asin}"]`).count()).toBe(1);

    // Every result of this search is on the filtered marketplace.
    const tags = await results.locator('.tag').allTextContents();
    expect(tags.length).toBeGreaterThan(1);
    expect(new Set(tags)).toEqual(new Set(['demo.com']));
  });

  it('adds a store result in one step and shows its chart and statistics', async () => {
    const storeOnly = page.getByRole('listitem').filter({ hasText: fresh.title });
    await storeOnly.getByRole('button', { name: 'Add' }).click();
    await page.waitForURL(/\/products\/\d+\?watch=1$/);
    freshId = Number(/\/products\/(\d+)/.exec(page.url())?.[1]);
    await visible(page.getByRole('heading', { name: fresh.title }));

    await visible(page.getByRole('figure', { name: /Price history chart in USD/ }));
    const stats = page.getByRole('region', { name: 'Price statistics, Buy box' });
    await visible(stats);
    await visible(stats.getByText(`$${fresh.price}`).first());
    // One price so far: lowest, average and highest are all today's, in every window.
    for (const period of ['30 days', '90 days', '1 year', 'All time']) {
      const row = stats.getByRole('row', { name: new RegExp(`^${period}`) });
      expect(await row.getByText(`$${fresh.price}`).count()).toBe(3);
    }
    await visible(stats.getByText(/Deal rating after five weeks of history/));

    // The range selector reloads the chart for that range.
    await page.getByRole('button', { name: '1 year' }).click();
    await visible(page.getByRole('button', { name: '1 year', pressed: true }));
    await visible(page.getByRole('figure', { name: /Price history chart/ }));

    // The feed and the embeddable chart are real, public documents.
    const feedHref = await page
      .getByRole('link', { name: 'Atom feed of price changes' })
      .getAttribute('href');
    expect(feedHref).toBe(`/feeds/products/${freshId}.xml`);
    const feed = await request(`${app.url}${feedHref}`);
    expect(feed.statusCode).toBe(200);
    expect(await feed.body.text()).toContain('<feed');
    const chartHref = await page
      .getByRole('link', { name: /Chart image \(SVG\)/ })
      .getAttribute('href');
    const chart = await request(`${app.url}${chartHref}`);
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toContain('image/svg+xml');
    await chart.body.dump();
  });

  it('sets a drop_percent alert, edits it, pauses and resumes it', async () => {
    await page.getByLabel('Drops by a percentage').check();
    await page.getByLabel('Drop percentage').fill('15');
    await page.getByRole('button', { name: 'Set alert' }).click();
    const alert = page.getByRole('listitem').filter({ hasText: 'Drops 15%' });
    await visible(alert.getByText(`Drops 15% from $${fresh.price}`));
    await visible(alert.getByText('Armed', { exact: true }));

    await alert.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Drop percentage').fill('20');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const edited = page.getByRole('listitem').filter({ hasText: 'Drops 20%' });
    await visible(edited.getByText(`Drops 20% from $${fresh.price}`));

    await edited.getByRole('button', { name: 'Pause' }).click();
    await visible(edited.getByText('Paused', { exact: true }));
    await edited.getByRole('button', { name: 'Resume' }).click();
    await visible(edited.getByText('Armed', { exact: true }));
  });

  it('imports five URLs and a wishlist, with a result for each item', async () => {
    await page.getByRole('link', { name: 'Watchlist' }).click();
    await visible(page.getByRole('heading', { name: 'Watchlist' }));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('Product URLs, one per line').fill(five.map((p) => p.url).join('\n'));
    await page.getByLabel('Wishlist URL').fill(wishlist.url);
    await page.getByRole('button', { name: 'Start import' }).click();

    const urls = page.getByRole('region', { name: 'Your URLs' });
    await visible(urls.getByText('5 added, 0 already watched, 0 failed'), 30_000);
    for (const p of five) await visible(urls.getByRole('link', { name: p.title }));

    const items = wishlist.asins.length;
    const fromList = page.getByRole('region', { name: new RegExp(`Wishlist “${wishlist.name}”`) });
    await visible(
      fromList.getByRole('heading', { name: new RegExp(`\\(${items} items\\)`) }),
      30_000,
    );
    const summary = await fromList
      .getByText(/\d+ added, \d+ already watched, \d+ failed/)
      .textContent();
    const [added = 0, exists = 0, failed = 0] = (summary?.match(/\d+/g) ?? []).map(Number);
    expect(added + exists + failed).toBe(items);
    expect(added).toBeGreaterThan(0);
    expect(await fromList.getByRole('listitem').count()).toBe(items);

    // The list below shows every new watch.
    await visible(page.getByRole('link', { name: five[4]?.title ?? '' }).first());
  });

  it('downloads the watchlist as CSV, one row per watch', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^pricehawk-watches-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv(await readFile(await download.path(), 'utf8'));
    const [header, ...body] = rows;
    expect(header?.slice(0, 7)).toEqual([
      'Product',
      'Marketplace',
      'ASIN/URL',
      'URL',
      'Price type',
      'Rule',
      'Target',
    ]);

    // The same watches as the API lists for this account.
    const me = new ApiClient(app.url);
    expect((await me.post('/api/v1/auth/login', { email: EMAIL, password: PASSWORD })).status).toBe(
      200,
    );
    const listed = (await me.get('/api/v1/watches')).body.watches as Array<{
      product: { externalId: string };
    }>;
    expect(body).toHaveLength(listed.length);
    expect(new Set(body.map((r) => r[2]))).toEqual(
      new Set(listed.map((w) => w.product.externalId)),
    );

    const byAsin = new Map(body.map((r) => [r[2], r]));
    for (const p of five) {
      expect(byAsin.get(p.asin)?.slice(0, 6)).toEqual([
        p.title,
        'demo.com',
        p.asin,
        p.url,
        'buybox',
        'any_drop',
      ]);
    }
    const mine = byAsin.get(fresh.asin);
    expect(mine?.[5]).toBe(`drop_percent 20% from ${fresh.price}`);
    expect(mine?.[9]).toBe('armed');
  });

  it('shows the drop on the public Deals page and the alert as fired', async () => {
    // A drop is measured from the price when the window opened, so the product's history must
    // be older than the window: move it three days back, as if it had been tracked since then.
    await db.pool.query(
      `update price_points set observed_at = observed_at - interval '3 days' where product_id = $1`,
      [freshId],
    );
    // Half price (USD has two decimals): past the 20% of the alert.
    const half = Math.floor(Number((fresh.price ?? '').replace('.', '')) / 2);
    const halfPrice = `${Math.floor(half / 100)}.${String(half % 100).padStart(2, '0')}`;
    await setDemoPrice(app.demoStoreUrl, fresh.asin, halfPrice);
    const me = new ApiClient(app.url);
    await me.post('/api/v1/auth/login', { email: EMAIL, password: PASSWORD });
    expect((await me.post(`/api/v1/products/${freshId}/check`)).status).toBe(202);
    await eventually(async () => {
      const r = await me.get(`/api/v1/products/${freshId}`);
      return r.body.product.price?.amount === halfPrice ? true : undefined;
    }, 'the checked half price');

    await page.goto(`${app.url}/products/${freshId}`);
    const alert = page.getByRole('listitem').filter({ hasText: 'Drops 20%' });
    await visible(alert.getByText('Fired', { exact: true }));
    await visible(alert.getByText(/waiting for the price to recover/));
    await visible(page.getByText(/Down \$[\d.]+ \(50\.0%\) from \$/));

    // Anyone can see the deals, logged in or not.
    const visitor = await browser.newPage({ locale: 'en-US' });
    await visitor.goto(`${app.url}/deals`);
    const drops = visitor.getByRole('region', { name: /Top drops in the last 24 hours/ });
    const deal = drops.getByRole('listitem').filter({ hasText: fresh.title });
    await visible(deal.getByText(`$${halfPrice}`));
    await visible(deal.getByText(/−50\.0%/));
    await visible(
      visitor.getByRole('region', { name: 'Popular' }).getByRole('link', { name: fresh.title }),
    );
    expect(await visitor.getByRole('button', { name: 'Log out' }).count()).toBe(0);

    // A visitor's search has the catalogue only; the stores' part says why, quietly.
    await visitor.goto(`${app.url}/search?q=${encodeURIComponent(word)}`);
    const result = visitor.getByRole('listitem').filter({ hasText: known.title });
    await visible(result.getByText('In catalogue'));
    await visible(result.getByRole('link', { name: 'Log in to watch' }));
    await visible(visitor.getByText(/Not included: .*demo\.com.* \(log in to search the stores\)/));

    // A product page is public too: price, chart and statistics, and a way in to watch it.
    await visitor.goto(`${app.url}/products/${freshId}`);
    await visible(visitor.getByRole('heading', { name: fresh.title }));
    await visible(visitor.getByText(`$${halfPrice}`).first());
    await visible(visitor.getByRole('figure', { name: /Price history chart/ }));
    expect(await visitor.getByRole('button', { name: 'Check now' }).count()).toBe(0);
    await visitor
      .getByRole('region', { name: 'Price alerts' })
      .getByRole('link', { name: 'Log in' })
      .click();
    await visitor.getByLabel('Email').fill(EMAIL);
    await visitor.getByLabel('Password').fill(PASSWORD);
    await visitor.getByRole('button', { name: 'Log in' }).click();
    await visitor.waitForURL(`${app.url}/products/${freshId}`);
    await visible(visitor.getByRole('listitem').filter({ hasText: 'Drops 20%' }));
    await visitor.close();
  });
});
