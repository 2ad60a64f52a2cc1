/**
 * Accounts over HTTP, with the account email read from a real SMTP server: confirmation, log-in and
 * log-out (one session, all of them), password reset and change, email change, profile, export,
 * API tokens, deletion; and the security properties: rate limits, no enumeration, ownership.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEmail, tokenFrom } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

describe('accounts', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let app: TestApp;
  const as = () => new ApiClient(app.url);
  const lastMail = (to: string, subject: string) =>
    eventually(
      async () => smtp.messages.filter((m) => m.to === to && m.subject.startsWith(subject)).at(-1),
      `"${subject}" to ${to}`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    // This file signs up many accounts from one address: the sign-up limit is tested with its own
    // small value below.
    app = await startTestApp(db.url, {
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://pricehawk.test',
      SIGNUP_LIMIT_PER_HOUR: '1000',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await smtp?.stop();
    await db?.drop();
  });

  describe('sign-up and confirmation', () => {
    it('emails a single-use confirmation link; the address counts as confirmed once it is followed', async () => {
      const api = as();
      expect(
        (
          await api.post('/api/v1/auth/signup', {
            email: 'mae@example.com',
            password: 'jemison-1956',
            name: 'Mae',
          })
        ).status,
      ).toBe(201);
      const mail = await lastMail('mae@example.com', 'Confirm your email');
      expect(mail.text).toContain('http://pricehawk.test/verify-email?token=');
      const token = tokenFrom(mail.text, '/verify-email') ?? '';
      expect((await api.post('/api/v1/auth/verify-email', { token })).body.user.emailVerified).toBe(
        true,
      );
      const again = await api.post('/api/v1/auth/verify-email', { token });
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('invalid_token');
    });

    it('sends the link again on request, and only the newest link works', async () => {
      const api = as();
      await api.post('/api/v1/auth/signup', {
        email: 'kat@example.com',
        password: 'johnson-1918',
        name: 'Kat',
      });
      const first =
        tokenFrom((await lastMail('kat@example.com', 'Confirm')).text, '/verify-email') ?? '';
      expect((await api.post('/api/v1/auth/verify-email/resend')).status).toBe(202);
      await eventually(
        async () =>
          smtp.messages.filter((m) => m.to === 'kat@example.com').length === 2 ? true : undefined,
        'a second link',
      );
      const second =
        tokenFrom((await lastMail('kat@example.com', 'Confirm')).text, '/verify-email') ?? '';
      expect(second).not.toBe(first);
      expect((await api.post('/api/v1/auth/verify-email', { token: first })).status).toBe(400);
      expect((await api.post('/api/v1/auth/verify-email', { token: second })).status).toBe(200);
    });
  });

  describe('sessions', () => {
    it('lists sessions with their device, ends one, and logs out everywhere', async () => {
      const laptop = as();
      await laptop.post('/api/v1/auth/signup', {
        email: 'sessions@example.com',
        password: 'many-devices',
        name: 'S',
      });
      const phone = as();
      expect(
        (
          await phone.post('/api/v1/auth/login', {
            email: 'sessions@example.com',
            password: 'many-devices',
          })
        ).status,
      ).toBe(200);
      const third = as();
      await third.post('/api/v1/auth/login', {
        email: 'sessions@example.com',
        password: 'many-devices',
      });

      const list = (await laptop.get('/api/v1/me/sessions')).body.sessions;
      expect(list).toHaveLength(3);
      expect(list.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      expect(list[0].device).toBeTypeOf('string');

      const phoneId = (await phone.get('/api/v1/me/sessions')).body.sessions.find(
        (s: { current: boolean }) => s.current,
      ).id;
      expect((await laptop.delete(`/api/v1/me/sessions/${phoneId}`)).status).toBe(204);
      expect((await phone.get('/api/v1/me')).status).toBe(401);
      expect((await laptop.get('/api/v1/me')).status).toBe(200);

      expect((await laptop.delete('/api/v1/me/sessions')).status).toBe(204);
      expect((await laptop.get('/api/v1/me')).status).toBe(401);
      expect((await third.get('/api/v1/me')).status).toBe(401);
    });

    it('logs out this session only', async () => {
      const a = as();
      await a.post('/api/v1/auth/signup', {
        email: 'logout@example.com',
        password: 'see-you-soon',
        name: 'L',
      });
      const b = as();
      await b.post('/api/v1/auth/login', { email: 'logout@example.com', password: 'see-you-soon' });
      expect((await a.post('/api/v1/auth/logout')).status).toBe(204);
      expect((await a.get('/api/v1/me')).status).toBe(401);
      expect((await b.get('/api/v1/me')).status).toBe(200);
    });
  });

  describe('passwords', () => {
    it('resets a forgotten password by a single-use link, logging out every session', async () => {
      const old = as();
      await old.post('/api/v1/auth/signup', {
        email: 'forgot@example.com',
        password: 'first-password',
        name: 'F',
      });
      const anon = as();
      expect(
        (await anon.post('/api/v1/auth/password-reset', { email: 'FORGOT@example.com' })).status,
      ).toBe(202);
      const token =
        tokenFrom((await lastMail('forgot@example.com', 'Reset your')).text, '/reset-password') ??
        '';
      const reset = await anon.post('/api/v1/auth/password-reset/confirm', {
        token,
        password: 'second-password',
      });
      expect(reset.status).toBe(200);
      expect((await anon.get('/api/v1/me')).status).toBe(200); // logged in by the reset
      expect((await old.get('/api/v1/me')).status).toBe(401); // everyone else is out
      expect(
        (
          await anon.post('/api/v1/auth/password-reset/confirm', {
            token,
            password: 'third-password',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await as().post('/api/v1/auth/login', {
            email: 'forgot@example.com',
            password: 'first-password',
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await as().post('/api/v1/auth/login', {
            email: 'forgot@example.com',
            password: 'second-password',
          })
        ).status,
      ).toBe(200);
      await lastMail('forgot@example.com', 'Your Pricehawk password was changed');
    });

    it('refuses an expired reset link', async () => {
      await as().post('/api/v1/auth/signup', {
        email: 'slow@example.com',
        password: 'slow-reader',
        name: 'S',
      });
      await as().post('/api/v1/auth/password-reset', { email: 'slow@example.com' });
      const token =
        tokenFrom((await lastMail('slow@example.com', 'Reset your')).text, '/reset-password') ?? '';
      await db.pool.query(
        `update email_tokens set expires_at = now() - interval '1 second' where purpose = 'password_reset'`,
      );
      const r = await as().post('/api/v1/auth/password-reset/confirm', {
        token,
        password: 'new-password',
      });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_token');
    });

    it('changes the password with the current one, ending the other sessions', async () => {
      const me = as();
      await me.post('/api/v1/auth/signup', {
        email: 'change@example.com',
        password: 'old-password',
        name: 'C',
      });
      const other = as();
      await other.post('/api/v1/auth/login', {
        email: 'change@example.com',
        password: 'old-password',
      });
      const wrong = await me.post('/api/v1/me/password', {
        currentPassword: 'not-it',
        newPassword: 'new-password',
      });
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('invalid_password');
      expect(
        (
          await me.post('/api/v1/me/password', {
            currentPassword: 'old-password',
            newPassword: 'new-password',
          })
        ).status,
      ).toBe(204);
      expect((await me.get('/api/v1/me')).status).toBe(200);
      expect((await other.get('/api/v1/me')).status).toBe(401);
      expect(
        (
          await as().post('/api/v1/auth/login', {
            email: 'change@example.com',
            password: 'new-password',
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('email change', () => {
    it('takes effect only when the new address confirms it, and tells the old address', async () => {
      const me = as();
      await me.post('/api/v1/auth/signup', {
        email: 'before@example.com',
        password: 'moving-house',
        name: 'M',
      });
      await confirmEmail(me, 'before@example.com', smtp);
      expect(
        (
          await me.post('/api/v1/me/email', {
            password: 'moving-house',
            email: 'after@example.com',
          })
        ).status,
      ).toBe(202);
      expect((await me.get('/api/v1/me')).body.user.email).toBe('before@example.com');
      const token =
        tokenFrom(
          (await lastMail('after@example.com', 'Confirm your new')).text,
          '/confirm-email',
        ) ?? '';
      const confirmed = await as().post('/api/v1/auth/confirm-email', { token });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.user).toMatchObject({
        email: 'after@example.com',
        emailVerified: true,
      });
      await lastMail('before@example.com', 'Your Pricehawk email address was changed');
      expect(
        (
          await as().post('/api/v1/auth/login', {
            email: 'after@example.com',
            password: 'moving-house',
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await as().post('/api/v1/auth/login', {
            email: 'before@example.com',
            password: 'moving-house',
          })
        ).status,
      ).toBe(401);
    });

    it('refuses an address another account has', async () => {
      const me = as();
      await me.post('/api/v1/auth/signup', {
        email: 'mine@example.com',
        password: 'my-password',
        name: 'M',
      });
      const r = await me.post('/api/v1/me/email', {
        password: 'my-password',
        email: 'mae@example.com',
      });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('email_taken');
    });
  });

  describe('profile, export and deletion', () => {
    it('changes name, time zone, locale, currency format and notification preferences, and validates them', async () => {
      const me = as();
      await me.post('/api/v1/auth/signup', {
        email: 'profile@example.com',
        password: 'profile-pw',
        name: 'P',
      });
      const r = await me.call('PATCH', '/api/v1/me', {
        name: 'Priya',
        timeZone: 'Asia/Kolkata',
        locale: 'en-IN',
        currencyDisplay: 'code',
        notificationPrefs: {
          channels: { email: { enabled: true } },
          quietHours: { start: '23:00', end: '06:30' },
        },
      });
      expect(r.status).toBe(200);
      expect(r.body.user).toMatchObject({
        name: 'Priya',
        timeZone: 'Asia/Kolkata',
        locale: 'en-IN',
        currencyDisplay: 'code',
      });
      expect(r.body.user.notificationPrefs.quietHours).toEqual({ start: '23:00', end: '06:30' });
      for (const bad of [
        { timeZone: 'Mars/Olympus' },
        { locale: 'not a locale!' },
        { currencyDisplay: 'loud' },
        { notificationPrefs: { channels: {}, quietHours: null } },
        { email: 'sneaky@example.com' },
      ]) {
        const res = await me.call('PATCH', '/api/v1/me', bad);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
      }
    });

    it('exports everything about the account and deletes it for good, leaving shared products', async () => {
      const me = as();
      await me.post('/api/v1/auth/signup', {
        email: 'leaving@example.com',
        password: 'goodbye-all',
        name: 'L',
      });
      const demo = (await me.get('/api/v1/demo-store')).body.products[0];
      const product = (await me.post('/api/v1/products', { url: demo.url })).body.product;
      expect(
        (
          await me.post('/api/v1/watches', {
            productId: product.id,
            rule: { type: 'below', price: '1.00' },
          })
        ).status,
      ).toBe(201);
      await me.post('/api/v1/me/tokens', { name: 'script', scope: 'read' });

      const exported = await me.get('/api/v1/me/export');
      expect(exported.status).toBe(200);
      expect(String(exported.headers['content-disposition'])).toContain('attachment');
      expect(exported.body.account.email).toBe('leaving@example.com');
      expect(exported.body.watches).toHaveLength(1);
      expect(exported.body.watches[0].product.id).toBe(product.id);
      expect(exported.body.apiTokens).toHaveLength(1);
      expect(JSON.stringify(exported.body)).not.toContain('password_hash');
      expect(JSON.stringify(exported.body)).not.toContain('token_hash');

      expect((await me.call('DELETE', '/api/v1/me', { password: 'wrong' })).status).toBe(403);
      expect((await me.call('DELETE', '/api/v1/me', { password: 'goodbye-all' })).status).toBe(204);
      expect((await me.get('/api/v1/me')).status).toBe(401);
      expect(
        (
          await as().post('/api/v1/auth/login', {
            email: 'leaving@example.com',
            password: 'goodbye-all',
          })
        ).status,
      ).toBe(401);
      const left = await db.pool.query(
        `select (select count(*)::int from users where email = 'leaving@example.com') as users,
                (select count(*)::int from watches w left join users u on u.id = w.user_id where u.id is null) as orphans,
                (select count(*)::int from mail_outbox where to_address = 'leaving@example.com') as mail,
                (select watcher_count from products where id = $1) as watchers,
                (select count(*)::int from products where id = $1) as products`,
        [product.id],
      );
      expect(left.rows[0]).toEqual({ users: 0, orphans: 0, mail: 0, watchers: 0, products: 1 });
    });
  });

  describe('API tokens', () => {
    it('work as Bearer wherever a session does, read-only or read-write, until revoked', async () => {
      const me = as();
      await me.post('/api/v1/auth/signup', {
        email: 'robot@example.com',
        password: 'beep-boop-1',
        name: 'R',
      });
      const read = await me.post('/api/v1/me/tokens', { name: 'dashboard', scope: 'read' });
      expect(read.status).toBe(201);
      expect(read.body.token).toMatch(/^ph_/);
      const write = (await me.post('/api/v1/me/tokens', { name: 'importer', scope: 'write' })).body;
      const listed = (await me.get('/api/v1/me/tokens')).body.tokens;
      expect(listed.map((t: { name: string }) => t.name).sort()).toEqual(['dashboard', 'importer']);
      expect(JSON.stringify(listed)).not.toContain(read.body.token);

      const bearer = async (token: string, method: string, path: string, body?: unknown) => {
        const { request } = await import('undici');
        const res = await request(`${app.url}${path}`, {
          method: method as 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.body.text();
        return { status: res.statusCode, body: text ? JSON.parse(text) : null };
      };
      expect((await bearer(read.body.token, 'GET', '/api/v1/me')).body.user.email).toBe(
        'robot@example.com',
      );
      const demo = (await me.get('/api/v1/demo-store')).body.products[1];
      const denied = await bearer(read.body.token, 'POST', '/api/v1/products', { url: demo.url });
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('token_read_only');
      expect(
        (await bearer(write.token, 'POST', '/api/v1/products', { url: demo.url })).status,
      ).toBe(201);
      const creds = await bearer(write.token, 'POST', '/api/v1/me/password', {
        currentPassword: 'beep-boop-1',
        newPassword: 'x'.repeat(10),
      });
      expect(creds.status).toBe(403);
      expect(creds.body.error.code).toBe('session_required');

      expect((await me.delete(`/api/v1/me/tokens/${read.body.apiToken.id}`)).status).toBe(204);
      const revoked = await bearer(read.body.token, 'GET', '/api/v1/me');
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.code).toBe('invalid_token');
    });
  });

  describe('security', () => {
    it('answers the 21st log-in attempt in a minute with 429 and Retry-After', async () => {
      await as().post('/api/v1/auth/signup', {
        email: 'target@example.com',
        password: 'right-password',
        name: 'T',
      });
      // Earlier tests in this file logged in from this same address within the minute.
      await db.pool.query('delete from rate_limit_hits');
      const attacker = as();
      for (let i = 0; i < 20; i++) {
        expect(
          (
            await attacker.post('/api/v1/auth/login', {
              email: 'target@example.com',
              password: `guess-${i}`,
            })
          ).status,
        ).toBe(401);
      }
      const r = await attacker.post('/api/v1/auth/login', {
        email: 'target@example.com',
        password: 'guess-21',
      });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('rate_limited');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('does not let a forged X-Forwarded-For slip past the per-IP log-in limit', async () => {
      await db.pool.query('delete from rate_limit_hits');
      const { request } = await import('undici');
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        // A different unknown address each time, so only the per-IP limit can stop it.
        const res = await request(`${app.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
          body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'whatever-1' }),
        });
        await res.body.dump();
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
    });

    it('answers sign-ups over the hourly limit per IP with 429', async () => {
      const limited = await startTestApp(
        db.url,
        { SMTP_URL: smtp.url, SIGNUP_LIMIT_PER_HOUR: '3' },
        ['web'],
      );
      try {
        await db.pool.query('delete from rate_limit_hits');
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          const r = await new ApiClient(limited.url).post('/api/v1/auth/signup', {
            email: `crowd${i}@example.com`,
            password: 'crowded-room',
            name: 'C',
          });
          statuses.push(r.status);
        }
        expect(statuses).toEqual([201, 201, 201, 429]);
      } finally {
        await limited.stop();
      }
    });

    it('does not reveal through log-in or reset answers whether an address has an account', async () => {
      await db.pool.query('delete from rate_limit_hits');
      const login = async (email: string) =>
        as().post('/api/v1/auth/login', { email, password: 'wrong-password' });
      const [known, unknown] = [
        await login('mae@example.com'),
        await login('nobody-here@example.com'),
      ];
      expect([known.status, unknown.status]).toEqual([401, 401]);
      expect(known.body).toEqual(unknown.body);
      const reset = async (email: string) => as().post('/api/v1/auth/password-reset', { email });
      const [r1, r2] = [await reset('mae@example.com'), await reset('nobody-here@example.com')];
      expect([r1.status, r2.status]).toEqual([202, 202]);
      expect(r1.body).toEqual(r2.body);
      expect(r1.headers['set-cookie']).toEqual(r2.headers['set-cookie']);
    });

    it("keeps one user's watches, notifications, sessions and tokens out of another's reach, on every route", async () => {
      const alice = as();
      const bob = as();
      await alice.post('/api/v1/auth/signup', {
        email: 'alice2@example.com',
        password: 'alice-secret',
        name: 'Alice',
      });
      await bob.post('/api/v1/auth/signup', {
        email: 'bob2@example.com',
        password: 'bob-secret-1',
        name: 'Bob',
      });
      const demo = (await alice.get('/api/v1/demo-store')).body.products[2];
      const product = (await alice.post('/api/v1/products', { url: demo.url })).body.product;
      const watch = (
        await alice.post('/api/v1/watches', {
          productId: product.id,
          rule: { type: 'below', price: '1.00' },
        })
      ).body.watch;
      const aliceToken = (await alice.post('/api/v1/me/tokens', { name: 'a', scope: 'read' })).body
        .apiToken;
      const aliceSession = (await alice.get('/api/v1/me/sessions')).body.sessions[0];
      await db.pool.query(
        `insert into notifications (user_id, product_id, watch_id, kind, price_type, price_minor, currency)
         values ($1, $2, $3, 'price_drop', 'buybox', 50, 'USD')`,
        [(await alice.get('/api/v1/me')).body.user.id, product.id, watch.id],
      );

      expect((await bob.get('/api/v1/watches')).body.watches).toEqual([]);
      expect((await bob.get('/api/v1/notifications')).body.notifications).toEqual([]);
      expect(
        (await bob.get('/api/v1/me/sessions')).body.sessions.map((s: { id: number }) => s.id),
      ).not.toContain(aliceSession.id);
      expect((await bob.get('/api/v1/me/tokens')).body.tokens).toEqual([]);
      expect(JSON.stringify((await bob.get('/api/v1/me/export')).body)).not.toContain(
        'alice2@example.com',
      );
      for (const [method, path] of [
        ['DELETE', `/api/v1/watches/${watch.id}`],
        ['DELETE', `/api/v1/me/sessions/${aliceSession.id}`],
        ['DELETE', `/api/v1/me/tokens/${aliceToken.id}`],
      ] as const) {
        const r = await bob.call(method, path);
        expect(r.status, `${method} ${path}`).toBe(404);
      }
      expect((await alice.get('/api/v1/watches')).body.watches).toHaveLength(1);
      expect((await alice.get('/api/v1/notifications')).body.notifications).toHaveLength(1);
      expect((await alice.get('/api/v1/me/tokens')).body.tokens).toHaveLength(1);
      expect((await alice.get('/api/v1/me')).status).toBe(200);
    });

    it('sends the security headers', async () => {
      const r = await as().get('/api/v1/me');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(r.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    });

    it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
      const { request } = await import('undici');
      const res = await request(`${app.url}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'cookie@example.com',
          password: 'cookie-monster',
          name: 'C',
        }),
      });
      await res.body.dump();
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/ph_session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
    });
  });
});
