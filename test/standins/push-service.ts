/**
 * A web push service (RFC 8030) that does what a browser and its push service do together:
 * - `subscribe()` creates a subscription as a browser would: an ECDH P-256 key pair and a random
 *   16-byte auth secret; the private key stays here;
 * - `POST /push/{id}` checks TTL, Content-Encoding aes128gcm, Urgency and Topic, and the VAPID
 *   Authorization (`vapid t=<JWT>, k=<key>`): ES256 signature against `k`, `aud` = this origin,
 *   `exp` in the future and at most 24 h ahead, `sub` a mailto: or https: URL, `k` the
 *   application server key the subscription was made with;
 * - then DECRYPTS the body by hand per RFC 8188 and RFC 8291 (not with the library that
 *   encrypted it) and records the plaintext. Answers 201 with a Location, or 410 for a
 *   subscription marked expired, or 400/401/403 for what it refuses.
 */
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
  type ECDH,
} from 'node:crypto';
import { json, startStandinServer, type StandinReply, type StandinServer } from './http.js';

export interface BrowserSubscription {
  readonly endpoint: string;
  readonly expirationTime: null;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface ReceivedPush {
  readonly subscriptionId: string;
  readonly plaintext: string;
  readonly ttl: number;
  readonly urgency: string | null;
  readonly topic: string | null;
  readonly jwt: { aud: string; exp: number; sub: string };
}

export interface PushServiceStandin extends StandinServer {
  readonly received: ReceivedPush[];
  /** Why requests were refused, in order. */
  readonly refused: string[];
  /** A subscription like a browser's, bound to `applicationServerKey` (base64url). */
  subscribe(applicationServerKey: string): BrowserSubscription;
  /** From now on the push service answers 410 Gone for it. */
  expire(endpoint: string): void;
  rateLimitNext(retryAfterSeconds: number): void;
}

interface Sub {
  readonly ecdh: ECDH;
  readonly auth: Buffer;
  readonly serverKey: string;
  expired: boolean;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** RFC 8291 §3.4 and RFC 8188 §2: decrypts an aes128gcm web push message body. */
export function decryptWebPush(body: Buffer, uaPrivate: ECDH, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error('body shorter than the header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65 || asPublic[0] !== 4) throw new Error('keyid is not an uncompressed P-256 key');
  if (rs < 18) throw new Error('record size too small');
  const uaPublic = uaPrivate.getPublicKey();
  const ecdhSecret = uaPrivate.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16),
  );
  const nonceBase = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12),
  );
  const records = body.subarray(21 + idlen);
  const out: Buffer[] = [];
  let seq = 0;
  for (let at = 0; at < records.length; at += rs, seq++) {
    const rec = records.subarray(at, Math.min(at + rs, records.length));
    const last = at + rs >= records.length;
    const nonce = Buffer.from(nonceBase);
    // XOR the sequence number into the low 32 bits (a push message has a handful of records).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(rec.subarray(rec.length - 16));
    const plain = Buffer.concat([
      decipher.update(rec.subarray(0, rec.length - 16)),
      decipher.final(),
    ]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const delimiter = plain[end];
    if (delimiter !== (last ? 2 : 1)) throw new Error(`bad padding delimiter in record ${seq}`);
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

function p256Key(raw: Buffer) {
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: b64url(raw.subarray(1, 33)),
      y: b64url(raw.subarray(33, 65)),
    },
    format: 'jwk',
  });
}

