/**
 * The Telegram Bot API's sendMessage: `POST /bot{token}/sendMessage` with JSON. It checks the
 * token, the chat, and parses the text the way Telegram's HTML mode does: only its tags (b, i, u,
 * s, a href, code, pre, …), only the entities &lt; &gt; &amp; &quot; and numeric ones; anything
 * else is "Bad Request: can't parse entities", so an unescaped product title fails here as it
 * would there. Answers `{ok, result}` or `{ok: false, error_code, description, parameters}`.
 */
import { isJson, json, startStandinServer, type StandinServer } from './http.js';

export interface TelegramMessage {
  readonly chatId: string;
  /** The raw HTML text as sent. */
  readonly html: string;
  /** What the user sees: tags removed, entities decoded. */
  readonly visible: string;
  /** href of every link. */
  readonly links: string[];
  readonly disableWebPagePreview: boolean;
  readonly messageId: number;
}

export interface TelegramStandin extends StandinServer {
  readonly messages: TelegramMessage[];
  /** Chats the bot can write to; others answer "chat not found". */
  readonly chats: Set<string>;
  /** Chats that blocked the bot (403). */
  readonly blocked: Set<string>;
  /** The next request gets 429 with `retry_after` seconds. */
  floodNext(retryAfterSeconds: number): void;
}

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);

/** Telegram's HTML subset → visible text and links, or an error like Telegram's. */
export function parseTelegramHtml(html: string): { visible: string; links: string[] } | string {
  let visible = '';
  const links: string[] = [];
  const stack: string[] = [];
  let i = 0;
  const entity = (at: number): [string, number] | null => {
    const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(at));
    if (!m) return null;
    const name = m[1] ?? '';
    const ch =
      name === 'lt'
        ? '<'
        : name === 'gt'
          ? '>'
          : name === 'amp'
            ? '&'
            : name === 'quot'
              ? '"'
              : String.fromCodePoint(
                  name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1)),
                );
    return [ch, m[0].length];
  };
  while (i < html.length) {
    const c = html[i] ?? '';
    if (c === '&') {
      const e = entity(i);
      if (!e) return `Bad Request: can't parse entities: unsupported entity at byte offset ${i}`;
      visible += e[0];
      i += e[1];
    } else if (c === '<') {
      const m = /^<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<]*")*)\s*>/.exec(html.slice(i));
      if (!m) return `Bad Request: can't parse entities: unexpected "<" at byte offset ${i}`;
      const [whole, close, tag = '', attrs = ''] = m;
      if (!TAGS.has(tag))
        return `Bad Request: can't parse entities: unsupported start tag "${tag}"`;
      if (close) {
        if (stack.pop() !== tag)
          return `Bad Request: can't parse entities: unmatched end tag "${tag}"`;
      } else {
        stack.push(tag);
        if (tag === 'a') {
          const href = /href="([^"]*)"/.exec(attrs)?.[1];
          if (href === undefined) return `Bad Request: can't parse entities: a tag without href`;
          let decoded = '';
          for (let j = 0; j < href.length;) {
            if (href[j] === '&') {
              const e = /^&(lt|gt|amp|quot);/.exec(href.slice(j));
              if (!e) return `Bad Request: can't parse entities: bad entity in href`;
              decoded += { lt: '<', gt: '>', amp: '&', quot: '"' }[e[1] as 'lt'];
              j += e[0].length;
            } else {
              decoded += href[j];
              j++;
            }
          }
          links.push(decoded);
        }
      }
      i += whole.length;
    } else if (c === '>') {
      return `Bad Request: can't parse entities: unexpected ">" at byte offset ${i}`;
    } else {
      visible += c;
      i++;
    }
  }
  if (stack.length > 0) return `Bad Request: can't parse entities: unclosed tag "${stack.at(-1)}"`;
  return { visible, links };
}

export async function startTelegramStandin(opts: { token: string }): Promise<TelegramStandin> {
  const messages: TelegramMessage[] = [];
  const chats = new Set<string>();
  const blocked = new Set<string>();
  let nextId = 1;
  const fail = (code: number, description: string, parameters?: object) =>
    json(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
  const server = await startStandinServer((req) => {
    const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.path);
    if (!m) return fail(404, 'Not Found');
    if (decodeURIComponent(m[1] ?? '') !== opts.token) return fail(401, 'Unauthorized');
    if (req.method !== 'POST' || !isJson(req.headers))
      return fail(400, 'Bad Request: message text is empty');
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(req.text) as Record<string, unknown>;
    } catch {
      return fail(400, 'Bad Request: invalid JSON');
    }
    const chatId = typeof p.chat_id === 'number' ? String(p.chat_id) : p.chat_id;
    if (typeof chatId !== 'string' || !chats.has(chatId))
      return fail(400, 'Bad Request: chat not found');
    if (blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
    if (typeof p.text !== 'string' || p.text.trim() === '')
      return fail(400, 'Bad Request: message text is empty');
    if (p.parse_mode !== 'HTML')
      return fail(400, 'Bad Request: the stand-in expects parse_mode HTML');
    const parsed = parseTelegramHtml(p.text);
    if (typeof parsed === 'string') return fail(400, parsed);
    if (Array.from(parsed.visible).length > 4096)
      return fail(400, 'Bad Request: message is too long');
    const messageId = nextId++;
    messages.push({
      chatId,
      html: p.text,
      visible: parsed.visible,
      links: parsed.links,
      disableWebPagePreview: p.disable_web_page_preview === true,
      messageId,
    });
    return json(200, {
      ok: true,
      result: {
        message_id: messageId,
        chat: { id: Number(chatId) },
        date: 0,
        text: parsed.visible,
      },
    });
  });
  return Object.assign(server, {
    messages,
    chats,
    blocked,
    floodNext(retryAfterSeconds: number) {
      server.forceNext(
        fail(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
          retry_after: retryAfterSeconds,
        }),
      );
    },
  });
}
