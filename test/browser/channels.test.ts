/**
 * Alert channels, web push and the inbox through the web UI in a real Chromium (Debian's, driven by
 * playwright-core), against the whole product in this process and local stand-ins for the
 * providers: a webhook receiver that verifies Standard Webhooks signatures by hand, an ntfy server
 * and a Twilio-compatible SMS API.
 *
 * Web push, what is real and what is not: the service worker (/sw.js as served by the app) is
 * registered by the settings page for real, receives a push event through Chromium's DevTools
 * protocol (ServiceWorker.deliverPushMessage, carrying the payload the server's webPushPayload()
 * writes; made again when Chromium loses a delivery before the event fires, see deliverPush) and
 * shows a real notification, read back with registration.getNotifications(). The
 * click is a NotificationEvent dispatched inside the worker (Chromium has no way to click a
 * notification from a test), so focusing and opening new windows, which need the user activation
 * of a real click, are not covered. PushManager.subscribe is replaced by a stub in the page:
 * headless Chromium here cannot subscribe (a Playwright context is off the record, which refuses
 * with "permission denied"; a persistent profile waits forever for Google's push service, which
 * is unreachable). So the encryption to a real browser's push service is not covered here; the
 * server's side of it is tested against a decrypting stand-in in src/notify/channels.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPushPayload } from '../../src/notify/channels/webpush.js';
import { confirmEmail } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { pickDemoProduct, setDemoPrice, type DemoProduct } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { startNtfyStandin, type NtfyStandin } from '../standins/ntfy.js';
import { startTwilioStandin, type TwilioStandin } from '../standins/twilio.js';
import { startWebhookReceiver, type WebhookReceiver } from '../standins/webhook-receiver.js';

const CHROMIUM = '/usr/bin/chromium';
const ACCOUNT_SID = 'AC' + '1'.repeat(32);
const AUTH_TOKEN = 'twilio-auth-token-for-browser-tests';
const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical-engine';

/** Waits for the element to show (and fails the test with Playwright's message if it does not). */
const visible = (l: Locator, timeout = 10_000) => l.waitFor({ state: 'visible', timeout });
const gone = (l: Locator, timeout = 10_000) => l.waitFor({ state: 'detached', timeout });

