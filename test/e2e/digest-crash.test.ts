/**
 * The daily digest in a real `pricehawk start` process killed with SIGKILL: between building the
 * digest and sending it, and while the SMTP server is receiving it. Started again, the digest
 * arrives exactly once. The process runs on a test database so that the test can make a digest due
 * and see its delivery recorded as sent (after which nothing can send it again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpConfirmed } from '../helpers/accounts.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { freePort, runCli, waitUntilUp, type Child } from '../helpers/process.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

describe('crash safety of the daily digest (SIGKILL)', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let app: Child | undefined;
  let baseUrl: string;
  let product: number;

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

  /** A confirmed user with the digest on and two alerts held for it (as apply.ts writes them). */
  async function digestUser(email: string): Promise<number> {
    const api = new ApiClient(baseUrl);
    await signUpConfirmed(api, { email, password: 'digest-pw-1', name: 'D' }, smtp);
    const r = await api.call('PATCH', '/api/v1/me', {
      notificationPrefs: {
        channels: { email: { enabled: true } },
        quietHours: null,
        digest: { enabled: true, hour: 8 },
      },
    });
    expect(r.status).toBe(200);
    const { rows } = await db.pool.query<{ id: number }>('select id from users where email = $1', [
      email,
    ]);
    const id = rows[0]?.id as number;
    await db.pool.query(
      `insert into notifications (user_id, product_id, kind, price_type, price_minor,
         previous_minor, currency, created_at)
       values ($1, $2, 'price_drop', 'buybox', 15000, 20000, 'EUR', now()),
              ($1, $2, 'price_drop', 'buybox', 12000, 15000, 'EUR', now())`,
      [id, product],
    );
    return id;
  }
  const makeDue = (userId: number) =>
    db.pool.query(
      `update digest_schedules set due_at = now() - interval '1 second' where user_id = $1`,
      [userId],
    );
  const digestMails = (to: string) =>
    smtp.messages.filter((m) => m.to === to && m.subject.startsWith('Daily digest'));
  /** Waits until the user's digest delivery is recorded as sent: from then on nothing resends it. */
  const sent = (userId: number) =>
    eventually(async () => {
      const { rows } = await db.pool.query<{ state: string }>(
        `select d.state from deliveries d join digests g on g.id = d.digest_id
          where g.user_id = $1`,
        [userId],
      );
      return rows.length === 1 && rows[0]?.state === 'sent' ? true : undefined;
    }, 'the digest delivery recorded as sent');

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_STORE: 'false',
      SMTP_URL: smtp.url,
      POLL_INTERVAL: '100ms',
      LEASE_DURATION: '3s',
      DELIVERY_RETRY_BASE: '300ms',
      LOG_LEVEL: 'warn',
    };
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into products (store, marketplace, external_id, url, title, currency)
       values ('demo', 'demo.de', 'CRASH1', 'https://demo.example/dp/CRASH1', 'Kettle', 'EUR')
       returning id`,
    );
    product = rows[0]?.id as number;
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

  it('killed after building the digest, before sending it: it arrives once after restart', async () => {
    const u = await digestUser('built@example.com');
    await smtp.stop(); // the send cannot happen
    await makeDue(u);
    await eventually(async () => {
      const { rows } = await db.pool.query('select 1 from digests where user_id = $1', [u]);
      return rows.length === 1 ? true : undefined;
    }, 'the digest built');
    await kill();
    await smtp.restart();
    await boot();
    await sent(u);
    expect(digestMails('built@example.com')).toHaveLength(1);
    expect(digestMails('built@example.com')[0]?.text).toContain('€120.00 (was €150.00');
    const { rows } = await db.pool.query<{ n: number }>(
      'select count(*)::int as n from digests where user_id = $1',
      [u],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('killed while the SMTP server is receiving the digest: it arrives once after restart', async () => {
    const u = await digestUser('wire@example.com');
    const gate = smtp.holdAfter(0);
    await makeDue(u);
    await gate.held; // on the wire, its acceptance not yet acknowledged
    await kill();
    await gate.dropHeld(); // the server saw the connection drop: that copy is not delivered
    expect(digestMails('wire@example.com')).toHaveLength(0);
    await boot();
    await sent(u);
    const mails = digestMails('wire@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.messageId).toMatch(/^<digest-\d+-\d{4}-\d{2}-\d{2}@localhost>$/);
  });
});
