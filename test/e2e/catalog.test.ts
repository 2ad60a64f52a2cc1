/**
 * Adding products by marketplace and ASIN (shared between users, history at once), and the
 * catalogue's API in the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { listDemoProducts } from '../helpers/demo.js';
import { ApiClient } from '../helpers/http.js';
import { startCatalogApp, type CatalogApp } from './catalog-harness.js';

describe('catalogue', () => {
  let db: TestDatabase;
  let app: CatalogApp;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startCatalogApp(db);
    alice = new ApiClient(app.url);
    bob = new ApiClient(app.url);
    for (const [c, n] of [
      [alice, 'alice'],
      [bob, 'bob'],
    ] as const) {
      expect(
        (
          await c.post('/api/v1/auth/signup', {
            email: `${n}@example.com`,
            password: `${n}-password`,
            name: n,
          })
        ).status,
      ).toBe(201);
    }
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('adds a product by marketplace and ASIN; a second user gets the same product and its history', async () => {
    const target = (await listDemoProducts(app.demoStoreUrl)).find(
      (p) => p.price !== null && p.availability === 'in_stock' && p.url.includes('/de/'),
    );
    expect(target).toBeDefined();
    const asin = target?.asin as string;
    const first = await alice.post('/api/v1/products', {
      marketplace: 'demo.de',
      asin: asin.toLowerCase(),
    });
    expect(first.status).toBe(201);
    expect(first.body.product).toMatchObject({
      marketplace: 'demo.de',
      externalId: asin,
      title: target?.title,
      price: { amount: target?.price, currency: 'EUR' },
    });

    const second = await bob.post('/api/v1/products', { marketplace: 'demo.de', asin });
    expect(second.status).toBe(200);
    expect(second.body.product.id).toBe(first.body.product.id);
    const history = await bob.get(`/api/v1/products/${first.body.product.id}/history`);
    expect(history.status).toBe(200);
    const buybox = history.body.series.find((s: { priceType: string }) => s.priceType === 'buybox');
    expect(buybox.points.at(-1).price).toEqual({ amount: target?.price, currency: 'EUR' });
    expect(
      history.body.stats.find((s: { priceType: string }) => s.priceType === 'buybox').current,
    ).toEqual({
      amount: target?.price,
      currency: 'EUR',
    });

    // The same product by its URL is the same product too.
    const byUrl = await bob.post('/api/v1/products', { url: target?.url });
    expect(byUrl.status).toBe(200);
    expect(byUrl.body.product.id).toBe(first.body.product.id);
  });

  it.each([
    [{ url: 'https://www.amazon.de/dp/B0863TXGM3', asin: 'B0863TXGM3' }, 400, 'validation_failed'],
    [{ marketplace: 'amazon.de' }, 400, 'validation_failed'],
    [{ asin: 'B08', marketplace: 'amazon.de' }, 400, 'validation_failed'],
    [{ asin: 'B0863TXGM3', marketplace: 'amazon.xx' }, 400, 'unknown_marketplace'],
    [{ asin: 'B0863TXGM3', marketplace: 42 }, 400, 'validation_failed'],
  ])('answers %j with %i %s', async (body, status, code) => {
    const r = await alice.post('/api/v1/products', body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
  });

  it('needs a session to add a product', async () => {
    const r = await new ApiClient(app.url).post('/api/v1/products', {
      marketplace: 'demo.de',
      asin: 'B0863TXGM3',
    });
    expect(r.status).toBe(401);
  });

  it('documents the catalogue API in the OpenAPI document', async () => {
    const r = await alice.get('/api/openapi.json');
    expect(r.status).toBe(200);
    const paths = Object.keys(r.body.paths as Record<string, unknown>);
    for (const p of [
      '/api/v1/search',
      '/api/v1/deals',
      '/api/v1/products',
      '/api/v1/products/{id}/history',
      '/api/v1/me/feed',
      '/api/v1/me/feed/rotate',
      '/feeds/products/{id}.xml',
      '/feeds/alerts/{token}.xml',
      '/charts/products/{id}.svg',
    ]) {
      expect(paths).toContain(p);
    }
    const add =
      r.body.paths['/api/v1/products'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(add.properties ?? {}).sort()).toEqual(['asin', 'marketplace', 'url']);
  });
});
