/**
 * ntfy (https://ntfy.sh or a self-hosted server): `POST {server}/{topic}` with the message as the
 * plain-text body and `Title`, `Tags`, `Click`, `Priority` headers. Configured in the Apprise
 * forms: `ntfy://{topic}` (ntfy.sh), `ntfy://[user:pass@]{host[:port]}/{topic}` (http) and
 * `ntfys://…` (https); `ntfys://tk_…@host/topic` uses an access token. Header values that are not
 * ASCII are sent RFC 2047-encoded (`=?UTF-8?B?…?=`), which ntfy decodes.
 */
import { z } from 'zod';
import { parseWith, splitServiceUrl } from './config.js';
import { callProvider, httpFailure, isOk, jsonOf, ok } from './http.js';
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

export interface NtfyConfig {
  /** The canonical URL. SECRET when it holds a password or token. */
  readonly url: string;
  /** `https://ntfy.sh`, `http://host:port`… */
  readonly server: string;
  readonly topic: string;
  readonly auth:
    | { readonly type: 'none' }
    | { readonly type: 'basic'; readonly user: string; readonly password: string }
    | { readonly type: 'token'; readonly token: string };
}

export interface NtfyOptions {
  /** The server of the bare `ntfy://{topic}` form (default https://ntfy.sh). */
  readonly defaultServer?: string;
}

const EXAMPLE = 'ntfys://ntfy.example.com/your-topic';
const TOPIC_RE = /^[-_A-Za-z0-9]{1,64}$/;
const HOST_RE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
const Input = z.object({ url: z.string().max(2000) });

export function parseNtfyUrl(raw: unknown, defaultServer = 'https://ntfy.sh'): NtfyConfig {
  const u = splitServiceUrl(raw, ['ntfy', 'ntfys'], EXAMPLE);
  let server: string;
  let topic: string;
  if (u.segments.length === 0) {
    // ntfy://{topic}: the public server.
    if (u.user !== undefined) {
      throw new ChannelConfigError(
        'channel_url_invalid',
        `name the server for a login: ${EXAMPLE}`,
      );
    }
    server = defaultServer.replace(/\/+$/, '');
    topic = u.authority;
  } else if (u.segments.length === 1) {
    if (!HOST_RE.test(u.authority)) {
      throw new ChannelConfigError('channel_url_invalid', `"${u.authority}" is not a host name`);
    }
    server = `${u.scheme === 'ntfys' ? 'https' : 'http'}://${u.authority.toLowerCase()}`;
    topic = u.segments[0] ?? '';
  } else {
    throw new ChannelConfigError('channel_url_invalid', 'name one topic (ntfy://host/topic)');
  }
  if (!TOPIC_RE.test(topic)) {
    throw new ChannelConfigError(
      'channel_url_invalid',
      'a topic is 1 to 64 letters, digits, "-" or "_"',
    );
  }
  let auth: NtfyConfig['auth'] = { type: 'none' };
  if (u.user !== undefined && u.password === undefined && /^tk_[A-Za-z0-9]{10,64}$/.test(u.user)) {
    auth = { type: 'token', token: u.user };
  } else if (u.user !== undefined) {
    if (u.password === undefined || u.user === '') {
      throw new ChannelConfigError(
        'channel_url_invalid',
        'give user:password@ (or an access token tk_…@) before the host',
      );
    }
    auth = { type: 'basic', user: u.user, password: u.password };
  }
  const userinfo =
    auth.type === 'basic'
      ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@`
      : auth.type === 'token'
        ? `${auth.token}@`
        : '';
  const url =
    u.segments.length === 0
      ? `ntfy://${topic}`
      : `${u.scheme}://${userinfo}${u.authority.toLowerCase()}/${topic}`;
  return { url, server, topic, auth };
}

/** An HTTP header value: ASCII as is, anything else RFC 2047-encoded; never a line break. */
export function ntfyHeader(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat)
    ? flat
    : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

export function renderNtfy(m: AlertMessage): { title: string; body: string; click: string | null } {
  const page = safeHttpUrl(m.productPageUrl);
  const store = safeHttpUrl(m.storeUrl);
  const target = targetLine(m);
  const body = [
    priceLine(m),
    ...(target ? [target] : []),
    ...(page ? [`Price history: ${page}`] : []),
  ].join('\n');
  return { title: `${label(m)}: ${titleOf(m, 150)}`, body, click: store ?? page };
}

/** The daily digest as a short summary: a line per alert, the inbox on click. */
export function renderNtfyDigest(d: DigestMessage): {
  title: string;
  body: string;
  click: string | null;
} {
  const s = digestSummary(d, 5);
  const more = moreLine(s);
  return {
    title: s.title,
    body: [...s.lines, ...(more ? [more] : [])].join('\n'),
    click: safeHttpUrl(s.url),
  };
}

interface NtfyAnswer {
  id?: string;
  code?: number;
  error?: string;
}

export function createNtfyChannel(opts: NtfyOptions = {}): Channel<NtfyConfig> {
  const defaultServer = opts.defaultServer ?? 'https://ntfy.sh';

  async function post(config: NtfyConfig, m: AlertMessage, ctx: SendContext): Promise<SendResult> {
    // 4 = "high": a price someone asked to hear about, possibly short-lived.
    return publish(
      config,
      renderNtfy(m),
      m.kind === 'back_in_stock' ? 'package' : 'moneybag',
      '4',
      ctx,
    );
  }

  async function publish(
    config: NtfyConfig,
    r: { title: string; body: string; click: string | null },
    tags: string,
    priority: string,
    ctx: SendContext,
  ): Promise<SendResult> {
    const now = ctx.clock();
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      title: ntfyHeader(r.title),
      tags,
      priority,
    };
    if (r.click) headers.click = r.click;
    if (config.auth.type === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${config.auth.user}:${config.auth.password}`).toString('base64')}`;
    } else if (config.auth.type === 'token') {
      headers.authorization = `Bearer ${config.auth.token}`;
    }
    return callProvider(
      ctx,
      { url: `${config.server}/${config.topic}`, method: 'POST', headers, body: r.body },
      (res) => {
        const a = (jsonOf(res) ?? {}) as NtfyAnswer;
        if (isOk(res.status)) return ok(a.id);
        const message = a.error
          ? `${a.error}${a.code ? ` (${a.code})` : ''}`
          : `HTTP ${res.status}`;
        if (res.status === 429) {
          return httpFailure(res, now, { code: 'ntfy_rate_limited', message });
        }
        return httpFailure(res, now, {
          code:
            res.status === 401 || res.status === 403 ? 'ntfy_unauthorized' : `ntfy_${res.status}`,
          message,
        });
      },
    );
  }

  return {
    kind: 'ntfy',
    parseConfig: (raw) => parseNtfyUrl(parseWith(Input, raw).url, defaultServer),
    configure: (input) => ({
      config: parseNtfyUrl(parseWith(Input, input).url, defaultServer),
      resetVerification: false,
    }),
    describe: (c) =>
      `ntfy topic ${c.topic} on ${new URL(c.server).host}${c.auth.type === 'none' ? '' : ' (with login)'}`,
    // Public servers count requests per visitor (our IP) or per account.
    rateKey: (c) =>
      `ntfy:${new URL(c.server).host}${c.auth.type === 'basic' ? `:${c.auth.user}` : ''}`,
    send: post,
    sendTest: (config, ctx) => post(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    // 3 = "default": a digest is expected, once a day.
    sendDigest: (config, d, ctx) => publish(config, renderNtfyDigest(d), 'moneybag', '3', ctx),
  };
}
