/**
 * A Slack incoming webhook: `POST /services/{T}/{B}/{secret}` with JSON. It checks the webhook
 * (404 no_service), the payload (400 invalid_payload / no_text), the blocks it understands
 * (section, context, image accessories) and the mrkdwn: `&` only as an entity, `<` and `>` only as
 * the delimiters of a link `<url|text>` or a special like `<!channel>`, which it records (a
 * title must never produce one). Answers 200 "ok"; a forced 429 says `rate_limited` with
 * Retry-After.
 */
import { isJson, startStandinServer, type StandinServer } from './http.js';

export interface SlackPost {
  readonly payload: any;
  /** Every `<…>` of every mrkdwn text: links and specials. */
  readonly angles: string[];
}

export interface SlackStandin extends StandinServer {
  readonly posts: SlackPost[];
  /** "T…/B…/secret" of webhooks that exist; `archived` ones answer 410. */
  readonly hooks: Set<string>;
  readonly archived: Set<string>;
  rateLimitNext(retryAfterSeconds: number): void;
}

const text = (status: number, body: string) => ({
  status,
  body,
  headers: { 'content-type': 'text/html' },
});

/** Checks mrkdwn as Slack reads it; returns the `<…>` spans or an error. */
export function checkMrkdwn(s: string): string[] | string {
  const angles: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '&' && !/^&(amp|lt|gt);/.test(s.slice(i))) return `bare & at ${i}`;
    if (c === '>') return `bare > at ${i}`;
    if (c === '<') {
      const end = s.indexOf('>', i);
      if (end < 0) return `unclosed < at ${i}`;
      const inner = s.slice(i + 1, end);
      if (inner.includes('<')) return `nested < at ${i}`;
      angles.push(inner);
      i = end;
    }
  }
  return angles;
}

function collectMrkdwn(payload: any): string[] | string {
  const texts: string[] = [];
  if (typeof payload.text === 'string') texts.push(payload.text);
  if (payload.blocks !== undefined) {
    if (!Array.isArray(payload.blocks) || payload.blocks.length > 50) return 'invalid_blocks';
    for (const b of payload.blocks) {
      if (b.type === 'section') {
        if (b.text?.type !== 'mrkdwn' && b.text?.type !== 'plain_text') return 'invalid_blocks';
        if (typeof b.text.text !== 'string' || b.text.text.length > 3000) return 'invalid_blocks';
        if (b.text.type === 'mrkdwn') texts.push(b.text.text);
        if (b.accessory !== undefined) {
          const a = b.accessory;
          if (
            a.type !== 'image' ||
            !/^https?:\/\//.test(a.image_url) ||
            typeof a.alt_text !== 'string'
          ) {
            return 'invalid_blocks';
          }
        }
      } else if (b.type === 'context') {
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)
          return 'invalid_blocks';
        for (const e of b.elements) {
          if (e.type === 'mrkdwn' && typeof e.text === 'string') texts.push(e.text);
          else if (e.type !== 'plain_text' && e.type !== 'image') return 'invalid_blocks';
        }
      } else {
        return 'invalid_blocks';
      }
    }
  }
  if (texts.length === 0) return 'no_text';
  return texts;
}

export async function startSlackStandin(): Promise<SlackStandin> {
  const posts: SlackPost[] = [];
  const hooks = new Set<string>();
  const archived = new Set<string>();
  const server = await startStandinServer((req) => {
    const m = /^\/services\/([^/]+\/[^/]+\/[^/]+)$/.exec(req.path);
    if (!m || !hooks.has(m[1] ?? '')) return text(404, 'no_service');
    if (archived.has(m[1] ?? '')) return text(410, 'channel_is_archived');
    if (req.method !== 'POST' || !isJson(req.headers)) return text(400, 'invalid_payload');
    let payload: any;
    try {
      payload = JSON.parse(req.text);
    } catch {
      return text(400, 'invalid_payload');
    }
    const texts = collectMrkdwn(payload);
    if (typeof texts === 'string') return text(400, texts);
    const angles: string[] = [];
    for (const t of texts) {
      const r = checkMrkdwn(t);
      if (typeof r === 'string') return text(400, `invalid_payload (${r})`);
      angles.push(...r);
    }
    for (const a of angles) {
      if (!/^(https?:\/\/[^|\s]+)(\|.+)?$/.test(a) && !/^[!@#]/.test(a)) {
        return text(400, `invalid_payload (bad link <${a}>)`);
      }
    }
    posts.push({ payload, angles });
    return text(200, 'ok');
  });
  return Object.assign(server, {
    posts,
    hooks,
    archived,
    rateLimitNext(retryAfterSeconds: number) {
      server.forceNext({
        status: 429,
        body: 'rate_limited',
        headers: { 'content-type': 'text/html', 'retry-after': String(retryAfterSeconds) },
      });
    },
  });
}
