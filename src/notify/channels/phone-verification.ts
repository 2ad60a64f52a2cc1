/**
 * Proving a phone number before any alert goes to it: a 6-digit code sent by SMS, stored only as a
 * keyed hash, valid for 10 minutes and 5 attempts. SMS costs money and invites toll fraud, so codes
 * are limited per user and per number. Expected outcomes (rate-limited, wrong code, expired) are
 * returned values; a malformed number throws ChannelConfigError (400).
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { withTransaction, type Pool } from '../../db/pool.js';
import { normalizePhone, type SmsSender } from './sms.js';

export const PHONE_CODE_TTL_MS = 10 * 60_000;
export const PHONE_CODE_MAX_ATTEMPTS = 5;
/** Codes a user may ask for per hour, and codes one number may receive per day (all users). */
export const PHONE_CODES_PER_USER_HOUR = 3;
export const PHONE_CODES_PER_NUMBER_DAY = 5;

export interface PhoneVerificationDeps {
  readonly pool: Pool;
  readonly clock: () => Date;
  /** `channelKey(secret, 'phone-code')`. */
  readonly key: Buffer;
}

export interface StartDeps extends PhoneVerificationDeps {
  readonly sms: SmsSender;
  readonly fetcher: Fetcher;
  readonly publicUrl: string;
  /** For tests; default a uniform random 6-digit code. */
  readonly newCode?: () => string;
}

export type StartResult =
  | { readonly ok: true; readonly phone: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly code: 'rate_limited'; readonly retryAfterMs: number }
  | { readonly ok: false; readonly code: 'send_failed'; readonly message: string };

export type ConfirmResult =
  | { readonly ok: true; readonly phone: string }
  | { readonly ok: false; readonly code: 'no_pending' | 'expired' | 'too_many_attempts' }
  | { readonly ok: false; readonly code: 'wrong_code'; readonly attemptsLeft: number };

function codeHash(key: Buffer, userId: number, phone: string, code: string): Buffer {
  return createHmac('sha256', key).update(`${userId}:${phone}:${code}`).digest();
}

/** Sends a code to `phoneInput` (any common notation; stored as E.164). */
export async function startPhoneVerification(
  deps: StartDeps,
  userId: number,
  phoneInput: string,
): Promise<StartResult> {
  const phone = normalizePhone(phoneInput);
  const now = deps.clock();
  const code = deps.newCode?.() ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + PHONE_CODE_TTL_MS);

  const created = await withTransaction(deps.pool, async (tx) => {
    // One start at a time per user, so the limits below cannot be raced.
    await tx.query('select pg_advisory_xact_lock(7302114, hashtext($1))', [`user:${userId}`]);
    const { rows } = await tx.query<{ user_hour: number; number_day: number; oldest: Date | null }>(
      `select count(*) filter (where user_id = $1 and created_at > $3::timestamptz - interval '1 hour')::int as user_hour,
              count(*) filter (where phone = $2 and created_at > $3::timestamptz - interval '1 day')::int as number_day,
              min(created_at) filter (where user_id = $1 and created_at > $3::timestamptz - interval '1 hour') as oldest
         from phone_verifications
        where (user_id = $1 or phone = $2) and created_at > $3::timestamptz - interval '1 day'`,
      [userId, phone, now],
    );
    const r = rows[0] ?? { user_hour: 0, number_day: 0, oldest: null };
    if (r.user_hour >= PHONE_CODES_PER_USER_HOUR || r.number_day >= PHONE_CODES_PER_NUMBER_DAY) {
      const wait =
        r.user_hour >= PHONE_CODES_PER_USER_HOUR && r.oldest
          ? r.oldest.getTime() + 3_600_000 - now.getTime()
          : 86_400_000;
      return { limited: true, waitMs: Math.max(1000, wait) } as const;
    }
    const ins = await tx.query<{ id: number }>(
      `insert into phone_verifications (user_id, phone, code_hash, max_attempts, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [
        userId,
        phone,
        codeHash(deps.key, userId, phone, code),
        PHONE_CODE_MAX_ATTEMPTS,
        now,
        expiresAt,
      ],
    );
    return { limited: false, id: ins.rows[0]?.id ?? 0 } as const;
  });
  if (created.limited) return { ok: false, code: 'rate_limited', retryAfterMs: created.waitMs };

  const host = new URL(deps.publicUrl).host;
  // The last line is the WebOTP format, so a browser can offer to fill the code in.
  const body = `Your Pricehawk code is ${code}. It expires in 10 minutes. Do not share it.\n\n@${host} #${code}`;
  const sent = await deps.sms.sendText(phone, body, {
    fetcher: deps.fetcher,
    clock: deps.clock,
    publicUrl: deps.publicUrl,
    idempotencyKey: `phone-verification-${created.id}`,
  });
  if (!sent.ok) {
    // The code never arrived: make it unusable (it still counts toward the limits).
    await deps.pool.query(`update phone_verifications set expires_at = $2 where id = $1`, [
      created.id,
      now,
    ]);
    return { ok: false, code: 'send_failed', message: sent.message };
  }
  return { ok: true, phone, expiresAt };
}

/**
 * Checks a code against the user's latest pending one. On success the number becomes the user's
 * verified SMS channel (created or updated, enabled).
 */
export async function confirmPhoneVerification(
  deps: PhoneVerificationDeps,
  userId: number,
  codeInput: string,
): Promise<ConfirmResult> {
  const now = deps.clock();
  const code = codeInput.replace(/\s+/g, '');
  return withTransaction(deps.pool, async (tx): Promise<ConfirmResult> => {
    const { rows } = await tx.query<{
      id: number;
      phone: string;
      code_hash: Buffer;
      attempts: number;
      max_attempts: number;
      expires_at: Date;
    }>(
      `select id, phone, code_hash, attempts, max_attempts, expires_at
         from phone_verifications
        where user_id = $1 and consumed_at is null
        order by created_at desc, id desc limit 1
        for update`,
      [userId],
    );
    const v = rows[0];
    if (!v) return { ok: false, code: 'no_pending' };
    if (v.expires_at.getTime() <= now.getTime()) return { ok: false, code: 'expired' };
    if (v.attempts >= v.max_attempts) return { ok: false, code: 'too_many_attempts' };
    const expected = v.code_hash;
    const given = codeHash(deps.key, userId, v.phone, code);
    if (!/^\d{6}$/.test(code) || !timingSafeEqual(expected, given)) {
      await tx.query(`update phone_verifications set attempts = attempts + 1 where id = $1`, [
        v.id,
      ]);
      return { ok: false, code: 'wrong_code', attemptsLeft: v.max_attempts - v.attempts - 1 };
    }
    await tx.query(`update phone_verifications set consumed_at = $2 where id = $1`, [v.id, now]);
    await tx.query(
      `insert into user_channels (user_id, kind, config, enabled, verified_at, created_at, updated_at)
       values ($1, 'sms', $2::jsonb, true, $3, $3, $3)
       on conflict (user_id, kind) do update
         set config = excluded.config, enabled = true, verified_at = excluded.verified_at,
             last_error = null, last_error_at = null, updated_at = excluded.updated_at`,
      [userId, JSON.stringify({ phone: v.phone, verifiedPhone: v.phone }), now],
    );
    return { ok: true, phone: v.phone };
  });
}
