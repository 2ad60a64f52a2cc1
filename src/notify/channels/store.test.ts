import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import {
  alertFixture,
  FIXED_NOW,
  sendContext,
  standinFetcher,
} from '../../../test/standins/context.js';
import { startPushService, type PushServiceStandin } from '../../../test/standins/push-service.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../test/standins/webhook-receiver.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import {
  CHANNEL_KINDS,
  channelKey,
  createChannelRegistry,
  deletePushSubscription,
  getUserChannel,
  kindOfDeliveryChannel,
  listPushSubscriptions,
  listUserChannels,
  loadDeliveryTarget,
  loadOrCreateChannelSecret,
  loadOrCreateVapidKeys,
  notifyHostRate,
  rateLimits,
  recordChannelFailure,
  savePushSubscription,
  saveUserChannel,
  sendAlert,
  setUserChannelEnabled,
  type ChannelRegistry,
} from './index.js';

describe('channel registry', () => {
  it('has every kind when the operator configured them, and only the free ones otherwise', async () => {
    const bare = createChannelRegistry({});
    expect(bare.available).toEqual(['webhook', 'telegram', 'discord', 'slack', 'ntfy']);
    expect(bare.channelByKind('sms')).toBeUndefined();
    const full = createChannelRegistry({
      email: {
        mailer: { kind: 'mailbox', send: async () => {}, close: async () => {} },
        unsubscribeKey: randomBytes(32),
      },
      sms: { accountSid: 'AC1', authToken: 't', from: '+15005550006' },
      webpush: {
        vapid: {
          publicKey:
            'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
          privateKey: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
        },
        subject: 'mailto:a@b.example',
      },
    });
    expect(full.available).toEqual([...CHANNEL_KINDS]);
    for (const k of CHANNEL_KINDS) expect(full.channelByKind(k)?.kind).toBe(k);
  });

  it('has a rate limit for every kind', () => {
    for (const k of CHANNEL_KINDS) {
      expect(rateLimits[k].concurrency).toBeGreaterThan(0);
      expect(rateLimits[k].source.length).toBeGreaterThan(10);
    }
    expect(notifyHostRate('api.telegram.org')).toBe(25);
    expect(notifyHostRate('store.example')).toBeUndefined();
  });

  it('reads the kind of a deliveries.channel value', () => {
    expect(kindOfDeliveryChannel('telegram')).toBe('telegram');
    expect(kindOfDeliveryChannel('webpush:17')).toBe('webpush');
    expect(kindOfDeliveryChannel('pigeon')).toBeUndefined();
  });

  it('turns an unusable stored config into a permanent failure, not an exception', async () => {
    const fetcher = standinFetcher({ trusted: [] });
    try {
      const r = await sendAlert(
        createChannelRegistry({}),
        'telegram',
        { url: 'tgram://nope' },
        alertFixture(),
        sendContext(fetcher),
      );
      expect(r).toMatchObject({ ok: false, permanent: true, code: 'channel_url_invalid' });
      const none = await sendAlert(
        createChannelRegistry({}),
        'sms',
        {},
        alertFixture(),
        sendContext(fetcher),
      );
      expect(none).toMatchObject({ ok: false, permanent: true, code: 'channel_unavailable' });
    } finally {
      await fetcher.close();
    }
  });
});

