/**
 * Accounts through the web UI in a real Chromium: sign up with a name that looks like HTML (it
 * must stay text), confirm the address from the banner and the emailed link, reset a forgotten
 * password, change the profile, create an API token and use it, take one's data, and log out
 * everywhere. Email lands in the local mailbox (no SMTP_URL), read through the API.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient, eventually } from '../helpers/http.js';

const CHROMIUM = '/usr/bin/chromium';

const NAME = '<img src=x onerror=alert(1)>Eve';
const EMAIL = 'eve@example.com';
const PASSWORD = 'first-password-1';
const NEW_PASSWORD = 'second-password-2';

/** Waits for the element to show (and fails the test with Playwright's message if it does not). */
const visible = (l: Locator, timeout = 10_000) => l.waitFor({ state: 'visible', timeout });
const gone = (l: Locator, timeout = 10_000) => l.waitFor({ state: 'hidden', timeout });

interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

describe('accounts in the web UI', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  /** The same account over HTTP, to read its mailbox and to hold a second session. */
  let api: ApiClient;
  const dialogs: string[] = [];

  /** The newest link to `path` in the newest of at least `count` emails whose subject starts so. */
  const mailedLink = (subject: string, path: string, count = 1) =>
    eventually(async () => {
      const box = await api.get('/api/v1/mailbox');
      const mails = (box.body.messages as Mail[]).filter((m) => m.subject.startsWith(subject));
      if (mails.length < count) return undefined;
      // Newest first. The server's PUBLIC_URL is not this test server's address: keep the path.
      const m = new RegExp(`https?://\\S+${path}\\?token=\\S+`).exec(mails[0]?.text ?? '');
      if (!m) return undefined;
      const url = new URL(m[0]);
      return `${app.url}${url.pathname}${url.search}`;
    }, `email "${subject}" number ${count}`);

  const bearer = async (token: string) => {
    const res = await request(`${app.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  };

  /** The name is shown, and never as markup: no image element, no script run. */
  const expectNoInjection = async () => {
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  };

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
    api = new ApiClient(app.url);
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
    // A time zone other than the server's default (UTC): sign-up takes the browser's.
    page = await browser.newPage({ locale: 'en-US', timezoneId: 'Europe/Paris' });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.drop();
  });

  it('signs up with a name that looks like HTML and shows it as text', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Name').fill(NAME);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();

    const header = page.getByRole('banner');
    await visible(header.getByRole('button', { name: 'Log out' }));
    await visible(header.getByText(NAME, { exact: true }));
    await visible(page.getByText('Confirm your email address to get alerts by email'));
    await expectNoInjection();
  });

  it('sends the link again from the banner; following the emailed link confirms the address', async () => {
    await page.getByRole('button', { name: 'Send the link again' }).click();
    await visible(page.getByText(`A new link is on its way to ${EMAIL}.`));

    expect(
      (await api.post('/api/v1/auth/login', { email: EMAIL, password: PASSWORD })).status,
    ).toBe(200);
    // Only the newest link works: wait for the second email.
    const link = await mailedLink('Confirm your email', '/verify-email', 2);
    await page.goto(link);
    await visible(page.getByRole('heading', { name: 'Your email address is confirmed' }));
    await page.getByRole('link', { name: 'Go to your watchlist' }).click();
    await visible(page.getByRole('heading', { name: 'Start watching a price' }));
    expect(await page.getByText('Confirm your email address to get alerts by email').count()).toBe(
      0,
    );
    expect((await api.get('/api/v1/me')).body.user.emailVerified).toBe(true);
    await expectNoInjection();
  });

  it('resets a forgotten password from the emailed link and is then logged in', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Log out' }).click();
    await visible(page.getByRole('heading', { name: 'Log in' }));
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await visible(page.getByText('If this address has an account, a link to reset its password'));

    const link = await mailedLink('Reset your Pricehawk password', '/reset-password');
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();

    await visible(page.getByRole('banner').getByRole('button', { name: 'Log out' }));
    await visible(page.getByText('Your new password is set and you are logged in.'));
    await visible(page.getByRole('heading', { name: 'Start watching a price' }));
    // A reset logs out every other session, such as the API client's.
    expect((await api.get('/api/v1/me')).status).toBe(401);
    expect(
      (await api.post('/api/v1/auth/login', { email: EMAIL, password: NEW_PASSWORD })).status,
    ).toBe(200);
    await expectNoInjection();
  });

  it('changes the time zone in the profile', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await visible(page.getByRole('heading', { name: 'Settings', exact: true }));
    const profile = page.getByRole('region', { name: 'Profile' });
    expect(await profile.getByLabel('Name').inputValue()).toBe(NAME);
    // Sign-up took the browser's time zone instead of the server's default.
    expect(await profile.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');

    await profile.getByLabel('Time zone').fill('Asia/Tokyo');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await visible(profile.getByText('Profile saved.'));
    expect((await api.get('/api/v1/me')).body.user.timeZone).toBe('Asia/Tokyo');

    await page.reload();
    await visible(page.getByRole('heading', { name: 'Settings', exact: true }));
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    await visible(page.getByRole('banner').getByText(NAME, { exact: true }));
    await expectNoInjection();
  });

  it('creates an API token, shows its secret once, and the secret works as a Bearer token', async () => {
    const tokens = page.getByRole('region', { name: 'API tokens' });
    await tokens.getByLabel('Token name').fill('nightly export');
    await tokens.getByLabel('Read only').check();
    await tokens.getByRole('button', { name: 'Create token' }).click();

    await visible(tokens.getByText('It will not be shown again.'));
    const secret = await tokens.getByLabel(/^New token/).inputValue();
    expect(secret).toMatch(/^ph_/);
    const me = await bearer(secret);
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(EMAIL);

    await tokens.getByRole('button', { name: 'I have copied it' }).click();
    await gone(tokens.getByText('It will not be shown again.'));
    await visible(tokens.getByText('nightly export', { exact: true }));
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await visible(
      page.getByRole('region', { name: 'API tokens' }).getByText('nightly export', { exact: true }),
    );
    expect(await page.content()).not.toContain(secret);
  });

  it('downloads everything about the account as a JSON file', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^pricehawk-export-\d+\.json$/);
    const data = JSON.parse(await readFile(await download.path(), 'utf8'));
    expect(data.account.name).toBe(NAME);
    expect(data.account.time_zone).toBe('Asia/Tokyo');
    expect(data.apiTokens).toHaveLength(1);
  });

  it('lists the sessions and logs out everywhere', async () => {
    const sessions = page.getByRole('region', { name: 'Sessions' });
    await visible(sessions.getByText('This device', { exact: true }));
    // This browser and the API client.
    expect(await sessions.getByRole('button', { name: /^Log out (?!everywhere)/ }).count()).toBe(2);

    await sessions.getByRole('button', { name: 'Log out everywhere' }).click();
    await visible(page.getByRole('heading', { name: 'Log in' }));
    await visible(page.getByText('You are logged out on every device.'));
    expect((await api.get('/api/v1/me')).status).toBe(401);

    await page.goto(`${app.url}/settings`);
    await visible(page.getByRole('heading', { name: 'Log in' }));
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectNoInjection();
  });
});
