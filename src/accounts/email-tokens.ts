/**
 * Single-use, short-lived tokens sent by email (verify an address, reset a password, confirm a
 * new address). Only their hash is stored; using one marks it used in the same statement that
 * checks it, so a token works once even under concurrent clicks.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { hashToken } from './users.js';

export type EmailTokenPurpose = 'verify_email' | 'password_reset' | 'change_email';

export const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 7 * 86_400_000,
  password_reset: 30 * 60_000,
  change_email: 86_400_000,
};

export async function createEmailToken(
  db: Queryable,
  userId: number,
  purpose: EmailTokenPurpose,
  email: string,
  now: Date,
): Promise<string> {
  // A new token of a purpose replaces the earlier ones: only the latest link works.
  await db.query(
    `update email_tokens set used_at = $3 where user_id = $1 and purpose = $2 and used_at is null`,
    [userId, purpose, now],
  );
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `insert into email_tokens (user_id, purpose, token_hash, email, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      userId,
      purpose,
      hashToken(token),
      email,
      now,
      new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    ],
  );
  return token;
}

/** The token's user and address if it is valid, unused and of this purpose; it is used up. */
export async function consumeEmailToken(
  db: Queryable,
  token: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<{ userId: number; email: string } | null> {
  const { rows } = await db.query<{ user_id: number; email: string }>(
    `update email_tokens set used_at = $3
      where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3
      returning user_id, email`,
    [hashToken(token), purpose, now],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, email: row.email } : null;
}
