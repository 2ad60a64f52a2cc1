/**
 * Alerts through every channel a user set up, end to end: the app's notifier sending over the
 * providers' real protocols to local stand-ins that check what they receive. One price drop
 * arrives once on each; a provider answering 429 gets it later; one-click unsubscribe turns email
 * off; another user's channels are out of reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpConfirmed } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { pickDemoProduct, setDemoPrice, type DemoProduct } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { isAlert, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { startNtfyStandin, type NtfyStandin } from '../standins/ntfy.js';
import { startTelegramStandin, type TelegramStandin } from '../standins/telegram.js';
import { startTwilioStandin, type TwilioStandin } from '../standins/twilio.js';
import { startWebhookReceiver, type WebhookReceiver } from '../standins/webhook-receiver.js';

const ACCOUNT_SID = 'AC' + '0'.repeat(32);
const AUTH_TOKEN = 'twilio-auth-token-for-tests';
const BOT = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';

describe('alerts through every channel', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let app: TestApp;
  let api: ApiClient;
  let webhook: WebhookReceiver;
  let telegram: TelegramStandin;
  let ntfy: NtfyStandin;
  let twilio: TwilioStandin;
  let demo: DemoProduct;
  let productId: number;
  const secret = { value: 'whsec_' + Buffer.alloc(32).toString('base64') };

  const drop = async (price: string) => {
    await setDemoPrice(app.demoStoreUrl, demo.asin, price);
    const before = new Date();
    await db.pool.query('update products set next_check_at = now() where id = $1', [productId]);
    await eventually(async () => {
      const p = (await api.get(`/api/v1/products/${productId}`)).body.product;
      return p.price?.amount === price && new Date(p.lastCheckedAt) >= before ? true : undefined;
    }, `the check that sees ${price}`);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    // The receiver reads the secret per request: it is only known once the channel is set up.
    webhook = await startWebhookReceiver({
      now: () => new Date(),
      path: '/hook',
      get secret() {
        return secret.value;
      },
    });
    telegram = await startTelegramStandin({ token: BOT });
    telegram.chats.add('4242');
    ntfy = await startNtfyStandin();
    twilio = await startTwilioStandin({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const port = (origin: string) => new URL(origin).port;
    app = await startTestApp(
      db.url,
      {
        SMTP_URL: smtp.url,
        DELIVERY_RETRY_BASE: '200ms',
        TELEGRAM_API_URL: telegram.origin,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+14155550100',
        TWILIO_BASE_URL: twilio.origin,
        FETCH_ALLOW_HOSTS: [
          telegram.host,
          twilio.host,
          `hooks.test:${port(webhook.origin)}`,
          `ntfy.test:${port(ntfy.origin)}`,
        ].join(','),
      },
      undefined,
      { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    api = new ApiClient(app.url);
    await signUpConfirmed(
      api,
      { email: 'channels@example.com', password: 'every-channel', name: 'Chan' },
      smtp,
    );
    demo = await pickDemoProduct(app.demoStoreUrl, 'EUR');
    productId = (await api.post('/api/v1/products', { url: demo.url })).body.product.id;
    expect(
      (await api.post('/api/v1/watches', { productId, rule: { type: 'below', price: '1.00' } }))
        .status,
    ).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    for (const s of [webhook, telegram, ntfy, twilio]) await s?.close();
    await smtp?.stop();
    await db?.drop();
  });

  it('sets up channels, showing the webhook secret once and never the configs', async () => {
    const hook = await api.put('/api/v1/me/channels/webhook', {
      config: { url: `http://hooks.test:${new URL(webhook.origin).port}/hook` },
    });
    expect(hook.status).toBe(200);
    expect(hook.body.reveal.secret).toMatch(/^whsec_/);
    secret.value = hook.body.reveal.secret;
    expect(
      (await api.put('/api/v1/me/channels/telegram', { config: { url: `tgram://${BOT}/4242` } }))
        .status,
    ).toBe(200);
    expect(
      (
        await api.put('/api/v1/me/channels/ntfy', {
          config: { url: `ntfy://ntfy.test:${new URL(ntfy.origin).port}/prices` },
        })
      ).status,
    ).toBe(200);

    expect(
      (await api.post('/api/v1/me/channels/sms/verification', { phone: '+49 151 2345678' })).status,
    ).toBe(202);
    const code = /\b(\d{6})\b/.exec(twilio.messages.at(-1)?.body ?? '')?.[1];
    expect(code).toBeDefined();
    const confirmed = await api.post('/api/v1/me/channels/sms/verification/confirm', { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.channel).toMatchObject({ kind: 'sms', enabled: true, verified: true });

    const list = await api.get('/api/v1/me/channels');
    expect(list.body.channels.map((c: { kind: string }) => c.kind).sort()).toEqual([
      'email',
      'ntfy',
      'sms',
      'telegram',
      'webhook',
    ]);
    expect(JSON.stringify(list.body)).not.toContain(secret.value);
    expect(JSON.stringify(list.body)).not.toContain(BOT);
    expect(list.body.vapidPublicKey).toMatch(/^[\w-]{80,}$/);
  });

  it('sends a test through a channel on request', async () => {
    const r = await api.post('/api/v1/me/channels/telegram/test');
    expect(r.body).toEqual({ ok: true });
    expect(telegram.messages).toHaveLength(1);
  });

  it('delivers one drop once on every channel, with a provider that answered 429 served later', async () => {
    telegram.floodNext(1);
    const smsBefore = twilio.messages.length;
    await drop('0.80');
    await eventually(
      async () =>
        webhook.accepted.length >= 1 &&
        telegram.messages.length >= 2 &&
        ntfy.messages.length >= 1 &&
        twilio.messages.length >= smsBefore + 1 &&
        smtp.messages.filter(isAlert).length >= 1
          ? true
          : undefined,
      'the alert on every channel',
      30_000,
    );
    await eventually(async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from deliveries where state <> 'sent'`,
      );
      return rows[0]?.n === 0 ? true : undefined;
    }, 'the outbox drained');
    expect(webhook.accepted).toHaveLength(1);
    expect(webhook.refused).toEqual([]);
    expect(webhook.accepted[0]?.payload.type).toBe('price.dropped');
    expect(webhook.accepted[0]?.payload.data.price).toEqual({ amount: '0.80', currency: 'EUR' });
    expect(telegram.messages).toHaveLength(2); // the test message, then the alert
    expect(telegram.messages[1]?.visible).toContain(demo.title.slice(0, 20));
    expect(ntfy.messages).toHaveLength(1);
    expect(twilio.messages).toHaveLength(smsBefore + 1);
    expect(twilio.messages.at(-1)?.to).toBe('+491512345678');
    expect(smtp.messages.filter(isAlert)).toHaveLength(1);
    const { rows } = await db.pool.query<{ channel: string; attempts: number }>(
      'select channel, attempts from deliveries order by channel',
    );
    expect(rows.find((r) => r.channel === 'telegram')?.attempts).toBe(2); // 429, then sent
  });

  it('turns alert email off from the one-click unsubscribe link, without a session', async () => {
    const mail = smtp.messages.filter(isAlert)[0];
    // The header may be folded onto a second line, as email allows.
    const header = /List-Unsubscribe:\s*<([^>]+)>/i.exec(mail?.raw ?? '')?.[1];
    expect(header).toBeDefined();
    expect(mail?.raw).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/i);
    expect(header?.startsWith(`${app.url}/api/v1/unsubscribe/`)).toBe(true);
    const path = new URL(header ?? '').pathname;
    const { request } = await import('undici');
    const page = await request(`${app.url}${path}`);
    expect(page.statusCode).toBe(200);
    await page.body.dump();
    expect((await api.get('/api/v1/me')).body.user.notificationPrefs.channels.email.enabled).toBe(
      true,
    );
    const res = await request(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect((await api.get('/api/v1/me')).body.user.notificationPrefs.channels.email.enabled).toBe(
      false,
    );
  });

  it("keeps another user's channels out of reach", async () => {
    const other = new ApiClient(app.url);
    await signUpConfirmed(
      other,
      { email: 'other@example.com', password: 'not-yours-1', name: 'O' },
      smtp,
    );
    const list = (await other.get('/api/v1/me/channels')).body.channels;
    expect(list.map((c: { kind: string }) => c.kind)).toEqual(['email']);
    expect((await other.post('/api/v1/me/channels/telegram/test')).status).toBe(404);
    expect((await other.delete('/api/v1/me/channels/webhook')).status).toBe(404);
    expect((await api.get('/api/v1/me/channels')).body.channels).toHaveLength(5);
  });
});