/** Checks `vapid t=…, k=…`; returns the claims or why it is refused. */
export function checkVapid(
  authorization: string | undefined,
  audience: string,
  nowS: number,
): { claims: { aud: string; exp: number; sub: string }; key: string } | string {
  const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(
    authorization ?? '',
  );
  if (!m) return 'Authorization is not "vapid t=…, k=…"';
  const [headerB64 = '', payloadB64 = '', sigB64 = ''] = (m[1] ?? '').split('.');
  const key = m[2] ?? '';
  const raw = Buffer.from(key, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return 'k is not a P-256 public key';
  let header: { alg?: string; typ?: string };
  let claims: { aud?: unknown; exp?: unknown; sub?: unknown };
  try {
    header = JSON.parse(Buffer.from(headerB64, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(payloadB64, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return 'JWT parts are not JSON';
  }
  if (header.alg !== 'ES256') return `JWT alg ${String(header.alg)}, expected ES256`;
  const signature = Buffer.from(sigB64, 'base64url');
  if (signature.length !== 64) return 'ES256 signature must be 64 bytes';
  const good = verify(
    'sha256',
    Buffer.from(`${headerB64}.${payloadB64}`),
    { key: p256Key(raw), dsaEncoding: 'ieee-p1363' },
    signature,
  );
  if (!good) return 'JWT signature does not verify with k';
  if (claims.aud !== audience) return `aud ${String(claims.aud)}, expected ${audience}`;
  if (typeof claims.exp !== 'number' || claims.exp <= nowS) return 'JWT expired';
  if (claims.exp > nowS + 24 * 3600) return 'exp more than 24 hours ahead';
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:\/\/)/.test(claims.sub)) {
    return 'sub must be a mailto: or https: URL';
  }
  return { claims: { aud: claims.aud, exp: claims.exp, sub: claims.sub }, key };
}

export async function startPushService(): Promise<PushServiceStandin> {
  const subs = new Map<string, Sub>();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const refuse = (status: number, why: string): StandinReply => {
    refused.push(why);
    return json(status, { code: status, errno: 0, error: 'refused', message: why });
  };
  let origin = '';
  const server = await startStandinServer((req) => {
    const m = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.path);
    const sub = m ? subs.get(m[1] ?? '') : undefined;
    if (!m || !sub || req.method !== 'POST') return refuse(404, 'no such subscription');
    if (sub.expired) return refuse(410, 'subscription expired');
    const ttl = req.headers.ttl;
    if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) return refuse(400, 'TTL header missing');
    const urgency = typeof req.headers.urgency === 'string' ? req.headers.urgency : null;
    if (urgency !== null && !['very-low', 'low', 'normal', 'high'].includes(urgency)) {
      return refuse(400, 'bad Urgency');
    }
    const topic = typeof req.headers.topic === 'string' ? req.headers.topic : null;
    if (topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return refuse(400, 'bad Topic');
    const vapid = checkVapid(req.headers.authorization, origin, Math.floor(Date.now() / 1000));
    if (typeof vapid === 'string') return refuse(401, vapid);
    if (vapid.key !== sub.serverKey)
      return refuse(403, 'k is not the key the subscription was made with');
    if (req.headers['content-encoding'] !== 'aes128gcm')
      return refuse(415, 'Content-Encoding must be aes128gcm');
    if (req.body.length > 4096) return refuse(413, 'payload too large');
    let plaintext: string;
    try {
      plaintext = decryptWebPush(req.body, sub.ecdh, sub.auth).toString('utf8');
    } catch (e) {
      return refuse(400, `cannot decrypt: ${(e as Error).message}`);
    }
    received.push({
      subscriptionId: m[1] ?? '',
      plaintext,
      ttl: Number(ttl),
      urgency,
      topic,
      jwt: vapid.claims,
    });
    return {
      status: 201,
      headers: { location: `${origin}/message/${randomBytes(8).toString('hex')}` },
    };
  });
  origin = server.origin;
  return Object.assign(server, {
    received,
    refused,
    subscribe(applicationServerKey: string): BrowserSubscription {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomBytes(12).toString('base64url');
      subs.set(id, { ecdh, auth, serverKey: applicationServerKey, expired: false });
      return {
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) },
      };
    },
    expire(endpoint: string) {
      const s = subs.get(endpoint.split('/').pop() ?? '');
      if (s) s.expired = true;
    },
    rateLimitNext(retryAfterSeconds: number) {
      server.forceNext({
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: '',
      });
    },
  });
}
