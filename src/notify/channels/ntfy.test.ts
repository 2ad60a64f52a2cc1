import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFixture, sendContext, standinFetcher } from '../../../test/standins/context.js';
import { decodeRfc2047, startNtfyStandin, type NtfyStandin } from '../../../test/standins/ntfy.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { createNtfyChannel, ntfyHeader, parseNtfyUrl } from './ntfy.js';
import { ChannelConfigError } from './types.js';

describe('ntfy URL', () => {
  it('reads the Apprise forms', () => {
    expect(parseNtfyUrl('ntfy://my-alerts')).toEqual({
      url: 'ntfy://my-alerts',
      server: 'https://ntfy.sh',
      topic: 'my-alerts',
      auth: { type: 'none' },
    });
    expect(parseNtfyUrl('ntfy://ntfy.example.com:8080/alerts')).toMatchObject({
      server: 'http://ntfy.example.com:8080',
      topic: 'alerts',
    });
    expect(parseNtfyUrl('ntfys://me:p%40ss@ntfy.example.com/alerts')).toEqual({
      url: 'ntfys://me:p%40ss@ntfy.example.com/alerts',
      server: 'https://ntfy.example.com',
      topic: 'alerts',
      auth: { type: 'basic', user: 'me', password: 'p@ss' },
    });
    expect(parseNtfyUrl('ntfys://tk_abcdefghijklmnop@ntfy.example.com/alerts').auth).toEqual({
      type: 'token',
      token: 'tk_abcdefghijklmnop',
    });
  });

  it.each([
    ['ntfy://', /expected a URL|topic/],
    ['ntfy://host/a/b', /one topic/],
    ['ntfy://host/bad topic!', /topic is 1 to 64/],
    ['ntfy://me@host/alerts', /user:password/],
    ['ntfy://me:pw@alerts', /name the server/],
    ['https://ntfy.sh/alerts', /ntfy:\/\/ or ntfys:\/\//],
  ])('refuses %s clearly', (url, message) => {
    expect(() => parseNtfyUrl(url)).toThrow(ChannelConfigError);
    expect(() => parseNtfyUrl(url)).toThrow(message);
  });

  it('describes without the password', () => {
    const c = parseNtfyUrl('ntfys://me:secret@ntfy.example.com/alerts');
    expect(createNtfyChannel().describe(c)).toBe(
      'ntfy topic alerts on ntfy.example.com (with login)',
    );
    expect(createNtfyChannel().rateKey(c)).toBe('ntfy:ntfy.example.com:me');
  });
});

describe('ntfy channel against the server stand-in', () => {
  let server: NtfyStandin;
  let fetcher: Fetcher;
  const channel = createNtfyChannel();
  const host = () => `ntfy.test:${server.port}`;

  beforeAll(async () => {
    server = await startNtfyStandin();
    server.protectedTopics.set('private', { user: 'me', pass: 'secret' });
    server.protectedTopics.set('tokened', { token: 'tk_abcdefghijklmnop' });
    fetcher = standinFetcher({
      trusted: [`ntfy.test:${server.port}`],
      loopbackNames: ['ntfy.test'],
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  it('publishes with Title, Tags, Click and Priority; a non-ASCII title arrives intact', async () => {
    const config = channel.configure({ url: `ntfy://${host()}/alerts` }, null).config;
    const r = await channel.send(
      config,
      alertFixture({ productTitle: 'Wasserkocher – Edelstahl 🫖' }),
      sendContext(fetcher),
    );
    expect(r.ok).toBe(true);
    const m = server.messages.at(-1);
    expect(m).toMatchObject({
      topic: 'alerts',
      title: 'Price drop: Wasserkocher – Edelstahl 🫖',
      tags: ['moneybag'],
      click: 'https://www.amazon.de/dp/B000LQXC2Q?tag=x&ref=y',
      priority: 4,
    });
    expect(m?.message.replace(/\u00a0/g, ' ')).toContain('Now 129,99 € (was 159,99 €');
    expect(m?.message).toContain('Price history: https://pricehawk.example/products/9');
    expect(r).toEqual({ ok: true, providerId: m?.id });
  });

  it('keeps a title with line breaks on one header line', async () => {
    const config = channel.configure({ url: `ntfy://${host()}/alerts` }, null).config;
    await channel.send(config, alertFixture(), sendContext(fetcher));
    expect(server.messages.at(-1)?.title).toContain('&amp; Bcc: x');
  });

  it('logs in with a password or an access token', async () => {
    const basic = channel.configure({ url: `ntfy://me:secret@${host()}/private` }, null).config;
    expect((await channel.send(basic, alertFixture(), sendContext(fetcher))).ok).toBe(true);
    const token = channel.configure(
      { url: `ntfy://tk_abcdefghijklmnop@${host()}/tokened` },
      null,
    ).config;
    expect((await channel.send(token, alertFixture(), sendContext(fetcher))).ok).toBe(true);
    const wrong = channel.configure({ url: `ntfy://me:nope@${host()}/private` }, null).config;
    expect(await channel.send(wrong, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
      code: 'ntfy_unauthorized',
    });
  });

  it('backs off on 429', async () => {
    const config = channel.configure({ url: `ntfy://${host()}/alerts` }, null).config;
    server.rateLimitNext();
    expect(await channel.send(config, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
      code: 'ntfy_rate_limited',
    });
  });

  it('sends a test message', async () => {
    const config = channel.configure({ url: `ntfy://${host()}/alerts` }, null).config;
    expect((await channel.sendTest(config, sendContext(fetcher))).ok).toBe(true);
    expect(server.messages.at(-1)?.title).toMatch(/^Test: Price drop/);
  });

  it('encodes non-ASCII header values as RFC 2047', () => {
    expect(ntfyHeader('plain')).toBe('plain');
    expect(decodeRfc2047(ntfyHeader('Grüße 🫖'))).toBe('Grüße 🫖');
  });
});
