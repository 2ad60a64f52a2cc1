/**
 * Discord's Execute Webhook: `POST /api/webhooks/{id}/{token}[?wait=true]` with JSON. It checks
 * the webhook and token (404 Unknown Webhook, 10015), the message limits (content 2,000; up to 10
 * embeds; title 256, description 4,096, 25 fields of 256/1,024; 6,000 characters in all: 400
 * Invalid Form Body, 50035), and answers 200 with the message (wait=true) or 204. A forced 429
 * carries Discord's body `{message, retry_after, global}` and its Retry-After header.
 */
import { isJson, json, startStandinServer, type StandinServer } from './http.js';

export interface DiscordMessage {
  readonly payload: any;
  readonly id: string;
}

export interface DiscordStandin extends StandinServer {
  readonly messages: DiscordMessage[];
  /** Webhooks that exist: id → token. */
  readonly webhooks: Map<string, string>;
  rateLimitNext(retryAfterSeconds: number): void;
}

const len = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : 0);

function invalid(payload: any): string | null {
  if (typeof payload !== 'object' || payload === null) return 'body';
  const embeds: any[] = Array.isArray(payload.embeds) ? payload.embeds : [];
  if (len(payload.content) === 0 && embeds.length === 0) return 'content or embeds required';
  if (len(payload.content) > 2000) return 'content: Must be 2000 or fewer in length.';
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const e of embeds) {
    if (len(e.title) > 256) return 'embeds.title too long';
    if (len(e.description) > 4096) return 'embeds.description too long';
    const fields: any[] = Array.isArray(e.fields) ? e.fields : [];
    if (fields.length > 25) return 'embeds.fields: Must be 25 or fewer in length.';
    for (const f of fields) {
      if (len(f.name) === 0 || len(f.name) > 256) return 'embeds.fields.name';
      if (len(f.value) === 0 || len(f.value) > 1024) return 'embeds.fields.value';
      total += len(f.name) + len(f.value);
    }
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
    for (const u of [e.url, e.thumbnail?.url, e.image?.url]) {
      if (u !== undefined && !/^https?:\/\//.test(String(u)))
        return 'embeds: Not a well formed URL.';
    }
  }
  if (total > 6000) return 'embeds: Embed size exceeds maximum size of 6000';
  const am = payload.allowed_mentions;
  if (
    am !== undefined &&
    (typeof am !== 'object' || (am.parse !== undefined && !Array.isArray(am.parse)))
  ) {
    return 'allowed_mentions';
  }
  return null;
}

export async function startDiscordStandin(): Promise<DiscordStandin> {
  const messages: DiscordMessage[] = [];
  const webhooks = new Map<string, string>();
  let nextId = 1_000_000_000_000_000_000n;
  const server = await startStandinServer((req) => {
    const m = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([^/]+)$/.exec(req.path);
    if (!m || req.method !== 'POST') return json(404, { message: '404: Not Found', code: 0 });
    const token = webhooks.get(m[1] ?? '');
    if (token === undefined) return json(404, { message: 'Unknown Webhook', code: 10015 });
    if (token !== m[2]) return json(401, { message: 'Invalid Webhook Token', code: 50027 });
    if (!isJson(req.headers))
      return json(400, { message: 'Cannot send an empty message', code: 50006 });
    let payload: any;
    try {
      payload = JSON.parse(req.text);
    } catch {
      return json(400, { message: 'The request body contains invalid JSON.', code: 50109 });
    }
    const bad = invalid(payload);
    if (bad)
      return json(400, { message: 'Invalid Form Body', code: 50035, errors: { detail: bad } });
    const id = String(nextId++);
    messages.push({ payload, id });
    return req.query.get('wait') === 'true'
      ? json(200, {
          id,
          type: 0,
          content: payload.content ?? '',
          embeds: payload.embeds ?? [],
          webhook_id: m[1],
        })
      : { status: 204 };
  });
  return Object.assign(server, {
    messages,
    webhooks,
    rateLimitNext(retryAfterSeconds: number) {
      server.forceNext(
        json(
          429,
          { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
          {
            'retry-after': String(Math.ceil(retryAfterSeconds)),
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': String(retryAfterSeconds),
            'x-ratelimit-scope': 'shared',
          },
        ),
      );
    },
  });
}
