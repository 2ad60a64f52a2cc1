import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertFixture,
  EVIL_TITLE,
  sendContext,
  standinFetcher,
} from '../../../test/standins/context.js';
import {
  parseTelegramHtml,
  startTelegramStandin,
  type TelegramStandin,
} from '../../../test/standins/telegram.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { createTelegramChannel, parseTelegramUrl, renderTelegram } from './telegram.js';
import { ChannelConfigError } from './types.js';

const TOKEN = '123456789:AAE_test-token-0123456789abcdefghij';

describe('telegram URL', () => {
  it('parses tgram://{token}/{chat} with or without the bot prefix', () => {
    expect(parseTelegramUrl(`tgram://${TOKEN}/987654321`)).toEqual({
      url: `tgram://${TOKEN}/987654321`,
      botToken: TOKEN,
      chatId: '987654321',
    });
    expect(parseTelegramUrl(`tgram://bot${TOKEN}/-1001234567890`).chatId).toBe('-1001234567890');
    expect(parseTelegramUrl(`tgram://${TOKEN}/@my_channel`).chatId).toBe('@my_channel');
  });

  it.each([
    ['https://api.telegram.org/x', /tgram:\/\//],
    ['tgram://not-a-token/123', /bot token/],
    [`tgram://${TOKEN}`, /name the chat/],
    [`tgram://${TOKEN}/1/2`, /exactly one chat/],
    [`tgram://${TOKEN}/me!`, /numeric id/],
  ])('refuses %s clearly', (url, message) => {
    expect(() => parseTelegramUrl(url)).toThrow(ChannelConfigError);
    expect(() => parseTelegramUrl(url)).toThrow(message);
  });
});

describe('telegram rendering', () => {
  it('escapes the title so Telegram parses it as text, with our links only', () => {
    const html = renderTelegram(alertFixture());
    const parsed = parseTelegramHtml(html);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.visible).toContain(EVIL_TITLE.replace(/\r\n/, ' '));
    expect(parsed.links).toEqual([
      'https://pricehawk.example/products/9',
      'https://www.amazon.de/dp/B000LQXC2Q?tag=x&ref=y',
      'https://pricehawk.example/products/9',
    ]);
    expect(parsed.visible.replace(/\u00a0/g, ' ')).toContain(
      'Now 129,99 € (was 159,99 €, down 30,00 € or 18%)',
    );
  });

  it('does not link a store URL that is not http(s)', () => {
    const parsed = parseTelegramHtml(
      renderTelegram(alertFixture({ storeUrl: 'javascript:alert(1)' })),
    );
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.links.some((l) => l.startsWith('javascript:'))).toBe(false);
  });
});

describe('telegram channel against the Bot API stand-in', () => {
  let api: TelegramStandin;
  let fetcher: Fetcher;
  const channel = () => createTelegramChannel({ apiBase: api.origin });

  beforeAll(async () => {
    api = await startTelegramStandin({ token: TOKEN });
    api.chats.add('987654321');
    api.chats.add('555');
    api.blocked.add('555');
    fetcher = standinFetcher({ trusted: [api.host] });
  });
  afterAll(async () => {
    await fetcher.close();
    await api.close();
  });

  const config = (chat = '987654321', token = TOKEN) =>
    channel().configure({ url: `tgram://${token}/${chat}` }, null).config;

  it('sends an HTML message the stand-in parses, with previews off', async () => {
    const r = await channel().send(config(), alertFixture(), sendContext(fetcher));
    expect(r).toEqual({ ok: true, providerId: '1' });
    const m = api.messages.at(-1);
    expect(m?.chatId).toBe('987654321');
    expect(m?.disableWebPagePreview).toBe(true);
    expect(m?.visible).toContain('@everyone <!channel>');
  });

  it('sends a test message', async () => {
    const r = await channel().sendTest(config(), sendContext(fetcher));
    expect(r.ok).toBe(true);
    expect(api.messages.at(-1)?.visible).toMatch(/^Test: Price drop/);
  });

  it('backs off as told on 429 (retry_after), transiently', async () => {
    api.floodNext(17);
    const r = await channel().send(config(), alertFixture(), sendContext(fetcher));
    expect(r).toMatchObject({
      ok: false,
      permanent: false,
      retryAfterMs: 17_000,
      code: 'telegram_rate_limited',
    });
  });

  it('treats a revoked token, an unknown chat and a blocked bot as permanent and gone', async () => {
    const other = '123456789:AAE_revoked-token-0123456789abcdefgh';
    expect(
      await channel().send(config('987654321', other), alertFixture(), sendContext(fetcher)),
    ).toMatchObject({
      ok: false,
      permanent: true,
      gone: true,
      code: 'telegram_bad_token',
    });
    expect(
      await channel().send(config('4242'), alertFixture(), sendContext(fetcher)),
    ).toMatchObject({
      ok: false,
      permanent: true,
      code: 'telegram_chat_not_found',
    });
    expect(await channel().send(config('555'), alertFixture(), sendContext(fetcher))).toMatchObject(
      {
        ok: false,
        permanent: true,
        gone: true,
        code: 'telegram_forbidden',
      },
    );
  });

  it('treats a server error as transient', async () => {
    api.forceNext({ status: 502, body: 'Bad Gateway' });
    expect(await channel().send(config(), alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
    });
  });

  it('describes the chat and the bot without the token secret', () => {
    const d = channel().describe(config());
    expect(d).toBe('Telegram chat 987654321 via bot 123456789');
    expect(d).not.toContain('AAE_');
    expect(channel().rateKey(config())).toBe('telegram:123456789:987654321');
  });
});
