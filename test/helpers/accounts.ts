/** Accounts as the tests need them: signed up and with the address confirmed through its email. */
import { expect } from 'vitest';
import { eventually, type ApiClient } from './http.js';
import type { TestSmtp } from './smtp.js';

/** The token of the newest link to `path` ("/verify-email") in an email body. */
export function tokenFrom(text: string, path: string): string | undefined {
  const m = new RegExp(`${path}\\?token=([\\w%-]+)`).exec(text);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** Waits for the confirmation email (SMTP server, or the local mailbox) and follows its link. */
export async function confirmEmail(api: ApiClient, email: string, smtp?: TestSmtp): Promise<void> {
  const token = await eventually(async () => {
    if (smtp) {
      const mail = smtp.messages
        .filter((m) => m.to === email && m.subject.startsWith('Confirm'))
        .at(-1);
      return mail ? tokenFrom(mail.text, '/verify-email') : undefined;
    }
    const box = await api.get('/api/v1/mailbox');
    const mail = (box.body.messages as Array<{ to: string; subject: string; text: string }>).find(
      (m) => m.to === email && m.subject.startsWith('Confirm'),
    );
    return mail ? tokenFrom(mail.text, '/verify-email') : undefined;
  }, `the confirmation email to ${email}`);
  const res = await api.post('/api/v1/auth/verify-email', { token });
  expect(res.status).toBe(200);
  expect(res.body.user.emailVerified).toBe(true);
}

export async function signUpConfirmed(
  api: ApiClient,
  user: { email: string; password: string; name: string },
  smtp?: TestSmtp,
): Promise<void> {
  const res = await api.post('/api/v1/auth/signup', user);
  expect(res.status).toBe(201);
  await confirmEmail(api, user.email, smtp);
}
