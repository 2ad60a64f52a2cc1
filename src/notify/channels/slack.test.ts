import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFixture, sendContext, standinFetcher } from '../../../test/standins/context.js';
import { startSlackStandin, type SlackStandin } from '../../../test/standins/slack.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { createSlackChannel, escapeSlack, parseSlackUrl } from './slack.js';
import { ChannelConfigError } from './types.js';

const HOOK = 'T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx';

describe('slack URL', () => {
  it('parses slack://T/B/secret and the https URL Slack shows', () => {
    const expected = {
      url: `slack://${HOOK}`,
      team: 'T0123ABCD',
      bot: 'B0456EFGH',
      secret: 'abcdefghijklmnopqrstuvwx',
    };
    expect(parseSlackUrl(`slack://${HOOK}`)).toEqual(expected);
    expect(parseSlackUrl(`https://hooks.slack.com/services/${HOOK}`)).toEqual(expected);
  });

  it.each([
    ['slack://T0123ABCD/B0456EFGH', /expected slack/],
    ['slack://x0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx', /expected slack/],
    ['slack://T0123ABCD/B0456EFGH/short', /not a Slack webhook secret/],
    ['slack://xoxb-token@T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx', /incoming webhook/],
  ])('refuses %s clearly', (url, message) => {
    expect(() => parseSlackUrl(url)).toThrow(ChannelConfigError);
    expect(() => parseSlackUrl(url)).toThrow(message);
  });
});

describe('slack channel against the incoming-webhook stand-in', () => {
  let api: SlackStandin;
  let fetcher: Fetcher;
  const channel = () => createSlackChannel({ apiBase: api.origin });
  const config = (hook = HOOK) => channel().configure({ url: `slack://${hook}` }, null).config;

  beforeAll(async () => {
    api = await startSlackStandin();
    api.hooks.add(HOOK);
    api.hooks.add('T0123ABCD/B0999ARCH/abcdefghijklmnopqrstuvwx');
    api.archived.add('T0123ABCD/B0999ARCH/abcdefghijklmnopqrstuvwx');
    fetcher = standinFetcher({ trusted: [api.host] });
  });
  afterAll(async () => {
    await fetcher.close();
    await api.close();
  });

  it('posts text and blocks whose mrkdwn holds only our links, no mention', async () => {
    const r = await channel().send(config(), alertFixture(), sendContext(fetcher));
    expect(r).toEqual({ ok: true });
    const post = api.posts.at(-1);
    // Every <…> is a link we made; the title's <!channel> and <@123> arrive escaped.
    expect(post?.angles.every((a) => /^https:\/\//.test(a))).toBe(true);
    expect(post?.angles).toContain('https://pricehawk.example/products/9|Price history');
    expect(post?.angles).toContain(
      'https://www.amazon.de/dp/B000LQXC2Q?tag=x&amp;ref=y|View in store',
    );
    const section = post?.payload.blocks[0];
    expect(section.text.text).toContain('&lt;!channel&gt;');
    expect(section.accessory).toMatchObject({
      type: 'image',
      image_url: 'https://m.media-amazon.com/images/I/kettle.jpg',
    });
    expect(post?.payload.unfurl_links).toBe(false);
  });

  it('backs off on 429 for Retry-After', async () => {
    api.rateLimitNext(3);
    expect(await channel().send(config(), alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
      retryAfterMs: 3000,
      code: 'slack_rate_limited',
    });
  });

  it('treats a removed webhook and an archived channel as gone', async () => {
    expect(
      await channel().send(
        config('T0123ABCD/B0456ZZZZ/abcdefghijklmnopqrstuvwx'),
        alertFixture(),
        sendContext(fetcher),
      ),
    ).toMatchObject({ ok: false, permanent: true, gone: true, code: 'slack_no_service' });
    expect(
      await channel().send(
        config('T0123ABCD/B0999ARCH/abcdefghijklmnopqrstuvwx'),
        alertFixture(),
        sendContext(fetcher),
      ),
    ).toMatchObject({ ok: false, permanent: true, gone: true, code: 'slack_channel_is_archived' });
  });

  it('sends a test message', async () => {
    expect((await channel().sendTest(config(), sendContext(fetcher))).ok).toBe(true);
    expect(api.posts.at(-1)?.payload.text).toMatch(/^Test: Price drop/);
  });

  it('escapes the three characters Slack asks for', () => {
    expect(escapeSlack('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });

  it('describes the webhook without its secret', () => {
    expect(channel().describe(config())).toBe('Slack webhook T0123ABCD/B0456EFGH');
    expect(channel().rateKey(config())).toBe('slack:T0123ABCD/B0456EFGH');
  });
});
