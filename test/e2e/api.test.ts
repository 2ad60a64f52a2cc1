/**
 * The HTTP API's edges: bad input of every kind gets a 4xx with a stable error code (never a 500),
 * one user cannot touch another's watches, cookie-authenticated changes from another origin are
 * refused, and the OpenAPI document and metrics are served.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient } from '../helpers/http.js';

describe('API edges', () => {
  let db: TestDatabase;
  let app: TestApp;
  let alice: ApiClient;
  let bob: ApiClient;
  let productId: number;
  let aliceWatch: number;

  const raw = async (
    method: string,
    path: string,
    body: string,
    headers: Record<string, string>,
  ) => {
    const res = await request(`${app.url}${path}`, { method: method as 'POST', body, headers });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url);
    alice = new ApiClient(app.url);
    bob = new ApiClient(app.url);
    await alice.post('/api/v1/auth/signup', {
      email: 'alice@example.com',
      password: 'alice-password',
      name: 'Alice',
    });
    await bob.post('/api/v1/auth/signup', {
      email: 'bob@example.com',
      password: 'bob-password',
      name: 'Bob',
    });
    const demo = await alice.get('/api/v1/demo-store');
    const url = demo.body.products.find((p: { price: unknown }) => p.price !== null).url;
    productId = (await alice.post('/api/v1/products', { url })).body.product.id;
    aliceWatch = (
      await alice.post('/api/v1/watches', { productId, rule: { type: 'below', price: '1.00' } })
    ).body.watch.id;
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const r = await raw('POST', '/api/v1/auth/login', '{"email": ', {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_json');
  });

  it('answers a huge body with 413 body_too_large', async () => {
    const r = await raw(
      'POST',
      '/api/v1/auth/signup',
      JSON.stringify({ name: 'x'.repeat(200_000) }),
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('body_too_large');
  });

  it('answers a non-JSON body with 415 unsupported_media_type', async () => {
    const r = await raw('POST', '/api/v1/auth/login', 'email=a', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('unsupported_media_type');
  });

  it.each([
    [
      '/api/v1/auth/signup',
      { email: 'not-an-email', password: 'long enough', name: 'X' },
      'body.email',
    ],
    [
      '/api/v1/auth/signup',
      { email: 'x@example.com', password: 'short', name: 'X' },
      'body.password',
    ],
    ['/api/v1/auth/signup', { email: 42, password: ['a'], name: null }, 'body'],
    [
      '/api/v1/watches',
      { productId: 'one', rule: { type: 'below', price: '1' } },
      'body.productId',
    ],
    ['/api/v1/watches', { productId: 1, rule: { type: 'below', price: '1e5' } }, 'body.rule'],
    ['/api/v1/watches', { productId: 1, rule: { type: 'sometimes' } }, 'body.rule'],
    ['/api/v1/products', { url: '' }, 'body.url'],
  ])(
    'answers wrong types and values (%s %j) with 400 validation_failed',
    async (path, body, where) => {
      const r = await alice.post(path, body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.message).toContain(where);
    },
  );

  it('answers a non-numeric id with 400, an unknown one with 404, an unknown route with 404', async () => {
    expect((await alice.get('/api/v1/products/abc')).status).toBe(400);
    const missing = await alice.get('/api/v1/products/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('product_not_found');
    const route = await alice.get('/api/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('not_found');
  });

  it('follows a short link to its product, as with amzn.to', async () => {
    const { request } = await import('undici');
    const list = (await (
      await request(`${app.demoStoreUrl}/_admin/products`)
    ).body.json()) as Array<{
      asin: string;
      shortUrl: string;
    }>;
    const target = list[5];
    expect(target?.shortUrl).toMatch(/\/s\/\w+$/);
    const r = await alice.post('/api/v1/products', { url: target?.shortUrl });
    expect([200, 201]).toContain(r.status);
    expect(r.body.product.externalId).toBe(target?.asin);
  });

  it('refuses URLs it cannot track with 400 unsupported_url', async () => {
    for (const url of [
      'https://www.amazon.de/gp/help/customer/display.html',
      'ftp://example.com/x',
      'hello world',
    ]) {
      const r = await alice.post('/api/v1/products', { url });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('unsupported_url');
    }
  });

  it('asks for a log-in, with 401 unauthenticated', async () => {
    const anon = new ApiClient(app.url);
    for (const r of [
      await anon.get('/api/v1/me'),
      await anon.get('/api/v1/watches'),
      await anon.post('/api/v1/watches', { productId, rule: { type: 'below', price: '1.00' } }),
    ]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthenticated');
    }
  });

  it('keeps watches to their owner', async () => {
    expect((await bob.get('/api/v1/watches')).body.watches).toEqual([]);
    const del = await bob.delete(`/api/v1/watches/${aliceWatch}`);
    expect(del.status).toBe(404);
    expect(del.body.error.code).toBe('watch_not_found');
    expect(
      (await alice.get('/api/v1/watches')).body.watches.map((w: { id: number }) => w.id),
    ).toEqual([aliceWatch]);
    expect((await bob.get('/api/v1/notifications')).body.notifications).toEqual([]);
  });

  it('refuses a second watch with the same rule with 409 watch_exists', async () => {
    const r = await alice.post('/api/v1/watches', {
      productId,
      rule: { type: 'below', price: '2.00' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('watch_exists');
  });

  it('refuses a cookie-authenticated change from another origin with 403 csrf_rejected', async () => {
    const login = await request(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', password: 'alice-password' }),
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    await login.body.dump();
    const r = await raw('DELETE', `/api/v1/watches/${aliceWatch}`, '', {
      cookie,
      origin: 'https://evil.example',
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('csrf_rejected');
    expect((await alice.get('/api/v1/watches')).body.watches).toHaveLength(1);
  });

  it('does not tell an unknown address from a wrong password', async () => {
    const wrong = await new ApiClient(app.url).post('/api/v1/auth/login', {
      email: 'alice@example.com',
      password: 'nope-nope',
    });
    const unknown = await new ApiClient(app.url).post('/api/v1/auth/login', {
      email: 'nobody@example.com',
      password: 'nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a second account for the same address, whatever its case, with 409 email_taken', async () => {
    const r = await new ApiClient(app.url).post('/api/v1/auth/signup', {
      email: 'ALICE@example.com',
      password: 'another-pass',
      name: 'A2',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('email_taken');
  });

  it('rate-limits "check now" per product with 429 and Retry-After', async () => {
    expect((await alice.post(`/api/v1/products/${productId}/check`)).status).toBe(202);
    const again = await bob.post(`/api/v1/products/${productId}/check`);
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('rate_limited');
    expect(again.headers['retry-after']).toBe('60');
  });

  it('documents the API at /api/openapi.json', async () => {
    const doc = (await alice.get('/api/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/v1/auth/signup',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/products',
      '/api/v1/products/{id}',
      '/api/v1/products/{id}/check',
      '/api/v1/watches',
      '/api/v1/watches/{id}',
      '/api/v1/notifications',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/api/v1/watches'].post.requestBody).toBeDefined();
  });

  it('answers pages of the web UI with the app, and unknown API paths with JSON', async () => {
    const { request } = await import('undici');
    for (const path of ['/', '/products/12', '/settings']) {
      const res = await request(`${app.url}${path}`);
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['content-type'])).toContain('text/html');
      expect(await res.body.text()).toContain('<div id="root">');
    }
    const api = await alice.get('/api/v1/nope');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
    // Feeds, charts and built assets are read by programs: a wrong one is a 404, not the app.
    for (const path of [
      '/feeds/nothing-here.xml',
      '/charts/elsewhere/12.svg',
      '/assets/missing-1234.js',
      '/robots-old.txt',
    ]) {
      const res = await alice.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await alice.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await alice.get('/readyz')).body).toEqual({ status: 'ready' });
    const m = await request(`${app.url}/metrics`);
    const text = await m.body.text();
    expect(text).toContain('pricehawk_checks_total');
    expect(text).toContain('pricehawk_http_request_duration_seconds');
  });
});