describe('channel tables and the delivery targets view', () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  let push: PushServiceStandin;
  let fetcher: Fetcher;
  let registry: ChannelRegistry;
  let user = 0;
  let other = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const insertUser = async (email: string) =>
      (
        await db.pool.query<{ id: number }>(
          `insert into users (email, name, password_hash) values ($1, 'U', 'x') returning id`,
          [email],
        )
      ).rows[0]?.id ?? 0;
    user = await insertUser('a@example.com');
    other = await insertUser('b@example.com');
    push = await startPushService();
    registry = createChannelRegistry({
      webpush: {
        vapid: await loadOrCreateVapidKeys(db.pool),
        subject: 'mailto:alerts@pricehawk.example',
        allowHttpEndpoints: true,
      },
    });
    const webhook = registry.channelByKind('webhook');
    const configured = webhook?.configure({ url: 'https://hooks.customer.test/in' }, null);
    receiver = await startWebhookReceiver({
      secret: (configured?.config as { secret: string }).secret,
      now: () => FIXED_NOW,
    });
    await saveUserChannel(
      db.pool,
      user,
      'webhook',
      {
        ...configured!,
        config: {
          ...(configured!.config as object),
          url: `http://hooks.customer.test:${receiver.port}/in`,
        },
      },
      true,
      FIXED_NOW,
    );
    fetcher = standinFetcher({
      trusted: [`hooks.customer.test:${receiver.port}`, push.host],
      loopbackNames: ['hooks.customer.test'],
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await receiver.close();
    await push.close();
    await db.drop();
  });

  const targets = async (userId: number) =>
    (
      await db.pool.query<{ channel: string; destination: string }>(
        `select channel, destination from channel_delivery_targets where user_id = $1 order by channel`,
        [userId],
      )
    ).rows;

  it('lists enabled channels, verified SMS only, and each push subscription', async () => {
    await saveUserChannel(
      db.pool,
      user,
      'sms',
      { config: { phone: '+14155550123', verifiedPhone: null }, resetVerification: true },
      true,
      FIXED_NOW,
    );
    const sub = registry
      .channelByKind('webpush')!
      .configure(push.subscribe((await loadOrCreateVapidKeys(db.pool)).publicKey), null);
    const saved = await savePushSubscription(
      db.pool,
      user,
      sub.config as never,
      'Firefox',
      FIXED_NOW,
    );
    const t = await targets(user);
    expect(t.map((r) => r.channel)).toEqual(['webhook', `webpush:${saved?.id}`]);
    // Verified SMS appears.
    await db.pool.query(
      `update user_channels set verified_at = now() where user_id = $1 and kind = 'sms'`,
      [user],
    );
    expect((await targets(user)).map((r) => r.channel)).toContain('sms');
    // Pausing push hides every subscription; disabling a channel hides it.
    await setUserChannelEnabled(db.pool, user, 'webpush', false, FIXED_NOW);
    await setUserChannelEnabled(db.pool, user, 'sms', false, FIXED_NOW);
    expect((await targets(user)).map((r) => r.channel)).toEqual(['webhook']);
    await setUserChannelEnabled(db.pool, user, 'webpush', true, FIXED_NOW);
    expect((await targets(user)).map((r) => r.channel)).toEqual([
      'webhook',
      `webpush:${saved?.id}`,
    ]);
  });

  it('loads a target only for its owner, and sends through it like the notifier would', async () => {
    const rows = await targets(user);
    const results = [];
    for (const row of rows) {
      const kind = kindOfDeliveryChannel(row.channel)!;
      expect(await loadDeliveryTarget(db.pool, other, row.channel, row.destination)).toBeNull();
      const target = await loadDeliveryTarget(db.pool, user, row.channel, row.destination);
      expect(target?.kind).toBe(kind);
      results.push(
        await sendAlert(
          registry,
          kind,
          target?.config,
          alertFixture({ userId: user }),
          sendContext(fetcher, { idempotencyKey: `n42-${row.channel}` }),
        ),
      );
    }
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(receiver.accepted).toHaveLength(1);
    expect(push.received).toHaveLength(1);
  });

  it('resets verification when a change asks for it, and clears the last error', async () => {
    await recordChannelFailure(
      db.pool,
      user,
      (await getUserChannel(db.pool, user, 'sms'))!.id,
      { ok: false, permanent: true, code: 'x', message: 'y' },
      FIXED_NOW,
    );
    expect((await getUserChannel(db.pool, user, 'sms'))?.lastError).toBe('x: y');
    const row = await saveUserChannel(
      db.pool,
      user,
      'sms',
      { config: { phone: '+14155550999', verifiedPhone: null }, resetVerification: true },
      true,
      FIXED_NOW,
    );
    expect(row.verifiedAt).toBeNull();
    expect(row.lastError).toBeNull();
  });

  it('disables a channel whose destination is gone', async () => {
    const wh = (await getUserChannel(db.pool, user, 'webhook'))!;
    await recordChannelFailure(
      db.pool,
      user,
      wh.id,
      { ok: false, permanent: true, gone: true, code: 'webhook_gone', message: '410' },
      FIXED_NOW,
    );
    expect((await getUserChannel(db.pool, user, 'webhook'))?.enabled).toBe(false);
    // Someone else's id changes nothing.
    await setUserChannelEnabled(db.pool, user, 'webhook', true, FIXED_NOW);
    await recordChannelFailure(
      db.pool,
      other,
      wh.id,
      { ok: false, permanent: true, gone: true, code: 'x', message: 'y' },
      FIXED_NOW,
    );
    expect((await getUserChannel(db.pool, user, 'webhook'))?.enabled).toBe(true);
    expect(await listUserChannels(db.pool, other)).toEqual([]);
  });

  it('moves a push subscription to the account that subscribes from the same browser', async () => {
    const sub = registry
      .channelByKind('webpush')!
      .configure(push.subscribe((await loadOrCreateVapidKeys(db.pool)).publicKey), null);
    const a = await savePushSubscription(db.pool, user, sub.config as never, 'Firefox', FIXED_NOW);
    const b = await savePushSubscription(db.pool, other, sub.config as never, 'Firefox', FIXED_NOW);
    if (!a || !b) throw new Error('the subscription was not saved');
    expect(b.id).toBe(a.id);
    expect((await listPushSubscriptions(db.pool, user)).some((s) => s.id === a.id)).toBe(false);
    expect(await deletePushSubscription(db.pool, user, { id: a.id })).toBe(false);
    expect(await deletePushSubscription(db.pool, other, { id: a.id })).toBe(true);
  });

  it("does not hand another account's push subscription to whoever knows only its endpoint", async () => {
    const sub = registry
      .channelByKind('webpush')!
      .configure(push.subscribe((await loadOrCreateVapidKeys(db.pool)).publicKey), null);
    const config = sub.config as { endpoint: string; p256dh: string; auth: string };
    const a = await savePushSubscription(db.pool, user, config, 'Firefox', FIXED_NOW);
    const forged = { ...config, auth: Buffer.alloc(16, 7).toString('base64url') };
    expect(await savePushSubscription(db.pool, other, forged as never, 'curl', FIXED_NOW)).toBe(
      null,
    );
    const kept = await listPushSubscriptions(db.pool, user);
    expect(kept.find((s) => s.id === a?.id)?.config).toEqual(config);
    expect(await listPushSubscriptions(db.pool, other)).toEqual([]);
    // Its own account may renew the keys of the same endpoint.
    const renewed = await savePushSubscription(db.pool, user, forged, 'Firefox', FIXED_NOW);
    expect(renewed?.id).toBe(a?.id);
    expect(renewed?.config.auth).toBe(forged.auth);
  });

  it('keeps one channel secret and derives separate keys from it', async () => {
    const [s1, s2] = await Promise.all([
      loadOrCreateChannelSecret(db.pool),
      loadOrCreateChannelSecret(db.pool),
    ]);
    expect(s1.equals(s2)).toBe(true);
    expect(channelKey(s1, 'unsubscribe').equals(channelKey(s1, 'phone-code'))).toBe(false);
  });
});
