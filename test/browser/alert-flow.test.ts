/**
 * The walking skeleton through the web UI in a real Chromium (Debian's, driven by playwright-core):
 * sign up, track a demo store product by pasting its URL, set a target price, see the drop arrive
 * as a notification and as an email in the local mailbox.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { confirmEmail } from '../helpers/accounts.js';
import { ApiClient } from '../helpers/http.js';
import { pickDemoProduct, setDemoPrice, type DemoProduct } from '../helpers/demo.js';

const CHROMIUM = '/usr/bin/chromium';

/** Waits for the element to show (and fails the test with Playwright's message if it does not). */
const visible = (l: Locator, timeout = 10_000) => l.waitFor({ state: 'visible', timeout });

describe('the web UI in Chromium', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let demo: DemoProduct;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    db = await createTestDatabase();
    app = await startTestApp(db.url); // no SMTP_URL: email lands in the local mailbox
    const home = await request(app.url);
    if (!String(home.headers['content-type']).includes('text/html')) {
      throw new Error('the web UI is not built (ui/dist): run npm run build');
    }
    await home.body.dump();
    demo = await pickDemoProduct(app.demoStoreUrl, 'USD');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Playwright gives each launch a fresh temporary profile. Background networking would try to reach Google's hosts from this closed network.
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
    page = await browser.newPage({ locale: 'en-US' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.drop();
  });

  it('signs up', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Name').fill('Linus');
    await page.getByLabel('Email').fill('linus@example.com');
    await page.getByLabel('Password').fill('penguins-rule');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await visible(page.getByRole('button', { name: 'Log out' }));
    // Alerts are emailed only to a confirmed address; the confirmation email sits in the mailbox.
    const api = new ApiClient(app.url);
    await api.post('/api/v1/auth/login', { email: 'linus@example.com', password: 'penguins-rule' });
    await confirmEmail(api, 'linus@example.com');
  });

  it('tracks a product by pasting its URL and shows its price', async () => {
    await page.getByRole('link', { name: 'Add', exact: true }).click();
    await page.getByLabel('Product URL or ASIN').fill(demo.url);
    await page.getByRole('button', { name: 'Track' }).first().click();
    await visible(page.getByRole('heading', { name: demo.title }));
    await visible(page.getByText(`$${demo.price}`).first());
  });

  it('sets a target price and gets the alert as a notification and an email in the mailbox', async () => {
    await page.getByLabel('Target price').fill('5.00');
    await page.getByRole('button', { name: 'Set alert' }).click();
    await visible(page.getByRole('button', { name: 'Delete' }));

    await setDemoPrice(app.demoStoreUrl, demo.asin, '4.49');
    await page.getByRole('button', { name: 'Check now' }).click();
    await visible(page.getByText('$4.49').first(), 20_000);

    await page.getByRole('link', { name: 'Notifications' }).click();
    await visible(page.getByText(demo.title).first());
    await visible(page.getByText('$4.49').first());

    // The notifier sends within a poll or two; the mailbox page shows what has arrived so far.
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.getByRole('link', { name: 'Mailbox' }).click();
      try {
        await visible(page.getByText(/Price drop:/).first(), 1000);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  });
});
