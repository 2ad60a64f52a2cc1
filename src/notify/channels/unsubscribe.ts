/**
 * One-click unsubscribe (RFC 8058) without a database lookup: the token is the user id and an
 * HMAC of it under a key derived from the channel secret (`channelKey(secret, 'unsubscribe')`).
 * It does not expire (a link in an old email must still work); rotating the secret voids them all.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'u1';

function mac(userId: number, key: Buffer): string {
  return createHmac('sha256', key)
    .update(`pricehawk-unsubscribe:${userId}`)
    .digest('base64url')
    .slice(0, 32);
}

export function unsubscribeToken(userId: number, key: Buffer): string {
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new RangeError('bad user id');
  return `${PREFIX}.${userId}.${mac(userId, key)}`;
}

/** The user id the token was made for, or null for anything else. */
export function verifyUnsubscribeToken(token: string, key: Buffer): number | null {
  const m = /^u1\.([1-9]\d{0,15})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  if (!Number.isSafeInteger(userId)) return null;
  const given = Buffer.from(m[2] ?? '');
  const expected = Buffer.from(mac(userId, key));
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}

/**
 * The URL in `List-Unsubscribe` and in the email's footer. A GET shows a confirmation page (mail
 * scanners follow links); a POST with `List-Unsubscribe=One-Click` unsubscribes at once.
 */
export function unsubscribeUrl(publicUrl: string, userId: number, key: Buffer): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/unsubscribe/${unsubscribeToken(userId, key)}`;
}
