/**
 * Sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored, so a database leak
 * yields no usable session. Each knows its device and last use, and can be ended one by one.
 */
import { randomBytes } from 'node:crypto';
import { prepared, type Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { CALLER_COLUMNS, hashToken, toUser, type User, type UserRow } from './users.js';

export const SESSION_TTL_MS = 30 * 86_400_000;

/** "Firefox on Linux" from a user agent: enough to recognise one's own devices in a list. */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /curl\//i.test(ua)
              ? 'curl'
              : /undici|node/i.test(ua)
                ? 'Script'
                : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iOS/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  return os ? `${browser} on ${os}` : browser;
}

export async function createSession(
  db: Queryable,
  userId: number,
  meta: { userAgent?: string | undefined; ip?: string | undefined },
  now: Date,
): Promise<{ token: string; id: number; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const { rows } = await db.query<{ id: number }>(
    `insert into sessions (user_id, token_hash, user_agent, device, ip, created_at, last_used_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $6, $7) returning id`,
    [
      userId,
      hashToken(token),
      meta.userAgent?.slice(0, 300) ?? null,
      describeDevice(meta.userAgent),
      meta.ip ?? null,
      now,
      expiresAt,
    ],
  );
  return { token, id: rows[0]?.id ?? 0, expiresAt };
}

export async function resolveSession(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ user: User; sessionId: number } | null> {
  const { rows } = await db.query<
    Omit<UserRow, 'password_hash'> & { session_id: number; last_used_at: Date }
  >(
    prepared(
      `select ${CALLER_COLUMNS}, s.id as session_id, s.last_used_at
         from sessions s join users u on u.id = s.user_id
        where s.token_hash = $1 and s.expires_at > $2`,
      [hashToken(token), now],
    ),
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
  return { user: toUser(row), sessionId: row.session_id };
}

export async function endSessionByToken(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
}

export interface SessionInfo {
  readonly id: number;
  readonly device: string;
  readonly ip: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly current: boolean;
}

export async function listSessions(
  db: Queryable,
  userId: number,
  currentId: number | null,
  now: Date,
): Promise<SessionInfo[]> {
  const { rows } = await db.query<{
    id: number;
    device: string | null;
    ip: string | null;
    created_at: Date;
    last_used_at: Date;
  }>(
    `select id, device, ip, created_at, last_used_at from sessions
      where user_id = $1 and expires_at > $2 order by last_used_at desc, id desc`,
    [userId, now],
  );
  return rows.map((r) => ({
    id: r.id,
    device: r.device ?? 'Unknown device',
    ip: r.ip,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    current: r.id === currentId,
  }));
}

export async function revokeSession(
  db: Queryable,
  userId: number,
  sessionId: number,
): Promise<void> {
  const res = await db.query('delete from sessions where id = $1 and user_id = $2', [
    sessionId,
    userId,
  ]);
  if (!res.rowCount) throw new AppError('session_not_found', 'no such session', 404);
}

/** Ends every session of the user, or every one but `keep`. */
export async function revokeAllSessions(
  db: Queryable,
  userId: number,
  keep?: number,
): Promise<number> {
  const res = await db.query('delete from sessions where user_id = $1 and id <> coalesce($2, -1)', [
    userId,
    keep ?? null,
  ]);
  return res.rowCount ?? 0;
}