/** A subscription as a browser's push service would hand it out: real P-256 keys, https. */
function fakeSubscription() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.net/wpush/${randomBytes(12).toString('hex')}`,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}

/**
 * Replaces PushManager.subscribe/getSubscription in every page of the context: records what the
 * page asked for and answers with `sub`, as a push service would.
 */
async function stubPushService(
  ctx: BrowserContext,
  sub: ReturnType<typeof fakeSubscription>,
): Promise<void> {
  // Runs in the page (the test's tsconfig has no DOM types, hence `any`).
  await ctx.addInitScript((s) => {
    const g = globalThis as any;
    const stub: { calls: any[]; sub: any } = { calls: [], sub: null };
    g.__push = stub;
    g.PushManager.prototype.subscribe = async (options: any) => {
      const key = new Uint8Array(options.applicationServerKey);
      stub.calls.push({ userVisibleOnly: options.userVisibleOnly, key: Array.from(key) });
      const json = {
        endpoint: s.endpoint,
        expirationTime: null,
        keys: { p256dh: s.p256dh, auth: s.auth },
      };
      stub.sub = {
        endpoint: s.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: options.userVisibleOnly, applicationServerKey: key.buffer },
        toJSON: () => json,
        getKey: () => null,
        unsubscribe: async () => {
          stub.sub = null;
          return true;
        },
      };
      return stub.sub;
    };
    g.PushManager.prototype.getSubscription = async () => stub.sub;
  }, sub);
}

describe('alert channels, web push and the inbox in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let api: ApiClient;
  let webhook: WebhookReceiver;
  let ntfy: NtfyStandin;
  let twilio: TwilioStandin;
  let demo: DemoProduct;
  let productId: number;
  const push = fakeSubscription();
  const secret = { value: 'whsec_' + Buffer.alloc(32).toString('base64') };

  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const mainNav = () => page.getByRole('navigation', { name: 'Main' });

  async function logIn(p: Page): Promise<void> {
    await p.goto(`${app.url}/login`);
    await p.getByLabel('Email').fill(EMAIL);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Log in' }).click();
    await visible(p.getByRole('button', { name: 'Log out' }));
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    db = await createTestDatabase();
    // The receiver reads the secret per request: it is known once the UI has shown it.
    webhook = await startWebhookReceiver({
      now: () => new Date(),
      path: '/hook',
      get secret() {
        return secret.value;
      },
    });
    ntfy = await startNtfyStandin();
    twilio = await startTwilioStandin({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const port = (origin: string) => new URL(origin).port;
    app = await startTestApp(
      db.url,
      {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+14155550100',
        TWILIO_BASE_URL: twilio.origin,
        FETCH_ALLOW_HOSTS: [
          twilio.host,
          `hooks.test:${port(webhook.origin)}`,
          `ntfy.test:${port(ntfy.origin)}`,
        ].join(','),
      },
      undefined,
      // Provider names (hooks.test, ntfy.test) answer on loopback, where the stand-ins listen.
      { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    const home = await request(app.url);
    if (!String(home.headers['content-type']).includes('text/html')) {
      throw new Error('the web UI is not built (ui/dist): run npm run build');
    }
    await home.body.dump();
    demo = await pickDemoProduct(app.demoStoreUrl, 'USD');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Background networking would try to reach Google's hosts from this closed network.
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
    ctx = await browser.newContext({ locale: 'en-US' });
    await ctx.grantPermissions(['notifications'], { origin: app.url });
    await stubPushService(ctx, push);
    page = await ctx.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    for (const s of [webhook, ntfy, twilio]) await s?.close();
    await db?.drop();
  });

  it('serves the service worker as JavaScript at the root, so it may control every page', async () => {
    const res = await request(`${app.url}/sw.js`);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^(text|application)\/javascript/);
    // A worker at /sw.js gets the scope / without a Service-Worker-Allowed header.
    expect(await res.body.text()).toContain("addEventListener('push'");
  });

  it('lists every channel the server offers', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await visible(page.getByRole('button', { name: 'Log out' }));
    api = new ApiClient(app.url);
    await api.post('/api/v1/auth/login', { email: EMAIL, password: PASSWORD });
    await confirmEmail(api, EMAIL);

    const offered = (await api.get('/api/v1/me/channels')).body.available as string[];
    expect(offered).toEqual(
      expect.arrayContaining(['email', 'webpush', 'sms', 'webhook', 'telegram', 'ntfy']),
    );
    await page.goto(`${app.url}/settings#channels`);
    const names: Record<string, string> = {
      email: 'Email',
      webpush: 'Push notifications',
      sms: 'Text message (SMS)',
      webhook: 'Webhook',
      telegram: 'Telegram',
      discord: 'Discord',
      slack: 'Slack',
      ntfy: 'ntfy',
    };
    for (const kind of offered) {
      await visible(
        region(names[kind] ?? kind).getByRole('heading', { name: names[kind], exact: true }),
      );
    }
    await visible(region('Webhook').getByText('Not set up'));
  });

  it('sets up a webhook, shows its signing secret once, and a test arrives signed with it', async () => {
    const card = region('Webhook');
    await card.getByRole('button', { name: 'Set up Webhook' }).click();
    await card
      .getByLabel('Webhook URL')
      .fill(`http://hooks.test:${new URL(webhook.origin).port}/hook`);
    await card.getByRole('button', { name: 'Save Webhook' }).click();
    const shown = card.getByRole('textbox', { name: 'Signing secret' });
    await visible(shown);
    secret.value = await shown.inputValue();
    expect(secret.value).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await visible(card.getByText('On', { exact: true }));

    await card.getByRole('button', { name: 'Send a test' }).click();
    await visible(card.getByText('Test sent.'));
    expect(webhook.refused).toEqual([]);
    expect(webhook.accepted).toHaveLength(1);

    // Once dismissed (or after a reload) the secret is nowhere on the page.
    await card.getByRole('button', { name: 'I have copied it' }).click();
    await gone(card.getByRole('textbox', { name: 'Signing secret' }));
    await page.reload();
    await visible(region('Webhook').getByText(/^Webhook to http:\/\/hooks\.test:\d+\/…$/));
    expect(await page.content()).not.toContain(secret.value.slice('whsec_'.length));
  });

  it('shows a failed test with its error and says it will not fix itself', async () => {
    const card = region('Webhook');
    webhook.forceNext({ status: 404, body: 'no such hook' });
    await card.getByRole('button', { name: 'Send a test' }).click();
    await visible(card.getByText('The test failed:'));
    await visible(card.getByText('HTTP 404: no such hook', { exact: false }));
    await visible(card.getByText('This will keep failing until the settings are fixed.'));
  });

  it('refuses an ntfy URL it cannot use, then sets up ntfy and a test arrives', async () => {
    const card = region('ntfy');
    await card.getByRole('button', { name: 'Set up ntfy' }).click();
    const field = card.getByLabel('ntfy URL');
    await field.fill('ntfy://not a topic!');
    await card.getByRole('button', { name: 'Save ntfy' }).click();
    await visible(card.locator('.field-error'));
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await visible(card.getByText('Not set up'));

    await field.fill(`ntfy://ntfy.test:${new URL(ntfy.origin).port}/prices`);
    await card.getByRole('button', { name: 'Save ntfy' }).click();
    await visible(card.getByText('On', { exact: true }));
    await card.getByRole('button', { name: 'Send a test' }).click();
    await visible(card.getByText('Test sent.'));
    expect(ntfy.messages).toHaveLength(1);
    expect(ntfy.messages[0]?.topic).toBe('prices');
    expect(`${ntfy.messages[0]?.title} ${ntfy.messages[0]?.message}`).toContain(
      'Pricehawk test alert',
    );
  });

  it('confirms a phone number with the texted code before SMS alerts start', async () => {
    const card = region('Text message (SMS)');
    await card.getByRole('button', { name: 'Set up Text message (SMS)' }).click();
    await card.getByLabel('Mobile number').fill('+49 151 2345678');
    await card.getByRole('button', { name: 'Text me a code' }).click();
    await visible(card.getByText('We texted a code to'));
    const code = /\b(\d{6})\b/.exec(twilio.messages.at(-1)?.body ?? '')?.[1];
    expect(code).toBeDefined();
    expect(twilio.messages.at(-1)?.to).toBe('+491512345678');

    // A wrong code is refused on the field; the right one turns SMS on.
    const wrong = code === '000000' ? '111111' : '000000';
    await card.getByLabel('Code').fill(wrong);
    await card.getByRole('button', { name: 'Confirm number' }).click();
    await visible(card.getByText(/Wrong code; \d attempts left/));
    await card.getByLabel('Code').fill(code ?? '');
    await card.getByRole('button', { name: 'Confirm number' }).click();
    await visible(card.getByText('On', { exact: true }));
    await visible(card.getByText('SMS to +49…678'));

    const before = twilio.messages.length;
    await card.getByRole('button', { name: 'Send a test' }).click();
    await visible(card.getByText('Test sent.'));
    expect(twilio.messages).toHaveLength(before + 1);
  });

  it('turns a channel off and on', async () => {
    const card = region('ntfy');
    const toggle = card.getByLabel('Send alerts here');
    await toggle.uncheck();
    await visible(card.getByText('Off', { exact: true }));
    let ntfyRow = (await api.get('/api/v1/me/channels')).body.channels.find(
      (c: { kind: string }) => c.kind === 'ntfy',
    );
    expect(ntfyRow.enabled).toBe(false);
    await toggle.check();
    await visible(card.getByText('On', { exact: true }));
    ntfyRow = (await api.get('/api/v1/me/channels')).body.channels.find(
      (c: { kind: string }) => c.kind === 'ntfy',
    );
    expect(ntfyRow.enabled).toBe(true);
  });

  it('shows an alert unread in the inbox; reading it updates the badge', async () => {
    productId = (await api.post('/api/v1/products', { url: demo.url })).body.product.id;
    const watch = await api.post('/api/v1/watches', {
      productId,
      rule: { type: 'below', price: '1.00' },
    });
    expect(watch.status).toBe(201);
    // The webhook says "gone" to this alert: a permanent failure the settings must show.
    webhook.answerWith({ status: 410 });
    await setDemoPrice(app.demoStoreUrl, demo.asin, '0.99');
    await db.pool.query('update products set next_check_at = now() where id = $1', [productId]);
    await eventually(async () => {
      const inbox = await api.get('/api/v1/notifications');
      return inbox.body.notifications.length > 0 ? true : undefined;
    }, 'the alert in the inbox');

    await mainNav()
      .getByRole('link', { name: /^Notifications/ })
      .click();
    await visible(mainNav().getByRole('link', { name: 'Notifications 1 unread' }));
    await visible(page.getByRole('status').getByText('1 unread'));
    const title = page.getByRole('link', { name: demo.title });
    await visible(title);
    await visible(page.getByText('Unread:', { exact: false }));

    await page.getByRole('button', { name: `Mark “${demo.title}” read` }).click();
    await visible(mainNav().getByRole('link', { name: 'Notifications', exact: true }));
    await visible(page.getByText('All read', { exact: true }));
    expect((await api.get('/api/v1/notifications?unread=true')).body.unread).toBe(0);

    await page.getByRole('button', { name: `Mark “${demo.title}” unread` }).click();
    await visible(mainNav().getByRole('link', { name: 'Notifications 1 unread' }));

    // Unread only, then mark all read: nothing is left unread.
    await page.getByRole('button', { name: 'Unread only' }).click();
    await visible(page.getByRole('link', { name: demo.title }));
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await visible(mainNav().getByRole('link', { name: 'Notifications', exact: true }));
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('button', { name: 'Unread only' }).click();
    await visible(page.getByRole('heading', { name: 'Nothing unread' }));
  });

  it('pages through a long inbox with "Load more"', async () => {
    // 30 older alerts (smaller ids) behind the one from the check: two pages of 25.
    const { rows } = await db.pool.query<{ user_id: number }>(
      'select user_id from notifications where product_id = $1 limit 1',
      [productId],
    );
    const userId = rows[0]?.user_id;
    expect(userId).toBeDefined();
    await db.pool.query(
      `insert into notifications (user_id, product_id, kind, price_type, price_minor, currency, created_at, read_at)
       select $1, $2, 'price_drop', 'buybox', 100 + g, 'USD', now() - make_interval(days => g), now()
         from generate_series(1, 30) g`,
      [userId, productId],
    );
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const items = page.getByRole('list', { name: 'Alerts' }).getByRole('listitem');
    await visible(page.getByRole('button', { name: 'Load more' }));
    expect(await items.count()).toBe(25);
    await page.getByRole('button', { name: 'Load more' }).click();
    // The second page holds the last 6: no third page is offered.
    await visible(items.nth(30));
    expect(await items.count()).toBe(31);
    expect(await page.getByRole('button', { name: /Load more|Loading/ }).count()).toBe(0);
  });

  it('shows a channel that failed for good, with its error', async () => {
    await eventually(async () => {
      const list = await api.get('/api/v1/me/channels');
      const hook = list.body.channels.find((c: { kind: string }) => c.kind === 'webhook');
      return hook?.lastError ? true : undefined;
    }, 'the webhook failure recorded');
    webhook.answerWith(null);
    await page.goto(`${app.url}/settings#channels`);
    const card = region('Webhook');
    await visible(card.getByText('Alerts here failed for good'));
    await visible(card.getByText('webhook_gone: the endpoint answered 410 Gone'));
    // 410 means "stop sending here": the channel is off until turned on again.
    await visible(card.getByText('Off', { exact: true }));
  });

  it('removes a channel', async () => {
    const card = region('Webhook');
    await card.getByRole('button', { name: 'Remove' }).click();
    await card
      .getByRole('group', { name: 'Remove Webhook?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await visible(card.getByText('Not set up'));
    const kinds = (await api.get('/api/v1/me/channels')).body.channels.map(
      (c: { kind: string }) => c.kind,
    );
    expect(kinds).not.toContain('webhook');
  });

  it('turns push on in this browser: service worker, subscription with the server key, device listed', async () => {
    const card = region('Push notifications');
    await card.getByRole('button', { name: 'Enable push on this device' }).click();
    await visible(card.getByText('Push notifications are on in this browser.', { exact: false }));
    await visible(card.getByText('This device', { exact: true }));
    await visible(card.getByText('Via push.example.net', { exact: false }));

    const asked = await page.evaluate(() => (globalThis as any).__push.calls);
    const vapid = (await api.get('/api/v1/me/channels')).body.vapidPublicKey as string;
    expect(asked).toEqual([
      { userVisibleOnly: true, key: Array.from(Buffer.from(vapid, 'base64url')) },
    ]);
    const scriptUrl = await page.evaluate(async () => {
      const reg = await (globalThis as any).navigator.serviceWorker.getRegistration('/');
      return (reg?.active?.scriptURL as string | undefined) ?? null;
    });
    expect(scriptUrl).toBe(`${app.url}/sw.js`);
    const devices = (await api.get('/api/v1/me/push-subscriptions')).body.subscriptions;
    expect(devices).toHaveLength(1);
    expect(devices[0].host).toBe('push.example.net');
  });

  it('shows a pushed alert as a notification and takes an open window to the product on click', async () => {
    const cdp = await ctx.newCDPSession(page);
    // The worker's versions as Chromium reports them: a push is delivered to the registration's
    // activated version, so wait for one (an "activating" worker may not take it yet). Errors
    // the worker reports go into the failure message of anything that times out below.
    const versions = new Map<
      string,
      { registrationId: string; scriptURL: string; status: string; runningStatus: string }
    >();
    const workerErrors: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) versions.set(v.versionId, v);
    });
    cdp.on('ServiceWorker.workerErrorReported', (e) =>
      workerErrors.push(`${e.errorMessage.errorMessage} (${e.errorMessage.sourceURL})`),
    );
    await cdp.send('ServiceWorker.enable');
    const describeWorker = () =>
      JSON.stringify({ versions: [...versions.values()], errors: workerErrors });
    const swUrl = `${app.url}/sw.js`;
    /**
     * Delivers a push through DevTools and waits until the worker's push event has fired. Chromium
     * has been seen (under load, once in several full runs) to accept a delivery and never fire the
     * event: that lost delivery is the harness's, not ours, so it is made again (at most three
     * times), while what the worker does with a push that did arrive is asserted strictly below.
     * The count comes from a listener the test adds to the running worker.
     */
    const deliverPush = async (data: string): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        const worker =
          ctx.serviceWorkers().find((w) => w.url() === swUrl) ??
          (await ctx.waitForEvent('serviceworker'));
        const before = await worker.evaluate(() => {
          const sw = globalThis as any;
          if (!sw.__pushTap) {
            sw.__pushTap = { events: 0 };
            sw.addEventListener('push', () => sw.__pushTap.events++);
          }
          return sw.__pushTap.events as number;
        });
        await cdp.send('ServiceWorker.deliverPushMessage', {
          origin: app.url,
          registrationId,
          data,
        });
        const arrived = await eventually(
          async () => {
            const now = await worker
              .evaluate(() => (globalThis as any).__pushTap?.events as number | undefined)
              .catch(() => undefined);
            return now !== undefined && now > before ? true : undefined;
          },
          'the push event',
          10_000,
        ).catch(() => false);
        if (arrived) return;
        if (attempt === 3) {
          throw new Error(`three push deliveries never reached the worker: ${describeWorker()}`);
        }
      }
    };
    const registrationId = await eventually(
      async () =>
        [...versions.values()].find(
          (v) => v.scriptURL === `${app.url}/sw.js` && v.status === 'activated',
        )?.registrationId,
      'an activated service worker',
    );
    const productUrl = `${app.url}/products/${productId}`;
    const payload = webPushPayload({
      notificationId: 4242,
      userId: 1,
      kind: 'price_drop',
      productId,
      productTitle: demo.title,
      productPageUrl: productUrl,
      storeUrl: demo.url,
      imageUrl: null,
      price: { minor: 99, currency: 'USD' },
      previous: { minor: 1999, currency: 'USD' },
      target: { minor: 100, currency: 'USD' },
      watch: null,
      userName: 'Ada',
      locale: 'en-US',
      currencyDisplay: 'symbol',
      createdAt: new Date(),
    });
    await deliverPush(JSON.stringify(payload));
    const shown = () =>
      page.evaluate(async () => {
        const reg = await (globalThis as any).navigator.serviceWorker.ready;
        return ((await reg.getNotifications()) as any[]).map((n) => ({
          title: n.title as string,
          body: n.body as string,
          tag: n.tag as string,
          data: n.data as unknown,
        }));
      });
    const notifications = await eventually(
      async () => ((await shown()).length > 0 ? shown() : undefined),
      () => `the notification; the worker: ${describeWorker()}`,
    );
    expect(notifications).toEqual([
      {
        title: payload.title,
        body: payload.body,
        tag: 'pricehawk-alert-4242',
        data: { url: productUrl },
      },
    ]);

    await page.goto(`${app.url}/notifications`);
    const worker =
      ctx.serviceWorkers().find((w) => w.url() === `${app.url}/sw.js`) ??
      (await ctx.waitForEvent('serviceworker'));
    await worker.evaluate(async () => {
      const sw = globalThis as any;
      const [n] = await sw.registration.getNotifications();
      if (!n) throw new Error('no notification to click');
      sw.dispatchEvent(new sw.NotificationEvent('notificationclick', { notification: n }));
    });
    await page.waitForURL(productUrl);
    await visible(page.getByRole('heading', { name: demo.title }));
    expect(await shown()).toEqual([]);

    // A push that is not the server's JSON still shows something (userVisibleOnly), leading to
    // the inbox.
    await deliverPush('not json');
    const generic = await eventually(
      async () => ((await shown()).length > 0 ? shown() : undefined),
      () => `the generic notification; the worker: ${describeWorker()}`,
    );
    expect(generic).toEqual([
      {
        title: 'Pricehawk',
        body: 'A price you watch has changed.',
        tag: '',
        data: { url: `${app.url}/notifications` },
      },
    ]);
  });

  it('turns push off in this browser', async () => {
    await page.goto(`${app.url}/settings#channels`);
    const card = region('Push notifications');
    // A reload forgets the stubbed subscription, so this browser is no longer "on": enable again.
    await card.getByRole('button', { name: 'Enable push on this device' }).click();
    await visible(card.getByText('This device', { exact: true }));
    await card.getByRole('button', { name: 'Turn off on this device' }).click();
    await visible(card.getByText('No devices yet'));
    expect((await api.get('/api/v1/me/push-subscriptions')).body.subscriptions).toEqual([]);
  });

  it('keeps a daily digest preference with its hour', async () => {
    await page.goto(`${app.url}/settings#notifications`);
    const prefs = region('Notifications');
    await prefs.getByLabel('Daily digest').check();
    await prefs.getByLabel('Send it at').selectOption({ label: '7:00 PM' });
    await prefs.getByRole('button', { name: 'Save notifications' }).click();
    await visible(prefs.getByText('Notification settings saved.'));
    const me = (await api.get('/api/v1/me')).body.user;
    expect(me.notificationPrefs.digest).toEqual({ enabled: true, hour: 19 });
    // The other preferences are unchanged by it.
    expect(me.notificationPrefs.channels.email.enabled).toBe(true);

    await page.reload();
    const again = region('Notifications');
    expect(await again.getByLabel('Daily digest').isChecked()).toBe(true);
    expect(await again.getByLabel('Send it at').inputValue()).toBe('19');
    await again.getByLabel('Daily digest').uncheck();
    await again.getByRole('button', { name: 'Save notifications' }).click();
    await visible(again.getByText('Notification settings saved.'));
    expect((await api.get('/api/v1/me')).body.user.notificationPrefs.digest).toEqual({
      enabled: false,
      hour: 19,
    });
  });

  it('says so when notifications are blocked, and when the browser has no push', async () => {
    const blocked = await browser.newContext({ locale: 'en-US' });
    const old = await browser.newContext({ locale: 'en-US' });
    try {
      const p1 = await blocked.newPage();
      await logIn(p1);
      await p1.goto(`${app.url}/settings#channels`);
      const card1 = p1.getByRole('region', { name: 'Push notifications', exact: true });
      await card1.getByRole('button', { name: 'Enable push on this device' }).click();
      await visible(card1.getByText('Notifications are blocked for this site.').first());

      await old.addInitScript(() => {
        delete (globalThis as any).PushManager;
      });
      const p2 = await old.newPage();
      await logIn(p2);
      await p2.goto(`${app.url}/settings#channels`);
      const card2 = p2.getByRole('region', { name: 'Push notifications', exact: true });
      await visible(
        card2.getByText('This browser cannot receive push notifications.', { exact: false }),
      );
      expect(await card2.getByRole('button', { name: 'Enable push on this device' }).count()).toBe(
        0,
      );
    } finally {
      await blocked.close();
      await old.close();
    }
  });
});
