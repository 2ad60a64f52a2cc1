import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertFixture,
  EVIL_TITLE,
  FIXED_NOW,
  sendContext,
  standinFetcher,
} from '../../../test/standins/context.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../test/standins/webhook-receiver.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { ChannelConfigError } from './types.js';
import { createWebhookChannel, type WebhookConfig } from './webhook.js';

const channel = createWebhookChannel();

function configFor(url: string): WebhookConfig {
  return channel.configure({ url }, null).config;
}

describe('webhook channel: configuration', () => {
  it('generates a whsec_ secret, shows it once, keeps it on later changes, rotates on request', () => {
    const first = channel.configure({ url: 'https://hooks.example.com/pricehawk' }, null);
    expect(first.config.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(first.reveal).toEqual({ secret: first.config.secret });
    const changed = channel.configure({ url: 'https://hooks.example.com/v2' }, first.config);
    expect(changed.config.secret).toBe(first.config.secret);
    expect(changed.reveal).toBeUndefined();
    const rotated = channel.configure(
      { url: 'https://hooks.example.com/v2', rotateSecret: true },
      changed.config,
    );
    expect(rotated.config.secret).not.toBe(first.config.secret);
    expect(rotated.reveal?.secret).toBe(rotated.config.secret);
  });

  it.each([
    ['ftp://hooks.example.com/x', 'channel_url_scheme'],
    ['not a url', 'channel_url_invalid'],
    ['http://10.0.0.5/hook', 'channel_url_private'],
    ['http://[::1]:8080/hook', 'channel_url_private'],
    ['http://localhost/hook', 'channel_url_private'],
    ['https://user:pw@hooks.example.com/x', 'channel_url_invalid'],
  ])('refuses %s with %s', (url, code) => {
    expect(() => channel.configure({ url }, null)).toThrow(ChannelConfigError);
    try {
      channel.configure({ url }, null);
    } catch (e) {
      expect((e as ChannelConfigError).code).toBe(code);
    }
  });

  it('describes without the path (paths carry tokens) or the secret', () => {
    const c = configFor('https://hooks.example.com/t/SECRET-TOKEN');
    expect(channel.describe(c)).toBe('Webhook to https://hooks.example.com/…');
    expect(channel.describe(c)).not.toContain(c.secret);
  });

  it('re-parses what it stored', () => {
    const c = configFor('https://hooks.example.com/x');
    expect(channel.parseConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(() => channel.parseConfig({ url: c.url, secret: 'nope' })).toThrow(ChannelConfigError);
  });
});

describe('webhook channel: delivery to a receiver that verifies the signature', () => {
  let receiver: WebhookReceiver;
  let fetcher: Fetcher;
  let config: WebhookConfig;
  let url: string;

  beforeAll(async () => {
    config = configFor('https://hooks.customer.test/placeholder');
    receiver = await startWebhookReceiver({
      secret: config.secret,
      now: () => FIXED_NOW,
      path: '/in',
    });
    url = `http://hooks.customer.test:${receiver.port}/in`;
    config = { ...config, url };
    fetcher = standinFetcher({
      trusted: [`hooks.customer.test:${receiver.port}`],
      loopbackNames: ['hooks.customer.test', 'rebind.test'],
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await receiver.close();
  });

  it('posts the documented payload, signed; the receiver verifies it', async () => {
    const r = await channel.send(config, alertFixture(), sendContext(fetcher));
    expect(r).toEqual({ ok: true });
    const got = receiver.accepted.at(-1);
    expect(got?.id).toBe('n42-test');
    expect(got?.timestamp).toBe(Math.floor(FIXED_NOW.getTime() / 1000));
    expect(got?.payload).toMatchObject({
      type: 'price.dropped',
      timestamp: FIXED_NOW.toISOString(),
      data: {
        notification_id: '42',
        kind: 'price_drop',
        product: { id: '9', url: 'https://www.amazon.de/dp/B000LQXC2Q?tag=x&ref=y' },
        price: { amount: '129.99', currency: 'EUR' },
        previous_price: { amount: '159.99', currency: 'EUR' },
        target_price: { amount: '130.00', currency: 'EUR' },
        watch: { id: '5', price_type: 'buybox', rule: 'below' },
        links: { product: 'https://pricehawk.example/products/9' },
      },
    });
    // JSON carries the title as text (line breaks flattened); JSON encoding is the escaping.
    expect(got?.payload.data.product.title).toBe(EVIL_TITLE.replace(/\r\n/, ' '));
  });

  it('sends the same webhook-id and body on a resend, so the receiver can deduplicate', async () => {
    const before = receiver.accepted.length;
    await channel.send(config, alertFixture(), sendContext(fetcher));
    await channel.send(config, alertFixture(), sendContext(fetcher));
    const [a, b] = receiver.accepted.slice(before);
    expect(a?.id).toBe(b?.id);
    expect(a?.raw).toBe(b?.raw);
  });

  it('names back-in-stock and test events by their types', async () => {
    await channel.send(config, alertFixture({ kind: 'back_in_stock' }), sendContext(fetcher));
    expect(receiver.accepted.at(-1)?.payload.type).toBe('product.back_in_stock');
    const t = await channel.sendTest(config, sendContext(fetcher, { idempotencyKey: 'test-1' }));
    expect(t.ok).toBe(true);
    expect(receiver.accepted.at(-1)?.payload.type).toBe('webhook.test');
  });

  it('is refused by the receiver when signed with another secret: permanent', async () => {
    const other = channel.configure({ url }, null).config;
    const r = await channel.send(other, alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'http_401' });
    expect(receiver.refused.at(-1)).toBe('signature');
  });

  it('is refused by the receiver when the timestamp is stale', async () => {
    const late = sendContext(fetcher, { clock: () => new Date(FIXED_NOW.getTime() - 600_000) });
    const r = await channel.send(config, alertFixture(), late);
    expect(r.ok).toBe(false);
    expect(receiver.refused.at(-1)).toBe('timestamp out of tolerance');
  });

  it('tells 410 (gone), 500 (transient) and 429 with Retry-After apart', async () => {
    receiver.forceNext({ status: 410 });
    expect(await channel.send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
      gone: true,
      code: 'webhook_gone',
    });
    receiver.forceNext({ status: 500, body: 'boom' });
    expect(await channel.send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
      code: 'http_500',
    });
    receiver.forceNext({ status: 429, headers: { 'retry-after': '30' } });
    expect(await channel.send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
      retryAfterMs: 30_000,
    });
    receiver.forceNext({ status: 400, body: 'bad' });
    expect(await channel.send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
    });
  });

  it('SSRF: a name resolving to a private address is refused, permanently', async () => {
    const c = { ...config, url: `http://internal.customer.test:${receiver.port}/in` };
    const before = receiver.requests.length;
    const r = await channel.send(c, alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'fetch_address_refused' });
    expect(receiver.requests.length).toBe(before);
  });

  it('SSRF: a name resolving to loopback that the operator did not trust is refused', async () => {
    const c = { ...config, url: `http://rebind.test:${receiver.port}/in` };
    const before = receiver.requests.length;
    const r = await channel.send(c, alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({ ok: false, permanent: true });
    expect(receiver.requests.length).toBe(before);
  });

  it('SSRF: a private IP literal that slipped into the stored config is refused', async () => {
    const r = await channel.send(
      { ...config, url: 'http://10.0.0.5:8080/in' },
      alertFixture(),
      sendContext(fetcher),
    );
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'fetch_address_refused' });
  });

  it('does not follow a redirect, and does not count it as delivered', async () => {
    const before = receiver.requests.length;
    receiver.forceNext({ status: 301, headers: { location: '/elsewhere' } });
    const r = await channel.send(config, alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'redirected' });
    expect(receiver.requests.length).toBe(before + 1); // the one request, nothing to /elsewhere
  });

  it('SSRF: a redirect to a private address is not followed', async () => {
    receiver.forceNext({ status: 307, headers: { location: 'http://169.254.169.254/latest/' } });
    const r = await channel.send(config, alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'redirected' });
  });
});
