/**
 * The watchlist over HTTP, on a real database with the demo store: every rule type alerting
 * through a price change, edits, pause and resume, statuses, bulk import of URLs and of a
 * wishlist, the CSV export, bad input, and one user's watches out of another's reach.
 *
 * Demo products are checked hourly here (DEMO_CHECK_INTERVAL), so a product is read only when a
 * test makes its check due; alerts are read from the in-app notifications, which are written in
 * the same transaction as the price that fires them.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { listDemoProducts, type DemoProduct } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';

interface AdminProduct extends DemoProduct {
  readonly shortUrl: string;
  readonly layout: string;
  readonly category: string;
  readonly expected: { readonly soldByStore: boolean | null };
}

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('watchlist', () => {
  let db: TestDatabase;
  let app: TestApp;
  let alice: ApiClient;
  let bob: ApiClient;
  let pool: AdminProduct[];
  const taken = new Set<string>();

  /** A demo.de product in stock, with a price, not a book (books never go out of stock). */
  const pick = (test: (p: AdminProduct) => boolean = () => true): AdminProduct => {
    const p = pool.find((q) => !taken.has(q.asin) && test(q));
    if (!p) throw new Error('no demo product left to pick');
    taken.add(p.asin);
    return p;
  };

  const setDemo = async (
    asin: string,
    change: { price?: string; availability?: 'in_stock' | 'out_of_stock' },
  ) => {
    const res = await request(`${app.demoStoreUrl}/_admin/products/${asin}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  };

  /** Makes the product's check due now and waits for a check newer than this call. */
  const observe = async (productId: number, what: (p: any) => boolean, label: string) => {
    const before = new Date();
    await db.pool.query('update products set next_check_at = now() where id = $1', [productId]);
    return eventually(async () => {
      const p = (await alice.get(`/api/v1/products/${productId}`)).body.product;
      return p.lastCheckedAt && new Date(p.lastCheckedAt) >= before && what(p) ? p : undefined;
    }, label);
  };
  const observePrice = (productId: number, amount: string) =>
    observe(productId, (p) => p.price?.amount === amount, `a check showing ${amount}`);

  const addProduct = async (api: ApiClient, url: string): Promise<number> => {
    const res = await api.post('/api/v1/products', { url });
    expect([200, 201]).toContain(res.status);
    return res.body.product.id;
  };

  const notesOf = async (api: ApiClient, watchId: number) =>
    (await api.get('/api/v1/notifications')).body.notifications.filter(
      (n: { watchId: number }) => n.watchId === watchId,
    );

  const watch = async (api: ApiClient, id: number) => {
    const res = await api.get(`/api/v1/watches/${id}`);
    expect(res.status).toBe(200);
    return res.body.watch;
  };

  const signUp = async (email: string): Promise<ApiClient> => {
    const api = new ApiClient(app.url);
    const res = await api.post('/api/v1/auth/signup', {
      email,
      password: 'long enough password',
      name: email.split('@')[0],
    });
    expect(res.status).toBe(201);
    return api;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, { DEMO_CHECK_INTERVAL: '1h' });
    alice = await signUp('alice@example.com');
    bob = await signUp('bob@example.com');
    pool = ((await listDemoProducts(app.demoStoreUrl)) as AdminProduct[]).filter(
      (p) =>
        p.currency === 'EUR' &&
        p.price !== null &&
        p.availability === 'in_stock' &&
        p.category !== 'books' &&
        p.layout !== 'variation-parent',
    );
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  // Products and watches later tests reuse.
  let belowProduct: number;
  let belowWatch: number;
  let belowUrl: string;
  let dropProduct: number;
  let dropWatch: number;
  let anyProduct: number;
  let anyWatch: number;
  let pausedWatch: number;

  describe('each rule fires once when a fresh price enters its condition', () => {
    it('below, on the buy box and on the amazon price type', async () => {
      const demo = pick((p) => p.expected.soldByStore === true);
      belowUrl = demo.url;
      belowProduct = await addProduct(alice, demo.url);
      await setDemo(demo.asin, { price: '200.00' });
      await observePrice(belowProduct, '200.00');

      const created = await alice.post('/api/v1/watches', {
        productId: belowProduct,
        rule: { type: 'below', price: '150.00' },
      });
      expect(created.status).toBe(201);
      expect(created.body.watch).toMatchObject({
        priceType: 'buybox',
        status: 'armed',
        paused: false,
        rule: { type: 'below', price: { amount: '150.00', currency: 'EUR' } },
        target: { amount: '150.00', currency: 'EUR' },
        currentPrice: { amount: '200.00', currency: 'EUR' },
        lastNotifiedAt: null,
        lastNotifiedPrice: null,
      });
      belowWatch = created.body.watch.id;
      const amazon = await alice.post('/api/v1/watches', {
        productId: belowProduct,
        priceType: 'amazon',
        rule: { type: 'below', price: '150.00' },
      });
      expect(amazon.status).toBe(201);
      expect(amazon.body.watch.currentPrice).toEqual({ amount: '200.00', currency: 'EUR' });

      await setDemo(demo.asin, { price: '129.99' });
      await observePrice(belowProduct, '129.99');
      const [note] = await notesOf(alice, belowWatch);
      expect(note).toMatchObject({
        kind: 'price_drop',
        price: { amount: '129.99', currency: 'EUR' },
        previousPrice: { amount: '200.00', currency: 'EUR' },
      });
      expect(await notesOf(alice, amazon.body.watch.id)).toHaveLength(1);
      expect(await watch(alice, belowWatch)).toMatchObject({
        status: 'fired',
        lastNotifiedPrice: { amount: '129.99', currency: 'EUR' },
        currentPrice: { amount: '129.99', currency: 'EUR' },
      });

      // Still inside the condition: no second alert. Back above: armed again.
      await observePrice(belowProduct, '129.99');
      expect(await notesOf(alice, belowWatch)).toHaveLength(1);
      await setDemo(demo.asin, { price: '210.00' });
      await observePrice(belowProduct, '210.00');
      expect((await watch(alice, belowWatch)).status).toBe('armed');
      expect(await notesOf(alice, belowWatch)).toHaveLength(1);
      await alice.delete(`/api/v1/watches/${amazon.body.watch.id}`);
    });

    it('drop_percent, measured from the price when the watch was set', async () => {
      const demo = pick();
      dropProduct = await addProduct(alice, demo.url);
      await setDemo(demo.asin, { price: '200.00' });
      await observePrice(dropProduct, '200.00');
      const created = await alice.post('/api/v1/watches', {
        productId: dropProduct,
        rule: { type: 'drop_percent', percent: 10 },
      });
      expect(created.status).toBe(201);
      expect(created.body.watch).toMatchObject({
        status: 'armed',
        rule: { type: 'drop_percent', percent: 10, baseline: { amount: '200.00' } },
        target: { amount: '180.00', currency: 'EUR' },
      });
      dropWatch = created.body.watch.id;

      await setDemo(demo.asin, { price: '185.00' });
      await observePrice(dropProduct, '185.00');
      expect(await notesOf(alice, dropWatch)).toHaveLength(0);
      await setDemo(demo.asin, { price: '179.99' });
      await observePrice(dropProduct, '179.99');
      const notes = await notesOf(alice, dropWatch);
      expect(notes).toHaveLength(1);
      expect(notes[0].price).toEqual({ amount: '179.99', currency: 'EUR' });
      expect((await watch(alice, dropWatch)).status).toBe('fired');
    });

    it('any_drop, once per drop', async () => {
      const demo = pick();
      anyProduct = await addProduct(alice, demo.url);
      await setDemo(demo.asin, { price: '200.00' });
      await observePrice(anyProduct, '200.00');
      const created = await alice.post('/api/v1/watches', {
        productId: anyProduct,
        rule: { type: 'any_drop' },
      });
      expect(created.status).toBe(201);
      expect(created.body.watch.target).toBeNull();
      anyWatch = created.body.watch.id;

      await setDemo(demo.asin, { price: '199.00' });
      await observePrice(anyProduct, '199.00');
      expect(await notesOf(alice, anyWatch)).toHaveLength(1);
      await setDemo(demo.asin, { price: '205.00' });
      await observePrice(anyProduct, '205.00');
      expect(await notesOf(alice, anyWatch)).toHaveLength(1);
      await setDemo(demo.asin, { price: '204.50' });
      await observePrice(anyProduct, '204.50');
      const notes = await notesOf(alice, anyWatch);
      expect(notes.map((n: { price: { amount: string } }) => n.price.amount).sort()).toEqual([
        '199.00',
        '204.50',
      ]);
    });

    it('back_in_stock, when the product comes back, not while it simply stays in stock', async () => {
      const demo = pick();
      const productId = await addProduct(alice, demo.url);
      const inStock = await alice.post('/api/v1/watches', {
        productId,
        rule: { type: 'back_in_stock' },
      });
      expect(inStock.status).toBe(201);
      const watchId = inStock.body.watch.id;
      // In stock when set: "back" needs it to leave first, so the next check says nothing.
      await observePrice(productId, demo.price ?? '');
      expect(await notesOf(alice, watchId)).toHaveLength(0);

      await setDemo(demo.asin, { availability: 'out_of_stock' });
      await observe(
        productId,
        (p) => p.availability === 'out_of_stock' && p.price === null,
        'a check out of stock',
      );
      expect(await notesOf(alice, watchId)).toHaveLength(0);
      expect((await watch(alice, watchId)).status).toBe('armed');

      await setDemo(demo.asin, { availability: 'in_stock', price: '55.00' });
      await observePrice(productId, '55.00');
      const notes = await notesOf(alice, watchId);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({
        kind: 'back_in_stock',
        price: { amount: '55.00', currency: 'EUR' },
      });
      expect((await watch(alice, watchId)).status).toBe('fired');
    });
  });

  describe('edit, pause and resume', () => {
    it('a paused watch never fires, and resuming does not fire for the price it already has', async () => {
      const demo = pick();
      const productId = await addProduct(alice, demo.url);
      await setDemo(demo.asin, { price: '200.00' });
      await observePrice(productId, '200.00');
      const created = await alice.post('/api/v1/watches', {
        productId,
        rule: { type: 'below', price: '150.00' },
      });
      pausedWatch = created.body.watch.id;

      const paused = await alice.call('PATCH', `/api/v1/watches/${pausedWatch}`, {
        paused: true,
      });
      expect(paused.status).toBe(200);
      expect(paused.body.watch).toMatchObject({ status: 'paused', paused: true });

      await setDemo(demo.asin, { price: '120.00' });
      await observePrice(productId, '120.00');
      expect(await notesOf(alice, pausedWatch)).toHaveLength(0);
      expect((await watch(alice, pausedWatch)).status).toBe('paused');

      const resumed = await alice.call('PATCH', `/api/v1/watches/${pausedWatch}`, {
        paused: false,
      });
      expect(resumed.status).toBe(200);
      // 120 was reached while paused: known, so not alerted; the watch waits for it to leave.
      expect(resumed.body.watch).toMatchObject({ status: 'fired', paused: false });
      await observePrice(productId, '120.00');
      expect(await notesOf(alice, pausedWatch)).toHaveLength(0);

      // Out of the condition and back in: that is news.
      await setDemo(demo.asin, { price: '160.00' });
      await observePrice(productId, '160.00');
      expect((await watch(alice, pausedWatch)).status).toBe('armed');
      await setDemo(demo.asin, { price: '140.00' });
      await observePrice(productId, '140.00');
      expect(await notesOf(alice, pausedWatch)).toHaveLength(1);

      // Paused again for the status tests below.
      await alice.call('PATCH', `/api/v1/watches/${pausedWatch}`, { paused: true });
    });

    it('keeps the drop_percent baseline unless the percent or the price type changes', async () => {
      const demo = pick();
      const productId = await addProduct(alice, demo.url);
      await setDemo(demo.asin, { price: '200.00' });
      await observePrice(productId, '200.00');
      const id = (
        await alice.post('/api/v1/watches', {
          productId,
          rule: { type: 'drop_percent', percent: 10 },
        })
      ).body.watch.id;
      await setDemo(demo.asin, { price: '190.00' });
      await observePrice(productId, '190.00');

      const patch = (body: unknown) => alice.call('PATCH', `/api/v1/watches/${id}`, body);
      const same = await patch({ rule: { type: 'drop_percent', percent: 10 } });
      expect(same.status).toBe(200);
      expect(same.body.watch.rule.baseline).toEqual({ amount: '200.00', currency: 'EUR' });
      await patch({ paused: true });
      const back = await patch({ paused: false });
      expect(back.body.watch.rule.baseline).toEqual({ amount: '200.00', currency: 'EUR' });

      const five = await patch({ rule: { type: 'drop_percent', percent: 5 } });
      expect(five.body.watch.rule).toEqual({
        type: 'drop_percent',
        percent: 5,
        baseline: { amount: '190.00', currency: 'EUR' },
      });
      expect(five.body.watch.target).toEqual({ amount: '180.50', currency: 'EUR' });
      expect(five.body.watch.status).toBe('armed');
      await setDemo(demo.asin, { price: '181.00' });
      await observePrice(productId, '181.00');
      expect(await notesOf(alice, id)).toHaveLength(0);
      await setDemo(demo.asin, { price: '180.50' });
      await observePrice(productId, '180.50');
      expect(await notesOf(alice, id)).toHaveLength(1);
    });

    it('an edited target starts the watch over: it alerts when the new target already holds', async () => {
      const demo = pick();
      const productId = await addProduct(alice, demo.url);
      await setDemo(demo.asin, { price: '190.00' });
      await observePrice(productId, '190.00');
      const id = (
        await alice.post('/api/v1/watches', {
          productId,
          rule: { type: 'below', price: '150.00' },
        })
      ).body.watch.id;
      const raised = await alice.call('PATCH', `/api/v1/watches/${id}`, {
        rule: { type: 'below', price: '195.00' },
      });
      expect(raised.status).toBe(200);
      expect(raised.body.watch).toMatchObject({
        status: 'armed',
        target: { amount: '195.00', currency: 'EUR' },
      });
      await observePrice(productId, '190.00');
      expect(await notesOf(alice, id)).toHaveLength(1);
      expect((await watch(alice, id)).status).toBe('fired');

      // Another price type is another question: armed again, the target kept.
      const retyped = await alice.call('PATCH', `/api/v1/watches/${id}`, { priceType: 'new' });
      expect(retyped.body.watch).toMatchObject({
        priceType: 'new',
        status: 'armed',
        target: { amount: '195.00', currency: 'EUR' },
      });
      await alice.call('PATCH', `/api/v1/watches/${id}`, { priceType: 'buybox' });

      // A target the price does not meet: armed, and quiet at today's price.
      const lowered = await alice.call('PATCH', `/api/v1/watches/${id}`, {
        rule: { type: 'below', price: '185.00' },
      });
      expect(lowered.body.watch.status).toBe('armed');
      await observePrice(productId, '190.00');
      expect(await notesOf(alice, id)).toHaveLength(1);

      // Another price type and another rule type on the same watch.
      const used = await alice.call('PATCH', `/api/v1/watches/${id}`, {
        priceType: 'used',
        rule: { type: 'any_drop' },
      });
      expect(used.status).toBe(200);
      expect(used.body.watch).toMatchObject({ priceType: 'used', rule: { type: 'any_drop' } });

      // Into an existing watch's place: 409, and nothing changed.
      const other = (
        await alice.post('/api/v1/watches', {
          productId,
          rule: { type: 'back_in_stock' },
        })
      ).body.watch.id;
      const clash = await alice.call('PATCH', `/api/v1/watches/${other}`, {
        priceType: 'used',
        rule: { type: 'any_drop' },
      });
      expect(clash.status).toBe(409);
      expect(clash.body.error.code).toBe('watch_exists');
      expect((await watch(alice, other)).rule).toEqual({ type: 'back_in_stock' });
    });

    it('refuses edits that make no sense with a 4xx', async () => {
      const patch = (id: number | string, body: unknown) =>
        alice.call('PATCH', `/api/v1/watches/${id}`, body);
      for (const [body, code] of [
        [{}, 'validation_failed'],
        [{ paused: 'yes' }, 'validation_failed'],
        [{ rule: { type: 'below', price: 'cheap' } }, 'validation_failed'],
        [{ rule: { type: 'drop_percent', percent: 100 } }, 'validation_failed'],
        [{ rule: { type: 'drop_percent', percent: 2.5 } }, 'validation_failed'],
        [{ rule: { type: 'sometimes' } }, 'validation_failed'],
        [{ priceType: 'cheapest' }, 'validation_failed'],
        [{ rule: { type: 'below', price: '0' } }, 'invalid_price'],
        [{ rule: { type: 'below', price: '1.005' } }, 'invalid_price'],
      ] as const) {
        const r = await patch(belowWatch, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.code, JSON.stringify(body)).toBe(code);
      }
      expect((await patch('abc', { paused: true })).status).toBe(400);
      const missing = await patch(999_999, { paused: true });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('watch_not_found');
      expect((await watch(alice, belowWatch)).rule.price.amount).toBe('150.00');
    });
  });

  describe('statuses, filters and sorting', () => {
    it('says stale and blocked from the product state, and filters and sorts by them', async () => {
      await db.pool.query(`update products set state = 'stale' where id = $1`, [belowProduct]);
      await db.pool.query(`update products set state = 'blocked' where id = $1`, [dropProduct]);
      await db.pool.query(`update products set state = 'gone' where id = $1`, [anyProduct]);
      try {
        expect((await watch(alice, belowWatch)).status).toBe('stale');
        expect((await watch(alice, dropWatch)).status).toBe('blocked');
        expect((await watch(alice, anyWatch)).status).toBe('blocked');

        const ids = async (query: string) =>
          (await alice.get(`/api/v1/watches${query}`)).body.watches.map(
            (w: { id: number }) => w.id,
          );
        expect(await ids('?status=stale')).toEqual([belowWatch]);
        expect((await ids('?status=blocked')).sort()).toEqual([dropWatch, anyWatch].sort());
        expect((await ids('?status=paused,stale')).sort()).toEqual(
          [pausedWatch, belowWatch].sort(),
        );

        const all = (await alice.get('/api/v1/watches')).body;
        expect(all.total).toBe(all.watches.length);
        const statuses = all.watches.map((w: { status: string }) => w.status);
        expect(new Set(statuses)).toEqual(
          new Set(['armed', 'fired', 'stale', 'blocked', 'paused']),
        );
        // Newest first by default.
        const created = all.watches.map((w: { createdAt: string }) => w.createdAt);
        expect([...created].sort().reverse()).toEqual(created);

        const byStatus = (await alice.get('/api/v1/watches?sort=status')).body.watches.map(
          (w: { status: string }) => w.status,
        );
        const rank = ['fired', 'armed', 'stale', 'blocked', 'paused'];
        expect([...byStatus].sort((a, b) => rank.indexOf(a) - rank.indexOf(b))).toEqual(byStatus);

        const byTitle = (await alice.get('/api/v1/watches?sort=title&order=desc')).body.watches.map(
          (w: { product: { title: string } }) => w.product.title.toLowerCase(),
        );
        expect([...byTitle].sort().reverse()).toEqual(byTitle);

        const page = (await alice.get('/api/v1/watches?limit=2&offset=1')).body;
        expect(page.watches.map((w: { id: number }) => w.id)).toEqual(
          all.watches.slice(1, 3).map((w: { id: number }) => w.id),
        );
        expect(page.total).toBe(all.total);
        expect((await alice.get('/api/v1/watches?offset=5000')).body).toEqual({
          watches: [],
          total: all.total,
        });

        const title = (await watch(alice, belowWatch)).product.title as string;
        const word = title.split(' ').find((w) => w.length >= 4) ?? title;
        const found = await ids(`?q=${encodeURIComponent(word.toUpperCase())}`);
        expect(found).toContain(belowWatch);
        expect(await ids(`?q=${encodeURIComponent('%')}`)).toEqual([]);
        await db.pool.query(`update products set title = 'Große Kaffeemühle' where id = $1`, [
          anyProduct,
        ]);
        expect(await ids(`?q=${encodeURIComponent('KAFFEEMUHLE')}`)).toEqual([anyWatch]);
        expect(await ids(`?q=${encodeURIComponent('kaffeemühle')}&status=blocked`)).toEqual([
          anyWatch,
        ]);
        expect(await ids(`?q=${encodeURIComponent('kaffeemühle')}&status=armed`)).toEqual([]);
      } finally {
        await db.pool.query(`update products set state = 'active' where id = any($1)`, [
          [belowProduct, dropProduct, anyProduct],
        ]);
      }
    });

    it('refuses bad list queries with 400', async () => {
      for (const q of [
        '?status=bogus',
        '?status=armed,',
        '?sort=cheapest',
        '?order=up',
        '?limit=0',
        '?limit=5000',
        '?offset=-1',
        `?q=${'x'.repeat(300)}`,
      ]) {
        const r = await alice.get(`/api/v1/watches${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body.error.code, q).toBe('validation_failed');
      }
    });
  });

  describe('bulk import', () => {
    it('imports five URLs: a new one, one already watched, garbage, a short link, a repeat', async () => {
      const fresh = pick();
      const short = pick();
      const before = (await alice.get('/api/v1/watches')).body.total;
      const res = await alice.post('/api/v1/watches/import', {
        urls: [
          fresh.url,
          belowUrl,
          'this is not a link ☃',
          short.shortUrl,
          `${fresh.url}?ref_=sr_1_1&th=1`,
        ],
        rule: { type: 'below', price: '150.00' },
      });
      expect(res.status).toBe(200);
      const r = res.body.results;
      expect(r.map((x: { status: string }) => x.status)).toEqual([
        'created',
        'exists',
        'failed',
        'created',
        'exists',
      ]);
      expect(r.map((x: { index: number }) => x.index)).toEqual([0, 1, 2, 3, 4]);
      expect(r[1]).toMatchObject({ watchId: belowWatch, productId: belowProduct });
      expect(r[2].error.code).toBe('unsupported_url');
      expect(r[4]).toMatchObject({ watchId: r[0].watchId, duplicateOf: 0 });
      expect(res.body.summary).toEqual({ created: 2, exists: 2, failed: 1 });

      const created = await watch(alice, r[3].watchId);
      expect(created.product.externalId).toBe(short.asin);
      expect(created.product.title).toBe(short.title);
      expect(created.rule).toEqual({
        type: 'below',
        price: { amount: '150.00', currency: 'EUR' },
      });
      expect((await watch(alice, r[0].watchId)).product.externalId).toBe(fresh.asin);
      expect((await alice.get('/api/v1/watches')).body.total).toBe(before + 2);
    });

    it('writes nothing for an item that fails, and says why', async () => {
      const before = await db.pool.query('select count(*)::int as n from products');
      const yen = (await listDemoProducts(app.demoStoreUrl)).find(
        (p) => p.currency === 'JPY' && p.price !== null,
      );
      const res = await alice.post('/api/v1/watches/import', {
        urls: [`${app.demoStoreUrl}/de/dp/B0ZZZZZZZZ`, yen?.url],
        rule: { type: 'below', price: '1.50' },
      });
      expect(res.status).toBe(200);
      expect(res.body.results.map((x: any) => [x.status, x.error?.code])).toEqual([
        ['failed', 'not_a_product'],
        // ¥1.50 is no amount of yen: the rule fails for this item only.
        ['failed', 'invalid_price'],
      ]);
      const after = await db.pool.query('select count(*)::int as n from products');
      // The yen product is a real product, kept in the shared catalogue; the page that is no
      // product is not.
      expect(after.rows[0].n).toBe(before.rows[0].n + 1);
      const { rows } = await db.pool.query(
        `select count(*)::int as n from watches w join products p on p.id = w.product_id
          where p.external_id = $1`,
        [yen?.asin],
      );
      expect(rows[0].n).toBe(0);
    });

    it('imports a demo store wishlist, and finds the same list again by its old address', async () => {
      const carol = await signUp('carol@example.com');
      const res = await request(`${app.demoStoreUrl}/_admin/wishlists?mp=de`);
      const [list] = (await res.body.json()) as Array<{
        id: string;
        name: string;
        url: string;
        asins: string[];
      }>;
      if (!list) throw new Error('no demo.de wishlist');

      const first = await carol.post('/api/v1/watches/import', {
        wishlistUrl: list.url,
        rule: { type: 'any_drop' },
      });
      expect(first.status).toBe(200);
      expect(first.body.wishlist).toEqual({
        url: list.url,
        name: list.name,
        items: list.asins.length,
        truncated: false,
      });
      expect(first.body.summary).toEqual({ created: list.asins.length, exists: 0, failed: 0 });
      const watches = (await carol.get('/api/v1/watches?sort=created&order=asc')).body.watches;
      expect(watches.map((w: any) => w.product.externalId).sort()).toEqual([...list.asins].sort());
      expect(watches.every((w: any) => w.rule.type === 'any_drop')).toBe(true);

      const again = await carol.post('/api/v1/watches/import', {
        wishlistUrl: `${app.demoStoreUrl}/gp/registry/wishlist/${list.id}/ref=cm_wl_list_o_0`,
        rule: { type: 'any_drop' },
      });
      expect(again.status).toBe(200);
      expect(again.body.summary).toEqual({ created: 0, exists: list.asins.length, failed: 0 });
    });

    it('answers wishlists it cannot read with a stable error', async () => {
      const tryList = (wishlistUrl: string) =>
        alice.post('/api/v1/watches/import', { wishlistUrl, rule: { type: 'any_drop' } });
      const notAList = await tryList('https://example.com/my/list');
      expect(notAList.status).toBe(400);
      expect(notAList.body.error.code).toBe('unsupported_wishlist');
      const missing = await tryList(`${app.demoStoreUrl}/hz/wishlist/ls/0NOSUCHLIST0`);
      expect(missing.status).toBe(422);
      expect(missing.body.error.code).toBe('wishlist_not_found');

      const res = await request(`${app.demoStoreUrl}/_admin/wishlists?mp=com`);
      const [list] = (await res.body.json()) as Array<{ url: string }>;
      const faults = (body: unknown) =>
        request(`${app.demoStoreUrl}/_admin/faults`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.body.dump());
      await faults({ captchaRate: 1 });
      try {
        const blocked = await tryList(list?.url ?? '');
        expect(blocked.status).toBe(503);
        expect(blocked.body.error.code).toBe('wishlist_blocked');
      } finally {
        await faults({ captchaRate: 0 });
      }
    });

    it('refuses malformed imports with a 4xx, never a 500', async () => {
      const rule = { type: 'any_drop' };
      const cases: Array<[unknown, number, string]> = [
        [{ rule }, 400, 'validation_failed'],
        [{ urls: [], rule }, 400, 'validation_failed'],
        [{ urls: ['x'], wishlistUrl: 'y', rule }, 400, 'validation_failed'],
        [
          { urls: Array.from({ length: 101 }, (_, i) => `B0000000${i}`), rule },
          400,
          'validation_failed',
        ],
        [{ urls: [42], rule }, 400, 'validation_failed'],
        [{ urls: ['x'.repeat(2001)], rule }, 400, 'validation_failed'],
        [{ urls: ['x'] }, 400, 'validation_failed'],
        [{ urls: ['x'], rule: { type: 'below' } }, 400, 'validation_failed'],
        [{ urls: ['x'], rule: { type: 'drop_percent', percent: 0 } }, 400, 'validation_failed'],
        [{ urls: ['x'], rule: { type: 'whenever' } }, 400, 'validation_failed'],
        [{ urls: ['x'], rule, priceType: 'cheapest' }, 400, 'validation_failed'],
        [{ urls: 'x', rule }, 400, 'validation_failed'],
        [[1, 2, 3], 400, 'validation_failed'],
        // 100 long URLs are more than any request body may hold.
        [
          {
            urls: Array.from({ length: 100 }, () => `https://x.example/${'a'.repeat(1900)}`),
            rule,
          },
          413,
          'body_too_large',
        ],
      ];
      for (const [body, status, code] of cases) {
        const r = await alice.post('/api/v1/watches/import', body);
        expect(r.status, JSON.stringify(body).slice(0, 120)).toBe(status);
        expect(r.body.error.code).toBe(code);
      }
      const broken = await request(`${app.url}/api/v1/watches/import`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: await sessionCookie('alice@example.com'),
        },
        body: '{"urls": [',
      });
      expect(broken.statusCode).toBe(400);
      expect(((await broken.body.json()) as any).error.code).toBe('invalid_json');
    });
  });

  describe('CSV export', () => {
    it('lists every watch, quoted as RFC 4180 says and safe to open in a spreadsheet', async () => {
      const nasty = '=HYPERLINK("http://evil.example","win"), the "best"\nmug';
      await db.pool.query('update products set title = $2 where id = $1', [belowProduct, nasty]);
      const res = await request(`${app.url}/api/v1/watches/export.csv`, {
        headers: { cookie: await sessionCookie('alice@example.com') },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(String(res.headers['content-disposition'])).toMatch(
        /^attachment; filename="pricehawk-watches-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const bytes = Buffer.from(await res.body.arrayBuffer());
      // UTF-8 with a byte-order mark, which spreadsheets need to read it as UTF-8.
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([
        'Product',
        'Marketplace',
        'ASIN/URL',
        'URL',
        'Price type',
        'Rule',
        'Target',
        'Current price',
        'Currency',
        'Status',
        'Created',
        'Last alert',
        'Last alert price',
      ]);
      const listed = (await alice.get('/api/v1/watches')).body;
      expect(rows).toHaveLength(listed.total);
      for (const row of rows) expect(row).toHaveLength(header?.length ?? 0);

      const below = await watch(alice, belowWatch);
      const row = rows.find((r) => r[0] === `'${nasty}`);
      expect(row).toEqual([
        `'${nasty}`,
        'demo.de',
        below.product.externalId,
        below.product.url,
        'buybox',
        'below',
        '150.00',
        below.currentPrice.amount,
        'EUR',
        below.status,
        below.createdAt,
        below.lastNotifiedAt,
        '129.99',
      ]);
      const drop = rows.find((r) => r[5]?.startsWith('drop_percent 10%'));
      expect(drop?.slice(5, 7)).toEqual(['drop_percent 10% from 200.00', '180.00']);
      // Nothing in the file starts a formula.
      for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
    });
  });

  /** A session cookie of a fresh log-in, for requests the API client cannot make (raw bodies). */
  async function sessionCookie(email: string): Promise<string> {
    const res = await request(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough password' }),
    });
    await res.body.dump();
    return String(res.headers['set-cookie']).split(';')[0] ?? '';
  }

  describe('ownership', () => {
    it("keeps another user's watches out of reach on every watches route", async () => {
      const mine = await watch(alice, pausedWatch);
      expect((await bob.get('/api/v1/watches')).body).toEqual({ watches: [], total: 0 });
      const title = encodeURIComponent(mine.product.title.split(' ')[0]);
      expect((await bob.get(`/api/v1/watches?q=${title}`)).body.watches).toEqual([]);
      for (const r of [
        await bob.get(`/api/v1/watches/${pausedWatch}`),
        await bob.call('PATCH', `/api/v1/watches/${pausedWatch}`, { paused: false }),
        await bob.call('PATCH', `/api/v1/watches/${pausedWatch}`, {
          rule: { type: 'below', price: '1.00' },
        }),
        await bob.delete(`/api/v1/watches/${pausedWatch}`),
      ]) {
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('watch_not_found');
      }
      const csv = await request(`${app.url}/api/v1/watches/export.csv`, {
        headers: { cookie: await sessionCookie('bob@example.com') },
      });
      const rows = parseCsv(
        Buffer.from(await csv.body.arrayBuffer())
          .subarray(3)
          .toString('utf8'),
      );
      expect(rows).toHaveLength(1); // the header only

      // Bob importing Alice's product gets a watch of his own, not hers.
      const imported = await bob.post('/api/v1/watches/import', {
        urls: [belowUrl],
        rule: { type: 'below', price: '150.00' },
      });
      expect(imported.body.results[0].status).toBe('created');
      expect(imported.body.results[0].watchId).not.toBe(belowWatch);

      expect(await watch(alice, pausedWatch)).toEqual(mine);
      const anon = new ApiClient(app.url);
      for (const r of [
        await anon.get('/api/v1/watches/export.csv'),
        await anon.get(`/api/v1/watches/${pausedWatch}`),
        await anon.call('PATCH', `/api/v1/watches/${pausedWatch}`, { paused: false }),
        await anon.post('/api/v1/watches/import', { urls: ['x'], rule: { type: 'any_drop' } }),
      ]) {
        expect(r.status).toBe(401);
      }
    });
  });

  it('documents the watches API in the OpenAPI document', async () => {
    const doc = (await alice.get('/api/openapi.json')).body;
    const paths = doc.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/watches',
        '/api/v1/watches/{id}',
        '/api/v1/watches/import',
        '/api/v1/watches/export.csv',
      ]),
    );
    expect(paths['/api/v1/watches/{id}'].patch.requestBody).toBeDefined();
    expect(paths['/api/v1/watches/{id}'].get).toBeDefined();
    expect(paths['/api/v1/watches/import'].post.requestBody).toBeDefined();
    expect(paths['/api/v1/watches'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'q', 'sort', 'order', 'limit', 'offset']),
    );
    expect(Object.keys(paths['/api/v1/watches/export.csv'].get.responses['200'].content)).toEqual([
      'text/csv',
    ]);
  });
});
