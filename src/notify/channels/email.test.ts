import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtp, type TestSmtp } from '../../../test/helpers/smtp.js';
import { alertFixture, sendContext, standinFetcher } from '../../../test/standins/context.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { createSmtpMailer, type Mailer } from '../mailer.js';
import { createEmailChannel, renderEmailChannel } from './email.js';
import { ChannelConfigError } from './types.js';
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe.js';

const key = randomBytes(32);

describe('unsubscribe tokens', () => {
  it('round-trip to the user id without a database', () => {
    const t = unsubscribeToken(7, key);
    expect(t).toMatch(/^u1\.7\.[A-Za-z0-9_-]{32}$/);
    expect(verifyUnsubscribeToken(t, key)).toBe(7);
  });

  it('refuse a token for another user, under another key, or mangled', () => {
    const t = unsubscribeToken(7, key);
    expect(verifyUnsubscribeToken(t.replace('u1.7.', 'u1.8.'), key)).toBeNull();
    expect(verifyUnsubscribeToken(t, randomBytes(32))).toBeNull();
    expect(verifyUnsubscribeToken(`${t}x`, key)).toBeNull();
    expect(verifyUnsubscribeToken('', key)).toBeNull();
    expect(verifyUnsubscribeToken('u1.0.' + 'a'.repeat(32), key)).toBeNull();
  });

  it('make a URL under the API', () => {
    expect(unsubscribeUrl('https://pricehawk.example/', 7, key)).toBe(
      `https://pricehawk.example/api/v1/unsubscribe/${unsubscribeToken(7, key)}`,
    );
  });
});

describe('email channel rendering', () => {
  const ctx = { publicUrl: 'https://pricehawk.example', idempotencyKey: 'n42-email' };

  it('adds one-click unsubscribe headers (RFC 8058) and a footer link', () => {
    const mail = renderEmailChannel(alertFixture(), { to: 'eve@example.com' }, ctx, key);
    const url = unsubscribeUrl(ctx.publicUrl, 7, key);
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(mail.text).toContain(`Stop alert emails: ${url}`);
    expect(mail.html).toContain(`<a href="${url}">Unsubscribe from alert emails</a>`);
    expect(mail.messageId).toBe('<alert-42-email@pricehawk.example>');
  });

  it('escapes the title and shows image, prices and drop', () => {
    const mail = renderEmailChannel(alertFixture(), { to: 'eve@example.com' }, ctx, key);
    expect(mail.html).not.toContain('<b>hot</b>');
    expect(mail.html).toContain('&lt;b&gt;hot&lt;/b&gt;');
    expect(mail.html).toContain('<img src="https://m.media-amazon.com/images/I/kettle.jpg"');
    expect(mail.text.replace(/\u00a0/g, ' ')).toContain('Down 30,00 € (18%) from 159,99 €.');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('drops a scraped image URL that is not http(s)', () => {
    const mail = renderEmailChannel(
      alertFixture({ imageUrl: 'javascript:alert(1)' }),
      { to: 'eve@example.com' },
      ctx,
      key,
    );
    expect(mail.html).not.toContain('javascript:');
  });

  it('validates the address', () => {
    const ch = createEmailChannel({
      mailer: { kind: 'mailbox', send: async () => {}, close: async () => {} },
      unsubscribeKey: key,
    });
    expect(() => ch.configure({ to: 'not an address' }, null)).toThrow(ChannelConfigError);
    expect(ch.describe({ to: 'eve@example.com' })).toBe('Email to ev…@example.com');
  });
});

describe('email channel through a real SMTP server', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  let fetcher: Fetcher;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    mailer = createSmtpMailer(smtp.url, 'Pricehawk <alerts@pricehawk.example>');
    fetcher = standinFetcher({ trusted: [] });
  });
  afterAll(async () => {
    await mailer.close();
    await fetcher.close();
    await smtp.stop();
  });

  it('arrives with the List-Unsubscribe headers and the deterministic Message-ID', async () => {
    const ch = createEmailChannel({ mailer, unsubscribeKey: key });
    const r = await ch.send({ to: 'eve@example.com' }, alertFixture(), sendContext(fetcher));
    expect(r).toEqual({ ok: true, providerId: '<alert-42-email@pricehawk.example>' });
    const [m] = await smtp.waitFor(1);
    expect(m?.messageId).toBe('<alert-42-email@pricehawk.example>');
    expect(m?.to).toBe('eve@example.com');
    const headers = m?.raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
    expect(headers).toMatch(
      /^List-Unsubscribe: <https:\/\/pricehawk\.example\/api\/v1\/unsubscribe\/u1\.7\.[A-Za-z0-9_-]{32}>$/m,
    );
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(m?.html).toContain('Unsubscribe from alert emails');
  });

  it('sends a test email', async () => {
    const ch = createEmailChannel({ mailer, unsubscribeKey: key });
    const r = await ch.sendTest(
      { to: 'eve@example.com' },
      sendContext(fetcher, { idempotencyKey: 'test-9' }),
    );
    expect(r.ok).toBe(true);
    const all = await smtp.waitFor(2);
    expect(all.at(-1)?.subject).toMatch(/^Test: Price drop/);
  });

  it('reports a server that is down as transient', async () => {
    const down = createSmtpMailer('smtp://127.0.0.1:1', 'Pricehawk <alerts@pricehawk.example>');
    try {
      const ch = createEmailChannel({ mailer: down, unsubscribeKey: key });
      const r = await ch.send({ to: 'eve@example.com' }, alertFixture(), sendContext(fetcher));
      expect(r).toMatchObject({ ok: false, permanent: false, code: 'smtp_failed' });
    } finally {
      await down.close();
    }
  });
});
