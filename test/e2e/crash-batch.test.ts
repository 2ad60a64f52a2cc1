/**
 * The notifier killed with SIGKILL in the middle of a batch of alerts: some accepted by the SMTP
 * server, some on the wire with their acceptance held back, the rest still queued. After a
 * restart every alert arrives, and none twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpConfirmed } from '../helpers/accounts.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { listDemoProducts, setDemoPrice } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { freePort, runCli, waitUntilUp, type Child } from '../helpers/process.js';
import { isAlert, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const ALERTS = 12;
const ACCEPTED_BEFORE_KILL = 4;

describe('notifier killed with SIGKILL in the middle of a batch', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let app: Child | undefined;
  let baseUrl: string;
  let demoUrl: string;

  async function boot(): Promise<void> {
    app = runCli(['start'], env);
    await waitUntilUp(`${baseUrl}/readyz`, app);
  }
  const emailDeliveries = async (state?: string) =>
    Number(
      (
        await db.pool.query<{ n: string }>(
          `select count(*) as n from deliveries where channel = 'email'
             and ($1::text is null or state = $1)`,
          [state ?? null],
        )
      ).rows[0]?.n,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    const [port, demoPort] = [await freePort(), await freePort()];
    baseUrl = `http://127.0.0.1:${port}`;
    demoUrl = `http://127.0.0.1:${demoPort}`;
    env = {
      DATABASE_URL: db.url,
      DEMO_STORE: 'true',
      DEMO_STORE_PORT: String(demoPort),
      DEMO_STORE_SPEED: '0',
      SMTP_URL: smtp.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      POLL_INTERVAL: '100ms',
      LEASE_DURATION: '3s',
      DELIVERY_RETRY_BASE: '300ms',
      LOG_LEVEL: 'warn',
    };
    await boot();
  }, 120_000);

  afterAll(async () => {
    if (app) {
      app.process.kill('SIGTERM');
      await app.exited;
    }
    await smtp?.stop();
    await db?.drop();
  });

  it('delivers every alert of the batch exactly once after a restart', async () => {
    const api = new ApiClient(baseUrl);
    await signUpConfirmed(
      api,
      { email: 'katherine@example.com', password: 'johnson1918', name: 'Katherine' },
      smtp,
    );
    // Targets in cents: no JPY products.
    const products = (await listDemoProducts(demoUrl))
      .filter((p) => p.price !== null && p.availability === 'in_stock' && p.currency !== 'JPY')
      .slice(0, ALERTS);
    expect(products).toHaveLength(ALERTS);
    const ids: number[] = [];
    for (const p of products) {
      const added = await api.post('/api/v1/products', { url: p.url });
      expect(added.status).toBe(201);
      ids.push(added.body.product.id);
      const w = await api.post('/api/v1/watches', {
        productId: added.body.product.id,
        rule: { type: 'below', price: '1.00' },
      });
      expect(w.status).toBe(201);
    }

    const gate = smtp.holdAfter(ACCEPTED_BEFORE_KILL);
    for (const [i, p] of products.entries()) {
      await setDemoPrice(demoUrl, p.asin, '0.50');
      expect((await api.post(`/api/v1/products/${ids[i]}/check`)).status).toBe(202);
    }
    await gate.held;
    // Every alert is in the outbox, the first ones are recorded as sent, and at least one is on
    // the wire waiting for its acceptance: the middle of a batch.
    await eventually(
      async () => ((await emailDeliveries()) === ALERTS ? true : undefined),
      'every alert in the outbox',
    );
    await eventually(
      async () => ((await emailDeliveries('sent')) === ACCEPTED_BEFORE_KILL ? true : undefined),
      'the accepted alerts recorded as sent',
    );
    expect(smtp.messages.filter(isAlert)).toHaveLength(ACCEPTED_BEFORE_KILL);
    expect(gate.heldCount()).toBeGreaterThan(0);

    app?.process.kill('SIGKILL');
    await app?.exited;
    app = undefined;
    await gate.dropHeld();
    expect(await emailDeliveries('sent')).toBe(ACCEPTED_BEFORE_KILL);

    await boot();
    await eventually(
      async () => ((await emailDeliveries('sent')) === ALERTS ? true : undefined),
      'every alert sent after the restart',
      30_000,
    );
    // Nothing is left to send, so nothing else can arrive.
    const alerts = smtp.messages.filter(isAlert);
    expect(alerts).toHaveLength(ALERTS);
    expect(new Set(alerts.map((m) => m.messageId)).size).toBe(ALERTS);
    for (const p of products) {
      expect(alerts.filter((m) => m.text.includes(p.title))).toHaveLength(1);
    }
  });
});
