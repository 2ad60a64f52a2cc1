import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertFixture, FIXED_NOW } from '../../../test/standins/context.js';
import { renderDigestEmailChannel } from '../channels/email.js';
import type { DigestMessage } from '../channels/types.js';
import { digestDayLabel, digestMessageId, renderDigestEmail } from './email.js';

function digest(overrides: Partial<DigestMessage> = {}): DigestMessage {
  const alerts = [
    alertFixture({ notificationId: 1, createdAt: new Date('2025-06-01T05:10:00Z') }),
    alertFixture({
      notificationId: 2,
      productId: 10,
      productTitle: 'Toaster',
      productPageUrl: 'https://pricehawk.example/products/10',
      storeUrl: 'javascript:alert(1)',
      imageUrl: 'data:image/png;base64,AAAA',
      price: { minor: 4_999, currency: 'JPY' },
      previous: { minor: 5_999, currency: 'JPY' },
      target: null,
      createdAt: new Date('2025-06-01T06:45:00Z'),
    }),
  ];
  return {
    digestId: 7,
    userId: 42,
    localDay: '2025-06-01',
    timeZone: 'Europe/Berlin',
    alerts,
    total: alerts.length,
    inboxUrl: 'https://pricehawk.example/notifications',
    userName: '<b onmouseover=alert(1)>Eve</b>',
    locale: 'de-DE',
    currencyDisplay: 'symbol',
    createdAt: FIXED_NOW,
    ...overrides,
  };
}

const nbsp = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

describe('digest email', () => {
  const mail = renderDigestEmail(digest());

  it('lists every alert with old and new price and the drop, in the user’s locale', () => {
    const text = nbsp(mail.text);
    expect(text).toContain('Sonntag, 1. Juni 2025');
    expect(text).toContain('Now 129,99 € (was 159,99 €, down 30,00 € or 18%)');
    expect(text).toContain('Your target: 130,00 €');
    expect(text).toContain('Now 4.999 ¥ (was 5.999 ¥, down 1.000 ¥ or 16%)');
    expect(text).toContain('Price drop, 7:10: '); // 05:10 UTC in Berlin (summer time)
    expect(text).toContain('Price history: https://pricehawk.example/products/9');
    expect(text).toContain('Buy it: https://www.amazon.de/dp/B000LQXC2Q?tag=x&ref=y');
    expect(text).toContain('All your alerts: https://pricehawk.example/notifications');
    expect(mail.subject).toMatch(/ and more$/);
  });

  it('escapes scraped titles and names in HTML, and links or loads only http(s) URLs', () => {
    expect(mail.html).not.toContain('<b>hot</b>');
    expect(mail.html).toContain('Kettle &lt;b&gt;hot&lt;/b&gt; &amp; &quot;cold&quot;');
    expect(mail.html).not.toContain('<b onmouseover');
    expect(mail.html).toContain('<img src="https://m.media-amazon.com/images/I/kettle.jpg"');
    expect(mail.html).toContain('href="https://www.amazon.de/dp/B000LQXC2Q?tag=x&amp;ref=y"');
    expect(mail.html).not.toContain('javascript:');
    expect(mail.html).not.toContain('data:image');
    expect(mail.text).not.toContain('javascript:');
  });

  it('keeps the subject on one line whatever the title holds', () => {
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject.startsWith('Daily digest: 2 alerts — Kettle')).toBe(true);
    expect(mail.text.split('\n').filter((l) => l.startsWith('Bcc:'))).toEqual([]);
  });

  it('says how many more a long digest holds and links to the inbox for them', () => {
    const long = renderDigestEmail(digest({ total: 12 }));
    expect(long.subject).toContain('12 alerts');
    expect(long.text).toContain('… and 10 more alerts in your inbox.');
    expect(long.html).toContain('… and 10 more alerts in your inbox.');
  });

  it('has one Message-ID per user and day, and the unsubscribe headers of an alert email', () => {
    expect(digestMessageId(42, '2025-06-01', 'https://pricehawk.example/')).toBe(
      '<digest-42-2025-06-01@pricehawk.example>',
    );
    const key = randomBytes(32);
    const a = renderDigestEmailChannel(digest(), { publicUrl: 'https://pricehawk.example' }, key);
    const b = renderDigestEmailChannel(digest(), { publicUrl: 'https://pricehawk.example' }, key);
    expect(a.messageId).toBe('<digest-42-2025-06-01@pricehawk.example>');
    expect(b.messageId).toBe(a.messageId);
    expect(a.headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/pricehawk\.example\/api\/v1\/unsubscribe\/u1\.42\.[\w-]{32}>$/,
    );
    expect(a.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(a.text).toContain('Stop alert emails: https://pricehawk.example/api/v1/unsubscribe/');
    expect(a.html).toContain('Unsubscribe from alert emails');
  });

  it('writes the day as a calendar date, whatever the zone of the machine', () => {
    expect(digestDayLabel('2031-03-11', 'en-US')).toBe('Tuesday, March 11, 2031');
    expect(digestDayLabel('2031-03-11', 'not a locale')).toBe('Tuesday, March 11, 2031');
  });
});
