/**
 * AWS Signature Version 4 verification written from the AWS documentation ("Create a signed AWS
 * API request"), with node:crypto only. It deliberately shares no code with the client's signer
 * (@smithy/signature-v4): a test passes only when two independent readings of the spec agree,
 * and sigv4.test.ts pins this one to AWS's published examples.
 *
 *   canonical request = method \n canonical URI \n canonical query \n canonical headers \n
 *                       signed headers \n hex(sha256(payload))
 *   string to sign    = "AWS4-HMAC-SHA256" \n x-amz-date \n scope \n hex(sha256(canonical request))
 *   signing key       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
 *   signature         = hex(HMAC(signing key, string to sign))
 */
import crypto from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export function sha256Hex(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~, upper-case hex. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The path as sent, each segment encoded once more (every service but S3 double-encodes, so a
 * literal "%" in the request path becomes "%25"). Empty path is "/".
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  return rawPath
    .split('/')
    .map((seg) => uriEncode(seg))
    .join('/');
}

/** Parameters decoded, re-encoded, sorted by name then value; "" when there is no query. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      const name = decodeURIComponent((i < 0 ? p : p.slice(0, i)).replace(/\+/g, ' '));
      const value = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, ' '));
      return [uriEncode(name), uriEncode(value)] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** A header value as signed: trimmed, runs of spaces collapsed to one. */
export function canonicalHeaderValue(v: string): string {
  return v.trim().replace(/\s+/g, ' ');
}

export interface RawRequest {
  readonly method: string;
  /** Path and query exactly as on the request line ("/paapi5/getitems"). */
  readonly target: string;
  /** Lower-case names, as node:http gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export function canonicalRequest(
  req: RawRequest,
  signedHeaders: readonly string[],
): string | undefined {
  const q = req.target.indexOf('?');
  const path = q < 0 ? req.target : req.target.slice(0, q);
  const query = q < 0 ? '' : req.target.slice(q + 1);
  const lines: string[] = [];
  for (const name of signedHeaders) {
    const v = req.headers[name];
    if (v === undefined) return undefined;
    lines.push(`${name}:${(Array.isArray(v) ? v : [v]).map(canonicalHeaderValue).join(',')}`);
  }
  return [
    req.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    lines.join('\n') + '\n',
    signedHeaders.join(';'),
    sha256Hex(req.body),
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export interface ParsedAuthorization {
  readonly accessKey: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=AK/20260101/eu-west-1/Svc/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header?.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const i = part.indexOf('=');
    if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders')?.split(';');
  const signature = fields.get('Signature');
  if (!credential || credential.length !== 5 || credential[4] !== 'aws4_request') return undefined;
  if (!signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const [accessKey = '', date = '', region = '', service = ''] = credential;
  if (!/^\d{8}$/.test(date)) return undefined;
  return { accessKey, date, region, service, signedHeaders, signature };
}

/** "20260115T093000Z" → epoch ms; undefined when not that format. */
export function parseAmzDate(v: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, ...number[]];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

export type VerifyResult =
  | { readonly ok: true; readonly accessKey: string }
  | {
      readonly ok: false;
      readonly reason:
        | 'missing' // no or malformed Authorization / x-amz-date
        | 'unknown_key'
        | 'unsigned_header' // a header that must be signed is not
        | 'scope' // date, region or service of the scope is not ours
        | 'expired' // x-amz-date too far from now
        | 'mismatch'; // the signature is not the one the secret gives
      readonly detail: string;
    };

export interface VerifyOptions {
  readonly secretFor: (accessKey: string) => string | undefined;
  readonly region: string;
  readonly service: string;
  readonly now: Date;
  readonly maxSkewMs: number;
  /** Headers that must be among SignedHeaders (host and x-amz-date always are). */
  readonly mustSign?: readonly string[];
}

export function verify(req: RawRequest, o: VerifyOptions): VerifyResult {
  const authHeader = req.headers.authorization;
  const auth = parseAuthorization(Array.isArray(authHeader) ? authHeader[0] : authHeader);
  const amzDateHeader = req.headers['x-amz-date'];
  const amzDate = Array.isArray(amzDateHeader) ? amzDateHeader[0] : amzDateHeader;
  const when = parseAmzDate(amzDate);
  if (!auth || amzDate === undefined || when === undefined) {
    return {
      ok: false,
      reason: 'missing',
      detail: 'Authorization or X-Amz-Date missing or malformed',
    };
  }
  const secret = o.secretFor(auth.accessKey);
  if (secret === undefined) {
    return { ok: false, reason: 'unknown_key', detail: `unknown access key ${auth.accessKey}` };
  }
  const sorted = [...auth.signedHeaders].sort();
  if (
    sorted.join(';') !== auth.signedHeaders.join(';') ||
    sorted.some((h) => h !== h.toLowerCase())
  ) {
    return { ok: false, reason: 'missing', detail: 'SignedHeaders not lower-case and sorted' };
  }
  for (const h of ['host', 'x-amz-date', ...(o.mustSign ?? [])]) {
    if (!auth.signedHeaders.includes(h)) {
      return { ok: false, reason: 'unsigned_header', detail: `${h} is not signed` };
    }
  }
  if (auth.date !== amzDate.slice(0, 8) || auth.region !== o.region || auth.service !== o.service) {
    return {
      ok: false,
      reason: 'scope',
      detail: `credential scope ${auth.date}/${auth.region}/${auth.service} is not ${amzDate.slice(0, 8)}/${o.region}/${o.service}`,
    };
  }
  if (Math.abs(o.now.getTime() - when) > o.maxSkewMs) {
    return {
      ok: false,
      reason: 'expired',
      detail: `${amzDate} is more than ${o.maxSkewMs} ms from now`,
    };
  }
  const canonical = canonicalRequest(req, auth.signedHeaders);
  if (canonical === undefined) {
    return {
      ok: false,
      reason: 'unsigned_header',
      detail: 'a signed header is missing from the request',
    };
  }
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const expected = crypto
    .createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service))
    .update(stringToSign(amzDate, scope, canonical), 'utf8')
    .digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'mismatch', detail: 'signature does not match' };
  }
  return { ok: true, accessKey: auth.accessKey };
}
