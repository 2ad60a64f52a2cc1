/**
 * How a channel talks to its provider: one request through the product's fetcher (its SSRF guard,
 * limits and timeouts apply), and the answer told apart as sent, transient or permanent.
 *
 * The rule, per provider unless it says otherwise: 2xx sent; 408 and 429 transient (with the
 * provider's Retry-After); any other 4xx permanent; 5xx and network trouble transient; a request
 * the fetcher refuses to make (private address, host not allowed, bad URL) permanent.
 */
import { FetchError, type FetchRequest, type FetchResult } from '../../acquisition/fetcher.js';
import type { SendContext, SendFailure, SendResult } from './types.js';

/** Notification requests are small: bound what we read back and how long we wait. */
const TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 256 * 1024;

export type ProviderAnswer = FetchResult;

/**
 * Sends one request and hands the answer to `interpret`; a request that never got an answer
 * becomes a failure result (never an exception).
 */
export async function callProvider(
  ctx: SendContext,
  req: FetchRequest,
  interpret: (res: ProviderAnswer) => SendResult,
): Promise<SendResult> {
  let res: FetchResult;
  try {
    res = await ctx.fetcher.fetch({
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_RESPONSE_BYTES,
      // A redirect is answered as it is (and refused below): an answer from elsewhere says nothing
      // about our message, and a POST must not silently become a GET.
      maxRedirects: 0,
      ...req,
      headers: {
        'user-agent': `Pricehawk (+${ctx.publicUrl})`,
        accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
        ...req.headers,
      },
    });
  } catch (err) {
    return fromFetchError(err, ctx.clock());
  }
  // The destination must be configured with its final URL.
  if (res.status >= 300 && res.status < 400) {
    return failure(
      true,
      'redirected',
      `${new URL(req.url).host} answered with a redirect (${res.status}); use the final URL`,
    );
  }
  return interpret(res);
}

export function fromFetchError(err: unknown, now: Date): SendFailure {
  if (err instanceof FetchError) {
    switch (err.code) {
      case 'fetch_address_refused':
      case 'fetch_host_refused':
      case 'fetch_bad_url':
      case 'fetch_too_many_redirects':
        return failure(true, err.code, `destination refused: ${err.message}`);
      case 'fetch_cooling_down':
        return {
          ...failure(false, err.code, err.message),
          ...(err.retryAt === undefined
            ? {}
            : { retryAfterMs: Math.max(0, err.retryAt - now.getTime()) }),
        };
      default:
        // Timeouts, connection errors, an oversized answer: the provider may well have taken the
        // message, but we cannot tell; trying again is what at-least-once means.
        return failure(false, err.code, err.message);
    }
  }
  return failure(false, 'send_error', err instanceof Error ? err.message : String(err));
}

export function failure(
  permanent: boolean,
  code: string,
  message: string,
  extra: { retryAfterMs?: number | undefined; gone?: boolean } = {},
): SendFailure {
  return {
    ok: false,
    permanent: permanent || extra.gone === true,
    code,
    message: message.slice(0, 500),
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
    ...(extra.gone ? { gone: true } : {}),
  };
}

/** Whether an HTTP status means "try again" by the general rule. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || status < 200;
}

/**
 * A failed answer by the general rule, with the provider's own error code and message where the
 * channel could read them.
 */
export function httpFailure(
  res: ProviderAnswer,
  now: Date,
  detail: { code?: string; message?: string; gone?: boolean; retryAfterMs?: number } = {},
): SendFailure {
  const permanent = !isTransientStatus(res.status);
  const retryAfterMs = detail.retryAfterMs ?? retryAfterHeader(res, now);
  return failure(
    permanent,
    detail.code ?? `http_${res.status}`,
    detail.message ?? `HTTP ${res.status}: ${oneLine(res.body, 200)}`,
    { retryAfterMs, gone: detail.gone === true },
  );
}

/** Retry-After in seconds (decimals allowed, as Discord sends) or as an HTTP date. */
export function retryAfterHeader(res: ProviderAnswer, now: Date): number | undefined {
  const raw = header(res, 'retry-after');
  if (raw === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

export function header(res: ProviderAnswer, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The answer's JSON, or undefined when it is not JSON. */
export function jsonOf(res: ProviderAnswer): unknown {
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    return undefined;
  }
}

export function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const ok = (providerId?: string): SendResult =>
  providerId === undefined ? { ok: true } : { ok: true, providerId };

export function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}
