import { createECDH } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { alertFixture, sendContext, standinFetcher } from '../../../test/standins/context.js';
import {
  decryptWebPush,
  startPushService,
  type PushServiceStandin,
} from '../../../test/standins/push-service.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { createPool, withDatabase } from '../../db/pool.js';
import { createLogger } from '../../observability/logger.js';
import { loadOrCreateVapidKeys, type VapidKeys } from './settings.js';
import { ChannelConfigError } from './types.js';
import { createWebPushChannel, pushTopic } from './webpush.js';

describe('the stand-in push service decrypts per RFC 8291', () => {
  it('reads the example of RFC 8291 section 5', () => {
    const ua = createECDH('prime256v1');
    ua.setPrivateKey(Buffer.from('q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94', 'base64url'));
    expect(ua.getPublicKey().toString('base64url')).toBe(
      'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
    );
    const body = Buffer.from(
      'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml' +
        'mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT' +
        'pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
      'base64url',
    );
    const auth = Buffer.from('BTBZMqHH6r4Tts7J_aSIgg', 'base64url');
    expect(decryptWebPush(body, ua, auth).toString('utf8')).toBe(
      'When I grow up, I want to be a watermelon',
    );
  });
});

describe('VAPID keys', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('are generated once and kept, even when processes start together', async () => {
    // Separate pools: separate connections, as separate processes would have.
    const pools = Array.from({ length: 4 }, () =>
      createPool(withDatabase(db.url, new URL(db.url).pathname.slice(1)), createLogger('silent'), {
        max: 1,
      }),
    );
    try {
      const keys = await Promise.all(pools.map((p) => loadOrCreateVapidKeys(p)));
      for (const k of keys) expect(k).toEqual(keys[0]);
      expect(Buffer.from(keys[0]?.publicKey ?? '', 'base64url')).toHaveLength(65);
      expect(await loadOrCreateVapidKeys(db.pool)).toEqual(keys[0]);
      const { rows } = await db.pool.query(
        `select count(*)::int as n from app_settings where key = 'vapid_keys'`,
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});

describe('webpush channel against a push service that decrypts and checks VAPID', () => {
  let db: TestDatabase;
  let push: PushServiceStandin;
  let fetcher: Fetcher;
  let vapid: VapidKeys;
  const channel = () =>
    createWebPushChannel({
      vapid,
      subject: 'mailto:alerts@pricehawk.example',
      allowHttpEndpoints: true,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    vapid = await loadOrCreateVapidKeys(db.pool);
    push = await startPushService();
    fetcher = standinFetcher({ trusted: [push.host] });
  });
  afterAll(async () => {
    await fetcher.close();
    await push.close();
    await db.drop();
  });

  it('delivers an encrypted payload the browser side can read, with a valid VAPID JWT', async () => {
    const sub = push.subscribe(vapid.publicKey);
    const config = channel().configure(sub, null).config;
    const r = await channel().send(config, alertFixture(), sendContext(fetcher));
    expect(r.ok).toBe(true);
    const got = push.received.at(-1);
    expect(push.refused).toEqual([]);
    expect(got?.jwt).toMatchObject({ aud: push.origin, sub: 'mailto:alerts@pricehawk.example' });
    expect(got?.ttl).toBe(43_200);
    expect(got?.urgency).toBe('normal');
    expect(got?.topic).toBe(pushTopic('n42-test'));
    const payload = JSON.parse(got?.plaintext ?? '{}');
    expect(payload).toMatchObject({
      v: 1,
      kind: 'price_drop',
      notificationId: 42,
      url: 'https://pricehawk.example/products/9',
      tag: 'pricehawk-alert-42',
      image: 'https://m.media-amazon.com/images/I/kettle.jpg',
    });
    expect(payload.title).toMatch(/^Price drop: Kettle <b>hot<\/b>/);
    expect(payload.body.replace(/\u00a0/g, ' ')).toContain('Now 129,99 €');
  });

  it('is refused by the push service when signed with other VAPID keys', async () => {
    const sub = push.subscribe(vapid.publicKey);
    const config = channel().configure(sub, null).config;
    const other = createWebPushChannel({
      vapid: {
        publicKey:
          'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
        privateKey: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
      },
      subject: 'mailto:alerts@pricehawk.example',
      allowHttpEndpoints: true,
    });
    const r = await other.send(config, alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'push_403' });
    expect(push.refused.at(-1)).toMatch(/not the key the subscription was made with/);
  });

  it('reports 410 from the push service as gone, 429 as transient with Retry-After', async () => {
    const sub = push.subscribe(vapid.publicKey);
    const config = channel().configure(sub, null).config;
    push.rateLimitNext(9);
    expect(await channel().send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
      retryAfterMs: 9000,
    });
    push.expire(sub.endpoint);
    expect(await channel().send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
      gone: true,
      code: 'push_subscription_gone',
    });
  });

  it('sends a test notification', async () => {
    const config = channel().configure(push.subscribe(vapid.publicKey), null).config;
    expect((await channel().sendTest(config, sendContext(fetcher))).ok).toBe(true);
    expect(JSON.parse(push.received.at(-1)?.plaintext ?? '{}').title).toMatch(/^Test: Price drop/);
  });

  it('validates subscriptions as browsers give them', () => {
    const sub = push.subscribe(vapid.publicKey);
    const strict = createWebPushChannel({ vapid, subject: 'mailto:a@b.example' });
    expect(() => strict.configure(sub, null)).toThrow(/must be https/);
    expect(() =>
      channel().configure({ ...sub, keys: { ...sub.keys, p256dh: 'abc' } }, null),
    ).toThrow(ChannelConfigError);
    expect(() =>
      channel().configure({ ...sub, keys: { ...sub.keys, auth: 'AAAA' } }, null),
    ).toThrow(/16 bytes/);
    expect(() => channel().configure({ endpoint: sub.endpoint }, null)).toThrow(ChannelConfigError);
    // The stored row form parses back to the same config.
    const c = channel().configure(sub, null).config;
    expect(channel().parseConfig({ endpoint: c.endpoint, p256dh: c.p256dh, auth: c.auth })).toEqual(
      c,
    );
    expect(channel().describe(c)).toBe(`Push to a browser via ${push.host}`);
  });
});
