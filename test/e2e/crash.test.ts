/**
 * `pricehawk start` as a real process on its embedded PostgreSQL, killed with SIGKILL at the worst
 * moments of the alert flow and started again: no alert is lost and none arrives twice, and the
 * data is still there.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDemoProducts, setDemoPrice, type DemoProduct } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { freePort, runCli, waitUntilUp, type Child } from '../helpers/process.js';
import { isAlert, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { signUpConfirmed } from '../helpers/accounts.js';

describe('crash safety of the alert flow (SIGKILL)', () => {
  let dataDir: string;
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let app: Child | undefined;
  let api: ApiClient;
  let baseUrl: string;
  let demoUrl: string;
  let products: DemoProduct[];

  async function boot(): Promise<void> {
    app = runCli(['start'], env);
    await waitUntilUp(`${baseUrl}/readyz`, app);
  }
  async function kill(): Promise<void> {
    const a = app;
    if (!a) return;
    a.process.kill('SIGKILL');
    await a.exited;
    app = undefined;
  }
  const setPrice = (asin: string, price: string) => setDemoPrice(demoUrl, asin, price);
  async function watchBelow(p: DemoProduct, target: string): Promise<number> {
    const added = await api.post('/api/v1/products', { url: p.url });
    expect(added.status).toBe(201);
    const id: number = added.body.product.id;
    const w = await api.post('/api/v1/watches', {
      productId: id,
      rule: { type: 'below', price: target },
    });
    expect(w.status).toBe(201);
    return id;
  }
  const mailsAbout = (p: DemoProduct) => smtp.messages.filter((m) => m.text.includes(p.title));

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricehawk-crash-'));
    await fs.chmod(dataDir, 0o755);
    smtp = await startTestSmtp();
    const port = await freePort();
    const demoPort = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    demoUrl = `http://127.0.0.1:${demoPort}`;
    env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_STORE_PORT: String(demoPort),
      DEMO_STORE_SPEED: '0',
      SMTP_URL: smtp.url,
      POLL_INTERVAL: '100ms',
      LEASE_DURATION: '3s',
      DELIVERY_RETRY_BASE: '300ms',
      LOG_LEVEL: 'warn',
    };
    await boot();
    api = new ApiClient(baseUrl);
    await signUpConfirmed(
      api,
      { email: 'grace@example.com', password: 'hopper1906', name: 'Grace' },
      smtp,
    );
    // Targets below use cents, so no JPY products.
    products = (await listDemoProducts(demoUrl))
      .filter((p) => p.price !== null && p.availability === 'in_stock' && p.currency !== 'JPY')
      .slice(0, 3);
    expect(products).toHaveLength(3);
  }, 120_000);

  afterAll(async () => {
    if (app) {
      app.process.kill('SIGTERM');
      await app.exited;
    }
    await smtp?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('killed while the SMTP server is receiving the alert: it arrives exactly once after restart', async () => {
    const p = products[0] as DemoProduct;
    const id = await watchBelow(p, '1.00');
    const held = smtp.holdNext();
    await setPrice(p.asin, '0.50');
    expect((await api.post(`/api/v1/products/${id}/check`)).status).toBe(202);
    const message = await held; // the email is on the wire, its acceptance not yet acknowledged
    await kill();
    await new Promise((r) => setTimeout(r, 200)); // the server sees the connection drop
    message.release();
    expect(mailsAbout(p)).toHaveLength(0);

    await boot();
    await eventually(
      async () => (mailsAbout(p).length >= 1 ? true : undefined),
      'the alert after restart',
    );
    await new Promise((r) => setTimeout(r, 4000)); // past the lease: a second send would show by now
    expect(mailsAbout(p)).toHaveLength(1);
  });

  it('killed while SMTP is down with the alert queued: it arrives exactly once when both are back', async () => {
    const p = products[1] as DemoProduct;
    const id = await watchBelow(p, '1.00');
    await smtp.stop();
    await setPrice(p.asin, '0.75');
    expect((await api.post(`/api/v1/products/${id}/check`)).status).toBe(202);
    // The alert is committed together with the price: wait until the API shows the new price.
    await eventually(async () => {
      const r = await api.get(`/api/v1/products/${id}`);
      return r.body.product.price?.amount === '0.75' ? true : undefined;
    }, 'the drop to be stored');
    await new Promise((r) => setTimeout(r, 700)); // a failed attempt or two against the dead server
    await kill();
    await smtp.restart();
    await boot();
    await eventually(
      async () => (mailsAbout(p).length >= 1 ? true : undefined),
      'the queued alert',
    );
    await new Promise((r) => setTimeout(r, 4000));
    expect(mailsAbout(p)).toHaveLength(1);
  });

  it('killed after the alert was sent: nothing is sent again, and the account and watches are still there', async () => {
    const p = products[2] as DemoProduct;
    const id = await watchBelow(p, '1.00');
    await setPrice(p.asin, '0.90');
    expect((await api.post(`/api/v1/products/${id}/check`)).status).toBe(202);
    await eventually(async () => (mailsAbout(p).length >= 1 ? true : undefined), 'the alert');
    await new Promise((r) => setTimeout(r, 300)); // its delivery is recorded as sent
    await kill();
    await boot();
    await new Promise((r) => setTimeout(r, 4000));
    expect(mailsAbout(p)).toHaveLength(1);
    expect(smtp.messages.filter(isAlert)).toHaveLength(3);

    const again = new ApiClient(baseUrl);
    expect(
      (
        await again.post('/api/v1/auth/login', {
          email: 'grace@example.com',
          password: 'hopper1906',
        })
      ).status,
    ).toBe(200);
    const watches = await again.get('/api/v1/watches');
    expect(watches.body.watches).toHaveLength(3);
  });

  it('stops cleanly on SIGTERM, and the embedded database with it', async () => {
    const a = app as Child;
    a.process.kill('SIGTERM');
    const exit = await a.exited;
    app = undefined;
    expect(exit.code).toBe(0);
    await expect(fs.access(path.join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow();
  });
});
