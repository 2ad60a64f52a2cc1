/**
 * An ntfy server's publish endpoint: `POST|PUT /{topic}` with the message as the body and
 * Title/Tags/Click/Priority headers (X- prefixed too), RFC 2047-encoded values decoded as ntfy
 * does. It checks the topic name, the credentials of protected topics (Basic or Bearer: 401/403
 * with ntfy's `{code, http, error}`), the priority (1–5 or a name) and that Click is a URL, and
 * answers 200 with the message JSON. A forced 429 is ntfy's `{code: 42901, …}`.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { basicAuth, json, startStandinServer, type StandinServer } from './http.js';

export interface NtfyMessage {
  readonly topic: string;
  readonly message: string;
  readonly title: string | null;
  readonly tags: string[];
  readonly click: string | null;
  readonly priority: number;
  readonly id: string;
}

export interface NtfyStandin extends StandinServer {
  readonly messages: NtfyMessage[];
  /** topic → the one login allowed to publish ({user, pass} or {token}). */
  readonly protectedTopics: Map<string, { user: string; pass: string } | { token: string }>;
  rateLimitNext(): void;
}

const PRIORITIES: Record<string, number> = {
  min: 1,
  low: 2,
  default: 3,
  high: 4,
  max: 5,
  urgent: 5,
};

/** RFC 2047 `=?UTF-8?B?…?=` / `=?UTF-8?Q?…?=` words, as ntfy decodes them. */
export function decodeRfc2047(v: string): string {
  return v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_all, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function headerOf(h: http.IncomingHttpHeaders, ...names: string[]): string | null {
  for (const n of names) {
    const v = h[n];
    if (typeof v === 'string') return decodeRfc2047(v);
  }
  return null;
}

const err = (http: number, code: number, error: string) => json(http, { code, http, error });

export async function startNtfyStandin(): Promise<NtfyStandin> {
  const messages: NtfyMessage[] = [];
  const protectedTopics: NtfyStandin['protectedTopics'] = new Map();
  const server = await startStandinServer((req) => {
    const topic = req.path.slice(1);
    if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) return err(404, 40401, 'page not found');
    if (req.method !== 'POST' && req.method !== 'PUT') return err(405, 40501, 'method not allowed');
    const login = protectedTopics.get(topic);
    if (login) {
      const auth = req.headers.authorization;
      if (!auth) return err(401, 40101, 'unauthorized');
      const basic = basicAuth(req.headers);
      const ok =
        'token' in login
          ? auth === `Bearer ${login.token}`
          : basic !== null && basic.user === login.user && basic.pass === login.pass;
      if (!ok) return err(403, 40301, 'forbidden');
    }
    const rawPriority = headerOf(req.headers, 'priority', 'x-priority', 'prio', 'p') ?? '3';
    const priority = /^[1-5]$/.test(rawPriority)
      ? Number(rawPriority)
      : PRIORITIES[rawPriority.toLowerCase()];
    if (priority === undefined) return err(400, 40007, 'invalid priority');
    const click = headerOf(req.headers, 'click', 'x-click');
    if (click !== null && !/^(https?|mailto|geo):/.test(click))
      return err(400, 40013, 'invalid click URL');
    const title = headerOf(req.headers, 'title', 'x-title', 't');
    const tags = (headerOf(req.headers, 'tags', 'x-tags', 'tag', 'ta') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const message = req.text === '' ? 'triggered' : req.text;
    if (req.body.length > 4096) return err(413, 41301, 'message too large');
    const id = randomBytes(6).toString('base64url');
    messages.push({ topic, message, title, tags, click, priority, id });
    return json(200, {
      id,
      time: 0,
      event: 'message',
      topic,
      message,
      ...(title ? { title } : {}),
      ...(tags.length ? { tags } : {}),
      ...(click ? { click } : {}),
      ...(priority !== 3 ? { priority } : {}),
    });
  });
  return Object.assign(server, {
    messages,
    protectedTopics,
    rateLimitNext() {
      server.forceNext(err(429, 42901, 'limit reached: too many requests'));
    },
  });
}
