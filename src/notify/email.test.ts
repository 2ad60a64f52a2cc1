import { describe, expect, it } from 'vitest';
import { passwordReset, verifyEmail } from '../accounts/emails.js';
import { renderAlertEmail } from './email.js';

const evilTitle = 'Kettle <script>alert("x")</script> & "quotes" <img src=x onerror=alert(1)>';
const evilName = '<b onmouseover=alert(1)>Eve</b>';

describe('alert email', () => {
  const mail = renderAlertEmail({
    notificationId: 7,
    kind: 'price_drop',
    to: 'eve@example.com',
    userName: evilName,
    locale: 'de-DE',
    productId: 42,
    productTitle: evilTitle,
    productUrl: 'https://www.amazon.de/dp/B000LQXC2Q?x="><script>',
    imageUrl: 'https://m.media-amazon.com/i.jpg"onerror="alert(1)',
    price: { minor: 12999, currency: 'EUR' },
    previous: { minor: 15999, currency: 'EUR' },
    target: { minor: 13000, currency: 'EUR' },
    publicUrl: 'https://pricehawk.example',
  });

  it('escapes scraped titles, names and URLs in the HTML part', () => {
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).not.toContain('<b onmouseover');
    expect(mail.html).not.toContain('"onerror="');
    expect(mail.html).toContain(
      'Kettle &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;',
    );
  });

  it('keeps the subject on one line and states price, drop and target in the user’s locale', () => {
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain('129,99');
    const text = mail.text.replace(/\u00a0/g, ' '); // Intl puts a no-break space before €
    expect(text).toContain('Down 30,00 € (18%) from 159,99 €.');
    expect(text).toContain('Your target: 130,00 €.');
    expect(mail.text).toContain('https://pricehawk.example/products/42');
  });

  it('does not let a title with line breaks inject headers', () => {
    const m = renderAlertEmail({ ...baseInput(), productTitle: 'Nice\r\nBcc: victim@example.com' });
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
});

describe('account email', () => {
  it('escapes the name in HTML and keeps the link intact', () => {
    for (const mail of [
      verifyEmail(evilName, 'https://p.example/verify-email?token=abc'),
      passwordReset(evilName, 'https://p.example/reset-password?token=abc'),
    ]) {
      expect(mail.html).not.toContain('<b onmouseover');
      expect(mail.html).toContain('&lt;b onmouseover=alert(1)&gt;Eve&lt;/b&gt;');
      expect(mail.text).toContain('?token=abc');
    }
  });
});

function baseInput() {
  return {
    notificationId: 1,
    kind: 'price_drop' as const,
    to: 'a@example.com',
    userName: 'A',
    locale: 'en-US',
    productId: 1,
    productTitle: 'x',
    productUrl: 'https://www.amazon.com/dp/B0000000000',
    imageUrl: null,
    price: { minor: 100, currency: 'USD' },
    previous: null,
    target: null,
    publicUrl: 'https://p.example',
  };
}
