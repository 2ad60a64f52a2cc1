/**
 * Account email, rendered when queued. Names are user input: escaped in HTML, flattened in
 * headers.
 */
import { escapeHtml } from '../notify/email.js';

export interface AccountEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

function layout(
  greeting: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): AccountEmail['html'] {
  const e = escapeHtml;
  return `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:560px;margin:auto">
<p>${e(greeting)}</p>
${paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n')}
${action ? `<p><a href="${e(action.url)}" style="background:#b4461b;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${e(action.label)}</a></p><p style="color:#718096;font-size:12px">${e(action.url)}</p>` : ''}
<p style="color:#718096;font-size:12px">— Pricehawk</p>
</body></html>`;
}

const oneLine = (s: string) =>
  s
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, 100);

export function verifyEmail(name: string, url: string): AccountEmail {
  const lines = [
    'Please confirm this is your email address, so that Pricehawk can send your price alerts here.',
    'The link works for 7 days.',
  ];
  return {
    subject: 'Confirm your email address for Pricehawk',
    text: [`Hi ${oneLine(name)},`, '', ...lines, '', url, '', '— Pricehawk'].join('\n'),
    html: layout(`Hi ${name},`, lines, { label: 'Confirm my address', url }),
  };
}

export function passwordReset(name: string, url: string): AccountEmail {
  const lines = [
    'Someone (hopefully you) asked to reset the password of your Pricehawk account.',
    'The link works once, for 30 minutes. If you did not ask for it, ignore this email: your password stays as it is.',
  ];
  return {
    subject: 'Reset your Pricehawk password',
    text: [`Hi ${oneLine(name)},`, '', ...lines, '', url, '', '— Pricehawk'].join('\n'),
    html: layout(`Hi ${name},`, lines, { label: 'Choose a new password', url }),
  };
}

export function confirmNewEmail(name: string, url: string): AccountEmail {
  const lines = [
    'Please confirm this address to make it the email of your Pricehawk account.',
    'Until you do, your account keeps its old address. The link works for 24 hours.',
  ];
  return {
    subject: 'Confirm your new email address for Pricehawk',
    text: [`Hi ${oneLine(name)},`, '', ...lines, '', url, '', '— Pricehawk'].join('\n'),
    html: layout(`Hi ${name},`, lines, { label: 'Confirm my new address', url }),
  };
}

export function emailChangeNotice(name: string, newEmail: string): AccountEmail {
  const lines = [
    `The email address of your Pricehawk account was changed to ${newEmail}.`,
    'If you did not do this, reset your password at once and contact the operator of this Pricehawk.',
  ];
  return {
    subject: 'Your Pricehawk email address was changed',
    text: [`Hi ${oneLine(name)},`, '', ...lines, '', '— Pricehawk'].join('\n'),
    html: layout(`Hi ${name},`, lines),
  };
}

export function passwordChangedNotice(name: string): AccountEmail {
  const lines = [
    'The password of your Pricehawk account was just changed, and every other session was logged out.',
    'If you did not do this, reset your password at once.',
  ];
  return {
    subject: 'Your Pricehawk password was changed',
    text: [`Hi ${oneLine(name)},`, '', ...lines, '', '— Pricehawk'].join('\n'),
    html: layout(`Hi ${name},`, lines),
  };
}
