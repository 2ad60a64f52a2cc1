/**
 * Accounts: sign-up, log-in, profile. Passwords are argon2id hashes; every lookup of user data is
 * by the caller's own id.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { syncDigestSchedule } from '../notify/digest/index.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';

export const CURRENCY_DISPLAYS = ['symbol', 'narrowSymbol', 'code', 'name'] as const;
export type CurrencyDisplay = (typeof CURRENCY_DISPLAYS)[number];

export interface NotificationPrefs {
  readonly channels: { readonly email: { readonly enabled: boolean } };
  /** Local times ("22:00" to "07:00") in the user's time zone; alerts wait until it ends. */
  readonly quietHours: { readonly start: string; readonly end: string } | null;
  /**
   * A daily digest instead of immediate alerts: when enabled, alerts go only to the in-app inbox
   * as they happen, and once a day at `hour` (0–23, the user's time zone) one digest of them goes
   * out. Absent in rows written before digests existed: immediate.
   */
  readonly digest?: { readonly enabled: boolean; readonly hour: number };
}

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly emailVerifiedAt: Date | null;
  readonly timeZone: string;
  readonly locale: string;
  /** How prices are written: "symbol" (€), "narrowSymbol", "code" (EUR) or "name" (euros). */
  readonly currencyDisplay: CurrencyDisplay;
  readonly notificationPrefs: NotificationPrefs;
  readonly createdAt: Date;
}

export interface UserRow {
  id: number;
  email: string;
  name: string;
  email_verified_at: Date | null;
  time_zone: string;
  locale: string;
  currency_display: CurrencyDisplay;
  notification_prefs: NotificationPrefs;
  created_at: Date;
  password_hash: string;
}

/**
 * The columns `toUser` reads, as `u.<column>`: what each request's caller lookup (session or API
 * token) selects. Not `u.*`: that would read the password hash on every request for nothing.
 */
export const CALLER_COLUMNS = `u.id, u.email, u.name, u.email_verified_at, u.time_zone, u.locale,
  u.currency_display, u.notification_prefs, u.created_at`;

export function toUser(r: Omit<UserRow, 'password_hash'>): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    emailVerifiedAt: r.email_verified_at,
    timeZone: r.time_zone,
    locale: r.locale,
    currencyDisplay: r.currency_display,
    notificationPrefs: r.notification_prefs,
    createdAt: r.created_at,
  };
}

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

export async function getUser(db: Queryable, id: number): Promise<User | null> {
  const { rows } = await db.query<UserRow>('select * from users where id = $1', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

/**
 * The user with this email and password. An unknown address costs the same argon2 verification as
 * a wrong password, and both answer the same error: nothing tells them apart.
 */
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

/** Checks the user's current password (for changes that must be confirmed with it). */
export async function checkPassword(
  db: Queryable,
  userId: number,
  password: string,
): Promise<void> {
  const { rows } = await db.query<{ password_hash: string }>(
    'select password_hash from users where id = $1',
    [userId],
  );
  const hash = rows[0]?.password_hash;
  if (!hash || !(await verifyPassword(hash, password))) {
    throw new AppError('invalid_password', 'the current password is not right', 403);
  }
}

export interface ProfileChange {
  readonly name?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly locale?: string | undefined;
  readonly currencyDisplay?: CurrencyDisplay | undefined;
  readonly notificationPrefs?: NotificationPrefs | undefined;
}

/**
 * Changes the profile. A change of notification preferences or time zone also moves the daily
 * digest's schedule, in the same transaction (its own when `db` is the pool).
 */
export async function updateProfile(
  db: Queryable,
  userId: number,
  c: ProfileChange,
  now: Date,
): Promise<User> {
  if (db instanceof pg.Pool && (c.notificationPrefs || c.timeZone)) {
    return withTransaction(db, (tx) => updateProfile(tx, userId, c, now));
  }
  const { rows } = await db.query<UserRow>(
    `update users set
       name = coalesce($2, name),
       time_zone = coalesce($3, time_zone),
       locale = coalesce($4, locale),
       currency_display = coalesce($5, currency_display),
       -- Top-level keys merge: a change that leaves the digest out keeps it as it was.
       notification_prefs = notification_prefs || coalesce($6::jsonb, '{}'),
       updated_at = $7
     where id = $1 returning *`,
    [
      userId,
      c.name ?? null,
      c.timeZone ?? null,
      c.locale ?? null,
      c.currencyDisplay ?? null,
      c.notificationPrefs ? JSON.stringify(c.notificationPrefs) : null,
      now,
    ],
  );
  const row = rows[0];
  if (!row) throw new AppError('unauthenticated', 'no such account', 401);
  if (c.notificationPrefs || c.timeZone) {
    await syncDigestSchedule(
      db,
      { id: row.id, timeZone: row.time_zone, digest: row.notification_prefs.digest },
      now,
    );
  }
  return toUser(row);
}
