/**
 * The roles as separate processes against one PostgreSQL (DATABASE_URL): `pricehawk migrate`,
 * `pricehawk demo-store`, `pricehawk worker` and `pricehawk web`, coordinating only through the
 * database; an alert travels from a price change seen by the worker to an email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { pickDemoProduct, setDemoPrice } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { freePort, runCli, waitUntilUp, type Child } from '../helpers/process.js';
import { isAlert, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { signUpConfirmed } from '../helpers/accounts.js';

describe('separate web, worker and demo store processes', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  const children: Child[] = [];
  let webUrl: string;
  let demoUrl: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    const [webPort, demoPort] = [await freePort(), await freePort()];
    webUrl = `http://127.0.0.1:${webPort}`;
    demoUrl = `http://127.0.0.1:${demoPort}`;
    env = {
      DATABASE_URL: db.url,
      DEMO_STORE_URL: demoUrl,
      SMTP_URL: smtp.url,
      PORT: String(webPort),
      HOST: '127.0.0.1',
      DEMO_STORE_SPEED: '0',
      POLL_INTERVAL: '100ms',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
  }, 60_000);

  afterAll(async () => {
    for (const c of children) c.process.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await smtp?.stop();
    await db?.drop();
  });

  it('migrate reports an up-to-date database and exits 0', async () => {
    const m = runCli(['migrate'], env);
    const exit = await m.exited;
    expect(exit.code).toBe(0);
    expect(m.output()).toContain('database is up to date');
  });

  it('worker refuses an unknown role with exit code 2', async () => {
    const w = runCli(['worker', '--roles', 'checker,juggler'], env);
    expect((await w.exited).code).toBe(2);
    expect(w.output()).toContain('unknown role(s): juggler');
  });

  it('starts the three processes', async () => {
    const demo = runCli(['demo-store', '--port', new URL(demoUrl).port], env);
    children.push(demo);
    await waitUntilUp(`${demoUrl}/_admin/products`, demo);
    const worker = runCli(['worker'], env);
    const web = runCli(['web'], env);
    children.push(worker, web);
    await waitUntilUp(`${webUrl}/readyz`, web);
  }, 60_000);

  it("suggests the other process's demo products, several marketplaces first", async () => {
    const r = await new ApiClient(webUrl).get('/api/v1/demo-store');
    expect(r.body.enabled).toBe(true);
    expect(r.body.products.length).toBe(24);
    const firstFive = new Set(
      r.body.products.slice(0, 5).map((p: { marketplace: string }) => p.marketplace),
    );
    expect(firstFive.size).toBe(5);
  });

  it('carries a drop seen by the worker to an email', async () => {
    const api = new ApiClient(webUrl);
    await signUpConfirmed(
      api,
      { email: 'ken@example.com', password: 'thompson-1943', name: 'Ken' },
      smtp,
    );
    const p = await pickDemoProduct(demoUrl, 'GBP');
    const added = await api.post('/api/v1/products', { url: p.url });
    expect(added.status).toBe(201);
    const id: number = added.body.product.id;
    expect(
      (await api.post('/api/v1/watches', { productId: id, rule: { type: 'below', price: '1.00' } }))
        .status,
    ).toBe(201);

    await setDemoPrice(demoUrl, p.asin, '0.99');
    expect((await api.post(`/api/v1/products/${id}/check`)).status).toBe(202);

    const [mail] = await smtp.waitFor(1, isAlert);
    expect(mail?.to).toBe('ken@example.com');
    expect(mail?.text).toContain('£0.99');
    await eventually(async () => {
      const r = await api.get('/api/v1/notifications');
      return r.body.notifications.length === 1 ? true : undefined;
    }, 'the notification in the web process');
  });

  it('every process stops cleanly on SIGTERM', async () => {
    for (const c of children) c.process.kill('SIGTERM');
    const exits = await Promise.all(children.map((c) => c.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    children.length = 0;
  });
});
