import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFixture, sendContext, standinFetcher } from '../../../test/standins/context.js';
import { startDiscordStandin, type DiscordStandin } from '../../../test/standins/discord.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { createDiscordChannel, escapeDiscordMarkdown, parseDiscordUrl } from './discord.js';
import { ChannelConfigError } from './types.js';

const ID = '112233445566778899';
const TOKEN = 'abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123';

describe('discord URL', () => {
  it('parses discord://{id}/{token} and the https URL Discord shows', () => {
    const expected = { url: `discord://${ID}/${TOKEN}`, webhookId: ID, webhookToken: TOKEN };
    expect(parseDiscordUrl(`discord://${ID}/${TOKEN}`)).toEqual(expected);
    expect(parseDiscordUrl(`https://discord.com/api/webhooks/${ID}/${TOKEN}`)).toEqual(expected);
    expect(parseDiscordUrl(`https://discordapp.com/api/webhooks/${ID}/${TOKEN}`)).toEqual(expected);
  });

  it.each([
    [`discord://${ID}`, /expected discord/],
    [`discord://abc/${TOKEN}`, /must be a number/],
    [`discord://${ID}/short`, /not a Discord webhook token/],
    [`slack://${ID}/${TOKEN}`, /discord:\/\//],
  ])('refuses %s clearly', (url, message) => {
    expect(() => parseDiscordUrl(url)).toThrow(ChannelConfigError);
    expect(() => parseDiscordUrl(url)).toThrow(message);
  });
});

describe('discord channel against the webhook stand-in', () => {
  let api: DiscordStandin;
  let fetcher: Fetcher;
  const channel = () => createDiscordChannel({ apiBase: api.origin });
  const config = (token = TOKEN) =>
    channel().configure({ url: `discord://${ID}/${token}` }, null).config;

  beforeAll(async () => {
    api = await startDiscordStandin();
    api.webhooks.set(ID, TOKEN);
    fetcher = standinFetcher({ trusted: [api.host] });
  });
  afterAll(async () => {
    await fetcher.close();
    await api.close();
  });

  it('posts content and an embed that can ping nobody, within Discord limits', async () => {
    const r = await channel().send(config(), alertFixture(), sendContext(fetcher));
    expect(r.ok).toBe(true);
    const p = api.messages.at(-1)?.payload;
    expect(p.allowed_mentions).toEqual({ parse: [] });
    expect(p.content).toContain('\\@everyone');
    // Escaped brackets: no masked link; an escaped colon: not even an auto-link.
    expect(p.content).toContain('\\[win\\]\\(https\\://evil.example\\)');
    expect(p.content).not.toMatch(/[^\\]\[win\]/);
    expect(p.embeds[0].url).toBe('https://pricehawk.example/products/9');
    expect(p.embeds[0].thumbnail).toEqual({
      url: 'https://m.media-amazon.com/images/I/kettle.jpg',
    });
    expect(p.embeds[0].fields.map((f: any) => f.name)).toEqual(['Price', 'Was', 'Your target']);
    expect(p.embeds[0].description).toContain(
      '[View in store](https://www.amazon.de/dp/B000LQXC2Q?tag=x&ref=y)',
    );
    expect(r).toEqual({ ok: true, providerId: api.messages.at(-1)?.id });
  });

  it('keeps a 600-character title within the embed limits', async () => {
    const r = await channel().send(
      config(),
      alertFixture({ productTitle: 'x'.repeat(600) }),
      sendContext(fetcher),
    );
    expect(r.ok).toBe(true);
  });

  it('backs off on 429 for retry_after', async () => {
    api.rateLimitNext(1.5);
    const r = await channel().send(config(), alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({
      ok: false,
      permanent: false,
      retryAfterMs: 1500,
      code: 'discord_rate_limited',
    });
  });

  it('treats a deleted webhook and a wrong token as gone', async () => {
    const wrong = 'zzzDEF123_-abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123';
    expect(await channel().send(config(wrong), alertFixture(), sendContext(fetcher))).toMatchObject(
      {
        ok: false,
        permanent: true,
        gone: true,
      },
    );
    const gone = channel().configure({ url: `discord://999999999999999999/${TOKEN}` }, null).config;
    expect(await channel().send(gone, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
      gone: true,
      code: 'discord_webhook_gone',
    });
  });

  it('describes the webhook by id only', () => {
    expect(channel().describe(config())).toBe(`Discord webhook ${ID}`);
    expect(channel().rateKey(config())).toBe(`discord:${ID}`);
  });

  it('escapes markdown so text shows as typed', () => {
    expect(escapeDiscordMarkdown('**a** _b_ [c](d) <@1> @here')).toBe(
      '\\*\\*a\\*\\* \\_b\\_ \\[c\\]\\(d\\) \\<\\@1\\> \\@here',
    );
  });
});
