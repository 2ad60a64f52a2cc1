/**
 * Telegram through the Bot API: `POST {base}/bot{token}/sendMessage` with JSON
 * `{chat_id, text, parse_mode: "HTML", disable_web_page_preview}`. Configured as
 * `tgram://{bot_token}/{chat_id}` (the Apprise form). Every piece of text is escaped for
 * Telegram's HTML (only &lt; &gt; &amp; &quot; are entities there), so a product title can
 * neither break the message nor add a link of its own.
 */
import { z } from 'zod';
import { baseUrl, parseWith, splitServiceUrl } from './config.js';
import { callProvider, failure, httpFailure, isOk, jsonOf, ok } from './http.js';
import {
  digestSummary,
  label,
  moreLine,
  priceLine,
  safeHttpUrl,
  sampleAlert,
  targetLine,
  titleOf,
} from './render.js';
import {
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';

export interface TelegramConfig {
  /** The canonical `tgram://` URL. SECRET (holds the bot token). */
  readonly url: string;
  readonly botToken: string;
  /** A numeric id (negative for groups) or @channelname. */
  readonly chatId: string;
}

export interface TelegramOptions {
  /** Bot API base URL (default https://api.telegram.org); a local Bot API server or a stand-in. */
  readonly apiBase?: string;
}

const EXAMPLE = 'tgram://123456789:AAE-your-bot-token/987654321';
const TOKEN_RE = /^\d{3,15}:[A-Za-z0-9_-]{20,100}$/;
const CHAT_RE = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

const Input = z.object({ url: z.string().max(2000) });

export function parseTelegramUrl(raw: unknown): TelegramConfig {
  const u = splitServiceUrl(raw, ['tgram', 'telegram'], EXAMPLE);
  // Apprise accepts the token with or without its "bot" prefix.
  const botToken = u.authority.replace(/^bot/i, '');
  if (!TOKEN_RE.test(botToken)) {
    throw new ChannelConfigError(
      'channel_url_invalid',
      `that is not a bot token (digits, a colon, then the secret from @BotFather); expected ${EXAMPLE}`,
    );
  }
  if (u.segments.length !== 1) {
    throw new ChannelConfigError(
      'channel_url_invalid',
      u.segments.length === 0
        ? `name the chat after the token: ${EXAMPLE}`
        : 'name exactly one chat (one Telegram channel per Pricehawk account)',
    );
  }
  const chatId = u.segments[0] ?? '';
  if (!CHAT_RE.test(chatId)) {
    throw new ChannelConfigError(
      'channel_url_invalid',
      'the chat must be a numeric id (negative for groups) or an @channel name',
    );
  }
  return { url: `tgram://${botToken}/${chatId}`, botToken, chatId };
}

/** Escapes text for Telegram's HTML parse mode (and for use inside an attribute). */
export function escapeTelegramHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The daily digest as a short summary: a line per alert and a link to the inbox. */
export function renderTelegramDigest(d: DigestMessage): string {
  const e = escapeTelegramHtml;
  const s = digestSummary(d, 10, 120);
  const more = moreLine(s);
  const inbox = safeHttpUrl(s.url);
  return [
    `<b>${e(s.title)}</b>`,
    ...s.lines.map((l) => `• ${e(l)}`),
    ...(more ? [e(more)] : []),
    ...(inbox ? [`<a href="${e(inbox)}">All your alerts</a>`] : []),
  ].join('\n');
}

export function renderTelegram(m: AlertMessage): string {
  const e = escapeTelegramHtml;
  const page = safeHttpUrl(m.productPageUrl);
  const store = safeHttpUrl(m.storeUrl);
  const title = e(titleOf(m, 300));
  const lines = [
    `<b>${e(label(m))}</b>: ${page ? `<a href="${e(page)}">${title}</a>` : title}`,
    e(priceLine(m)),
  ];
  const target = targetLine(m);
  if (target) lines.push(e(target));
  const links = [
    store ? `<a href="${e(store)}">View in store</a>` : null,
    page ? `<a href="${e(page)}">Price history</a>` : null,
  ].filter((x) => x !== null);
  if (links.length > 0) lines.push(links.join(' · '));
  return lines.join('\n');
}

interface TelegramAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  result?: { message_id?: number };
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export function createTelegramChannel(opts: TelegramOptions = {}): Channel<TelegramConfig> {
  const api = baseUrl(opts.apiBase ?? 'https://api.telegram.org');

  async function post(
    config: TelegramConfig,
    m: AlertMessage,
    ctx: SendContext,
  ): Promise<SendResult> {
    return sendHtml(config, renderTelegram(m), ctx);
  }

  async function sendHtml(
    config: TelegramConfig,
    text: string,
    ctx: SendContext,
  ): Promise<SendResult> {
    const now = ctx.clock();
    return callProvider(
      ctx,
      {
        url: `${api}/bot${config.botToken}/sendMessage`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chat_id: config.chatId,
          text,
          parse_mode: 'HTML',
          disable_web_page_preview: true,
        }),
      },
      (res) => {
        const a = (jsonOf(res) ?? {}) as TelegramAnswer;
        if (isOk(res.status) && a.ok !== false) {
          const id = a.result?.message_id;
          return ok(id === undefined ? undefined : String(id));
        }
        const description = a.description ?? `HTTP ${res.status}`;
        if (res.status === 429) {
          const after = a.parameters?.retry_after;
          return httpFailure(res, now, {
            code: 'telegram_rate_limited',
            message: description,
            ...(typeof after === 'number' ? { retryAfterMs: after * 1000 } : {}),
          });
        }
        if (a.parameters?.migrate_to_chat_id !== undefined) {
          // A group became a supergroup: the old id is dead; the user must paste the new one.
          return failure(
            true,
            'telegram_chat_migrated',
            `${description} (new chat id ${a.parameters.migrate_to_chat_id})`,
            {
              gone: true,
            },
          );
        }
        if (res.status === 401 || res.status === 404) {
          // 404 from the Bot API means an unknown token, like 401.
          return httpFailure(res, now, {
            code: 'telegram_bad_token',
            message: description,
            gone: true,
          });
        }
        if (res.status === 403) {
          // "bot was blocked by the user", "bot was kicked from the group chat"
          return httpFailure(res, now, {
            code: 'telegram_forbidden',
            message: description,
            gone: true,
          });
        }
        if (res.status === 400 && /chat not found/i.test(description)) {
          return httpFailure(res, now, {
            code: 'telegram_chat_not_found',
            message: description,
            gone: true,
          });
        }
        return httpFailure(res, now, { code: `telegram_${res.status}`, message: description });
      },
    );
  }

  return {
    kind: 'telegram',
    parseConfig: (raw) => parseTelegramUrl(parseWith(Input, raw).url),
    configure: (input) => ({
      config: parseTelegramUrl(parseWith(Input, input).url),
      resetVerification: false,
    }),
    describe: (c) => `Telegram chat ${c.chatId} via bot ${c.botToken.split(':')[0] ?? ''}`,
    rateKey: (c) => `telegram:${c.botToken.split(':')[0] ?? ''}:${c.chatId}`,
    send: post,
    sendTest: (config, ctx) => post(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    sendDigest: (config, d, ctx) => sendHtml(config, renderTelegramDigest(d), ctx),
  };
}
