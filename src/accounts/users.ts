/**
 * Accounts: sign-up, log-in and sessions. A session is a random token; only its SHA-256 is stored,
 * so a database leak yields no usable session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly emailVerifiedAt: Date | null;
  readonly timeZone: string;
  readonly locale: string;
  readonly createdAt: Date;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  email_verified_at: Date | null;
  time_zone: string;
  locale: string;
  created_at: Date;
  password_hash: string;
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    emailVerifiedAt: r.email_verified_at,
    timeZone: r.time_zone,
    locale: r.locale,
    createdAt: r.created_at,
  };
}

export const SESSION_TTL_MS = 30 * 86_400_000;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export async function signUp(
  db: Queryable,
  input: { email: string; password: string; name: string },
): Promise<User> {
  const hash = await hashPassword(input.password);
  try {
    const { rows } = await db.query<UserRow>(
      `insert into users (email, name, password_hash) values ($1, $2, $3) returning *`,
      [input.email, input.name, hash],
    );
    return toUser(rows[0] as UserRow);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new AppError('email_taken', 'an account with this email already exists', 409);
    }
    throw err;
  }
}

export async function logIn(
  db: Queryable,
  input: { email: string; password: string },
): Promise<User> {
  const { rows } = await db.query<UserRow>('select * from users where lower(email) = lower($1)', [
    input.email,
  ]);
  const row = rows[0];
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), input.password);
  if (!row || !ok) throw new AppError('invalid_credentials', 'wrong email or password', 401);
  return toUser(row);
}

export async function createSession(
  db: Queryable,
  userId: number,
  meta: { userAgent?: string | undefined; ip?: string | undefined },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query(
    `insert into sessions (user_id, token_hash, user_agent, ip, created_at, last_used_at, expires_at)
     values ($1, $2, $3, $4, $5, $5, $6)`,
    [
      userId,
      hashToken(token),
      meta.userAgent?.slice(0, 300) ?? null,
      meta.ip ?? null,
      now,
      expiresAt,
    ],
  );
  return { token, expiresAt };
}

export async function userForSession(
  db: Queryable,
  token: string,
  now: Date,
): Promise<User | null> {
  const { rows } = await db.query<UserRow & { session_id: number; last_used_at: Date }>(
    `select u.*, s.id as session_id, s.last_used_at from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > $2`,
    [hashToken(token), now],
  );
  const row = rows[0];
  if (!row) return null;
  // Sliding expiry, written at most once a minute per session.
  if (now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.query('update sessions set last_used_at = $2, expires_at = $3 where id = $1', [
      row.session_id,
      now,
      new Date(now.getTime() + SESSION_TTL_MS),
    ]);
  }
  return toUser(row);
}

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
}
