/**
 * The daily digest preference over HTTP (issue 7): PATCH/GET /api/v1/me accept and return
 * `notificationPrefs.digest`, bad input gets a 400 with a stable code, a change that leaves the
 * digest out keeps it, and the account export carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient } from '../helpers/http.js';

describe('digest preference', () => {
  let db: TestDatabase;
  let app: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, {}, ['web']);
    api = new ApiClient(app.url);
    const res = await api.post('/api/v1/auth/signup', {
      email: 'dee@example.com',
      password: 'digest-pw-1',
      name: 'Dee',
    });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  const prefs = (digest?: unknown) => ({
    channels: { email: { enabled: true } },
    quietHours: null,
    ...(digest === undefined ? {} : { digest }),
  });

  it('answers digest off for an account that never set it', async () => {
    const me = await api.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.notificationPrefs.digest).toEqual({ enabled: false, hour: 8 });
  });

  it('stores digest on at an hour, and answers it in PATCH and GET', async () => {
    const r = await api.call('PATCH', '/api/v1/me', {
      notificationPrefs: prefs({ enabled: true, hour: 7 }),
    });
    expect(r.status).toBe(200);
    expect(r.body.user.notificationPrefs.digest).toEqual({ enabled: true, hour: 7 });
    const me = await api.get('/api/v1/me');
    expect(me.body.user.notificationPrefs.digest).toEqual({ enabled: true, hour: 7 });
    const { rows } = await db.pool.query<{ p: unknown }>(
      `select notification_prefs -> 'digest' as p from users where email = 'dee@example.com'`,
    );
    expect(rows[0]?.p).toEqual({ enabled: true, hour: 7 });
  });

  it('keeps the digest when a change leaves it out (an older client, the email toggle)', async () => {
    const r = await api.call('PATCH', '/api/v1/me', {
      notificationPrefs: { ...prefs(), quietHours: { start: '22:00', end: '06:00' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.user.notificationPrefs.digest).toEqual({ enabled: true, hour: 7 });
    expect(r.body.user.notificationPrefs.quietHours).toEqual({ start: '22:00', end: '06:00' });
    const email = await api.put('/api/v1/me/channels/email', { enabled: false });
    expect(email.status).toBe(200);
    const me = await api.get('/api/v1/me');
    expect(me.body.user.notificationPrefs.digest).toEqual({ enabled: true, hour: 7 });
    expect(me.body.user.notificationPrefs.channels.email.enabled).toBe(false);
  });

  it('refuses a bad digest with 400 validation_failed and changes nothing', async () => {
    for (const digest of [
      { enabled: true, hour: 24 },
      { enabled: true, hour: -1 },
      { enabled: true, hour: 7.5 },
      { enabled: true, hour: '8' },
      { enabled: 'yes', hour: 8 },
      { enabled: true },
      { hour: 8 },
      { enabled: true, hour: 8, minute: 30 },
      null,
      'daily',
    ]) {
      const res = await api.call('PATCH', '/api/v1/me', { notificationPrefs: prefs(digest) });
      expect(res.status, JSON.stringify(digest)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain('digest');
    }
    const me = await api.get('/api/v1/me');
    expect(me.body.user.notificationPrefs.digest).toEqual({ enabled: true, hour: 7 });
  });

  it('turns the digest off again', async () => {
    const r = await api.call('PATCH', '/api/v1/me', {
      notificationPrefs: prefs({ enabled: false, hour: 7 }),
    });
    expect(r.status).toBe(200);
    expect(r.body.user.notificationPrefs.digest).toEqual({ enabled: false, hour: 7 });
  });

  it('puts the digest preference in the account export', async () => {
    await api.call('PATCH', '/api/v1/me', {
      notificationPrefs: prefs({ enabled: true, hour: 21 }),
    });
    const res = await api.get('/api/v1/me/export');
    expect(res.status).toBe(200);
    expect(res.body.account.notification_prefs.digest).toEqual({ enabled: true, hour: 21 });
  });
});
