/**
 * Shared parsing of channel configs: zod for shapes, and the service-URL form people know from
 * Apprise (`tgram://token/chat`, `ntfys://user:pass@host/topic`) parsed by hand, because WHATWG
 * URL parsing rejects a Telegram token (`123:ABC`) as a host with a bad port.
 */
import type { z } from 'zod';
import { ChannelConfigError, type ChannelConfigErrorCode } from './types.js';

/** Parses `raw` with `schema`; the first problem becomes a ChannelConfigError with `code`. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  code: ChannelConfigErrorCode = 'channel_config_invalid',
): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ChannelConfigError(code, `${where}${issue?.message ?? 'invalid configuration'}`, {
    cause: r.error,
  });
}

export interface ServiceUrl {
  readonly scheme: string;
  /** user[:password] before the first '@' of the authority, decoded. */
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** The first part after `scheme://` (without user info), decoded. */
  readonly authority: string;
  /** The remaining `/`-separated parts, decoded, empty parts dropped. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

/** Splits `scheme://[user[:pass]@]authority/seg/seg?query` without interpreting the parts. */
export function splitServiceUrl(
  raw: unknown,
  schemes: readonly string[],
  example: string,
): ServiceUrl {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ChannelConfigError('channel_url_invalid', `expected a URL like ${example}`);
  }
  const s = raw.trim();
  if (s.length > 2000) throw new ChannelConfigError('channel_url_invalid', 'the URL is too long');
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(s);
  if (!m) throw new ChannelConfigError('channel_url_invalid', `expected a URL like ${example}`);
  const scheme = (m[1] ?? '').toLowerCase();
  if (!schemes.includes(scheme)) {
    throw new ChannelConfigError(
      'channel_url_scheme',
      `expected ${schemes.map((x) => `${x}://`).join(' or ')} (like ${example}), not ${scheme}://`,
    );
  }
  const parts = (m[2] ?? '').split('/');
  let first = parts[0] ?? '';
  let user: string | undefined;
  let password: string | undefined;
  const at = first.lastIndexOf('@');
  if (at >= 0) {
    const info = first.slice(0, at);
    first = first.slice(at + 1);
    const colon = info.indexOf(':');
    user = decode(colon >= 0 ? info.slice(0, colon) : info, example);
    password = colon >= 0 ? decode(info.slice(colon + 1), example) : undefined;
  }
  return {
    scheme,
    user,
    password,
    authority: decode(first, example),
    segments: parts
      .slice(1)
      .filter((p) => p !== '')
      .map((p) => decode(p, example)),
    query: new URLSearchParams((m[3] ?? '').slice(1)),
  };
}

function decode(s: string, example: string): string {
  try {
    return decodeURIComponent(s);
  } catch (cause) {
    throw new ChannelConfigError('channel_url_invalid', `bad %-escape; expected ${example}`, {
      cause,
    });
  }
}

/** An http(s) base URL from operator configuration, without a trailing slash. */
export function baseUrl(raw: string): string {
  const u = new URL(raw);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`base URL must be http(s): ${raw}`);
  }
  return u.toString().replace(/\/+$/, '');
}
